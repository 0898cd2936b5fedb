"""Directory hooks: plugins provide who's who and what services exist for their organisations.

Sources: ``000_93a7cd5d2a8b6030.txt`` (named DV leads and team managers),
``001_2a45bb55c36fcb52.txt`` (agencies and forums), ``004_d4b796f614d2cfd3.txt`` Appendix B,
``003_8738e4ccc4c4272a.txt`` principle 9 (an up-to-date list of local agencies),
``002_c1c7b199d9a53274.txt`` (the reciprocal's named leads).

Every record is keyed by a stable ``key`` so the directory loads plugin data idempotently
at start-up and on upgrade; officers' corrections made through the directory API win over
later plugin values for the fields they corrected.

Tiers: organisations, their public phones, e-mails and websites, and services not marked
``confidential`` are published in the anonymous Open Referral (HSDS) tier. Officers and
their direct contacts, named leads, locations marked ``confidential`` (refuge addresses)
and services marked ``confidential`` are served only to authenticated officers of partner
organisations, and every such read is audited.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Literal

import msgspec

from haven_contracts.events.directory import Position
from haven_contracts.ids import OrgId
from haven_contracts.plugin import hookspec
from haven_contracts.plugin.records import Organisation, OrganisationKind
from haven_contracts.plugin.taxonomy import unknown_codes_message


class OfficerRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A named officer and the positions they hold at ``org``.

    ``key`` is stable across plugin upgrades so the directory loads idempotently.
    Seed officers are invented: the seeds name positions, not people (``invented=True``).
    ``sex`` matters where routing asks for it (Bromley: "Any DV cases are always offered a
    female officer", ``001_2a45bb55c36fcb52.txt``).
    """

    key: str
    org: OrgId
    name: str
    positions: tuple[Position, ...]
    email: str | None = None
    phone: str | None = None
    sex: str | None = None
    dv_specialism: bool = False
    start: date | None = None
    end: date | None = None
    confidential: bool = True
    source: str = ""
    job_title: str | None = None
    team: str | None = None
    invented: bool = True


class Phone(msgspec.Struct, frozen=True, kw_only=True):
    """A public telephone number of an organisation or service (e.g. "Emergency out of hours")."""

    number: str
    description: str | None = None


#: Two-letter RFC 5545 day codes, Monday first (HSDS ``schedule.byday``).
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
Freq = Literal["WEEKLY", "MONTHLY"]
_BYDAY_PART = re.compile(r"^(?P<ordinal>[+-]?[1-5])?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")


class Session(msgspec.Struct, frozen=True, kw_only=True):
    """One recurring opening: a typed HSDS ``schedule`` (an RFC 5545 rule), so an integrator
    reads days and times rather than parsing "8:45am to 5:15pm Monday to Thursday".

    * ``freq`` — ``WEEKLY`` or ``MONTHLY``, the two HSDS allows; ``interval`` with it expresses
      "every six weeks" (``WEEKLY``, 6) or "quarterly" (``MONTHLY``, 3).
    * ``byday`` — comma-separated two-letter days (``"MO,TU,WE,TH"``); with ``MONTHLY`` a day may
      carry its occurrence (``"2MO"``, ``"-1FR"``). Omitted where the source names no day
      (Bromley's One-Stop Shop is "open two mornings a week").
    * ``opens_at`` / ``closes_at`` — local times in Europe/London, both or neither, opening
      before closing; omitted where the source gives none (Bexley's legal clinic is on
      "Wednesday afternoons"). A 24-hour service opens at 00:00 and closes at 23:59.
    * ``source`` — ``"<seed file>: <words quoted from it>"``, so every hour is traceable; the
      plugins' tests check each quote against the seed.

    Invalid values raise ``ValueError`` when the record is built, so a plugin with a wrong
    schedule fails at start-up, not in an integrator's calendar.
    """

    freq: Freq = "WEEKLY"
    byday: str | None = None
    interval: int | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    description: str | None = None
    notes: str | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.freq not in ("WEEKLY", "MONTHLY"):
            raise ValueError(f"schedule freq {self.freq!r}: HSDS allows WEEKLY or MONTHLY")
        if self.interval is not None and self.interval < 1:
            raise ValueError(f"schedule interval {self.interval!r}: must be 1 or more")
        if self.byday is not None:
            for part in self.byday.split(","):
                match = _BYDAY_PART.match(part)
                if match is None:
                    raise ValueError(f"schedule byday {self.byday!r}: {part!r} is not one of {', '.join(DAYS)}")
                if match["ordinal"] and self.freq != "MONTHLY":
                    raise ValueError(f"schedule byday {self.byday!r}: an occurrence ({part}) needs freq MONTHLY")
        if (self.opens_at is None) != (self.closes_at is None):
            raise ValueError("schedule opens_at and closes_at go together")
        if self.opens_at is not None and self.closes_at is not None and not self.opens_at < self.closes_at:
            raise ValueError(f"schedule opens at {self.opens_at} but closes at {self.closes_at}")


#: The HSDS name for the same record.
Schedule = Session


