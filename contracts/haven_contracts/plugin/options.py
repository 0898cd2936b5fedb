"""Options hooks: what an organisation's plugin adds to the options service.

Sources: ``001_2a45bb55c36fcb52.txt`` (each borough's interview routing, options, referral
routes and forums), ``003_8738e4ccc4c4272a.txt`` (AG/013 operational principles of Dales
Housing / Seven Locks Housing), ``000_93a7cd5d2a8b6030.txt`` (Joint Working Agreement),
SafeLives DASH (``DASH.md``) for the MARAC criteria.

Every hook receives ``org`` (the organisation whose case it is) and is called only on the
plugins serving ``org``. Hooks that depend on the case receive ``case``: a frozen
:class:`CaseFacts` holding facts about the approach and household only — never a name,
address, phone, date of birth or free text about the abuse — so plugins never see
personal data.

Core defaults (used when no plugin decides) are documented on each hook and implemented
by the options service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from haven_contracts.clocks import ServiceLevel
from haven_contracts.events.directory import Position
from haven_contracts.ids import OfficerId, OrgId
from haven_contracts.plugin import hookspec

# -- case facts --------------------------------------------------------------------------

Tenure = Literal[
    "council_secure",
    "housing_association",
    "private_rented",
    "owner_occupier",
    "temporary_accommodation",
    "living_with_family_or_friends",
    "no_fixed_abode",
    "other",
    "unknown",
]
"""The client's tenure at the address they are approaching from."""

ApproachChannel = Literal[
    "reception",
    "police_referral",
    "agency_referral",
    "out_of_hours",
    "telephone",
    "landlord_report",
    "other",
]
"""How the client approached (``reception`` = walked in; referrals from police / agencies)."""


class CaseFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What a plugin may know about a case: approach, tenure, household flags. No personal fields.

    ``perpetrator_at_property`` is ``None`` when not known. ``may_be_homeless`` means the
    officer has reason to believe the client may be homeless or threatened with
    homelessness. ``unable_to_return_home`` means the client cannot go back tonight.
    ``marac_recommended`` is set once a DASH assessment recommends a MARAC referral.
    """

    org: OrgId
    case_ref: str
    channel: ApproachChannel
    tenure: Tenure = "unknown"
    opened_at: datetime | None = None
    out_of_hours: bool = False
    adults: int = 1
    children: int = 0
    pregnant: bool = False
    perpetrator_at_property: bool | None = None
    may_be_homeless: bool = False
    unable_to_return_home: bool = False
    rent_arrears: bool = False
    substance_misuse: bool = False
    mortgaged: bool = False
    landlord_org: OrgId | None = None
    marac_recommended: bool = False
    duty_accepted: bool = False


# -- interview -----------------------------------------------------------------------------

InterviewerKind = Literal[
    "dv_specialist",
    "any_officer_with_specialist_folder",
    "triage_then_options",
    "asb_unit_officer",
    "housing_aid_centre",
    "housing_options",
]
"""Who conducts the interview (``001_2a45bb55c36fcb52.txt``):

