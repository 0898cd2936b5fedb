"""The plugin manager: guarded entry-point loading and organisation-scoped hook calls.

Modelled on conda's manager and Datasette's listing:

* every entry point in the ``haven`` group is loaded on its own; one that fails to import,
  has no manifest, implements an unknown hook, returns a malformed manifest or lists a
  directory service under an unknown taxonomy code is recorded
  in :attr:`HavenPluginManager.failures` with the reason, and the others still load;
* ``HAVEN_PLUGINS`` (allow-list) and ``HAVEN_DISABLED_PLUGINS`` choose the set;
* plugins are registered in reverse name order so that pluggy (which calls the most
  recently registered implementation first) asks them in name order: "first result
  wins" is deterministic and alphabetical;
* :meth:`HavenPluginManager.hook_for` returns a hook caller that asks only the plugins
  serving a given organisation.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import msgspec
import pluggy

from haven_contracts.ids import is_org_id
from haven_contracts.plugin import ENTRY_POINT_GROUP, HOOKSPEC_MODULES, PROJECT
from haven_contracts.plugin.kit import taxonomy_findings
from haven_contracts.plugin.records import Organisation, PluginManifest

log = logging.getLogger("haven.plugins")


class PluginError(Exception):
    """A plugin broke the plugin contract; the message names the plugin and the reason."""


def unique_by_key(records: Iterable[Any], key: str | Callable[[Any], Any], *, what: str = "record") -> list[Any]:
    """Return ``records`` unchanged, or raise :class:`PluginError` on a duplicate key.

    ``records`` are plain records or ``(plugin_name, record)`` pairs, as returned by
    :meth:`HavenPluginManager.results_by_plugin`; with pairs the error names both plugins.
    ``key`` is an attribute name or a function of the record. Services use it wherever two
    records with the same key would silently shadow each other (catalogue items, options,
    service levels).
    """
    get = (lambda r: getattr(r, key)) if isinstance(key, str) else key
    seen: dict[Any, str | None] = {}
    out: list[Any] = []
    for item in records:
        plugin, record = (
            item if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) else (None, item)
        )
        k = get(record)
        if k in seen:
            first, by = seen[k], plugin
            who = " and ".join(dict.fromkeys(f"plugin {p}" for p in (first, by) if p)) or "plugins"
            raise PluginError(f"duplicate {what} {k!r} from {who}")
        seen[k] = plugin
        out.append(record)
    return out


@dataclass(frozen=True)
class LoadedPlugin:
    name: str
    version: str
    distribution: str
    manifest: PluginManifest
    hooks: tuple[str, ...]

    @property
    def organisations(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.manifest.organisations)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "distribution": self.distribution,
            "organisations": list(self.organisations),
            "hooks": list(self.hooks),
            "summary": self.manifest.summary,
            "seeds": list(self.manifest.seeds),
        }


@dataclass(frozen=True)
class PluginFailure:
    name: str
    reason: str


@dataclass
class HavenPluginManager:
    pm: pluggy.PluginManager = field(default_factory=lambda: pluggy.PluginManager(PROJECT))
    plugins: dict[str, LoadedPlugin] = field(default_factory=dict)
    failures: list[PluginFailure] = field(default_factory=list)
    _by_org_cache: dict[tuple[str, str], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in HOOKSPEC_MODULES:
            module = importlib.import_module(name)
            if any(hasattr(getattr(module, attr), f"{PROJECT}_spec") for attr in dir(module)):
                self.pm.add_hookspecs(module)

    # -- loading ----------------------------------------------------------------------------
    def load_entry_points(self, allow: tuple[str, ...] | None = None, deny: tuple[str, ...] = ()) -> None:
        eps = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name, reverse=True)
        seen: set[str] = set()
        for ep in eps:
            if ep.name in seen:
                self.failures.append(PluginFailure(ep.name, "a second plugin with this name was ignored"))
                continue
            seen.add(ep.name)
            if allow is not None and ep.name not in allow:
                continue
            if ep.name in deny:
                continue
            try:
                module = ep.load()
            except Exception as exc:  # noqa: BLE001 - one broken plugin must not stop the rest
                self._fail(ep.name, f"import failed: {type(exc).__name__}: {exc}")
                continue
            dist = ep.dist
            self.register(
                module,
                name=ep.name,
                version=dist.version if dist else "0",
                distribution=dist.metadata["Name"] if dist else "",
            )
        if allow is not None:
            for missing in sorted(set(allow) - seen):
                self._fail(missing, "listed in HAVEN_PLUGINS but not installed")

    def register(
        self, module: ModuleType | object, *, name: str, version: str = "0", distribution: str = ""
    ) -> LoadedPlugin | None:
        """Register one plugin object, validating its manifest and hooks; None on failure."""
        if name in self.plugins:
            self._fail(name, "duplicate plugin name")
            return None
        try:
            self.pm.register(module, name=name)
        except Exception as exc:  # noqa: BLE001 - pluggy validation (signature mismatch, ...)
            self._fail(name, f"invalid hook implementation: {exc}")
            return None
        try:
            self.pm.check_pending()
            manifest = self._manifest(module, name)
            self._check_taxonomy(module, name, manifest)
        except Exception as exc:  # noqa: BLE001
            self.pm.unregister(module)
            self._fail(
                name,
                str(exc)
                if isinstance(exc, (PluginError, pluggy.PluginValidationError))
                else f"{type(exc).__name__}: {exc}",
            )
            return None
        hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(module) or () if h.name != "haven_manifest"))
        loaded = LoadedPlugin(name=name, version=version, distribution=distribution, manifest=manifest, hooks=hooks)
        self.plugins[name] = loaded
        self._reorder()
        log.debug("plugin %s %s serves %s", name, version, ", ".join(loaded.organisations))
        return loaded

    def _manifest(self, module: object, name: str) -> PluginManifest:
        impl = getattr(module, "haven_manifest", None)
        if impl is None:
            raise PluginError("no haven_manifest hook: a plugin must declare the organisations it serves")
        raw = msgspec.to_builtins(impl())
        orgs = raw.get("organisations") if isinstance(raw, dict) else None
        if isinstance(orgs, list):
            bad_ids = [
                o.get("id")
                for o in orgs
                if isinstance(o, dict) and not (isinstance(o.get("id"), str) and is_org_id(o["id"]))
            ]
            if bad_ids:
                raise PluginError(f"invalid organisation id(s) {bad_ids}: expected lower-case slugs like 'bexley'")
        try:
            manifest = msgspec.convert(raw, PluginManifest)
        except (msgspec.ValidationError, TypeError) as exc:
            raise PluginError(f"haven_manifest returned an invalid manifest: {exc}") from None
        if not manifest.organisations:
            raise PluginError("haven_manifest declares no organisations")
        bad = [o.id for o in manifest.organisations if not is_org_id(o.id)]
        if bad:
            raise PluginError(f"invalid organisation id(s): {bad}")
        return manifest

    def _check_taxonomy(self, module: object, name: str, manifest: PluginManifest) -> None:
        """A taxonomy code the directory would reject fails loading here, in every service,
        rather than only when the directory starts."""
        findings = taxonomy_findings(module, [o.id for o in manifest.organisations], name=name)
        if findings:
            raise PluginError("; ".join(f.message for f in findings))

    def _reorder(self) -> None:
        """Re-register plugins in reverse name order: pluggy calls the most recently registered
        first, so every hook then asks plugins in name order whatever order they loaded in."""
        objects = {name: self.pm.get_plugin(name) for name in self.plugins}
        if list(objects) == sorted(objects, reverse=True):
            self._by_org_cache.clear()
            return
        for name, obj in objects.items():
            self.pm.unregister(obj, name=name)
        for name in sorted(objects, reverse=True):
            self.pm.register(objects[name], name=name)
        self.plugins = {name: self.plugins[name] for name in sorted(objects, reverse=True)}
        self._by_org_cache.clear()

    def _fail(self, name: str, reason: str) -> None:
        log.error("plugin %s not loaded: %s", name, reason)
        self.failures.append(PluginFailure(name, reason))

    # -- calling ----------------------------------------------------------------------------
    def organisations(self) -> list[Organisation]:
        """Every organisation served by a loaded plugin, sorted by id (first declaration wins)."""
        orgs: dict[str, Organisation] = {}
        for plugin in self.sorted_plugins():
            for org in plugin.manifest.organisations:
                orgs.setdefault(org.id, org)
        return [orgs[k] for k in sorted(orgs)]

    def organisation(self, org: str) -> Organisation | None:
        return next((o for o in self.organisations() if o.id == org), None)

    def serves(self, org: str) -> bool:
        return any(org in p.organisations for p in self.plugins.values())

    def plugins_in_order(self) -> list[str]:
        return sorted(self.plugins)

    def sorted_plugins(self) -> list[LoadedPlugin]:
        return [self.plugins[k] for k in sorted(self.plugins)]

    def hook_for(self, org: str, hook: str):
        """Hook caller for ``hook`` restricted to plugins serving ``org`` (name order)."""
        key = (org, hook)
        if key not in self._by_org_cache:
            others = [self.pm.get_plugin(p.name) for p in self.plugins.values() if org not in p.organisations]
            self._by_org_cache[key] = self.pm.subset_hook_caller(
                hook, remove_plugins=[o for o in others if o is not None]
            )
        return self._by_org_cache[key]

    def call(self, org: str, hook: str, **kwargs: Any) -> Any:
        """Call ``hook`` for ``org``; ``org`` is passed as a keyword to every implementation."""
        return self.hook_for(org, hook)(org=org, **kwargs)

    def call_results(self, org: str, hook: str, **kwargs: Any) -> list[Any]:
        """Results of a list-style hook, in plugin-name order, flattened and without ``None``."""
        results = self.call(org, hook, **kwargs)
        if results is None:
            return []
        if not isinstance(results, list):
            return [results]
        flat: list[Any] = []
        for r in results:
            if r is None:
                continue
            flat.extend(r if isinstance(r, (list, tuple)) else [r])
        return flat

    def results_by_plugin(self, org: str, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """``(plugin name, result)`` for each plugin serving ``org`` that implements ``hook``,
        in plugin-name order; list results are flattened and ``None`` dropped. Use with
        :func:`unique_by_key` so a duplicate names the plugins that produced it."""
        serving = {p.name for p in self.plugins.values() if org in p.organisations}
        caller = getattr(self.pm.hook, hook)
        impls = sorted((i for i in caller.get_hookimpls() if i.plugin_name in serving), key=lambda i: i.plugin_name)
        args = {"org": org, **kwargs}
        out: list[tuple[str, Any]] = []
        for impl in impls:
            result = impl.function(*[args[a] for a in impl.argnames])
            if result is None:
                continue
            for item in result if isinstance(result, (list, tuple)) else [result]:
                if item is not None:
                    out.append((impl.plugin_name, item))
        return out

    def hook_names(self) -> list[str]:
        return sorted(name for name in dir(self.pm.hook) if name.startswith("haven_"))

    def hookspec_docs(self) -> dict[str, str]:
        docs: dict[str, str] = {}
        for name in self.hook_names():
            caller = getattr(self.pm.hook, name)
            spec = caller.spec
            docs[name] = (inspect.getdoc(spec.function) or "") if spec else ""
        return docs


def build_plugin_manager(settings=None) -> HavenPluginManager:
    from haven_runtime.settings import get_settings

    settings = settings or get_settings()
    manager = HavenPluginManager()
    manager.load_entry_points(allow=settings.plugins, deny=settings.disabled_plugins)
    log.info(
        "plugins loaded: %s%s",
        ", ".join(manager.plugins_in_order()) or "none",
        f"; {len(manager.failures)} failed (see errors above)" if manager.failures else "",
    )
    return manager
