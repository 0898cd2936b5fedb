"""Detectors for survivor data where it must never be: on the bus, or in plaintext at rest.

events carry opaque references only; personal details move only in
replies to authorised requests, which go to the requester's ``_INBOX`` and are never stored.
:class:`BusSniffer` subscribes to every subject of a real nats-server during a test and
records each message that carries a personal-looking field, a personal-looking value (UK
phone, e-mail, postcode, NI number) or free text, or one of the test's invented values
("canaries"), anywhere outside ``_INBOX``. :func:`assert_no_plaintext` scans a service's
database files byte by byte (SQLite, including its WAL) or every text column
(PostgreSQL) for invented personal values.

Use the ``bus_sniffer`` fixture (import it into a test module) or :func:`sniff` directly::

    from haven_runtime.privacy import bus_sniffer  # noqa: F401  (pytest fixture)

    async def test_flow(start_service, bus_sniffer):
        bus_sniffer.canaries |= {"Alice Invented"}
        ...                       # the sniffer asserts on teardown
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

PERSONAL_KEYS = frozenset(
    {
        "name",
        "names",
        "full_name",
        "first_name",
        "forename",
        "last_name",
        "surname",
        "given_name",
        "family_name",
        "alias",
        "address",
        "addresses",
        "address_line",
        "address_line1",
        "address_line2",
        "street",
        "postcode",
        "post_code",
        "phone",
        "phone_number",
        "telephone",
        "mobile",
        "email",
        "email_address",
        "dob",
        "date_of_birth",
        "birth_date",
        "birthdate",
        "age",
        "notes",
        "note",
        "free_text",
        "comments",
        "comment",
        "narrative",
        "details",
        "description",
        "safe_contact",
        "safe_contact_method",
        "contact_method",
        "ni_number",
        "nhs_number",
        "person",
        "survivor",
        "perpetrator_name",
    }
)
"""Field names that denote survivor data; the contracts never use them in an event."""

TEXT_KEYS_ALLOWED = frozenset({"purpose"})
"""Request fields allowed to hold a short sentence (why a question is asked), audited by the owner."""

# "$JSC." carries JetStream's own source and mirror traffic (stream configs, copies of events
# already sniffed on their own subjects).
EXEMPT_PREFIXES = ("_INBOX.", "$JS.", "$JSC.", "$SYS.", "$KV.", "$O.")

STRUCTURAL_HEADERS = frozenset(
    {
        "traceparent",
        "tracestate",
        "nats-msg-id",
        "ce-id",
        "ce-time",
        "ce-specversion",
        "correlation_id",
        "reply_to",
        "content-type",
    }
)
"""Headers that are ids, timestamps or trace context by construction: long hex and digit runs
there are not phone numbers."""
"""Replies to authorised requests, and the server's own API traffic."""

_PATTERNS = {
    "uk_phone": re.compile(
        r"(?<!\d)(?:\+44\s?7\d{3}|07\d{3})\s?\d{3}\s?\d{3}(?!\d)|(?<!\d)0[12]\d{2,3}\s?\d{3}\s?\d{3,4}(?!\d)"
    ),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    "uk_postcode": re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s+[0-9][A-Z]{2}\b"),
    "ni_number": re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"),
}
FREE_TEXT_WORDS = 6


@dataclass(frozen=True)
class Finding:
    subject: str
    where: str  # JSON path or "header:<name>" or "raw"
    rule: str

    def __str__(self) -> str:
        return f"{self.subject} {self.where}: {self.rule}"


def scan_value(value: Any, *, canaries: Iterable[str] = (), path: str = "$", key: str = "") -> list[tuple[str, str]]:
    """(path, rule) for every personal-looking key or value inside a decoded payload."""
    out: list[tuple[str, str]] = []
    lowered = {c.lower() for c in canaries if c}
    if isinstance(value, dict):
        for k, v in value.items():
            sub = f"{path}.{k}"
            if str(k).lower() in PERSONAL_KEYS and v not in (None, "", [], {}):
                out.append((sub, f"personal field {k!r}"))
            out += scan_value(v, canaries=lowered, path=sub, key=str(k).lower())
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += scan_value(v, canaries=lowered, path=f"{path}[{i}]", key=key)
    elif isinstance(value, str):
        out += [(path, rule) for rule in scan_text(value, canaries=lowered)]
        if key not in TEXT_KEYS_ALLOWED and len(value.split()) >= FREE_TEXT_WORDS:
            out.append((path, "free text"))
    return out


def scan_text(text: str, *, canaries: Iterable[str] = ()) -> list[str]:
    rules = [f"looks like {name}" for name, rx in _PATTERNS.items() if rx.search(text)]
    low = text.lower()
    rules += ["invented personal value" for c in canaries if c and c.lower() in low]
    return rules


