"""{{title}}: interview routing, housing options and advice for the options service.

Replace the examples with your written procedure. Each record's ``source`` should quote
the line of the procedure it encodes, and each rule should have a test that quotes it too.
Eligibility is a small pure function of :class:`CaseFacts`: no I/O, no personal data.
"""

from __future__ import annotations

from haven_contracts.plugin import hookimpl
from haven_contracts.plugin.eligibility import stays_in_property  # shared predicates: one definition each
from haven_contracts.plugin.options import Advice, CaseFacts, HousingOption, InterviewRouting


SOURCE = "{{title}} procedure"


@hookimpl
def haven_interview_routing(org: str, case: CaseFacts) -> InterviewRouting:
    return InterviewRouting(
        interviewer="housing_options",
        team="Housing Options",
        same_sex_offered=True,
        source=f"{SOURCE}: every DV case is offered an interviewer of the same sex",
    )


@hookimpl
def haven_housing_options(org: str, case: CaseFacts) -> list[HousingOption]:
    stays = stays_in_property(case)
    return [
        HousingOption(
            id="{{org}}-sanctuary",
            title="Sanctuary scheme",
            kind="sanctuary_scheme",
            replaces="sanctuary_scheme",
            description="Extra security so the client can stay safely at home.",
            eligible=stays,
            reason="the client stays at home" if stays else "only for a client staying at home without the perpetrator",
            refer_to="{{title}} sanctuary scheme",
            source=f"{SOURCE}: sanctuary scheme",
        ),
        HousingOption(
            id="{{org}}-emergency-accommodation",
            title="Emergency accommodation",
            kind="temporary_accommodation",
            replaces="temporary_accommodation",
            eligible=case.unable_to_return_home,
            reason="the client cannot return home tonight" if case.unable_to_return_home else "only if the client cannot return home",
            refer_to="{{title}}",
            refer_to_key="{{org}}",
            needs_consent=False,
            source=f"{SOURCE}: emergency accommodation",
        ),
    ]


@hookimpl
def haven_case_advice(org: str, case: CaseFacts) -> list[Advice]:
    return [Advice(id="{{org}}-victim-decides", topic="decision",
                   text="The client makes the final decision on the course of action.",
                   source=f"{SOURCE}: the victim decides")]
