"""Which settings each organisation runs on only because its plugins are silent.

The core defaults are not neutral: the interview clock is AG/013's (``003_8738e4ccc4c4272a.txt``
principle 1, Dales Housing / Seven Locks Housing) and the sanctuary clocks, measure catalogue
and funding rules are Dartford's (``004_d4b796f614d2cfd3.txt``). An organisation whose own
procedure says nothing on them runs on another organisation's rules, so ``haven plugins`` and
the officers' pages say so ("core default, not from this organisation's procedure") and name the
hook that sets the organisation's own. Each service reports its own defaults through
``ServiceDefinition.core_defaults``; this module only collects them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from haven_contracts.plugin.records import CoreDefault
from haven_runtime.plugins import HavenPluginManager

Reporter = Callable[[HavenPluginManager, str], Sequence[CoreDefault]]


def reporters() -> dict[str, Reporter]:
    """``{service: reporter}`` for every installed service that reports core defaults."""
    from haven_runtime.serve import service_definitions

    found: dict[str, Reporter] = {}
    for name, ep in sorted(service_definitions().items()):
        definition = getattr(importlib.import_module(ep.module), "definition", None)
        reporter = definition().core_defaults if definition is not None else None
        if reporter is not None:
            found[name] = reporter
    return found


def core_defaults(
    manager: HavenPluginManager, services: dict[str, Reporter] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """``{org: [{"service", "setting", "value", "taken_from", "set_with", "note"}]}`` for every
    organisation the plugins serve that runs on at least one core default."""
    services = reporters() if services is None else services
    out: dict[str, list[dict[str, Any]]] = {}
    for org in manager.organisations():
        rows = [
            {"service": service, **_fields(d)} for service, report in services.items() for d in report(manager, org.id)
        ]
        if rows:
            out[org.id] = rows
    return out


def _fields(default: CoreDefault) -> dict[str, str]:
    return {
        "setting": default.setting,
        "value": default.value,
        "taken_from": default.taken_from,
        "set_with": default.set_with,
        "note": default.note,
    }