def scan_message(
    subject: str, data: bytes, headers: dict[str, str] | None = None, *, canaries: Iterable[str] = ()
) -> list[Finding]:
    """Findings for one bus message (none for exempt subjects)."""
    if subject.startswith(EXEMPT_PREFIXES):
        return []
    canaries = list(canaries)
    found: list[Finding] = []
    try:
        body = msgspec.json.decode(data) if data else None
    except msgspec.DecodeError:
        body = None
        text = data.decode("utf-8", "replace")
        found += [Finding(subject, "raw", rule) for rule in scan_text(text, canaries=canaries)]
    if body is not None:
        found += [Finding(subject, where, rule) for where, rule in scan_value(body, canaries=canaries)]
    for name, value in (headers or {}).items():
        if name.lower() in STRUCTURAL_HEADERS:
            continue
        found += [Finding(subject, f"header:{name}", rule) for rule in scan_text(str(value), canaries=canaries)]
    return found


@dataclass
class BusSniffer:
    """Records every message on the server and the findings among them."""

    canaries: set[str] = field(default_factory=set)
    subjects: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    inbox_messages: int = 0

    async def on_message(self, msg) -> None:
        self.subjects.append(msg.subject)
        if msg.subject.startswith("_INBOX."):
            self.inbox_messages += 1
        self.findings += scan_message(msg.subject, msg.data, dict(msg.headers or {}), canaries=self.canaries)

    def assert_clean(self) -> None:
        if self.findings:
            lines = "\n".join(sorted({str(f) for f in self.findings}))
            raise AssertionError(f"personal data on the bus outside _INBOX ({len(self.findings)} findings):\n{lines}")


@asynccontextmanager
async def sniff(url: str, canaries: Iterable[str] = (), **connect: Any) -> AsyncIterator[BusSniffer]:
    """Subscribe to ``>`` on ``url`` for the duration of the block (does not assert)."""
    import nats

    sniffer = BusSniffer(canaries=set(canaries))
    nc = await nats.connect(url, **connect)
    try:
        await nc.subscribe(">", cb=sniffer.on_message)
        await nc.flush()
        yield sniffer
        try:
            await nc.flush(timeout=5)  # deliver what is still in flight before judging
        except Exception:  # noqa: BLE001 - the server may be down at the end of a failure test
            pass
    finally:
        try:
            await asyncio.wait_for(nc.drain(), timeout=5)
        except Exception:  # noqa: BLE001 - a test may have killed or moved the server
            await nc.close()


def _pytest_fixture():
    import pytest

    @pytest.fixture
    async def bus_sniffer(nats_server):
        """Sniffs every subject on the test's nats-server; fails the test on any finding."""
        async with sniff(nats_server.url) as sniffer:
            yield sniffer
        sniffer.assert_clean()

    return bus_sniffer


try:
    bus_sniffer = _pytest_fixture()
except ImportError:  # pragma: no cover - pytest absent in production images
    bus_sniffer = None


# -- at rest ------------------------------------------------------------------------------


def sqlite_files(url_or_path: str | Path) -> list[Path]:
    path = Path(str(url_or_path).removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()]


def plaintext_hits(files: Iterable[Path], values: Iterable[str]) -> list[tuple[str, str]]:
    """(file name, value) for every value found in the raw bytes, as UTF-8, case-insensitively."""
    hits = []
    for f in files:
        raw = f.read_bytes().lower()
        for v in values:
            if v and v.lower().encode() in raw:
                hits.append((f.name, v))
    return hits


async def postgres_hits(dsn: str, values: Iterable[str]) -> list[tuple[str, str]]:
    """(table.column, value) for every text-like column holding one of ``values``."""
    import asyncpg

    values = [v for v in values if v]
    conn = await asyncpg.connect(dsn)
    try:
        cols = await conn.fetch(
            "select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' "
            "and data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea', 'character')"
        )
        hits = []
        for c in cols:
            column = f'"{c["column_name"]}"'
            as_text = f"encode({column}, 'escape')" if c["data_type"] == "bytea" else f"{column}::text"
            q = f'select count(*) from "{c["table_name"]}" where position(lower($1) in lower({as_text})) > 0'
            for v in values:
                if await conn.fetchval(q, v):
                    hits.append((f"{c['table_name']}.{c['column_name']}", v))
        return hits
    finally:
        await conn.close()


async def assert_no_plaintext(database: str | Path, values: Iterable[str]) -> None:
    """Fail if any of ``values`` is stored in plaintext in ``database`` (SQLite path/URL or PostgreSQL DSN)."""
    values = list(values)
    text = str(database)
    if text.startswith(("postgresql://", "postgres://")):
        hits = await postgres_hits(text, values)
    else:
        files = sqlite_files(database)
        if not files:
            raise AssertionError(f"no database file at {database}")
        hits = plaintext_hits(files, values)
    if hits:
        raise AssertionError(
            "personal values stored in plaintext: " + ", ".join(f"{where}: {v!r}" for where, v in hits)
        )
