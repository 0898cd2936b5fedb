"""Royal Borough of Greenwich: interview routing by tenure, housing options and advice.

Every rule quotes ``001_2a45bb55c36fcb52.txt`` (DV in SE London – practices & procedures,
"Greenwich"). There is no DV specialist: a DV case is a regular options interview, routed
by tenure. Eligibility is a small pure function of :class:`CaseFacts`.
"""

from __future__ import annotations

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.eligibility import (
    council_emergency_overnight_option,
    refugeline_option,
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

#: Tenures the seed routes to the Housing Aid Centre; secure tenants go to Housing Options.
HOUSING_AID_CENTRE_TENURES = frozenset({"private_rented", "owner_occupier"})


_q = quoting(SEED)


# -- eligibility -------------------------------------------------------------------------


def routed_to_housing_aid_centre(case: CaseFacts) -> bool:
    """001_2a45bb55c36fcb52.txt (Greenwich): "Private sector tenants and owner occupiers are referred to Housing Aid
    Centre." """
    return case.tenure in HOUSING_AID_CENTRE_TENURES


# -- hooks -----------------------------------------------------------------------------------

_ROUTING_SOURCE = _q(
    "DV case treated like regular options interview. Private sector tenants and owner occupiers are referred to "
    "Housing Aid Centre. Secure tenants are referred to Housing Options. Process is the same on both teams. Client "
    "undergoes normal housing options interview with a risk assessment. No domestic violence specialist."
)


@hookimpl
def haven_interview_routing(org: str, case: CaseFacts) -> InterviewRouting:
    if routed_to_housing_aid_centre(case):
        return InterviewRouting(interviewer="housing_aid_centre", team="Housing Aid Centre", source=_ROUTING_SOURCE)
    return InterviewRouting(interviewer="housing_options", team="Housing Options", source=_ROUTING_SOURCE)


@hookimpl
def haven_housing_options(org: str, case: CaseFacts) -> list[HousingOption]:
    stays = stays_in_property(case)
    return [
        HousingOption(
            id="greenwich-sanctuary",
            title="Sanctuary scheme",
            kind="sanctuary_scheme",
            replaces="sanctuary_scheme",
            description="The options officer completes the sanctuary form for the sanctuary project officer, who "
            "undertakes a property risk assessment with the crime prevention officer within 24 hours. Always "
            "referred for floating support as well.",
            eligible=stays,
            reason="the client stays in their home"
            if stays
            else "only for a client staying in their own home without the perpetrator",
            refer_to="Greenwich Sanctuary Project officer",
            refer_to_key="greenwich-sanctuary",
            referral_level=ServiceLevel(
                amount=24,
                unit="hours",
                source=_q("Undertakes a property risk assessment with crime prevention officer within 24 hours"),
            ),
            floating_support_option="greenwich-floating-support",
            source=_q(
                "Options officer complete sanctuary form which is faxed to the sanctuary project officer. "
                "Undertakes a property risk assessment with crime prevention officer within 24 hours and "
                "usually completed within 2 working days. They are always referred for floating support."
            ),
        ),
        HousingOption(
            id="greenwich-floating-support",
            title="Floating support",
            kind="floating_support",
            replaces="floating_support",
            description="Providers such as Asra, Refuge and Women's Aid. Every sanctuary referral is also referred "
            "for floating support.",
            refer_to="Asra; Refuge; Women's Aid",
            source=_q("Floating support is available from providers such as Asra, Refuge and Women's Aid."),
        ),
        HousingOption(
            id="greenwich-rent-deposit",
            title="Rent deposit scheme (NewTrack)",
            kind="private_rented",
            replaces="private_rented",
            description="NewTrack, a subsidiary of HACTRAC, procures accommodation for vulnerable adults; with "
            "floating support.",
            refer_to="NewTrack",
            refer_to_key="greenwich-rent-deposit",
            source=_q("NewTrack which is a subsidiary of HACTRAC procure accommodation for vulnerable adults."),
        ),
        HousingOption(
            id="greenwich-idva",
            title="Independent Domestic Violence Advocates",
            kind="signposting",
            replaces="signposting",
            description="Three IDVAs employed by the Women's Trust: an advocacy role, and they attend MARACs.",
            refer_to="Greenwich IDVAs (Women's Trust)",
            refer_to_key="greenwich-idvas",
            source=_q("There are three IDVAs in Greenwich and they are employed by the Women's Trust."),
        ),
        HousingOption(
            id="greenwich-substance-misuse-worker",
            title="DV substance misuse worker",
            kind="other",
            description="A specialist post in the Enhance Housing Options service's virtual team; the options "
            "officer refers cases for assessment. 70% of the women seen also have a substance misuse problem.",
            eligible=case.substance_misuse,
            reason="a substance misuse need is recorded"
            if case.substance_misuse
            else "only when a substance misuse need is recorded (ask: 70% of women seen have one)",
            refer_to="DV Substance Misuse Worker (Enhance Housing Options)",
            refer_to_key="greenwich-dv-substance-misuse",
            source=_q(
                "70% of the women seen also have a substance misuse problem. Options officer can refer "
                "necessary cases to the worker for assessment."
            ),
        ),
        refugeline_option(org, case),
        council_emergency_overnight_option(org, case, "Royal Borough of Greenwich"),
    ]


@hookimpl
def haven_case_advice(org: str, case: CaseFacts) -> list[Advice]:
    return [
        Advice(
            id="greenwich-sanctuary-floating-support",
            topic="sanctuary",
            text="A sanctuary referral is always accompanied by a referral for floating support.",
            source=_q("They are always referred for floating support."),
        ),
        Advice(
            id="greenwich-substance-misuse",
            topic="substance-misuse",
            text="Ask about substance misuse: the DV substance misuse worker can assess.",
            source=_q("70% of the women seen also have a substance misuse problem."),
        ),
    ]


@hookimpl
def haven_marac_settings(org: str) -> MaracSettings:
    return MaracSettings(
        marac_name="Greenwich MARAC",
        source=_q(
            "Greenwich MARAC – Reviews and coordinates service provision in high-risk and complex domestic "
            "violence cases."
        ),
    )


@hookimpl
def haven_jwa_settings(org: str) -> JwaSettings:
    return JwaSettings(source="000_93a7cd5d2a8b6030.txt: Greenwich is a party to the SE London Joint Working Agreement")
