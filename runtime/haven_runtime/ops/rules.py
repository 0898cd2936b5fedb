"""The source documents' rules, traced: document line → rule → code → test, and timescale → clock.

``docs/rules.toml`` lists the rules the five source documents state: each with the seed file
and the line it quotes (word for word after :func:`haven_runtime.testing.plugins.normalise`, elisions
as " ... "), what Haven does about it, the code that enforces it (``path/to/module.py`` or
``path/to/module.py:qualified.name``, relative to the repository root; the file must exist and
define the name, checked by reading it, so no service is imported) and, for a timescale, the
clock that enforces it. Tests name the rules they check with a marker::

    @pytest.mark.rule("ag013.interview-next-working-day")
    async def test_interview_clock_and_overdue_event(...): ...

This module finds those markers by reading the test files with :mod:`ast` (no pytest run), and
writes ``docs/rules.md`` from the catalogue and the markers (``haven rules``). ``haven rules
--check`` writes nothing and fails when a listed rule has no marked test, a marker names a rule
that is not listed, a code reference is missing, a quote is not in its seed, or ``docs/rules.md``
is out of date; ``runtime/tests/test_rules.py`` fails the test run for the same reasons.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: The repository root: runtime/haven_runtime/ops/rules.py → two levels up.
ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = Path("docs/rules.toml")
OUTPUT = Path("docs/rules.md")
MARKER = "rule"
KINDS = ("clock", "schedule")


@dataclass(frozen=True)
class Clock:
    """What enforces a timescale: a ``clock`` (raises an overdue event when missed) or, for a
    meeting cadence, a typed directory ``schedule``; its name and where it is set or checked."""

    name: str
    code: tuple[str, ...]
    kind: str = "clock"


@dataclass(frozen=True)
class Rule:
    id: str
    seed: str
    quote: str
    does: str
    code: tuple[str, ...]
    where: str = ""
    timescale: str = ""
    clock: Clock | None = None


@dataclass
class Catalogue:
    documents: dict[str, str]
    rules: list[Rule]
    problems: list[str] = field(default_factory=list)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return ()


def load_catalogue(path: Path | None = None, root: Path = ROOT) -> Catalogue:
    """The catalogue as records; malformed entries are reported in ``problems``, not raised."""
    path = path or root / CATALOGUE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    documents = {str(k): str(v) for k, v in data.get("documents", {}).items()}
    rules: list[Rule] = []
    problems: list[str] = []
    seen: set[str] = set()
    for n, raw in enumerate(data.get("rule", []), 1):
        rid = raw.get("id", "")
        label = rid or f"rule #{n}"
        missing = [k for k in ("id", "seed", "quote", "does", "code") if not raw.get(k)]
        if missing:
            problems.append(f"{label}: missing {', '.join(missing)}")
            continue
        if rid in seen:
            problems.append(f"{rid}: listed twice")
        seen.add(rid)
        if raw["seed"] not in documents:
            problems.append(f"{rid}: seed {raw['seed']} is not one of [documents]")
        clock = None
        if "clock" in raw:
            c = raw["clock"]
            if not c.get("name") or not _strings(c.get("code")):
                problems.append(f"{rid}: a clock needs a name and code")
            if c.get("kind", "clock") not in KINDS:
                problems.append(f"{rid}: a clock's kind is one of {', '.join(KINDS)}")
            clock = Clock(name=c.get("name", ""), code=_strings(c.get("code")), kind=c.get("kind", "clock"))
            if not raw.get("timescale"):
                problems.append(f"{rid}: a clock without the timescale it enforces")
        rules.append(
            Rule(
                id=rid,
                seed=raw["seed"],
                quote=raw["quote"],
                does=raw["does"],
                code=_strings(raw["code"]),
                where=raw.get("where", ""),
                timescale=raw.get("timescale", ""),
                clock=clock,
            )
        )
    return Catalogue(documents=documents, rules=rules, problems=problems)


# -- markers on tests ----------------------------------------------------------------------


def _is_rule_marker(node: ast.expr) -> bool:
    """``pytest.mark.rule`` or ``mark.rule`` (the marker ``rule`` whatever the import)."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == MARKER
        and (
            (isinstance(node.value, ast.Attribute) and node.value.attr == "mark")
            or (isinstance(node.value, ast.Name) and node.value.id == "mark")
        )
    )


def _marker_ids(expr: ast.expr, where: str, problems: list[str]) -> list[str]:
    """Rule ids named by one decorator or ``pytestmark`` expression (a call, or a list of them)."""
    if isinstance(expr, (ast.List, ast.Tuple)):
        return [i for e in expr.elts for i in _marker_ids(e, where, problems)]
    if not (isinstance(expr, ast.Call) and _is_rule_marker(expr.func)):
        return []
    ids = []
    for arg in expr.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            ids.append(arg.value)
        else:
            problems.append(f"{where}: a rule marker names its rules with string literals only")
    if not expr.args:
        problems.append(f"{where}: a rule marker with no rule id")
    return ids


