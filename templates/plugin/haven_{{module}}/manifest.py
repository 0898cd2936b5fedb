"""Who the ``{{name}}`` plugin serves.

``seeds`` names the written procedure the plugin encodes; every rule in the other modules
should quote it. ``settings`` holds plain-text switches a deployment can read in
``haven plugins --json`` (keep secrets out of it).
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.records import Organisation, PluginManifest


SOURCE = "{{title}} domestic-abuse housing procedure"
ORGANISATIONS = (
    Organisation(id="{{org}}", name="{{title}}", kind="local_authority", source=SOURCE),
)


@hookimpl
def haven_manifest() -> PluginManifest:
    return PluginManifest(
        name="{{name}}",
        organisations=ORGANISATIONS,
        summary="{{title}}'s domestic-abuse housing procedure",
        seeds=(),
    )
