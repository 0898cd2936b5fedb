"""Dales Housing / Seven Locks Housing: AG/013 operational principles as options hooks.

Every rule quotes ``003_8738e4ccc4c4272a.txt`` (the Group's domestic violence policy
AG/013). Both landlords follow the same policy, so every hook serves both organisations;
option ids are prefixed with the organisation id to stay unique within each. Eligibility is
a small pure function of :class:`CaseFacts`.
"""

from __future__ import annotations

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.eligibility import cannot_remain_at_home
from haven_contracts.plugin.options import Advice, CaseFacts, HousingOption, InterviewRouting

SEED = "003_8738e4ccc4c4272a.txt"


def _q(principle: int | str, text: str) -> str:
    where = f" principle {principle}" if isinstance(principle, int) else f" {principle}"
    return f"{SEED}{where}: {text}"


# -- eligibility -------------------------------------------------------------------------


def can_remain_at_home(case: CaseFacts) -> bool:
    """Principle 8: "If the victim is able to remain in his or her own home" — and the perpetrator is not there."""
    return not case.unable_to_return_home and case.perpetrator_at_property is not True


def perpetrator_eviction_considered(case: CaseFacts) -> bool:
    """Principle 7: the victim "has left the accommodation and does not wish to return"."""
    return case.unable_to_return_home


# -- hooks -----------------------------------------------------------------------------------


@hookimpl
def haven_interview_service_level(org: str) -> ServiceLevel:
    return ServiceLevel(
        amount=1,
        unit="next_working_day_end",
        source=_q(
            1,
            "Victims of domestic violence will be interviewed before the end of the next working day from "
            "making a report to housing services, or on the receipt of a referral from an appropriate "
            "individual or organisation.",
        ),
    )


@hookimpl
def haven_interview_routing(org: str, case: CaseFacts) -> InterviewRouting:
    return InterviewRouting(
        interviewer="housing_options",
        team="Housing services",
        fallback="where no officer of the same sex or cultural background is available, a trained officer interviews",
        same_sex_offered=True,
        same_culture_offered=True,
        source=_q(
            2,
            "Where possible, the victim will be offered an interview with someone of the same sex and/or "
            "cultural background.",
        ),
    )