def _test_nodes(
    body: Iterable[ast.stmt],
    prefix: str,
    inherited: list[str],
    out: dict[str, list[str]],
    where: str,
    problems: list[str],
) -> None:
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            ids = inherited + [
                i for d in node.decorator_list for i in _marker_ids(d, f"{where}::{node.name}", problems)
            ]
            _test_nodes(node.body, f"{prefix}{node.name}::", ids, out, where, problems)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            nodeid = f"{prefix}{node.name}"
            ids = inherited + [i for d in node.decorator_list for i in _marker_ids(d, f"{where}::{nodeid}", problems)]
            if ids:
                out[nodeid] = ids


def markers_in(source: str, path: str) -> tuple[dict[str, list[str]], list[str]]:
    """The rule ids each test function of one test file names: ``{"Class::test_x": [ids]}``, problems."""
    problems: list[str] = []
    tree = ast.parse(source, filename=path)
    module_ids: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
            module_ids += _marker_ids(node.value, path, problems)
    out: dict[str, list[str]] = {}
    _test_nodes(tree.body, "", module_ids, out, path, problems)
    return out, problems


def configured_test_paths(root: Path = ROOT) -> list[str]:
    """The project's ``testpaths`` from the root ``pyproject.toml``."""
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return list(data["tool"]["pytest"]["ini_options"]["testpaths"])


def scan_tests(root: Path = ROOT, paths: Iterable[str] | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """Every marked test under the test paths: ``{rule id: [test node ids]}`` (sorted), problems."""
    found: dict[str, set[str]] = {}
    problems: list[str] = []
    for top in paths if paths is not None else configured_test_paths(root):
        for file in sorted((root / top).rglob("test_*.py")):
            if any(part in {".venv", "node_modules", "__pycache__"} for part in file.parts):
                continue
            rel = file.relative_to(root).as_posix()
            nodes, file_problems = markers_in(file.read_text(encoding="utf-8"), rel)
            problems += file_problems
            for nodeid, ids in nodes.items():
                for rid in ids:
                    found.setdefault(rid, set()).add(f"{rel}::{nodeid}")
    return {rid: sorted(tests) for rid, tests in sorted(found.items())}, problems


# -- checks --------------------------------------------------------------------------------


def _defined(tree: ast.Module, qualname: str) -> bool:
    """Whether ``qualname`` (``name`` or ``Class.attr``) is defined at the top of the module."""
    body: list[ast.stmt] = tree.body
    for part in qualname.split("."):
        match = None
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == part:
                match = node
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == part for t in node.targets):
                match = node
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == part:
                match = node
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name) == part for a in node.names
            ):
                match = node
        if match is None:
            return False
        body = match.body if isinstance(match, ast.ClassDef) else []
    return True


def code_problems(rules: Iterable[Rule], root: Path = ROOT) -> list[str]:
    """Code references whose file is missing or whose name the file does not define."""
    problems: list[str] = []
    trees: dict[str, ast.Module | None] = {}
    for rule in rules:
        refs = list(rule.code) + list(rule.clock.code if rule.clock else ())
        for ref in refs:
            path, _, qualname = ref.partition(":")
            file = root / path
            if path not in trees:
                trees[path] = (
                    ast.parse(file.read_text(encoding="utf-8")) if file.is_file() and path.endswith(".py") else None
                )
            if not file.is_file():
                problems.append(f"{rule.id}: {path} does not exist")
            elif qualname and (trees[path] is None or not _defined(trees[path], qualname)):
                problems.append(f"{rule.id}: {path} defines no {qualname}")
    return problems


def quote_problems(
    rules: Iterable[Rule], seed_text: Callable[[str], str], normalise: Callable[[str], str]
) -> list[str]:
    """Quotes not found word for word in their seed; ``seed_text`` gives a seed's normalised text."""
    problems = []
    for rule in rules:
        text = seed_text(rule.seed)
        for piece in normalise(rule.quote).split(" ... "):
            if piece.strip() not in text:
                problems.append(f"{rule.id}: not in {rule.seed}: {piece.strip()!r}")
    return problems


def coverage_problems(catalogue: Catalogue, tests: dict[str, list[str]]) -> list[str]:
    """Listed rules with no marked test, and markers naming a rule that is not listed."""
    listed = catalogue.by_id()
    problems = [f"{rid}: no test carries @pytest.mark.rule({rid!r})" for rid in listed if not tests.get(rid)]
    problems += [
        f"{t}: @pytest.mark.rule({rid!r}) names no rule in {CATALOGUE}"
        for rid, ts in tests.items()
        if rid not in listed
        for t in ts
    ]
    return problems


