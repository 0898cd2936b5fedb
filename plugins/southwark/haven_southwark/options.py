"""London Borough of Southwark: interview routing, housing options and advice.

Every rule quotes ``001_2a45bb55c36fcb52.txt`` (DV in SE London – practices & procedures,
"Southwark"). Today an officer from the anti-social behaviour unit interviews and assesses
risk; Southwark is moving the function back to the HomeSearch centre's Domestic Violence
Lead Officers. The deployment chooses the route with ``HAVEN_SOUTHWARK_DV_ROUTE``:

* ``asb-unit`` (default) — the anti-social behaviour unit officer;
* ``housing-options`` — a Housing Options Domestic Violence Lead Officer.

A bad value stops the plugin loading, so ``haven plugins`` reports it at start-up.
"""

from __future__ import annotations

import os
from typing import Literal

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.eligibility import (
    council_temporary_accommodation_option,
    refuge_list_option,
    stays_in_property,
)
from haven_contracts.plugin.options import (
    Advice,
    CaseFacts,
    HousingOption,
    InterviewRouting,
    JwaSettings,
    MaracSettings,
)
from haven_contracts.plugin.sources import quoting

SEED = "001_2a45bb55c36fcb52.txt"
ROUTE_ENV = "HAVEN_SOUTHWARK_DV_ROUTE"
Route = Literal["asb-unit", "housing-options"]
ROUTES: tuple[Route, ...] = ("asb-unit", "housing-options")
DEFAULT_ROUTE: Route = "asb-unit"


_q = quoting(SEED)


def dv_route(environ: dict[str, str] | None = None) -> Route:
    """The configured interview route; raises ``ValueError`` naming the variable on a bad value."""
    env = os.environ if environ is None else environ
    value = (env.get(ROUTE_ENV) or DEFAULT_ROUTE).strip().lower()
    if value not in ROUTES:
        raise ValueError(f"{ROUTE_ENV}={value!r}: expected one of {', '.join(ROUTES)}")
    return value


dv_route()  # fail at load, not at the first case


# -- hooks -----------------------------------------------------------------------------------


def routing_for(route: Route) -> InterviewRouting:
    """Interview routing for ``route`` (pure: the hook passes the configured route)."""
    if route == "housing-options":
        return InterviewRouting(
            interviewer="housing_options",
            team="HomeSearch centre (Housing Options Team): Domestic Violence Lead Officers",
            source=_q(
                "Southwark are in the process of moving this function back to the HomeSearch centre (Housing "
                "Options Team). They are currently inviting housing options officers to register their interest "
                "in becoming Domestic Violence Lead Officers. The Options officer will carry out risk assessments"
            ),
        )
    return InterviewRouting(
        interviewer="asb_unit_officer",
        team="Anti-social behaviour unit (from the HomeSearch centre)",
        source=_q(
            "Currently when a victim of domestic violence approaches the HomeSearch centre in need of advice and "
            "assistance, they are referred to an officer from the anti social behaviour unit. The officer "
            "conducts an interview with the victim and conducts a risk assessment."
        ),
    )


@hookimpl
def haven_interview_routing(org: str, case: CaseFacts) -> InterviewRouting:
    return routing_for(dv_route())


@hookimpl
def haven_housing_options(org: str, case: CaseFacts) -> list[HousingOption]:
    stays = stays_in_property(case)
    return [
        HousingOption(
            id="southwark-sanctuary",
            title="Sanctuary scheme",
            kind="sanctuary_scheme",
            replaces="sanctuary_scheme",
            description="The options officer faxes the sanctuary form to the sanctuary project officer.",
            eligible=stays,
            reason="the client stays in their home"
            if stays
            else "only for a client staying in their own home without the perpetrator",
            refer_to="Southwark Sanctuary Project officer",
            refer_to_key="southwark-sanctuary",
            source=_q("Options officer complete sanctuary form which is faxed to the sanctuary project officer."),
        ),
        HousingOption(
            id="southwark-rent-incentive",
            title="Rent incentive scheme / Finders Fee scheme",
            kind="private_rented",
            replaces="private_rented",
            description="A private tenancy through the rent incentive or finders fee scheme; taking it up means a "
            "referral for floating support.",
            refer_to="Rent incentive / Finders Fee scheme",
            refer_to_key="southwark-rent-incentive",
            floating_support_option="southwark-floating-support",
            source=_q(
                "Rent incentive scheme/Finders Fee scheme In any cases where this is taken up, referral is made "
                "to the floating support providers."
            ),
        ),
        HousingOption(
            id="southwark-floating-support",
            title="Floating support",
            kind="floating_support",
            replaces="floating_support",
            description="Referral to the floating support providers whenever the rent incentive or finders fee "
            "scheme is taken up.",
            refer_to="floating support providers",
            source=_q("referral is made to the floating support providers."),
        ),
        HousingOption(
            id="southwark-idva",
            title="Independent Domestic Violence Advocates",
            kind="signposting",
            replaces="signposting",
            description="IDVAs have an advocacy role and, if necessary, attend MARACs.",
            refer_to="Southwark IDVAs",
            refer_to_key="southwark-idvas",
            source=_q(
                "Independent Domestic Violence Advocates (IDVAs) The IDVAs have an advocacy role and if necessary "
                "also attend Multi Agency Risk Assessment Conferences (MARACs). Applicant is provided"
            ),
        ),
        refuge_list_option(org, case),
        council_temporary_accommodation_option(org, case, "London Borough of Southwark"),
    ]


@hookimpl
def haven_case_advice(org: str, case: CaseFacts) -> list[Advice]:
    return [
        Advice(
            id="southwark-victim-decides",
            topic="decision",
            text="Advise the most appropriate course of action to minimise the risk of further violence; the "
            "victim makes the final decision.",
            source=_q("The final course of action will be made by the victim."),
        )
    ]


@hookimpl
def haven_marac_settings(org: str) -> MaracSettings:
    return MaracSettings(marac_name="Southwark MARAC", source=_q("DV Forums & Panels in Southwark 1. MARAC"))


@hookimpl
def haven_jwa_settings(org: str) -> JwaSettings:
    return JwaSettings(source="000_93a7cd5d2a8b6030.txt: Southwark is a party to the SE London Joint Working Agreement")
