"""The plugin contract: hook specifications and the frozen records hooks return.

A plugin is a distribution registered under the entry-point group ``haven`` whose module
implements some of these hooks with :data:`hookimpl`. Every plugin implements
:func:`~haven_contracts.plugin.hookspecs.haven_manifest` to declare the organisations it
serves; every other hook receives ``org`` and is called only on plugins serving that org.
"""

from types import ModuleType
from typing import Any

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


def hooks_of(*modules: ModuleType) -> dict[str, Any]:
    """The hook implementations (functions marked with :data:`hookimpl`) of a plugin's domain
    modules, by name, for its entry-point module to expose. A hook implemented in two modules
    would let one silently shadow the other, so it is refused here, when the plugin loads."""
    found: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for module in modules:
        for name, value in vars(module).items():
            if not callable(value) or not hasattr(value, f"{PROJECT}_impl"):
                continue
            if name in found and found[name] is not value:
                raise ValueError(f"hook {name} is implemented in both {owner[name]} and {module.__name__}")
            found[name], owner[name] = value, module.__name__
    return found


__all__ = ["ENTRY_POINT_GROUP", "HOOKSPEC_MODULES", "PROJECT", "hookimpl", "hookspec", "hooks_of"]