# -- docs/rules.md -------------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _code(refs: Iterable[str]) -> str:
    return "<br>".join(f"`{r}`" for r in refs)


def render(catalogue: Catalogue, tests: dict[str, list[str]]) -> str:
    """``docs/rules.md``: per document, quote → rule → code → tests; then timescales → clocks."""
    lines = [
        "# The source documents' rules, traced",
        "",
        "<!-- Generated by `haven rules` from docs/rules.toml and the @pytest.mark.rule markers; do not edit. -->",
        "",
        "Every rule below is quoted from a source document (`../shared/seeds/`), says what Haven does",
        "about it, where the code enforcing it lives, and which tests check it. The list is",
        "`docs/rules.toml`; the tests come from `@pytest.mark.rule(\"<id>\")` markers on the tests",
        "themselves. `haven rules` rewrites this page; `haven rules --check` (and",
        "`runtime/tests/test_rules.py`) fail when a listed rule has no test, a marker names an unlisted",
        "rule, a quote is not in its document, a code reference is missing, or this page is stale.",
        "",
    ]
    for seed, title in sorted(catalogue.documents.items()):
        rules = [r for r in catalogue.rules if r.seed == seed]
        lines += [
            f"## {title}",
            "",
            f"`{seed}` — {len(rules)} rules.",
            "",
            "| document line | rule | code | tests |",
            "| --- | --- | --- | --- |",
        ]
        for r in rules:
            where = f"{_cell(r.where)}: " if r.where else ""
            ts = "<br>".join(f"`{t}`" for t in tests.get(r.id, [])) or "**none**"
            lines.append(f"| {where}\"{_cell(r.quote)}\" | `{r.id}`<br>{_cell(r.does)} | {_code(r.code)} | {ts} |")
        lines.append("")
    lines += [
        "## Timescales → clocks",
        "",
        "Every timescale the documents state, and what enforces it: a clock raises an overdue event",
        "when it runs out; a meeting cadence is a typed directory schedule; **not a clock yet** marks",
        "a timescale nothing enforces yet.",
        "",
        "| document | timescale | rule | clock | code |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in catalogue.rules:
        if not r.timescale:
            continue
        clock = "**not a clock yet**"
        if r.clock:
            clock = ", ".join(f"`{n.strip()}`" for n in r.clock.name.split(","))
            clock += " (directory schedule)" if r.clock.kind == "schedule" else ""
        code = _code(r.clock.code) if r.clock else ""
        lines.append(f"| `{r.seed}` | {_cell(r.timescale)} | `{r.id}` | {clock} | {code} |")
    lines.append("")
    return "\n".join(lines)


def build(root: Path = ROOT) -> tuple[str, list[str]]:
    """The page as it should be, and every problem the static checks find (quotes excepted)."""
    catalogue = load_catalogue(root=root)
    tests, problems = scan_tests(root)
    problems = (
        catalogue.problems + problems + coverage_problems(catalogue, tests) + code_problems(catalogue.rules, root)
    )
    return render(catalogue, tests), problems


def run(check: bool = False, root: Path = ROOT, echo: Callable[[str], None] = print) -> int:
    """Write ``docs/rules.md`` (or with ``check`` compare it, writing nothing); 1 on any problem."""
    if not (root / CATALOGUE).is_file():
        echo(f"{root / CATALOGUE} not found: run from a checkout of the repository (an editable install)")
        return 1
    page, problems = build(root)
    out = root / OUTPUT
    if check:
        from haven_runtime.testing.plugins import normalise, seeds_dir

        catalogue = load_catalogue(root=root)
        missing = sorted({r.seed for r in catalogue.rules if not (seeds_dir() / r.seed).is_file()})
        problems += [f"source document {m} not found in {seeds_dir()}" for m in missing]
        present = [r for r in catalogue.rules if r.seed not in missing]
        problems += quote_problems(
            present, lambda s: normalise((seeds_dir() / s).read_text(encoding="utf-8")), normalise
        )
        if not out.is_file() or out.read_text(encoding="utf-8") != page:
            problems.append(f"{OUTPUT} is out of date: run `haven rules`")
    else:
        out.write_text(page, encoding="utf-8")
        echo(f"wrote {OUTPUT}")
    for p in problems:
        echo(p)
    return 1 if problems else 0


if __name__ == "__main__":  # python -m haven_runtime.ops.rules [--check]
    import sys

    raise SystemExit(run(check="--check" in sys.argv[1:]))
