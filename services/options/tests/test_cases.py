"""Cases, interview routing and clocks, statutory duties, scoping and audit.

Seeds: ``001_2a45bb55c36fcb52.txt`` (borough procedures), ``003_8738e4ccc4c4272a.txt``
(AG/013 operational principles). Plugin-dependent rules use small in-test plugins.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from haven_contracts.clocks import ServiceLevel
from haven_contracts.plugin.options import InterviewRouting
from haven_options.clocks import check_overdue
from haven_options.tables import Case, DutyClock
from haven_runtime.app import context_of

CASEWORK = {"purpose": "casework"}  # haven_runtime.audit.PURPOSES


def _routing_plugin(h):
    def haven_interview_routing(org, case):
        if org == "bromley":
            return InterviewRouting(
                interviewer="housing_options",
                same_sex_offered=True,
                source="001_2a45bb55c36fcb52.txt: Any DV cases are always offered a female officer",
            )
        if org == "greenwich":
            kind = "housing_aid_centre" if case.tenure in ("private_rented", "owner_occupier") else "housing_options"
            return InterviewRouting(interviewer=kind)
        if org == "bexley":
            return InterviewRouting(
                interviewer="dv_specialist",
                fallback_interviewer="any_officer_with_specialist_folder",
                seen_as_emergency=True,
            )
        return None

    def haven_interview_service_level(org):
        if org == "dales-housing":
            return ServiceLevel(amount=1, unit="next_working_day_end", source="003_8738e4ccc4c4272a.txt principle 1")
        return None

    return h.plugin(
        "test-borough",
        ("bromley", "greenwich", "bexley", "dales-housing", "lewisham"),
        haven_interview_routing=haven_interview_routing,
        haven_interview_service_level=haven_interview_service_level,
    )


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_opening_a_case_records_approach_and_encrypts_personal_fields(start_service, token, h):
    """The issue: personal fields live only in this service, encrypted at rest."""
    options = await start_service("options")
    case = await h.open_case(
        options,
        token("lewisham"),
        channel="police_referral",
        tenure="private_rented",
        children=2,
        perpetrator_at_property=True,
    )
    assert case["channel"] == "police_referral" and case["household"]["children"] == 2
    assert case["perpetrator_at_property"] is True and case["person"] is None
    row = await h.on_app(options, lambda: Case.select().where(Case.ref == case["ref"]).first())
    stored = repr(row)
    assert not any(v in stored for v in h.PERSONAL_VALUES)
    read = await options.get(f"/cases/{case['ref']}", params=CASEWORK, headers=token("lewisham"))
    assert read.json()["person"]["name"] == h.PERSON["name"]


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_case_reads_are_audited_and_scoped_to_the_officers_organisation(start_service, token, h):
    """Every read of a case is audited; officers see only their organisation's cases."""
    options = await start_service("options")
    case = await h.open_case(options, token("lewisham"))
    r = await options.get(f"/cases/{case['ref']}?purpose=safeguarding", headers=token("lewisham", sub="officer-7"))
    assert r.status_code == 200
    seen = await h.on_app(options, lambda: context_of(options.app).store.audit_writer.who_has_seen("case", case["ref"]))
    assert [(e.actor, e.action, e.purpose) for e in seen if e.action == "read"] == [
        ("officer-7", "read", "safeguarding")
    ]
    assert (
        await options.get(f"/cases/{case['ref']}", params=CASEWORK, headers=token("bexley", sub="bexley-9"))
    ).status_code == 403
    assert (await options.get("/cases/CASE-0000000000", params=CASEWORK, headers=token("bexley"))).status_code == 403
    assert (
        await options.get(f"/cases/{case['ref']}", params=CASEWORK, headers=token("lewisham", "sanctuary_officer"))
    ).status_code == 403
    assert (await options.get(f"/cases/{case['ref']}", params=CASEWORK)).status_code == 401
    # a refused cross-organisation read or write is audited with who, what and why
    r = await options.post(
        f"/cases/{case['ref']}/close", json={"outcome": "closed"}, headers=token("bexley", sub="bexley-9")
    )
    assert r.status_code == 403
    seen = await h.on_app(options, lambda: context_of(options.app).store.audit_writer.who_has_seen("case", case["ref"]))
    refusals = [
        (e.actor, e.actor_org, e.action, e.entity_org, e.purpose) for e in seen if e.action.endswith("_refused")
    ]
    assert refusals == [
        ("bexley-9", "bexley", "read_refused", "lewisham", "casework"),
        ("bexley-9", "bexley", "update_refused", "lewisham", "close"),
    ]
    # a read of personal data states a purpose from the closed list
    for params in ({}, {"purpose": "curiosity"}):
        r = await options.get(f"/cases/{case['ref']}", params=params, headers=token("lewisham"))
        assert r.status_code == 400 and "purpose" in r.text, r.text


