"""The plugin contract: hook specifications and the frozen records hooks return.

A plugin is a distribution registered under the entry-point group ``haven`` whose module
implements some of these hooks with :data:`hookimpl`. Every plugin implements
:func:`~haven_contracts.plugin.hookspecs.haven_manifest` to declare the organisations it
serves; every other hook receives ``org`` and is called only on plugins serving that org.
"""

import pluggy

PROJECT = "haven"
ENTRY_POINT_GROUP = "haven"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: Modules holding hook specifications, registered in this order by the plugin manager.
HOOKSPEC_MODULES: tuple[str, ...] = (
    "haven_contracts.plugin.hookspecs",
    "haven_contracts.plugin.options",
    "haven_contracts.plugin.sanctuary",
    "haven_contracts.plugin.reciprocal",
    "haven_contracts.plugin.directory",
)

__all__ = ["ENTRY_POINT_GROUP", "HOOKSPEC_MODULES", "PROJECT", "hookimpl", "hookspec"]
