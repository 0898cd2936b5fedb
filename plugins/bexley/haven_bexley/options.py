"""London Borough of Bexley: interview routing, housing options and advice.

Every rule quotes ``001_2a45bb55c36fcb52.txt`` (DV in SE London – practices & procedures,
"Bexley"). Eligibility is a small pure function of :class:`CaseFacts`.
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


_q = quoting(SEED)


#: "seen as an emergency": interviewed the same working day (the seed gives no figure; an
#: emergency is not left to the next day), on the specialists' route and the fallback alike.
EMERGENCY_INTERVIEW = ServiceLevel(
    amount=0,
    unit="same_working_day",
    source=_q("given an interview with one of the specialists, as they are seen as an emergency"),
)


# -- hooks -----------------------------------------------------------------------------------


@hookimpl
def haven_interview_routing(org: str, case: CaseFacts) -> InterviewRouting:
    return InterviewRouting(
        interviewer="dv_specialist",
        team="Housing Options (two officers with a DV specialism)",
        fallback="another staff member interviews, consulting the DV specialists' folder",
        fallback_interviewer="any_officer_with_specialist_folder",
        seen_as_emergency=True,
        on_duty_position="dv_specialist_on_duty",
        emergency_level=EMERGENCY_INTERVIEW,
        source=_q(
            "there are two housing options officers with a DV specialism ... given an interview with one "
            "of the specialists, as they are seen as an emergency. If neither of the specialists are present "
            "a housing options interview will be conducted by another staff member who can consult the DV "
            "specialists folder"
        ),
    )


@hookimpl
def haven_housing_options(org: str, case: CaseFacts) -> list[HousingOption]:
    stays = stays_in_property(case)
    return [
        HousingOption(
            id="bexley-bobby-van",
            title="Bobby Van",
            kind="sanctuary_scheme",
            replaces="sanctuary_scheme",
            description="Secures windows/doors/new front door, spy-holes, link-line alarms in the client's "
            "property directly linked to local police, set at green, amber, red.",
            eligible=stays,
            reason="the client stays in the property"
            if stays
            else "only for a client staying in their own property without the perpetrator",
            refer_to="Bobby Van",
            refer_to_key="bexley-bobby-van",
            source=_q(
                "Bobby Van Secures windows/doors/new front door, spy-holes, link-line alarms in client's "
                "property directly linked to local police, set at green, amber, red."
            ),
        ),
        HousingOption(
            id="bexley-bond-deposit",
            title="Bond deposit scheme",
            kind="private_rented",
            replaces="private_rented",
            description="Bond deposit for a private tenancy, with floating support from Bexley Women's Aid.",
            refer_to="Bond deposit scheme",
            refer_to_key="bexley-bond-deposit",
            source=_q("Bond deposit scheme Floating support is provided by Bexley Women's Aid."),
        ),
        HousingOption(
            id="bexley-floating-support",
            title="Floating support",
            kind="floating_support",
            replaces="floating_support",
            description="Housing Options staff telephone the provider with the client's details to make the "
            "referral. Providers: Bexley Women's Aid; also Victim Support, Refuge.",
            refer_to="Bexley Women's Aid (also Victim Support, Refuge)",
            refer_to_key="bexley-womens-aid-floating-support",
            source=_q(
                "Floating support is provided by Bexley Women's Aid. Housing Options staff telephone with "
                "client's details to make referral. Other floating support providers include Victim Support, Refuge"
            ),
        ),
        HousingOption(
            id="bexley-crisis-intervention-team",
            title="Crisis Intervention Team",
            kind="signposting",
            description="One of the first ports of call when signposting; works closely with the police "
            "under a referral protocol.",
            refer_to="Crisis Intervention Team",
            refer_to_key="bexley-crisis-intervention",
            source=_q(
                "Crisis Intervention Team is one of the first ports of call for the DV specialist when "
                "signposting victims of domestic violence."
            ),
        ),
        HousingOption(
            id="bexley-signposting",
            title="Signposting: Erith law centre, CAB, BCU counselling",
            kind="signposting",
            replaces="signposting",
            description="Erith law centre, the Citizens Advice Bureau and BCU counselling.",
            refer_to="Erith law centre; CAB; BCU counselling",
            needs_consent=False,
            source=_q("Staff can also signpost to Erith law centre, the CAB and to BCU counselling."),
        ),
        HousingOption(
            id="bexley-legal-clinic",
            title="Legal clinic (Wednesday afternoons)",
            kind="legal_remedies",
            replaces="legal_remedies",
            description="The Crisis Intervention Team's legal clinic in the housing options centre on Wednesday "
            "afternoons: an appointment with a legal representative, including advice on mortgaged properties.",
            refer_to="Crisis Intervention Team legal clinic",
            refer_to_key="bexley-legal-clinic",
            source=_q(
                "The Crisis Intervention Team holds a legal clinic on Wednesday afternoons in the housing "
                "options centre so they can make an appointment to see a legal representative."
            ),
        ),
        refugeline_option(org, case),
        council_emergency_overnight_option(org, case, "London Borough of Bexley"),
    ]


@hookimpl
def haven_case_advice(org: str, case: CaseFacts) -> list[Advice]:
    advice = [
        Advice(
            id="bexley-legal-clinic-wednesday",
            topic="legal-clinic",
            text="Legal clinic: Wednesday afternoons in the housing options centre, by appointment "
            "through the Crisis Intervention Team.",
            source=_q(
                "The Crisis Intervention Team holds a legal clinic on Wednesday afternoons in the housing options "
                "centre"
            ),
        )
    ]
    if case.mortgaged or case.tenure == "owner_occupier":
        advice.append(
            Advice(
                id="bexley-mortgaged-property",
                topic="mortgaged-property",
                text="The legal clinic can advise on mortgaged properties.",
                source=_q(
                    "They can provide advice on mortgaged properties as there are a high proportion of homeowners "
                    "in Bexley."
                ),
            )
        )
    return advice


@hookimpl
def haven_marac_settings(org: str) -> MaracSettings:
    return MaracSettings(
        marac_name="Bexley MARAC (the Hate Crime Panel is expected to become the MARAC)",
        marac_live=False,
        source=_q(
            "MARAC – Bexley are in process of setting up a MARAC. It is thought that the Hate Crime "
            "Panel will become the MARAC."
        ),
    )


@hookimpl
def haven_jwa_settings(org: str) -> JwaSettings:
    return JwaSettings(source="000_93a7cd5d2a8b6030.txt: Bexley is a party to the SE London Joint Working Agreement")
