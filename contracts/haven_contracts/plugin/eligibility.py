"""Eligibility predicates and housing options the procedures share, defined once.

The SE London procedures (``001_2a45bb55c36fcb52.txt``) repeat the same conditions and the
same emergency routes borough by borough; the plugins import them from here rather than
copying them, so a correction reaches every borough and no two copies drift apart. Each
predicate is a pure function of :class:`CaseFacts`; each builder returns the option with the
``source`` quoting the seed line it encodes.
"""

from __future__ import annotations

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin.options import CaseFacts, HousingOption

__all__ = [
    "SE_LONDON_SEED",
    "cannot_remain_at_home",
    "council_emergency_overnight_option",
    "council_temporary_accommodation_option",
    "refuge_list_option",
    "refugeline_option",
    "stays_in_property",
]

SE_LONDON_SEED = "001_2a45bb55c36fcb52.txt"

#: Tenures with no home of the client's own to secure.
NO_HOME_TO_SECURE = frozenset({"no_fixed_abode", "temporary_accommodation"})


def _q(text: str) -> str:
    return f"{SE_LONDON_SEED}: {text}"


# -- predicates ----------------------------------------------------------------------------


def stays_in_property(case: CaseFacts) -> bool:
    """A sanctuary scheme secures the client's own home: only where the client stays there, the
    perpetrator is not known to live there, and there is a home of their own to secure.

    ``001_2a45bb55c36fcb52.txt``: Bexley's Bobby Van "Secures windows/doors/new front door,
    spy-holes, link-line alarms in client's property"; in Bromley, Greenwich, Lewisham and
    Southwark the "Options officer complete sanctuary form" for the sanctuary project officer.
    """
    return (
        not case.unable_to_return_home
        and case.perpetrator_at_property is not True
        and case.tenure not in NO_HOME_TO_SECURE
    )


def cannot_remain_at_home(case: CaseFacts) -> bool:
    """The client cannot go home tonight, so emergency or temporary accommodation is needed.

    ``001_2a45bb55c36fcb52.txt``: "If emergency accommodation is required" (Bexley, Bromley,
    Greenwich); "if they cannot return home on the day" (Lewisham, Southwark).
    ``003_8738e4ccc4c4272a.txt`` principle 7: "If the victim is unable to remain in his or her
    home temporarily".
    """
    return case.unable_to_return_home


# -- options -------------------------------------------------------------------------------


def refugeline_option(org: str, case: CaseFacts) -> HousingOption:
    """Refugeline for emergency accommodation (Bexley, Bromley, Greenwich, ``001_2a45bb55c36fcb52.txt``)."""
    emergency = cannot_remain_at_home(case)
    return HousingOption(
        id=f"{org}-refugeline",
        title="Refugeline",
        kind="refuge",
        replaces="refuge",
        description="Housing Options staff contact Refugeline for emergency accommodation.",
        eligible=emergency,
        reason="emergency accommodation is required" if emergency else "only when emergency accommodation is required",
        refer_to="Refugeline",
        source=_q("If emergency accommodation is required Housing Options staff contact Refugeline"),
    )


def council_emergency_overnight_option(org: str, case: CaseFacts, council: str) -> HousingOption:
    """The council's own emergency overnight accommodation, the alternative to Refugeline
    (Bexley, Bromley, Greenwich, ``001_2a45bb55c36fcb52.txt``); ``council`` is its name."""
    emergency = cannot_remain_at_home(case)
    return HousingOption(
        id=f"{org}-emergency-overnight",
        title="Council emergency overnight accommodation",
        kind="temporary_accommodation",
        replaces="temporary_accommodation",
        description="The council's own emergency overnight accommodation, if necessary.",
        eligible=emergency,
        reason="emergency accommodation is required" if emergency else "only when emergency accommodation is required",
        refer_to=council,
        refer_to_key=f"{org}-emergency-accommodation",
        needs_consent=False,
        source=_q("or if necessary can access the council's own emergency overnight accommodation."),
    )


def refuge_list_option(org: str, case: CaseFacts) -> HousingOption:
    """A list of refuges for a client who cannot go home that day (Lewisham, Southwark,
    ``001_2a45bb55c36fcb52.txt``)."""
    away = cannot_remain_at_home(case)
    return HousingOption(
        id=f"{org}-refuge-list",
        title="List of refuges",
        kind="refuge",
        replaces="refuge",
        description="The applicant is given a list of refuges.",
        eligible=away,
        reason="the client cannot return home today" if away else "only if the client cannot return home on the day",
        refer_to="refuges",
        needs_consent=False,
        # "on the day": the list is given before the end of the working day the option is chosen
        referral_level=ServiceLevel(
            amount=0,
            unit="same_working_day",
            source=_q("Applicant is provided with a list of refuges if they cannot return home on the day"),
        ),
        source=_q("Applicant is provided with a list of refuges if they cannot return home on the day."),
    )


def council_temporary_accommodation_option(org: str, case: CaseFacts, council: str) -> HousingOption:
    """The council's own temporary accommodation until a refuge is available (Lewisham,
    Southwark, ``001_2a45bb55c36fcb52.txt``); ``council`` is its name."""
    away = cannot_remain_at_home(case)
    return HousingOption(
        id=f"{org}-temporary-accommodation",
        title="Council temporary accommodation until a refuge is available",
        kind="temporary_accommodation",
        replaces="temporary_accommodation",
        description="When necessary the Council provides its own temporary accommodation until a refuge becomes "
        "available.",
        eligible=away,
        reason="the client cannot return home today" if away else "only if the client cannot return home on the day",
        refer_to=council,
        refer_to_key=f"{org}-temporary-accommodation",
        needs_consent=False,
        source=_q(
            "When necessary the Council can provide their own temporary accommodation until a refuge becomes available."
        ),
    )
