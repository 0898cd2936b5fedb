"""The runtime's layers import one way: the service kernel (``haven_runtime`` and its ``web``
pages) never imports the operator commands (``haven_runtime.ops``) or the test support
(``haven_runtime.testing``); the operator commands never import the test support; services and
plugins import neither. Test support may use both, as it starts suites the way an operator does.

A kernel that reached into ``ops`` would drag the supervisor and the NATS launcher into every
service process; one that reached into ``testing`` would ship pytest fixtures to production."""

from __future__ import annotations

from pathlib import Path

from haven_runtime.testing import imports_of

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "runtime" / "haven_runtime"


def _layer(path: Path) -> str:
    parts = path.relative_to(RUNTIME).parts
    return parts[0] if parts[0] in ("ops", "testing") else "kernel"


#: What each layer may not import
FORBIDDEN = {"kernel": ("haven_runtime.ops", "haven_runtime.testing"), "ops": ("haven_runtime.testing",), "testing": ()}


def _violations(paths: list[Path], forbidden_for, root: Path = ROOT) -> list[str]:
    wrong = []
    for path in paths:
        for module, _ in imports_of(path):
            for banned in forbidden_for(path):
                if module == banned or module.startswith(f"{banned}."):
                    wrong.append(f"{path.relative_to(root)} imports {module}")
    return wrong


def test_the_kernel_and_the_operator_commands_import_one_way():
    modules = sorted(RUNTIME.rglob("*.py"))
    assert {_layer(p) for p in modules} == {"kernel", "ops", "testing"}
    assert not _violations(modules, lambda p: FORBIDDEN[_layer(p)])


def test_services_and_plugins_import_only_the_kernel():
    code = [
        p
        for p in [*ROOT.glob("services/*/haven_*/**/*.py"), *ROOT.glob("plugins/*/haven_*/**/*.py")]
        if "tests" not in p.relative_to(ROOT).parts
    ]
    assert len({p.relative_to(ROOT).parts[1] for p in code}) >= 10
    assert not _violations(code, lambda p: FORBIDDEN["kernel"])


def test_a_kernel_import_of_the_operator_commands_is_found(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def later():\n    from haven_runtime.ops.supervisor import Supervisor\n")
    assert _violations([module], lambda p: FORBIDDEN["kernel"], root=tmp_path) == [
        "bad.py imports haven_runtime.ops.supervisor"
    ]


def test_a_services_domain_never_imports_its_http_api():
    """The HTTP API and the pages both call the domain; the domain calls neither. Only the
    service's ``app.py`` wires the API's controllers in."""
    domain = [
        p
        for p in ROOT.glob("services/*/haven_*/**/*.py")
        if not {"api", "pages", "tests"} & set(p.relative_to(ROOT).parts) and p.name != "app.py"
    ]
    assert len(domain) > 40
    wrong = [
        f"{p.relative_to(ROOT)} imports {module}"
        for p in domain
        for module, names in imports_of(p)
        if module.startswith("haven_") and ("api" in module.split(".")[1:] or "api" in names)
    ]
    assert not wrong