* ``dv_specialist`` — a housing options officer with a DV specialism (Bexley);
* ``any_officer_with_specialist_folder`` — any staff member consulting the DV specialists' folder;
* ``triage_then_options`` — a triage interview first, then a housing options appointment (Lewisham);
* ``asb_unit_officer`` — an officer from the anti-social behaviour unit (Southwark);
* ``housing_aid_centre`` — private tenants and owner occupiers (Greenwich);
* ``housing_options`` — the housing options team (Greenwich secure tenants; core default).
"""


class InterviewRouting(msgspec.Struct, frozen=True, kw_only=True):
    """Who interviews the client for this case and how.

    ``fallback`` / ``fallback_interviewer`` say what happens when the first choice is not
    available. ``same_sex_offered`` / ``same_culture_offered``: an interviewer of the same
    sex / cultural background is offered (Bromley always offers a female officer; AG/013
    principle 2 "where possible"). ``seen_as_emergency``: seen without an appointment.
    ``team`` names the team or unit in words; ``source`` quotes the seed.

    ``on_duty_position``: the directory position whose current holders are the first choice
    (who is on duty, not a fixed label); when nobody holds it the service routes to
    ``fallback_interviewer`` and sets ``fallback_applied``; ``on_duty`` is filled by the service
    with the directory ids on duty when the case was routed. ``emergency_level``: the
    interview clock of the emergency route (``seen_as_emergency``), in place of the
    organisation's ``haven_interview_service_level``.
    """

    interviewer: InterviewerKind
    team: str = ""
    fallback: str = ""
    fallback_interviewer: InterviewerKind | None = None
    same_sex_offered: bool = False
    same_culture_offered: bool = False
    seen_as_emergency: bool = False
    risk_assessment_at_interview: bool = True
    source: str = ""
    on_duty_position: Position | None = None
    emergency_level: ServiceLevel | None = None
    on_duty: tuple[OfficerId, ...] = ()
    fallback_applied: bool = False


# -- options ---------------------------------------------------------------------------------

OptionKind = Literal[
    "refuge",
    "temporary_accommodation",
    "sanctuary_scheme",
    "private_rented",
    "transfer",
    "reciprocal",
    "floating_support",
    "legal_remedies",
    "signposting",
    "landlord_negotiation",
    "other",
]
"""The core kinds of housing option (``000_93a7cd5d2a8b6030.txt``: "a range of options")."""

CORE_OPTION_IDS: tuple[str, ...] = (
    "refuge",
    "temporary_accommodation",
    "sanctuary_scheme",
    "private_rented",
    "transfer",
    "reciprocal",
    "floating_support",
    "legal_remedies",
    "signposting",
    "landlord_negotiation",
)
"""Ids of the core options the service always lists; a plugin option whose ``replaces`` names
one of them takes its place for that organisation."""


class HousingOption(msgspec.Struct, frozen=True, kw_only=True):
    """One housing option an organisation offers, evaluated for a case.

    * ``id`` — stable slug, unique within the organisation (``bexley-bobby-van``);
    * ``kind`` — one of :data:`OptionKind`; choosing a ``sanctuary_scheme`` option starts a
      sanctuary referral;
    * ``eligible`` / ``reason`` — the plugin's eligibility decision for ``case`` and why;
    * ``refer_to`` — who to refer to, in words (an agency, team or scheme);
      ``refer_to_key`` — a directory key or organisation id for it, when there is one;
    * ``referral_level`` — how fast the referral must be acted on, or ``None``;
    * ``replaces`` — a :data:`CORE_OPTION_IDS` entry this option stands in for;
    * ``needs_consent`` — referring passes the client's details to someone outside the
      organisation, so recorded consent is needed (AG/013 principle 5);
    * ``floating_support_option`` — the id of the organisation's floating support option
      that choosing this one also refers the client to (Greenwich: sanctuary clients "are
      always referred for floating support"; Lewisham and Southwark when the rent incentive
      scheme is taken up), or ``None``;
    * ``source`` — quote of the seed line.
    """

    id: str
    title: str
    kind: OptionKind
    description: str = ""
    eligible: bool = True
    reason: str = ""
    refer_to: str = ""
    refer_to_key: str | None = None
    referral_level: ServiceLevel | None = None
    replaces: str | None = None
    needs_consent: bool = True
    floating_support_option: str | None = None
    source: str = ""


class Advice(msgspec.Struct, frozen=True, kw_only=True):
    """A piece of advice or a local rule the officer should give / apply for this case.

    ``topic`` is a short slug (``rent-arrears``, ``legal-clinic``); ``text`` is organisational
    text (never about the survivor); printed on the options offered / advice given sheet.
    """

    id: str
    topic: str
    text: str
    source: str = ""


# -- risk, JWA and referral routing ----------------------------------------------------------


class MaracSettings(msgspec.Struct, frozen=True, kw_only=True):
    """An area's MARAC referral parameters (``DASH.md``).

    ``escalation_incidents`` in ``escalation_months`` is the potential-escalation criterion
    (SafeLives suggests 3 in 12; some areas use 3 in 6). ``repeat_months`` is the window
    after the last MARAC referral in which any incident is a repeat. The visible-high-risk
    threshold (14 "yes") is fixed by SafeLives and is not a setting. ``marac_live`` is false
    where the area's MARAC is still being set up (Bexley in ``001_2a45bb55c36fcb52.txt``).
    """

    escalation_incidents: int = 3
    escalation_months: int = 12
    repeat_months: int = 12
    marac_name: str = ""
    marac_live: bool = True
    source: str = ""


class JwaSettings(msgspec.Struct, frozen=True, kw_only=True):
    """How an organisation works under the Joint Working Agreement (``000_93a7cd5d2a8b6030.txt``).

    ``information_response`` is the clock for answering another borough's information request
    ("as soon as requested"; core default the same working day). ``one_night_booking``: the
    borough provides a one-night temporary accommodation booking "if necessary and time
    depending".
    """

    information_response: ServiceLevel = ServiceLevel(
        amount=0,
        unit="same_working_day",
        source="000_93a7cd5d2a8b6030.txt: information will be sent through ... as soon as requested",
    )
    one_night_booking: bool = True
    source: str = ""


class SchemeOperator(msgspec.Struct, frozen=True, kw_only=True):
    """The organisation that runs a scheme (e.g. the sanctuary scheme) for a borough."""

    org: OrgId
    name: str = ""
    source: str = ""


# -- hook specifications ---------------------------------------------------------------------


@hookspec(firstresult=True)
def haven_interview_routing(org: str, case: CaseFacts) -> InterviewRouting | None:
    """Who interviews the client for ``case`` at ``org``; first result wins.

    Core default when no plugin decides: ``housing_options``, no same-sex offer, not an
    emergency. Return ``None`` to let the next plugin (or the default) decide.

    Example::

        @hookimpl
        def haven_interview_routing(org, case):
            if case.tenure in ("private_rented", "owner_occupier"):
                return InterviewRouting(interviewer="housing_aid_centre", team="Housing Aid Centre",
                                        source="001_2a45bb55c36fcb52.txt: Private sector tenants and "
                                               "owner occupiers are referred to Housing Aid Centre")
            return InterviewRouting(interviewer="housing_options", team="Housing Options")
    """


@hookspec(firstresult=True)
def haven_interview_service_level(org: str) -> ServiceLevel | None:
    """How soon a DV approach must be interviewed at ``org``; first result wins.

    The clock starts at the report or referral. Core default when no plugin sets one:
    ``ServiceLevel(amount=1, unit="next_working_day_end")`` — by the end of the next working
    day, the only interview timescale in the seeds (AG/013 principle 1).

    Example::

        @hookimpl
        def haven_interview_service_level(org):
            return ServiceLevel(amount=1, unit="next_working_day_end",
                                source="003_8738e4ccc4c4272a.txt principle 1: interviewed before "
                                       "the end of the next working day")
    """


@hookspec
def haven_housing_options(org: str, case: CaseFacts) -> list[HousingOption]:
    """The housing options ``org`` offers, evaluated for ``case``.

    Results of every plugin serving ``org`` are concatenated (plugin-name order) and added
    to the core options; an option with ``replaces="<core id>"`` stands in for that core
    option. Ids must be unique within the organisation.

    Example::

        @hookimpl
        def haven_housing_options(org, case):
            return [HousingOption(
                id="bexley-bobby-van", title="Bobby Van", kind="sanctuary_scheme",
                replaces="sanctuary_scheme",
                description="Secures windows and doors, spy-holes, link-line alarms",
                eligible=case.perpetrator_at_property is not True,
                reason="the client stays at home and the perpetrator does not live there",
                refer_to="Bobby Van scheme",
                source="001_2a45bb55c36fcb52.txt: Bobby Van - Secures windows/doors")]
    """


@hookspec
def haven_case_advice(org: str, case: CaseFacts) -> list[Advice]:
    """Advice and local rules the officer should give for ``case``; printed on the sheet.

    Results of every plugin serving ``org`` are concatenated.

    Example::

        @hookimpl
        def haven_case_advice(org, case):
            if case.rent_arrears:
                return [Advice(id="arrears-disregarded", topic="rent-arrears",
                               text="Rent arrears are disregarded at this stage.",
                               source="003_8738e4ccc4c4272a.txt principle 8")]
            return []
    """


@hookspec(firstresult=True)
def haven_marac_settings(org: str) -> MaracSettings | None:
    """MARAC referral parameters for ``org``'s area; first result wins.

    Core default: ``MaracSettings()`` — escalation 3 incidents in 12 months, repeat within
    12 months of the last referral (SafeLives, ``DASH.md``).

    Example::

        @hookimpl
        def haven_marac_settings(org):
            return MaracSettings(escalation_incidents=3, escalation_months=6,
                                 marac_name="Bromley MARAC")
    """


@hookspec(firstresult=True)
def haven_jwa_settings(org: str) -> JwaSettings | None:
    """``org``'s Joint Working Agreement parameters; first result wins.

    Core default: ``JwaSettings()`` — information requests answered the same working day,
    one-night bookings provided.

    Example::

        @hookimpl
        def haven_jwa_settings(org):
            return JwaSettings(information_response=ServiceLevel(amount=4, unit="hours",
                               source="local agreement"))
    """


@hookspec(firstresult=True)
def haven_sanctuary_scheme_for(org: str, case: CaseFacts) -> SchemeOperator | None:
    """Which organisation runs the sanctuary scheme a case at ``org`` is referred to.

    Core default: ``org`` itself. Return another organisation when the scheme is run by a
    partner (a landlord's tenant referred to the borough's scheme, for example).

    Example::

        @hookimpl
        def haven_sanctuary_scheme_for(org, case):
            return SchemeOperator(org="dartford", name="Dartford Sanctuary Scheme",
                                  source="004_d4b796f614d2cfd3.txt")
    """


__all__ = [
    "ApproachChannel",
    "Advice",
    "CORE_OPTION_IDS",
    "CaseFacts",
    "HousingOption",
    "InterviewRouting",
    "InterviewerKind",
    "JwaSettings",
    "MaracSettings",
    "OptionKind",
    "SchemeOperator",
    "Tenure",
    "haven_case_advice",
    "haven_housing_options",
    "haven_interview_routing",
    "haven_interview_service_level",
    "haven_jwa_settings",
    "haven_marac_settings",
    "haven_sanctuary_scheme_for",
]
