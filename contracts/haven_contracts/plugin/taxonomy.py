"""The taxonomy of domestic-abuse services: the codes a plugin's ``ServiceRecord.taxonomy`` may
use, and which the directory publishes as HSDS ``taxonomy`` and ``taxonomy_term`` records.

The codes live in the plugin contract, not in the directory, so a plugin's typo fails where it
is made: constructing a :class:`~haven_contracts.plugin.directory.ServiceRecord` with an unknown
code raises, so the plugin's own tests (and its loading) name the service and the code.

The terms cover what the seeds list: refuges and emergency accommodation ("Housing
Options staff contact Refugeline", ``001_2a45bb55c36fcb52.txt``), IDVAs, floating support,
legal advice (Bexley's legal clinic), sanctuary and target hardening (Bobby Van, Dartford's
scheme, ``004_d4b796f614d2cfd3.txt``), substance misuse (Greenwich's specialist worker, Kent
Council on Addiction), 24-hour helplines, forced-marriage, LGBT and male-victim advice
(Appendix B), and perpetrator services (Respect Phone Line). Ids are UUIDs derived from the
codes, so they are stable across restarts and deployments.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

NAMESPACE = uuid.UUID("6f1c3b52-6a43-4c55-9a83-2f1d1a5f0d11")
TAXONOMY_CODE = "haven-da"
TAXONOMY_NAME = "Haven domestic-abuse services"
TAXONOMY_DESCRIPTION = (
    "Kinds of service for people experiencing domestic abuse, as named in the SE London, "
    "Dartford, Cambridgeshire and AG/013 procedures Haven encodes."
)
TAXONOMY_VERSION = "1"


def stable_id(kind: str, key: str) -> str:
    """A UUID (HSDS ids are ``format: uuid``) derived from a record's kind and stable key."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    parent: str | None = None

    @property
    def id(self) -> str:
        return stable_id("taxonomy_term", self.code)


TERMS: tuple[Term, ...] = (
    Term("accommodation", "Accommodation", "Somewhere safe to stay or to remain safely at home."),
    Term(
        "refuge",
        "Refuge",
        "Safe, confidential accommodation for people fleeing domestic abuse; its address is never published.",
        "accommodation",
    ),
    Term(
        "emergency-accommodation",
        "Emergency accommodation",
        "Emergency or temporary accommodation, including out of hours.",
        "accommodation",
    ),
    Term(
        "sanctuary",
        "Sanctuary scheme",
        "Additional security so a survivor can stay safely in their own home.",
        "accommodation",
    ),
    Term(
        "target-hardening",
        "Security measures",
        "Locks, doors, alarms and other physical security (e.g. Bobby Van).",
        "sanctuary",
    ),
    Term(
        "housing-options",
        "Housing options",
        "Housing advice and homelessness assistance from a council.",
        "accommodation",
    ),
    Term(
        "rent-deposit",
        "Rent deposit and private renting",
        "Rent deposit, bond, incentive and finders-fee schemes.",
        "housing-options",
    ),
    Term(
        "reciprocal",
        "Housing reciprocal",
        "Moves between social landlords and areas under a reciprocal agreement.",
        "housing-options",
    ),
    Term("support", "Support", "Support for survivors through and after leaving."),
    Term(
        "idva",
        "IDVA",
        "Independent domestic violence advocacy for people at high risk, including MARAC representation.",
        "support",
    ),
    Term("floating-support", "Floating support", "Support delivered in the survivor's own or new home.", "support"),
    Term("outreach", "Outreach", "Community-based specialist domestic-abuse support.", "support"),
    Term("counselling", "Counselling", "Counselling and emotional support.", "support"),
    Term("victim-support", "Victim support", "Support and practical advice for anyone affected by crime.", "support"),
    Term("advice", "Advice", "Information, advice and signposting."),
    Term(
        "legal-advice",
        "Legal advice",
        "Legal remedies: injunctions, family law, housing and mortgage advice.",
        "advice",
    ),
    Term("helpline", "Helpline", "Telephone helplines, including 24-hour lines.", "advice"),
    Term("general-advice", "General advice", "Citizens Advice and other general advice services.", "advice"),
    Term("forced-marriage", "Forced marriage", "Advice on forced marriage.", "advice"),
    Term("specialist", "Specialist services", "Services for particular needs."),
    Term(
        "substance-misuse",
        "Substance misuse",
        "Drug and alcohol services, including specialist DV substance-misuse workers.",
        "specialist",
    ),
    Term("lgbt", "LGBT survivors", "Support for lesbian, gay, bisexual and transgender survivors.", "specialist"),
    Term("male-victims", "Male victims", "Information and advice for male victims.", "specialist"),
    Term("older-people", "Older or disabled people", "Advice for older or disabled people.", "specialist"),
    Term(
        "culturally-specific",
        "Culturally specific",
        "Services in community languages or for particular communities.",
        "specialist",
    ),
    Term(
        "perpetrator", "Perpetrator services", "Advice for people who are abusive towards their partners.", "specialist"
    ),
    Term("health", "Health", "Hospitals and minor injuries units.", "specialist"),
    Term("police", "Police", "Police domestic-violence units and community safety.", "specialist"),
)
BY_CODE: dict[str, Term] = {t.code: t for t in TERMS}
TAXONOMY_ID = stable_id("taxonomy", TAXONOMY_CODE)


def unknown_codes(codes: list[str] | tuple[str, ...]) -> list[str]:
    """The codes in ``codes`` that are not terms of the taxonomy, in order."""
    return [c for c in codes if c not in BY_CODE]


def unknown_codes_message(what: str, codes: list[str] | tuple[str, ...]) -> str | None:
    """A message naming ``what`` and its unknown codes, or ``None`` when every code is known."""
    bad = unknown_codes(codes)
    if not bad:
        return None
    return (
        f"{what} has unknown taxonomy code(s) {bad}; known codes are those of "
        f"haven_contracts.plugin.taxonomy.TERMS: {', '.join(sorted(BY_CODE))}"
    )