async def test_bad_input_names_the_field_and_stores_nothing(start_service, token, h):
    options = await start_service("options")
    r = await options.post("/cases", json={"person": h.PERSON, "channel": "carrier-pigeon"}, headers=token("lewisham"))
    assert r.status_code == 400 and "channel" in r.text
    r = await options.post(
        "/cases", json={"person": h.PERSON, "channel": "reception", "colour": "blue"}, headers=token("lewisham")
    )
    assert r.status_code == 400 and "colour" in r.text
    r = await options.post(
        "/cases", json={"person": h.PERSON, "channel": "reception", "from_org": "lewisham"}, headers=token("lewisham")
    )
    assert r.status_code == 422 and "from_org" in r.text
    assert await h.on_app(options, lambda: Case.count()) == 0


@pytest.mark.rule("bromley.female-officer")
async def test_bromley_always_offers_a_female_officer(start_service, token, h):
    """001_2a45bb55c36fcb52.txt (Bromley): "Any DV cases are always offered a female officer to conduct the
    interview"."""
    options = await start_service("options", plugins=h.manager_with(("test-borough", _routing_plugin(h))))
    case = await h.open_case(options, token("bromley"))
    assert case["interview"]["same_sex_offered"] is True


@pytest.mark.rule("greenwich.routing-by-tenure")
async def test_greenwich_routes_by_tenure(start_service, token, h):
    """001_2a45bb55c36fcb52.txt (Greenwich): "Private sector tenants and owner occupiers are referred to Housing Aid
    Centre. Secure tenants are referred to Housing Options"."""
    options = await start_service("options", plugins=h.manager_with(("test-borough", _routing_plugin(h))))
    private = await h.open_case(options, token("greenwich"), tenure="private_rented")
    secure = await h.open_case(options, token("greenwich"), tenure="council_secure")
    assert private["interview"]["interviewer"] == "housing_aid_centre"
    assert secure["interview"]["interviewer"] == "housing_options"


@pytest.mark.rule("bexley.dv-specialists-emergency")
async def test_bexley_sees_dv_approaches_as_emergencies_with_the_specialist(start_service, token, h):
    """001_2a45bb55c36fcb52.txt (Bexley): "given an interview with one of the specialists, as they are seen as an
    emergency"."""
    options = await start_service("options", plugins=h.manager_with(("test-borough", _routing_plugin(h))))
    case = await h.open_case(options, token("bexley"))
    assert case["interview"]["interviewer"] == "dv_specialist"
    assert case["interview"]["fallback_interviewer"] == "any_officer_with_specialist_folder"
    assert case["interview"]["seen_as_emergency"] is True


async def test_core_default_routing_without_a_plugin(start_service, token, h):
    options = await start_service("options", plugins=h.manager_with(("test-borough", _routing_plugin(h))))
    case = await h.open_case(options, token("southwark"))
    assert case["interview"]["interviewer"] == "housing_options" and case["interview"]["same_sex_offered"] is False


@pytest.mark.rule("ag013.interview-next-working-day")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_interview_clock_and_overdue_event(start_service, token, h):
    """003_8738e4ccc4c4272a.txt principle 1: "interviewed before the end of the next working day from making a
    report"."""
    options = await start_service("options", plugins=h.manager_with(("test-borough", _routing_plugin(h))))
    friday = "2026-11-27T15:00:00+00:00"
    case = await h.open_case(options, token("dales-housing"), channel="landlord_report", approached_at=friday)
    assert case["interview"]["due_at"].startswith("2026-11-30T17:00:00")
    ctx = context_of(options.app)

    async def check(now):
        return (await h.on_app(options, lambda: check_overdue(ctx, now)))["interviews"]

    assert await check(datetime(2026, 11, 30, 16, 59, tzinfo=UTC)) == []
    assert await check(datetime(2026, 11, 30, 17, 1, tzinfo=UTC)) == [case["ref"]]
    assert await check(datetime(2026, 12, 1, tzinfo=UTC)) == []  # raised once
    outbox = ctx.store.tables.outbox
    types = [r["type"] for r in await h.on_app(options, lambda: outbox.select(outbox.type))]
    assert "haven.options.interview-overdue.v1" in types
    ctx.clock = lambda: datetime(2026, 12, 1, tzinfo=UTC)  # the interview is recorded after it was held
    r = await options.post(
        f"/cases/{case['ref']}/interview", json={"held_at": "2026-11-30T18:00:00+00:00"}, headers=token("dales-housing")
    )
    assert r.json()["on_time"] is False
    again = await options.post(f"/cases/{case['ref']}/interview", json={}, headers=token("dales-housing"))
    assert again.status_code == 409


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_homeless_client_gets_interim_duty_at_once_and_relief_into_main_duty_at_day_56(start_service, token, h):
    """Domestic Abuse Act 2021 s78 (automatic priority need) and the Homelessness Reduction Act 2017 relief duty (56
    days)."""
    options = await start_service("options")
    at = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    case = await h.open_case(options, token("lewisham"), homelessness="homeless", approached_at=at.isoformat())
    duties = {d["duty"]: d for d in case["duties"]}
    assert set(duties) == {"relief", "main_duty_decision", "interim_accommodation"}
    assert duties["interim_accommodation"]["due_at"] is None
    assert duties["relief"]["due_at"].startswith((at + timedelta(days=56)).date().isoformat())
    assert duties["main_duty_decision"]["started_at"] == duties["relief"]["due_at"]
    ctx = context_of(options.app)
    expired = await h.on_app(options, lambda: check_overdue(ctx, at + timedelta(days=56, minutes=1)))
    assert sorted(expired["duties"]) == sorted([f"{case['ref']}:relief", f"{case['ref']}:main_duty_decision"])


