"""Plain words for the values officers see, and the check that no raw code reaches a page.

Templates print every coded value through the ``plain`` filter (also a global), registered once
by :func:`haven_runtime.web.template_config`: contracts enum values (``council_secure`` →
"Council secure tenancy"), role ids (``dv_lead`` → "DV lead"), option kinds, booleans (``True``
→ "Yes"), ``None`` and the basis of a share (``consent:CONS-…`` → "Consent recorded (CONS-…)").

:func:`raw_values` is what page tests and :func:`haven_runtime.testing.browser.check_page` use
to fail a page whose visible text shows a contracts enum value or a role id as it is coded.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import re
import typing
from functools import cache
from html.parser import HTMLParser
from typing import Any, Literal

import msgspec

#: Words written differently from their code (abbreviations, and codes whose plain form is not
#: just the code with spaces). Anything else coded is the code with spaces, first letter capital.
WORDS: dict[str, str] = {
    # roles (haven_runtime.identity.ROLES)
    "options_officer": "Housing options officer",
    "dv_lead": "DV lead",
    "team_manager": "Team manager",
    "sanctuary_officer": "Sanctuary project officer",
    "police_cpo": "Police crime prevention officer",
    "reciprocal_coordinator": "Reciprocal coordinator",
    "named_lead": "Named lead",
    "subgroup_member": "DV sub-group member",
    "integrator": "Integrator",
    "auditor": "Auditor",
    "admin": "Administrator",
    "operator": "Operator",
    # tenure (options and sanctuary)
    "council_secure": "Council secure tenancy",
    "housing_association": "Housing association",
    "private_rented": "Private rented",
    "owner_occupier": "Owner occupier",
    "temporary_accommodation": "Temporary accommodation",
    "living_with_family_or_friends": "Living with family or friends",
    "no_fixed_abode": "No fixed abode",
    "council_tenant": "Council tenant",
    "housing_association_tenant": "Housing association tenant",
    "private_sector_tenant": "Private sector tenant",
    "unknown": "Not known",
    "not_known": "Not known",
    # how the client approached
    "reception": "Walked in (reception)",
    "out_of_hours": "Out of hours",
    "landlord_report": "Reported by landlord",
    # interviewers
    "dv_specialist": "Housing options officer with a DV specialism",
    "any_officer_with_specialist_folder": "Any officer, using the DV specialists' folder",
    "triage_then_options": "Triage interview, then a housing options appointment",
    "asb_unit_officer": "Anti-social behaviour unit officer",
    "housing_aid_centre": "Housing Aid Centre",
    "housing_options": "Housing options officer",
    # option kinds
    "sanctuary_scheme": "Sanctuary scheme",
    "reciprocal": "Reciprocal move",
    "legal_remedies": "Legal remedies",
    # organisations, positions
    "specialist_da_service": "Specialist domestic abuse service",
    "local_authority": "Local authority",
    "registered_provider": "Registered provider",
    "idva": "IDVA",
    "dv_officer": "DV officer",
    "dv_coordinator": "DV coordinator",
    "marac_coordinator": "MARAC coordinator",
    "reciprocal_named_lead": "Reciprocal named lead",
    "homelessness_subgroup_member": "Homelessness sub-group member",
    # sanctuary
    "not_met": "Not met",
    "not_applicable": "Not applicable",
    "preventing_homelessness_grant": "Homelessness Prevention Grant",
    "unsafe_to_stay": "Unsafe to stay",
    "out_of_hours_unsafe": "Out of hours and unsafe",
    # consent purposes
    "contact_agency": "Contact an agency",
    "share_with_borough": "Share with another borough",
    "refer_to_marac": "Refer to MARAC",
    # panels
    "marac": "MARAC",
    "mappa": "MAPPA",
    # clocks
    "working_days": "Working days",
    "working_hours": "Working hours",
    "same_working_day": "Same working day",
    "next_working_day_end": "End of the next working day",
    # frequencies (directory schedules)
    "WEEKLY": "Weekly",
    "MONTHLY": "Monthly",
}

#: Abbreviations kept in capitals when a code is turned into words.
ABBREVIATIONS = {
    "dv": "DV",
    "da": "DA",
    "ta": "TA",
    "jwa": "JWA",
    "marac": "MARAC",
    "mappa": "MAPPA",
    "idva": "IDVA",
    "asb": "ASB",
    "arc": "ARC",
    "cpo": "CPO",
    "hsds": "HSDS",
    "csv": "CSV",
    "dash": "DASH",
}
BASIS = {"consent": "Consent recorded", "override": "Safeguarding override"}
CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
WORD = re.compile(r"^[a-z]+$")
BASIS_CODE = re.compile(r"^(consent|override):(\S+)$")


def humanise(code: str) -> str:
    words = [ABBREVIATIONS.get(w, w) for w in code.split("_")]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def plain(value: Any, none: str = "Not recorded") -> str:
    """``value`` in words an officer reads: the Jinja filter and global ``plain``.

    Booleans are Yes / No, ``None`` is ``none``, a coded value is its plain words; free text and
    references are returned as they are.
    """
    if value is None or value == "":
        return none
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(plain(v, none) for v in value) if value else none
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str):
        return str(value)
    if value in WORDS:
        return WORDS[value]
    basis = BASIS_CODE.match(value)
    if basis:
        return f"{BASIS[basis.group(1)]} ({basis.group(2)})"
    if CODE.match(value):
        return humanise(value)
    if value in codes() or WORD.match(value):
        return value[:1].upper() + value[1:].lower()  # a one-word code or status: "open" → "Open"
    return value


LONDON = "Europe/London"


def when(value: Any, none: str = "") -> str:
    """A moment as officers read it, in UK time: ``1 Dec 2026, 10:00`` (a date alone: ``1 Dec 2026``).

    Takes a ``datetime``, a ``date`` or an ISO string (what the JSON API returns); anything else as it is.
    """
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    if value is None or value == "":
        return none
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        local = value.astimezone(ZoneInfo(LONDON)) if value.tzinfo else value
        return f"{local.day} {local:%b %Y}, {local:%H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


# --- the check ---------------------------------------------------------------------------------


def _literals(annotation: Any, found: set[str], seen: set[int]) -> None:
    if id(annotation) in seen:
        return
    seen.add(id(annotation))
    if typing.get_origin(annotation) is Literal:
        found.update(a for a in typing.get_args(annotation) if isinstance(a, str))
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.update(str(m.value) for m in annotation)
        return
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        try:
            hints = typing.get_type_hints(annotation, include_extras=True)
        except Exception:  # a forward reference the module cannot resolve: its fields are reached elsewhere
            hints = getattr(annotation, "__annotations__", {})
        for hint in hints.values():
            _literals(hint, found, seen)
        return
    for arg in typing.get_args(annotation):
        _literals(arg, found, seen)


@cache
def contract_values() -> frozenset[str]:
    """Every value of a ``Literal`` or ``Enum`` in ``haven_contracts``: module aliases and struct fields."""
    import haven_contracts

    found: set[str] = set()
    seen: set[int] = set()
    for info in pkgutil.walk_packages(haven_contracts.__path__, "haven_contracts."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            _literals(obj, found, seen)
    return frozenset(found)


@cache
def codes() -> frozenset[str]:
    """Contracts enum values and role ids: what a page must never show as they are coded."""
    from haven_runtime.identity import ROLES

    return contract_values() | ROLES


class _Text(HTMLParser):
    """The text of a page (title, body, options; no attribute values, scripts or styles), one string per text node."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def text_nodes(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.nodes


