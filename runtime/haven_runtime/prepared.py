"""Hot-path queries: built by Piccolo once per kind of database, then run with new values.

Building a Piccolo query — the query objects, their delegates, the column list, nesting
and compiling the ``QueryString`` — cost more CPU than anything else in an audited case
read (≈ 30 % of the request, more than SQLite itself). A :class:`Prepared` query is built
once with a placeholder for each value, compiled for the engine's kind (SQLite or
PostgreSQL) and cached; later runs swap the values into the compiled arguments and hand
the SQL to the engine's own ``run_querystring``, so transactions, the reader/writer
split and pools behave exactly as for any Piccolo query. The SQL is still Piccolo's:
a column added to a table is in the next prepared query without touching it here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, cast

from piccolo.query.base import Query
from piccolo.querystring import QueryString
from piccolo.table import Table

#: What stands for the ``i``-th value while the query is built (never a real value: NUL).
_PLACEHOLDER = "\x00haven-parameter-{}\x00"


class _Compiled:
    """Everything an engine's ``run_querystring`` asks of a ``QueryString``, already compiled."""

    __slots__ = ("sql", "args", "query_type", "table")

    def __init__(self, sql: str, args: list[Any], query_type: str, table: type[Table] | None) -> None:
        self.sql, self.args, self.query_type, self.table = sql, args, query_type, table

    def compile_string(self, engine_type: str = "postgres") -> tuple[str, list[Any]]:
        return self.sql, self.args

    def __str__(self) -> str:
        return self.sql


RowT = TypeVar("RowT", bound=Table)


class Prepared(Generic[RowT]):
    """``build(*values)`` → a Piccolo query, compiled once per engine kind.

    ``params`` is how many values ``build`` takes; each must reach the SQL as one bound
    argument (a ``where`` comparison, an inserted column), which is checked when the
    query is first compiled. ``Prepared[Case](...)`` says which table's objects it gives."""

    def __init__(self, build: Callable[..., Query], params: int = 1) -> None:
        self._build = build
        self._params = params
        self._table: type[Table] = build(*self._placeholders()).table
        self._compiled: dict[str, tuple[str, list[Any], list[int | None], str]] = {}

    def _placeholders(self) -> list[str]:
        return [_PLACEHOLDER.format(i) for i in range(self._params)]

    def _compile(self, engine_type: str) -> tuple[str, list[Any], list[int | None], str]:
        placeholders = self._placeholders()
        query = self._build(*placeholders)
        querystrings = query.querystrings
        if len(querystrings) != 1:
            raise ValueError(f"a prepared query must be one statement, not {len(querystrings)}")
        sql, args = querystrings[0].compile_string(engine_type=engine_type)
        positions = {p: i for i, p in enumerate(placeholders)}
        slots = [positions.get(a) if isinstance(a, str) else None for a in args]
        if sorted(s for s in slots if s is not None) != list(range(self._params)):
            raise ValueError("each value of a prepared query must be bound exactly once")
        compiled = self._compiled[engine_type] = (sql, list(args), slots, querystrings[0].query_type)
        return compiled

    async def run(self, *values: Any) -> list[dict[str, Any]]:
        """The rows as dictionaries (for a ``select``), on the table's engine."""
        engine = self._table._meta.db
        sql, constants, slots, query_type = self._compiled.get(engine.engine_type) or self._compile(engine.engine_type)
        args = [constants[i] if s is None else values[s] for i, s in enumerate(slots)]
        # the engine only asks a query string for its compiled SQL and its query type
        results = await engine.run_querystring(cast(QueryString, _Compiled(sql, args, query_type, self._table)))
        return engine.transform_response_to_dicts(results) if results else []

    async def objects(self, *values: Any) -> list[RowT]:
        """The rows as table objects, as Piccolo's ``objects()`` makes them."""
        return [cast(RowT, self._table(**row, _exists_in_db=True)) for row in await self.run(*values)]

    async def first(self, *values: Any) -> RowT | None:
        found = await self.objects(*values)
        return found[0] if found else None


class PreparedInsert:
    """Inserts of whole rows of ``table`` (every column but the primary key), one statement
    per batch, compiled once per engine kind and batch size."""

    def __init__(self, table: type[Table], max_rows: int = 64) -> None:
        self.table = table
        self.columns = [c._meta.name for c in table._meta.columns if c is not table._meta.primary_key]
        self.max_rows = max_rows
        self._by_size: dict[int, Prepared] = {}

    def _prepared(self, n: int) -> Prepared:
        prepared = self._by_size.get(n)
        if prepared is None:
            width = len(self.columns)

            def build(*values: Any) -> Query:
                rows = [self.table(**dict(zip(self.columns, values[i * width : (i + 1) * width]))) for i in range(n)]
                return self.table.insert(*rows)

            prepared = self._by_size[n] = Prepared(build, params=n * width)
        return prepared

    async def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert ``rows`` (column name → value; a column left out gets its default), in
        statements of at most ``max_rows``."""
        defaults = {c._meta.name: c.get_default_value() for c in self.table._meta.columns}
        for start in range(0, len(rows), self.max_rows):
            chunk = rows[start : start + self.max_rows]
            values = [row[c] if c in row else defaults[c] for row in chunk for c in self.columns]
            await self._prepared(len(chunk)).run(*values)