async def test_prevention_duty_moves_to_relief(start_service, token, h):
    """Homelessness Reduction Act 2017: prevention (56 days) while threatened; relief once homeless, and then the
    interim-accommodation duty (Domestic Abuse Act 2021 s78 priority need)."""
    options = await start_service("options")
    case = await h.open_case(options, token("lewisham"), homelessness="threatened")
    assert {d["duty"] for d in case["duties"]} == {"prevention"}
    r = await options.post(f"/cases/{case['ref']}/duties/relief", headers=token("lewisham"))
    assert r.status_code == 200 and {d["duty"] for d in r.json()} == {
        "relief",
        "main_duty_decision",
        "interim_accommodation",
    }
    assert (await options.post(f"/cases/{case['ref']}/duties/relief", headers=token("lewisham"))).status_code == 409
    clocks = {
        c["duty"]: c
        for c in await h.on_app(options, lambda: DutyClock.select().where(DutyClock.case_ref == case["ref"]))
    }
    assert clocks["prevention"]["ended_at"] is not None


async def test_unable_to_return_home_flags_interim_duty_at_once(start_service, token, h):
    """Domestic Abuse Act 2021 s78: where there is reason to believe the client may be homeless, interim accommodation
    at once."""
    options = await start_service("options")
    case = await h.open_case(options, token("lewisham"), unable_to_return_home=True)
    assert [d["duty"] for d in case["duties"]] == ["interim_accommodation"]
    none = await h.open_case(options, token("lewisham"))
    assert none["duties"] == []


async def test_local_connection_referral_refused_where_household_at_risk(start_service, token, h):
    """Housing Act 1996 s198(2)(b): no local-connection referral where anyone in the household is at risk of domestic
    abuse there."""
    options = await start_service("options")
    case = await h.open_case(options, token("lewisham"), homelessness="homeless")
    r = await options.post(
        f"/cases/{case['ref']}/local-connection-referral",
        json={"to_org": "bexley", "household_at_risk_there": True},
        headers=token("lewisham"),
    )
    assert r.status_code == 409 and "at risk" in r.json()["detail"]
    ok = await options.post(
        f"/cases/{case['ref']}/local-connection-referral",
        json={"to_org": "bexley", "household_at_risk_there": False},
        headers=token("lewisham"),
    )
    assert ok.status_code == 200 and ok.json()["referral_permitted"] is True


async def test_closed_case_cannot_be_booked_or_closed_again(start_service, token, h):
    """An illegal transition is a 409 and nothing changes."""
    options = await start_service("options")
    case = await h.open_case(options, token("lewisham"))
    assert (
        await options.post(f"/cases/{case['ref']}/close", json={"outcome": "rehoused"}, headers=token("lewisham"))
    ).status_code == 200
    r = await options.post(f"/cases/{case['ref']}/temporary-accommodation", json={}, headers=token("lewisham"))
    assert r.status_code == 409 and "closed" in r.json()["detail"]
    assert (await options.post(f"/cases/{case['ref']}/close", json={}, headers=token("lewisham"))).status_code == 409


@pytest.mark.rule("ag013.interview-next-working-day", "ag013.same-sex-interviewer")
async def test_dales_housing_plugin_interview_by_end_of_next_working_day_with_same_sex_and_culture_offer(
    start_service, token, h
):
    """003_8738e4ccc4c4272a.txt principles 1 and 2 through the shipped Dales / Seven Locks plugin: "interviewed before
    the end of the next working day"; "offered an interview with someone of the same sex and/or cultural background"."""
    options = await start_service("options")
    context_of(options.app).clock = lambda: datetime(
        2026, 12, 24, 12, 30, tzinfo=UTC
    )  # recorded just after the approach
    case = await h.open_case(
        options,
        token("dales-housing"),
        channel="landlord_report",
        tenure="housing_association",
        approached_at="2026-12-24T12:00:00+00:00",
    )
    assert case["interview"]["same_sex_offered"] is True and case["interview"]["same_culture_offered"] is True
    assert case["interview"]["due_at"].startswith("2026-12-29T17:00:00")  # Christmas and Boxing Day substitute skipped