RAW_LITERALS = ("True", "False", "None")
RAW_BASIS = re.compile(r"\b(?:consent|override):[A-Z]")


def raw_values(html: str) -> list[str]:
    """Coded values visible on a page: a contracts enum value or role id written as coded.

    A code with an underscore (``council_secure``, ``dv_lead``) anywhere in the text; a one-word
    code (``admin``, ``met``) as the whole of a text node, where ``plain`` would have written it
    as a word; Python's ``True``/``False``/``None`` as a whole text node; a share's basis
    (``consent:CONS-…``). Returns ``"<code> in '<text>'"`` for each, empty when the page is clean.
    """
    all_codes = codes()
    compound = sorted((c for c in all_codes if "_" in c), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, compound)) + r")(?![\w-])")
    found: list[str] = []
    for node in text_nodes(html):
        hits = set(pattern.findall(node))
        if node in all_codes or node in RAW_LITERALS:
            hits.add(node)
        if RAW_BASIS.search(node):
            hits.add(RAW_BASIS.search(node).group(0))
        found.extend(f"{hit!r} in {node[:80]!r}" for hit in sorted(hits))
    return found


def check_pages(client):
    """Make an httpx client fail any HTML page it receives whose text shows a coded value (:func:`raw_values`)."""

    async def check(response) -> None:
        if response.headers.get("content-type", "").startswith("text/html"):
            await response.aread()
            shown = raw_values(response.text)
            assert not shown, f"{response.request.method} {response.request.url.path} shows coded values: {shown}"

    client.event_hooks["response"] = [*client.event_hooks["response"], check]
    return client


@cache
def _codes_in_text() -> re.Pattern[str]:
    compound = sorted((c for c in codes() if "_" in c), key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(" + "|".join(map(re.escape, compound)) + r"|(?:consent|override):\S+?)(?=[\s,.;)]|$)"
    )


def plain_text(message: str) -> str:
    """A message from an API (``requires one of the roles: dv_lead, team_manager``) with its codes in words."""
    return _codes_in_text().sub(lambda m: plain(m.group(1)), message)
