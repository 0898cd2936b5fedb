"""Core hook specifications, called on every plugin.

Each hook is documented with its contract and an example; ``runtime/tests`` fails when a
hook has no docstring or no example.
"""

from __future__ import annotations

from haven_contracts.plugin import hookspec
from haven_contracts.plugin.records import PluginManifest


@hookspec(firstresult=True)
def haven_manifest() -> PluginManifest:
    """Declare the plugin's name and the organisations it serves.

    Called once per plugin at load time (firstresult per plugin: the manager calls each
    plugin's implementation on its own). A plugin without a manifest, or one whose
    organisations have invalid ids, is rejected at start-up with the reason.

    Example::

        @hookimpl
        def haven_manifest():
            return PluginManifest(
                name="bexley",
                organisations=(Organisation(id="bexley", name="London Borough of Bexley",
                                            kind="local_authority"),),
                seeds=("001_2a45bb55c36fcb52.txt",),
            )
    """
