"""London Borough of Lewisham: interview routing, housing options and advice.

Every rule quotes ``001_2a45bb55c36fcb52.txt`` (DV in SE London – practices & procedures,
"Lewisham"). A triage interview comes first, then a housing options interview; there is no
DV specialist. Eligibility is a small pure function of :class:`CaseFacts`.
"""

from __future__ import annotations

from haven_contracts.clocks import ServiceLevel
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

#: Tenures with a social landlord ("their landlord, housing association or ALMO").
SOCIAL_TENURES = frozenset({"council_secure", "housing_association"})


_q = quoting(SEED)


# -- eligibility -------------------------------------------------------------------------


def has_social_landlord(case: CaseFacts) -> bool:
    """A transfer priority is asked of the client's "landlord, housing association or ALMO"."""
    return case.tenure in SOCIAL_TENURES


# -- hooks -----------------------------------------------------------------------------------


@hookimpl
def haven_interview_routing(org: str, case: CaseFacts) -> InterviewRouting:
    return InterviewRouting(
        interviewer="triage_then_options",
        team="Housing Options (triage interview, then a housing options appointment)",
        source=_q(
            "Client approaches reception and is referred for a triage interview. Sees a housing options officer who "
            "takes basic information about circumstances and collect preliminary evidence. No domestic violence "
            "specialist. If necessary a housing options appointment is made."
        ),
    )


@hookimpl
def haven_housing_options(org: str, case: CaseFacts) -> list[HousingOption]:
    stays = stays_in_property(case)
    social = has_social_landlord(case)
    return [
        HousingOption(
            id="lewisham-sanctuary",
            title="Sanctuary scheme",
            kind="sanctuary_scheme",
            replaces="sanctuary_scheme",
            description="The options officer emails/faxes the sanctuary form to the sanctuary project officer: risk "
            "assessment in 24-48 hours, crime prevention officer appointment within two working days, security "
            "measures installed within 5 working days (10 for a more complicated sanctuary).",
            eligible=stays,
            reason="the client stays in their home"
            if stays
            else "only for a client staying in their own home without the perpetrator",
            refer_to="Lewisham Sanctuary Project officer",
            refer_to_key="lewisham-sanctuary",
            referral_level=ServiceLevel(
                target=24,
                amount=48,
                unit="hours",
                source=_q("Between 24-48 hours to complete a Risk Assessment."),
            ),
            source=_q(
                "Options officer complete sanctuary form which is emailed/faxed to the sanctuary project officer."
            ),
        ),
        HousingOption(
            id="lewisham-rent-incentive",
            title="Rent incentive scheme",
            kind="private_rented",
            replaces="private_rented",
            description="A private tenancy through the rent incentive scheme; taking it up means a referral to "
            "Refuge for floating support.",
            refer_to="Rent incentive scheme",
            refer_to_key="lewisham-rent-incentive",
            floating_support_option="lewisham-floating-support",
            source=_q(
                "Rent incentive scheme In any cases where this is taken up, referral is made to the floating "
                "support providers, Refuge."
            ),
        ),
        HousingOption(
            id="lewisham-floating-support",
            title="Floating support (Refuge)",
            kind="floating_support",
            replaces="floating_support",
            description="Refuge provides floating support, and is referred to whenever the rent incentive scheme "
            "is taken up.",
            refer_to="Refuge",
            refer_to_key="lewisham-refuge-floating-support",
            source=_q("referral is made to the floating support providers, Refuge."),
        ),
        HousingOption(
            id="lewisham-idva",
            title="Independent Domestic Violence Advocate",
            kind="signposting",
            replaces="signposting",
            description="One IDVA, based at the police station: an advocacy role, and attends MARACs if necessary.",
            refer_to="Lewisham IDVA (police station)",
            refer_to_key="lewisham-idva",
            source=_q("There is one IDVA in Lewisham, based at the police station."),
        ),
        HousingOption(
            id="lewisham-idva-legal-remedies",
            title="Legal remedies through the IDVA",
            kind="legal_remedies",
            replaces="legal_remedies",
            description="The IDVA at the police station can also look at legal remedies.",
            refer_to="Lewisham IDVA (police station)",
            refer_to_key="lewisham-idva",
            source=_q("The IDVA can also look at legal remedies."),
        ),
        HousingOption(
            id="lewisham-landlord-transfer",
            title="Transfer priority from the landlord",
            kind="landlord_negotiation",
            replaces="landlord_negotiation",
            description="Speak with the client's landlord, housing association or ALMO about making them a "
            "transfer priority.",
            eligible=social,
            reason="the client has a social landlord"
            if social
            else "only for a council (ALMO) or housing association tenant",
            refer_to="the client's landlord, housing association or ALMO",
            refer_to_key=case.landlord_org,
            source=_q("Speak with their landlord, housing association or ALMO about making them a transfer priority."),
        ),
        refuge_list_option(org, case),
        council_temporary_accommodation_option(org, case, "London Borough of Lewisham"),
    ]


@hookimpl
def haven_case_advice(org: str, case: CaseFacts) -> list[Advice]:
    return [
        Advice(
            id="lewisham-risk-evidence",
            topic="risk",
            text="Establish the level of risk and instances through the GP, police and housing provider.",
            source=_q("Establish level of risk/instances through the GP, police, housing provider"),
        )
    ]


@hookimpl
def haven_marac_settings(org: str) -> MaracSettings:
    return MaracSettings(
        marac_name="Lewisham MARAC",
        marac_live=False,
        source=_q(
            "Lewisham MARAC – Reviews and coordinates service provision in high-risk and complex domestic "
            "violence cases. ... Currently being set up."
        ),
    )


@hookimpl
def haven_jwa_settings(org: str) -> JwaSettings:
    return JwaSettings(source="000_93a7cd5d2a8b6030.txt: Lewisham is a party to the SE London Joint Working Agreement")
