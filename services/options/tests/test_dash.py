"""DASH risk identification checklist and the MARAC referral criteria (SafeLives; ``/work/shared/DASH.md``).

The SE London procedures (``001_2a45bb55c36fcb52.txt``) name "the CAADA risk assessment form
for the MARAC" — the DASH RIC. These tests pin each criterion at its boundary.
"""

from __future__ import annotations

from datetime import date

import pytest

from haven_contracts.plugin.options import MaracSettings
from haven_options.dash import RISK_FACTORS, add_months, evaluate

TODAY = date(2026, 11, 23)


def answers(yes: int, not_known: int = 0) -> list[str]:
    return ["yes"] * yes + ["not_known"] * not_known + ["no"] * (24 - yes - not_known)


def test_there_are_24_risk_factors_as_short_labels():
    """DASH.md: "24 yes / no / not-known questions"; ship short topic labels, not the official wording."""
    assert len(RISK_FACTORS) == 24
    assert all(len(label) <= 60 for label in RISK_FACTORS)


def test_13_yes_is_not_visible_high_risk_and_14_is():
    """DASH.md: "Visible high risk: 14 or more 'yes' answers"."""
    below = evaluate(answers(13, not_known=11), assessed_on=TODAY)
    at = evaluate(answers(14), assessed_on=TODAY)
    assert below.criteria == [] and not below.marac_recommended
    assert below.not_known_count == 11
    assert at.criteria == ["visible_high_risk"] and at.marac_recommended


def test_professional_judgement_can_raise_below_14_with_a_reason():
    """DASH.md: "a practitioner may refer below 14; the reason must be recorded"."""
    result = evaluate(answers(5), assessed_on=TODAY, professional_judgement=True, judgement_reason="escalating threats")
    assert result.criteria == ["professional_judgement"] and result.marac_recommended
    with pytest.raises(ValueError, match="judgement_reason"):
        evaluate(answers(5), assessed_on=TODAY, professional_judgement=True, judgement_reason="  ")


def test_professional_judgement_never_lowers_visible_high_risk():
    """DASH.md: "Professional judgement must never be used to lower this"."""
    result = evaluate(answers(20), assessed_on=TODAY, professional_judgement=False)
    assert "visible_high_risk" in result.criteria and result.marac_recommended


def test_potential_escalation_default_3_in_12_months():
    """DASH.md: "SafeLives suggests 3 in 12 months" — 2 incidents do not fire, 3 do; one just outside the window does
    not count."""
    two = [date(2026, 3, 1), date(2026, 9, 1)]
    assert "potential_escalation" not in evaluate(answers(2), assessed_on=TODAY, incident_dates=two).criteria
    three = [*two, date(2026, 11, 20)]
    assert evaluate(answers(2), assessed_on=TODAY, incident_dates=three).criteria == ["potential_escalation"]
    old = [date(2025, 11, 23), *two]  # exactly 12 months before: outside
    assert evaluate(answers(2), assessed_on=TODAY, incident_dates=old).escalation_incidents == 2


def test_potential_escalation_is_configurable_per_organisation():
    """DASH.md: "areas set their own (some use 3 in 6 months...)"."""
    incidents = [date(2026, 3, 1), date(2026, 9, 1), date(2026, 11, 20)]
    six = MaracSettings(escalation_incidents=3, escalation_months=6)
    assert (
        "potential_escalation"
        not in evaluate(answers(0), assessed_on=TODAY, incident_dates=incidents, settings=six).criteria
    )
    two_in_six = MaracSettings(escalation_incidents=2, escalation_months=6)
    assert evaluate(answers(0), assessed_on=TODAY, incident_dates=incidents, settings=two_in_six).criteria == [
        "potential_escalation"
    ]


def test_repeat_within_12_months_of_last_marac_referral_fires_and_after_does_not():
    """DASH.md: "Repeat: any instance of abuse ... within 12 months of the last MARAC referral"."""
    last = date(2025, 12, 1)
    within = evaluate(answers(1), assessed_on=TODAY, last_marac_referral_on=last)
    assert within.criteria == ["repeat"]
    last_day = evaluate(answers(1), assessed_on=date(2026, 12, 1), last_marac_referral_on=last)
    assert last_day.criteria == ["repeat"]
    after = evaluate(answers(1), assessed_on=date(2026, 12, 2), last_marac_referral_on=last)
    assert after.criteria == []


def test_all_criteria_are_reported_together():
    result = evaluate(
        answers(15),
        assessed_on=TODAY,
        professional_judgement=True,
        judgement_reason="r",
        incident_dates=[date(2026, 1, 1)] * 3,
        last_marac_referral_on=date(2026, 6, 1),
    )
    assert result.criteria == ["visible_high_risk", "professional_judgement", "potential_escalation", "repeat"]


def test_answers_must_be_24():
    with pytest.raises(ValueError, match="answers"):
        evaluate(["yes"] * 23, assessed_on=TODAY)


def test_add_months_clamps_month_end():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -12) == date(2025, 1, 15)
