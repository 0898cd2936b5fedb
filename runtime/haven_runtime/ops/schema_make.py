"""``haven migrate --new``: write the next migration step from what the table classes add.

The schema the checked-in migrations build (:func:`replay`) is compared with the schema
the Table classes declare (:func:`changes`); what the classes add — a table, a column, a
composite unique key — becomes a new ``mNNNN_<name>.py`` file of frozen Piccolo columns,
for the developer to review and commit. A dropped, renamed or changed column is refused:
it needs a hand-written step (a :class:`~haven_runtime.schema.Run`) and a thought about
existing rows. ``runtime/tests/test_schema.py`` fails, naming this command, while the
classes and the migrations disagree.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from piccolo.columns import Column
from piccolo.table import Table

from haven_runtime.schema import AddColumn, AddUnique, App, CreateTable, Run, Step


class SchemaChangeError(RuntimeError):
    """The table classes changed in a way a generated step cannot express."""


def render_column(column: Column) -> str:
    """``Varchar(length=63, index=True)``: the column's class and the arguments that differ
    from that class's defaults."""
    fresh = type(column)()._meta.params
    args = [f"{k}={v!r}" for k, v in column._meta.params.items() if repr(fresh.get(k)) != repr(v)]
    return f"{type(column).__name__}({', '.join(args)})"


@dataclass
class TableShape:
    columns: dict[str, str] = field(default_factory=dict)  # name → render_column
    unique: dict[str, list[str]] = field(default_factory=dict)


def replay(app: App) -> dict[str, TableShape]:
    """The tables ``app``'s migrations build, as rendered columns and unique keys."""
    shapes: dict[str, TableShape] = {}
    for migration in app.migrations:
        for step in migration.steps:
            if isinstance(step, CreateTable):
                shapes[step.tablename] = TableShape(
                    {n: render_column(c) for n, c in step.columns.items()}, dict(step.unique)
                )
            elif isinstance(step, AddColumn):
                shapes[step.tablename].columns[step.name] = render_column(step.column)
            elif isinstance(step, AddUnique):
                shapes[step.tablename].unique[step.name] = list(step.columns)
    return shapes


def changes(app: App, tables: list[type[Table]]) -> list[Step]:
    """The steps that bring ``app``'s migrations up to ``tables``; raises on what they cannot."""
    built = replay(app)
    steps: list[Step] = []
    problems: list[str] = []
    for table in tables:
        name = table._meta.tablename
        declared = CreateTable.of(table)
        shape = built.get(name)
        if shape is None:
            steps.append(declared)
            continue
        for col, column in declared.columns.items():
            if col not in shape.columns:
                if (
                    column._meta.unique
                    or column._meta.primary_key
                    or (not column._meta.null and column.default is None)
                ):
                    problems.append(f"{name}.{col} is new and unique, a key, or required without a default")
                steps.append(AddColumn(name, col, column))
            elif shape.columns[col] != render_column(column):
                problems.append(f"{name}.{col} changed from {shape.columns[col]} to {render_column(column)}")
        problems += [f"{name}.{col} is no longer declared" for col in shape.columns if col not in declared.columns]
        steps += [AddUnique(name, key, cols) for key, cols in declared.unique.items() if key not in shape.unique]
        problems += [
            f"unique key {key} of {name} changed or is no longer declared"
            for key, cols in shape.unique.items()
            if declared.unique.get(key) != cols
        ]
    known = {t._meta.tablename for t in tables}
    problems += [f"table {name} is no longer declared" for name in built if name not in known]
    if problems:
        raise SchemaChangeError(
            "; ".join(problems) + ": write that migration step by hand (see README, 'Changing the schema')"
        )
    return steps


def render_migration(steps: list[Step], doc: str) -> str:
    kinds = sorted({type(c).__name__ for s in steps for c in _columns(s)})
    step_kinds = sorted({type(s).__name__ for s in steps})
    lines = [f'"""{doc}"""', "", "from __future__ import annotations", ""]
    if kinds:
        lines.append(f"from piccolo.columns import {', '.join(kinds)}")
        lines.append("")
    lines += [
        f"from haven_runtime.schema import {', '.join([*step_kinds, 'Migration'])}",
        "",
        "MIGRATION = Migration([",
    ]
    for step in steps:
        lines += ["    " + line for line in _render_step(step)]
    lines.append("])")
    return "\n".join(lines) + "\n"


def _columns(step: Step) -> list[Column]:
    if isinstance(step, CreateTable):
        return list(step.columns.values())
    return [step.column] if isinstance(step, AddColumn) else []


def _render_step(step: Step) -> list[str]:
    if isinstance(step, CreateTable):
        out = [f"CreateTable({step.tablename!r}, {{"]
        out += [f"    {name!r}: {render_column(c)}," for name, c in step.columns.items()]
        return out + (
            ["}, unique={" + ", ".join(f"{k!r}: {v!r}" for k, v in step.unique.items()) + "}),"]
            if step.unique
            else ["}),"]
        )
    if isinstance(step, AddColumn):
        return [f"AddColumn({step.tablename!r}, {step.name!r}, {render_column(step.column)}),"]
    if isinstance(step, AddUnique):
        return [f"AddUnique({step.tablename!r}, {step.name!r}, {step.columns!r}),"]
    assert isinstance(step, Run)
    raise SchemaChangeError("a Run step is written by hand")


def new_migration(app: App, tables: list[type[Table]], what: str) -> Path | None:
    """Write ``app``'s next migration file for what ``tables`` add; None when nothing does."""
    steps = changes(app, tables)
    if not steps:
        return None
    slug = re.sub(r"[^a-z0-9]+", "_", what.lower()).strip("_") or "change"
    directory = Path(importlib.import_module(app.package).__path__[0])
    number = max((int(m.name[1:5]) for m in app.migrations), default=0) + 1
    path = directory / f"m{number:04d}_{slug}.py"
    path.write_text(render_migration(steps, what[:1].upper() + what[1:] + "."))
    return path