@hookimpl
def haven_housing_options(org: str, case: CaseFacts) -> list[HousingOption]:
    away = cannot_remain_at_home(case)
    home = can_remain_at_home(case)
    evict = perpetrator_eviction_considered(case)
    return [
        HousingOption(
            id=f"{org}-priority-transfer",
            title="Priority transfer (like for like, away from the local area)",
            kind="transfer",
            replaces="transfer",
            description="A priority transfer, normally like for like and where possible away from the victim's "
            "local area.",
            eligible=away,
            reason="the victim cannot remain at home" if away else "only if the victim is unable to remain at home",
            refer_to="the Group's lettings",
            refer_to_key=org,
            needs_consent=False,
            source=_q(
                8,
                "Where a transfer is offered to the victim, this will normally be on a like for like basis and "
                "where possible, away from the victim's local area.",
            ),
        ),
        HousingOption(
            id=f"{org}-reciprocal",
            title="Reciprocal arrangement with another landlord",
            kind="reciprocal",
            replaces="reciprocal",
            description="When a transfer away from the local area cannot be achieved from the Group's own stock.",
            eligible=away,
            reason="the victim cannot remain at home; use when own stock cannot provide a move away"
            if away
            else "only if the victim is unable to remain at home",
            refer_to="another landlord",
            source=_q(
                8,
                "If a transfer away from the local area cannot be achieved from within the Group's own stock, it "
                "will seek to make a reciprocal arrangement with another landlord.",
            ),
        ),
        HousingOption(
            id=f"{org}-emergency-security",
            title="Emergency additional security measures",
            # the Group arranges these itself, so no referral to a borough's sanctuary scheme
            kind="other",
            replaces="sanctuary_scheme",
            description="Reasonable additional security measures arranged on an emergency basis, with other agencies, "
            "when the victim asks for them.",
            eligible=home,
            reason="the victim can remain at home" if home else "only if the victim is able to remain at home",
            refer_to="the Group, in partnership with other agencies",
            refer_to_key=org,
            # "on an emergency basis" names no hours: the core default for emergency works, 24 hours, is the clock
            referral_level=ServiceLevel(
                amount=24,
                unit="hours",
                source="core default (003_8738e4ccc4c4272a.txt principle 8 says 'on an emergency basis' without a "
                "timescale): 24 hours, as for emergency security works",
            ),
            source=_q(
                8,
                "If the victim is able to remain in his or her own home either temporarily or permanently, but "
                "requests reasonable additional security measures, the Group will, wherever possible and in "
                "partnership with other agencies take the lead to arrange for these to be provided on an "
                "emergency basis.",
            ),
        ),
        HousingOption(
            id=f"{org}-temporary-accommodation",
            title="Temporary accommodation through the Local Authority or a women's refuge",
            kind="temporary_accommodation",
            replaces="temporary_accommodation",
            description="Liaise with the Local Authority or a women's refuge, subject to the wishes of the victim.",
            eligible=away,
            reason="the victim cannot return home" if away else "only if the victim is unable to return home",
            refer_to="the Local Authority or a women's refuge",
            source=_q(
                6,
                "If the victim is unable to return home, relevant employees will liaise with the Local Authority "
                "or a women's refuge regarding the provision of temporary accommodation, subject to the wishes "
                "of the victim.",
            ),
        ),
        HousingOption(
            id=f"{org}-legal-remedies",
            title="Legal remedies",
            kind="legal_remedies",
            replaces="legal_remedies",
            description="Advice on possible legal remedies, for the immediate situation and the longer term.",
            refer_to="a solicitor or the local advice agency",
            source=_q(
                4,
                "The victim will be advised of possible courses of action, both to respond to the immediate "
                "situation and to deal with the situation in the longer term, this will include possible legal "
                "remedies",
            ),
        ),
        HousingOption(
            id=f"{org}-support-agencies",
            title="Women's Aid and other service providers",
            kind="signposting",
            replaces="signposting",
            description="Other sources of advice and assistance, from the Group's up-to-date list of local agencies.",
            refer_to="Women's Aid or other service providers",
            source=_q(
                4, "other sources of advice and assistance such as the use of Women's Aid or other Service Providers."
            ),
        ),
        HousingOption(
            id=f"{org}-perpetrator-eviction",
            title="Action to evict the perpetrator",
            kind="other",
            description="Managers consider action to evict the perpetrator under the Housing Act 1996 and the Tenancy "
            "Agreement; the Group takes action to evict convicted perpetrators.",
            eligible=evict,
            reason="the victim has left and does not wish to return"
            if evict
            else "only where the victim has left the accommodation and does not wish to return",
            refer_to="the Group's managers",
            refer_to_key=org,
            needs_consent=False,
            source=_q(
                7,
                "Where the victim has left the accommodation and does not wish to return, managers will consider "
                "taking action to evict the perpetrator of the violence using its powers under the Housing Act "
                "1996 and the Tenancy Agreement.",
            ),
        ),
    ]


@hookimpl
def haven_case_advice(org: str, case: CaseFacts) -> list[Advice]:
    advice = [
        Advice(
            id=f"{org}-consent-before-agencies",
            topic="consent",
            text="Contact external agencies (Local Authority, Police, Solicitor, local advice agency) only with the "
            "victim's permission.",
            source=_q(
                5,
                "Where appropriate the employee carrying out the interview will contact external agencies such as "
                "the Local Authority, Police, Solicitor, or the local advice agency with the permission of the victim.",
            ),
        ),
        Advice(
            id=f"{org}-confidentiality",
            topic="confidentiality",
            text="Interview in a sympathetic and supportive manner and assure the victim of confidentiality.",
            source=_q(
                3,
                "Interviews will be carried out in a sympathetic and supportive manner. The victim will be "
                "assured of confidentiality.",
            ),
        ),
        Advice(
            id=f"{org}-property-damage",
            topic="property-damage",
            text="Seek the costs of making good any property damage from the perpetrator wherever practicable.",
            source=_q(
                8,
                "The costs of making good any property damage should be sought from the perpetrator of violence "
                "wherever practicable.",
            ),
        ),
        Advice(
            id=f"{org}-victim-centred",
            topic="decision",
            text="Be guided by the victim in deciding the most appropriate course of action.",
            source=_q(
                "Objectives",
                "Employees handling the issue will be guided by the victim in determining the most "
                "appropriate course of action",
            ),
        ),
    ]
    if case.rent_arrears:
        advice.append(
            Advice(
                id=f"{org}-rent-arrears-disregarded",
                topic="rent-arrears",
                text="Rent arrears are disregarded at this stage; after any transfer the relevant manager decides "
                "how, or if, the arrears are apportioned.",
                source=_q(
                    8,
                    "Rent arrears will be disregarded at this stage, however a decision will be taken by the relevant "
                    "manager as to how, or if, the arrears are apportioned following any transfer.",
                ),
            )
        )
    return advice