class AgencyRecord(msgspec.Struct, frozen=True, kw_only=True):
    """An organisation the directory lists: a partner's own entry, or an agency it signposts to.

    ``id`` is an organisation slug; several plugins may list the same agency (the first
    loaded entry is kept and later identical ones are ignored).
    """

    id: OrgId
    name: str
    kind: OrganisationKind
    description: str = ""
    email: str | None = None
    url: str | None = None
    phones: tuple[Phone, ...] = ()
    area: str | None = None
    source: str = ""


class LocationRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A place a service is delivered. ``confidential`` locations (every refuge) never reach
    the public tier; their address lines are encrypted at rest."""

    key: str
    org: OrgId
    name: str
    address_1: str | None = None
    city: str | None = None
    postal_code: str | None = None
    confidential: bool = True
    source: str = ""


class ServiceRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A service an organisation provides, published as an HSDS ``service``.

    ``taxonomy`` lists codes of the directory's domestic-abuse taxonomy (``refuge``,
    ``idva``, ``floating-support``, ``legal-advice``, ``sanctuary``, ``substance-misuse``,
    ``helpline``…). ``application_process`` says how to refer; ``eligibility`` who may use
    it. A ``confidential`` service is listed only in the officers' tier.

    The codes are checked when the record is made (:mod:`haven_contracts.plugin.taxonomy`): a
    plugin with a typo fails its own tests and its loading, naming the service and the code,
    rather than the directory finding it at start-up.
    """

    key: str
    org: OrgId
    name: str
    description: str = ""
    taxonomy: tuple[str, ...] = ()
    eligibility: str | None = None
    application_process: str | None = None
    fees: str | None = None
    email: str | None = None
    url: str | None = None
    phones: tuple[Phone, ...] = ()
    schedules: tuple[Session, ...] = ()
    location_keys: tuple[str, ...] = ()
    area: str | None = None
    confidential: bool = False
    status: str = "active"
    source: str = ""

    def __post_init__(self) -> None:
        problem = unknown_codes_message(f"service {self.key!r}", self.taxonomy)
        if problem:
            raise ValueError(problem)


class ForumRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A forum or panel (MARAC, DV forum, steering group) and how often it meets.

    ``cadence`` is the seed's words ("every six weeks", "quarterly"); ``schedule`` the rule
    when it can be expressed as one.
    """

    key: str
    org: OrgId
    name: str
    kind: str = "forum"
    purpose: str = ""
    cadence: str | None = None
    schedule: Session | None = None
    members: tuple[str, ...] = ()
    status: str = "active"
    source: str = ""


JWA_SEED = "000_93a7cd5d2a8b6030.txt"
JWA_BOROUGHS = ("bexley", "bromley", "greenwich", "lewisham", "southwark")


def jwa_dv_subgroup(org: OrgId) -> ForumRecord:
    """The Joint Working Agreement's DV sub-group as borough ``org`` lists it (key
    ``<org>-jwa-dv-subgroup``): "A DV sub-group will meet quarterly" (``000_93a7cd5d2a8b6030.txt``,
    Monitoring), with the five boroughs as members. One shared definition, so the five
    boroughs' plugins list the same forum with the same quarterly schedule; disputes are tabled
    at its meetings before they go to the homelessness sub-group."""
    return ForumRecord(
        key=f"{org}-jwa-dv-subgroup",
        org=org,
        name="SE London DV sub-group (Joint Working Agreement)",
        kind="sub_group",
        purpose="Share good practice under the joint working agreement, monitor its effectiveness, and hear disputes "
        "between boroughs before they go to the homelessness sub-group.",
        cadence="quarterly",
        schedule=Session(freq="MONTHLY", interval=3, source=f"{JWA_SEED}: A DV sub-group will meet quarterly"),
        members=JWA_BOROUGHS,
        source=JWA_SEED,
    )


class DirectoryData(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a plugin contributes to the directory for one organisation."""

    organisations: tuple[Organisation, ...] = ()
    officers: tuple[OfficerRecord, ...] = ()
    agencies: tuple[AgencyRecord, ...] = ()
    services: tuple[ServiceRecord, ...] = ()
    locations: tuple[LocationRecord, ...] = ()
    forums: tuple[ForumRecord, ...] = ()


@hookspec
def haven_directory_data(org: str) -> DirectoryData:
    """Directory content for organisation ``org``: its officers, and the agencies it lists.

    Called by the directory service at start-up for every organisation served; results of
    all plugins serving ``org`` are merged and loaded idempotently by ``key``. Officers are
    confidential-tier; agencies, public services and their public contacts are published.

    Example::

        @hookimpl
        def haven_directory_data(org):
            return DirectoryData(
                officers=(
                    OfficerRecord(key="bexley-dv-lead", org="bexley", name="Alex Example",
                                  positions=("dv_lead",), email="dv.lead@bexley.example"),
                ),
                agencies=(
                    AgencyRecord(id="bexley", name="London Borough of Bexley", kind="local_authority"),
                ),
                services=(
                    ServiceRecord(key="bexley-legal-clinic", org="bexley", name="Legal clinic",
                                  taxonomy=("legal-advice",),
                                  schedules=(Session(byday="WE", description="Wednesday afternoons"),)),
                ),
            )
    """
