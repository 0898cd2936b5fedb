"""The SafeLives DASH risk identification checklist and the four MARAC referral criteria.

See ``/work/shared/DASH.md``. The 24 risk factors are shipped as short topic labels; the
official SafeLives wording belongs to SafeLives and a deployment shows it from its own copy
of the form. The rules depend only on the answers, so the wording never enters the code.

Criteria (all evaluated; the result names every one that fired):

* **visible high risk** — 14 or more "yes" answers; professional judgement may add a
  referral below 14 but can never remove this one;
* **professional judgement** — the practitioner refers below 14 and records a reason;
* **potential escalation** — ``N`` or more police call-outs / incidents in the ``M`` months
  up to the assessment (SafeLives suggests 3 in 12; configurable per organisation by the
  ``haven_marac_settings`` hook);
* **repeat** — an incident (the current one, dated ``incident_on``, or a listed one) within
  12 months after this client's last MARAC referral.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import Literal

import msgspec

from haven_contracts.plugin.options import MaracSettings

Answer = Literal["yes", "no", "not_known"]

VISIBLE_HIGH_RISK_THRESHOLD = 14

RISK_FACTORS: tuple[str, ...] = (
    "current incident caused injury",
    "victim very frightened",
    "what the victim is afraid of",
    "isolated from family or friends",
    "depression or suicidal thoughts",
    "separation within the past year",
    "conflict over child contact",
    "constant contact, stalking or harassment",
    "pregnancy or recent birth",
    "abuse happening more often",
    "abuse getting worse",
    "controlling behaviour or jealousy",
    "weapons or objects used to hurt",
    "threats to kill believed",
    "strangulation, choking, suffocation or drowning",
    "sexual abuse",
    "another person threatening or feared",
    "abuser has hurt others",
    "cruelty to an animal or pet",
    "financial issues or dependence",
    "abuser's drugs, alcohol or mental health",
    "abuser threatened or attempted suicide",
    "breach of bail, injunction or contact agreement",
    "abuser in trouble with the police or criminal history",
)

CRITERIA = ("visible_high_risk", "professional_judgement", "potential_escalation", "repeat")


class DashResult(msgspec.Struct, frozen=True, kw_only=True):
    yes_count: int
    not_known_count: int
    criteria: list[str]
    marac_recommended: bool
    escalation_incidents: int
    escalation_window: str


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (clamped to the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def evaluate(
    answers: list[Answer],
    *,
    assessed_on: date,
    professional_judgement: bool = False,
    judgement_reason: str | None = None,
    incident_dates: Sequence[date] = (),
    last_marac_referral_on: date | None = None,
    incident_on: date | None = None,
    settings: MaracSettings = MaracSettings(),
) -> DashResult:
    """Apply the MARAC referral criteria to one completed checklist.

    Raises ``ValueError`` naming the field when the answers are not 24 or a professional
    judgement has no reason.
    """
    if len(answers) != len(RISK_FACTORS):
        raise ValueError(f"answers: expected {len(RISK_FACTORS)} answers, got {len(answers)}")
    if professional_judgement and not (judgement_reason or "").strip():
        raise ValueError("judgement_reason: a professional judgement referral needs a recorded reason")
    yes = sum(1 for a in answers if a == "yes")
    criteria: list[str] = []
    if yes >= VISIBLE_HIGH_RISK_THRESHOLD:
        criteria.append("visible_high_risk")
    if professional_judgement:
        criteria.append("professional_judgement")
    since = add_months(assessed_on, -settings.escalation_months)
    in_window = [d for d in incident_dates if since < d <= assessed_on]
    if len(in_window) >= settings.escalation_incidents:
        criteria.append("potential_escalation")
    if last_marac_referral_on is not None:
        repeat_until = add_months(last_marac_referral_on, settings.repeat_months)
        incidents = [*incident_dates, incident_on or assessed_on]
        if any(last_marac_referral_on < d <= repeat_until for d in incidents):
            criteria.append("repeat")
    return DashResult(
        yes_count=yes,
        not_known_count=sum(1 for a in answers if a == "not_known"),
        criteria=criteria,
        marac_recommended=bool(criteria),
        escalation_incidents=len(in_window),
        escalation_window=f"{settings.escalation_incidents} in {settings.escalation_months} months",
    )
