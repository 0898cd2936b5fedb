"""London Borough of Bromley: interview routing, housing options and advice.

Every rule quotes ``001_2a45bb55c36fcb52.txt`` (DV in SE London – practices & procedures,
"Bromley"). Eligibility is a small pure function of :class:`CaseFacts`.
"""

from __future__ import annotations

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


_q = quoting(SEED)


# -- eligibility -------------------------------------------------------------------------


def housing_association_tenant(case: CaseFacts) -> bool:
    """Landlord negotiation: "If the landlord is a housing association"."""
    return case.tenure == "housing_association"


def debt_blocks_rehousing(case: CaseFacts) -> bool:
    """A payment plan is negotiated where the client's debt might stop the association rehousing them."""
    return housing_association_tenant(case) and case.rent_arrears


# -- hooks -----------------------------------------------------------------------------------


@hookimpl
def haven_interview_routing(org: str, case: CaseFacts) -> InterviewRouting:
    return InterviewRouting(
        interviewer="housing_options",
        team="Reception, then an Initial Assessment Officer, then the Options and Assessment Team",
        same_sex_offered=True,
        source=_q(
            "Client is seen at reception and referred to an Initial Assessment Officer who gives very basic advice. "
            "They then refer to the Options and Assessment Team if necessary. Duty officer goes through various "
            "housing options. Any DV cases are always offered a female officer to conduct the interview."
        ),
    )


@hookimpl
def haven_housing_options(org: str, case: CaseFacts) -> list[HousingOption]:
    stays = stays_in_property(case)
    ha = housing_association_tenant(case)
    debt = debt_blocks_rehousing(case)
    police = case.channel == "police_referral"
    return [
        HousingOption(
            id="bromley-one-stop-shop",
            title="One-Stop Shop",
            kind="signposting",
            replaces="signposting",
            description="Staffed by a police officer from Bromley Community Safety Unit, a local solicitor who "
            "specialises in family law, a representative from HPU, Bromley Women's Aid and Victim Support. "
            "Signposting and legal advice, open two mornings a week; very often the first port of call.",
            refer_to="Bromley One-Stop Shop",
            refer_to_key="bromley-one-stop-shop",
            needs_consent=False,
            source=_q(
                "The one-stop shop is very often the first port of call for women experiencing domestic "
                "violence in Bromley ... The One-Stop Shop provides sign posting and legal advice. It is open "
                "two mornings a week."
            ),
        ),
        HousingOption(
            id="bromley-one-stop-shop-legal",
            title="Family-law advice at the One-Stop Shop",
            kind="legal_remedies",
            replaces="legal_remedies",
            description="A local solicitor who specialises in family law, at the One-Stop Shop (two mornings a week).",
            refer_to="Bromley One-Stop Shop",
            refer_to_key="bromley-one-stop-shop",
            needs_consent=False,
            source=_q("a local solicitor who specialises in family law"),
        ),
        HousingOption(
            id="bromley-sanctuary",
            title="Sanctuary Scheme",
            kind="sanctuary_scheme",
            replaces="sanctuary_scheme",
            description="Staff complete a referral form for the scheme. Most referrals come from the police"
            + (" — check whether the police have already referred." if police else "."),
            eligible=stays,
            reason="the client stays in their home"
            if stays
            else "only for a client staying in their own home without the perpetrator",
            refer_to="Bromley Sanctuary Scheme",
            refer_to_key="bromley-sanctuary",
            source=_q(
                "Staff complete a referral form for the scheme. Majority of referrals come from the police "
                "and not through Housing Options."
            ),
        ),
        HousingOption(
            id="bromley-rent-deposit",
            title="Rent deposit / private sector",
            kind="private_rented",
            replaces="private_rented",
            description="A private tenancy through the rent deposit scheme, with floating support.",
            refer_to="Rent deposit scheme",
            refer_to_key="bromley-rent-deposit",
            source=_q("Rent deposit/ private sector"),
        ),
        HousingOption(
            id="bromley-floating-support",
            title="Floating support",
            kind="floating_support",
            replaces="floating_support",
            description="The family caseworker within the support and resettlement team; Bromley Women's Aid "
            "provides outreach and floating support when necessary.",
            refer_to="Support and resettlement team (family caseworker); Bromley Women's Aid",
            refer_to_key="bromley-womens-aid-outreach",
            source=_q(
                "Family caseworker within the support and resettlement team provides floating support. "
                "Additionally Bromley Women's Aid provide outreach and floating support when necessary"
            ),
        ),
        HousingOption(
            id="bromley-landlord-negotiation",
            title="Landlord negotiation: transfer or reciprocal move",
            kind="landlord_negotiation",
            replaces="landlord_negotiation",
            description="Negotiate a transfer with the housing association, or a reciprocal move with another "
            "local authority or housing association.",
            eligible=ha,
            reason="the landlord is a housing association"
            if ha
            else "only where the landlord is a housing association",
            refer_to="the client's housing association",
            refer_to_key=case.landlord_org,
            source=_q(
                "If the landlord is a housing association, staff will negotiate for a transfer or look to "
                "entering into a reciprocal move with another local authority or housing association."
            ),
        ),
        HousingOption(
            id="bromley-payment-plan",
            title="Payment plan with the housing association",
            kind="landlord_negotiation",
            description="Where debt might stop the same association rehousing the client, staff negotiate a "
            "payment plan with the client.",
            eligible=debt,
            reason="arrears may bar rehousing by the association"
            if debt
            else "only for a housing-association tenant whose debt may bar rehousing",
            refer_to="the client's housing association",
            refer_to_key=case.landlord_org,
            source=_q(
                "In cases where the client is in debt and this might be a barrier from being rehoused by the "
                "same association, staff will negotiate a payment plan with the client."
            ),
        ),
        refugeline_option(org, case),
        council_emergency_overnight_option(org, case, "London Borough of Bromley"),
    ]


@hookimpl
def haven_case_advice(org: str, case: CaseFacts) -> list[Advice]:
    return [
        Advice(
            id="bromley-dv-officer",
            topic="single-point-of-reference",
            text="External agencies liaise with Bromley Council on DV cases through the DV officer, the single "
            "point of reference.",
            source=_q(
                "The DV officer leads on domestic violence and acts as a single point of reference for "
                "external agencies liaising with Bromley Council on client cases"
            ),
        ),
        Advice(
            id="bromley-female-officer",
            topic="interviewer",
            text="Offer a female officer to conduct the interview.",
            source=_q("Any DV cases are always offered a female officer to conduct the interview."),
        ),
        Advice(
            id="bromley-one-stop-shop-hours",
            topic="one-stop-shop",
            text="The One-Stop Shop is open two mornings a week.",
            source=_q("It is open two mornings a week."),
        ),
    ]


@hookimpl
def haven_marac_settings(org: str) -> MaracSettings:
    return MaracSettings(marac_name="Bromley MARAC", source=_q("DV Forums & Panels in Bromley 1. MARAC"))


@hookimpl
def haven_jwa_settings(org: str) -> JwaSettings:
    return JwaSettings(source="000_93a7cd5d2a8b6030.txt: Bromley is a party to the SE London Joint Working Agreement")
