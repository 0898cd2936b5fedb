"""Housing options, decisions, sanctuary referral, the options sheet and consent.

Seeds: ``000_93a7cd5d2a8b6030.txt`` ("a range of options"; the options offered / advice given
sheet "with name of officer and contact details attached"; "links to appropriate support
agencies"), ``001_2a45bb55c36fcb52.txt`` (each borough's options),
``003_8738e4ccc4c4272a.txt`` (principle 5: contact external agencies "with the permission of
the victim").
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import nats
import pytest

from haven_contracts.clocks import ServiceLevel
from haven_contracts.events.options import ReferralDetailsReply, ReferralDetailsRequest
from haven_contracts.messages import encode
from haven_contracts.plugin.options import CORE_OPTION_IDS, Advice, HousingOption, SchemeOperator
from haven_runtime.app import context_of
from haven_runtime.plugins import HavenPluginManager
from haven_runtime.testing import REPLY_TIMEOUT, eventually, flushed
from haven_runtime.testing.plugins import normalise, seed_text


def _lewisham_plugin(h):
    def haven_housing_options(org, case):
        return [
            HousingOption(
                id="lewisham-sanctuary",
                title="Sanctuary scheme",
                kind="sanctuary_scheme",
                replaces="sanctuary_scheme",
                eligible=case.perpetrator_at_property is not True,
                reason="stays at home without the perpetrator",
                refer_to="Lewisham sanctuary project officer",
                referral_level=ServiceLevel(
                    amount=48,
                    target=24,
                    unit="hours",
                    source="001_2a45bb55c36fcb52.txt: Between 24-48 hours to complete a Risk Assessment",
                ),
            ),
            HousingOption(id="lewisham-idva", title="IDVA", kind="signposting", refer_to="Lewisham IDVA"),
        ]

    def haven_case_advice(org, case):
        return (
            [Advice(id="arrears", topic="rent-arrears", text="Rent arrears are disregarded at this stage.")]
            if case.rent_arrears
            else []
        )

    def haven_sanctuary_scheme_for(org, case):
        return SchemeOperator(org="dartford", name="Test scheme")

    return h.plugin(
        "test-lewisham",
        ("lewisham",),
        haven_housing_options=haven_housing_options,
        haven_case_advice=haven_case_advice,
        haven_sanctuary_scheme_for=haven_sanctuary_scheme_for,
    )


@pytest.mark.rule("jwa.range-of-options")
async def test_core_options_with_eligibility_when_no_plugin_adds_any(start_service, token, h):
    """000_93a7cd5d2a8b6030.txt: "applicants fleeing domestic violence will be offered a range of options"."""
    options = await start_service("options", plugins=HavenPluginManager())
    case = await h.open_case(options, token("lewisham"), tenure="private_rented", perpetrator_at_property=True)
    listed = {
        o["id"]: o for o in (await options.get(f"/cases/{case['ref']}/options", headers=token("lewisham"))).json()
    }
    assert tuple(listed) == CORE_OPTION_IDS
    assert listed["transfer"]["eligible"] is False and listed["landlord_negotiation"]["eligible"] is True
    assert listed["sanctuary_scheme"]["eligible"] is False and "perpetrator" in listed["sanctuary_scheme"]["reason"]


@pytest.mark.rule("lewisham.sanctuary-assessment")
async def test_plugin_options_replace_core_ones_and_carry_referral_clocks(start_service, token, h):
    """001_2a45bb55c36fcb52.txt (Lewisham): "Between 24-48 hours to complete a Risk Assessment" — the referral's
    clock."""
    options = await start_service("options", plugins=h.manager_with(("test-lewisham", _lewisham_plugin(h))))
    case = await h.open_case(options, token("lewisham"))
    ids = [o["id"] for o in (await options.get(f"/cases/{case['ref']}/options", headers=token("lewisham"))).json()]
    assert "sanctuary_scheme" not in ids and {"lewisham-sanctuary", "lewisham-idva", "refuge"} <= set(ids)
    r = await options.post(
        f"/cases/{case['ref']}/options/offer",
        json={"option_ids": ["lewisham-sanctuary", "refuge"]},
        headers=token("lewisham"),
    )
    assert r.status_code == 201, r.text
    r = await options.post(
        f"/cases/{case['ref']}/options/refuge/decision", json={"decision": "refused"}, headers=token("lewisham")
    )
    assert r.json()["status"] == "refused" and r.json()["referral"] is None


async def test_offer_and_decision_transitions(start_service, token, h):
    options = await start_service("options", plugins=HavenPluginManager())
    case = await h.open_case(options, token("lewisham"))
    url = f"/cases/{case['ref']}/options"
    bad = await options.post(f"{url}/offer", json={"option_ids": ["bobby-van"]}, headers=token("lewisham"))
    assert bad.status_code == 422 and "option_ids" in bad.text
    assert (
        await options.post(f"{url}/refuge/decision", json={"decision": "chosen"}, headers=token("lewisham"))
    ).status_code == 409
    assert (
        await options.post(f"{url}/offer", json={"option_ids": ["refuge"]}, headers=token("lewisham"))
    ).status_code == 201
    assert (
        await options.post(f"{url}/offer", json={"option_ids": ["refuge"]}, headers=token("lewisham"))
    ).status_code == 409
    await options.post(
        f"/cases/{case['ref']}/consents",
        json={"purpose": "contact_agency", "recipient": "refuge"},
        headers=token("lewisham"),
    )
    assert (
        await options.post(f"{url}/refuge/decision", json={"decision": "chosen"}, headers=token("lewisham"))
    ).status_code == 200
    again = await options.post(f"{url}/refuge/decision", json={"decision": "refused"}, headers=token("lewisham"))
    assert again.status_code == 409 and "already chosen" in again.json()["detail"]


@pytest.mark.rule("ag013.consent-before-agencies")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_choosing_sanctuary_refers_to_the_scheme_and_details_need_consent(start_service, token, h, nats_server):
    """003_8738e4ccc4c4272a.txt principle 5: agencies are contacted "with the permission of the victim"; the scheme org
    comes from haven_sanctuary_scheme_for and asks for the details with ReferralDetailsRequest."""
    options = await start_service("options", plugins=h.manager_with(("test-lewisham", _lewisham_plugin(h))))
    nc = await nats.connect(nats_server.url)
    seen = []

    async def collect(msg):
        seen.append(msg)

    await nc.subscribe("haven.options.evt.sanctuary-referral-requested.>", cb=collect)
    await flushed(nc)
    case = await h.open_case(options, token("lewisham"), unable_to_return_home=True)
    url = f"/cases/{case['ref']}"
    await options.post(f"{url}/options/offer", json={"option_ids": ["lewisham-sanctuary"]}, headers=token("lewisham"))
    given = await options.post(
        f"{url}/consents", json={"purpose": "contact_agency", "recipient": "dartford"}, headers=token("lewisham")
    )
    r = await options.post(
        f"{url}/options/lewisham-sanctuary/decision", json={"decision": "chosen"}, headers=token("lewisham")
    )
    body = r.json()
    assert body["referral"]["to_org"] == "dartford" and body["referral_due_at"] is not None
    msg = (await eventually(lambda: seen))[0]
    assert msg.subject == "haven.options.evt.sanctuary-referral-requested.v1.lewisham.dartford"
    event = msgspec.json.decode(msg.data)
    assert event["unsafe_to_stay"] is True and event["referral_ref"] == body["referral"]["ref"]

    async def ask(requested_by="dartford") -> ReferralDetailsReply:
        req = ReferralDetailsRequest(
            target_org="lewisham",
            requested_by=requested_by,
            case_ref=case["ref"],
            referral_ref=body["referral"]["ref"],
            requested_by_officer="spo-1",
            purpose="sanctuary referral form",
        )
        reply = await nc.request(req.subject, encode(req), timeout=REPLY_TIMEOUT)
        return msgspec.json.decode(reply.data, type=ReferralDetailsReply)

    assert given.status_code == 201
    shared = await ask()
    assert shared.ok and shared.person.name == h.PERSON["name"] and shared.consent_basis.startswith("consent:")
    assert (await ask(requested_by="bexley")).error == "not_found"
    await options.post(f"{url}/consents/{given.json()['ref']}/withdraw", headers=token("lewisham"))
    assert (await ask()).error == "no_consent"
    audit = await h.on_app(
        options, lambda: context_of(options.app).store.audit_writer.who_has_seen("case", case["ref"])
    )
    assert [e.action for e in audit if e.actor.startswith("dartford")] == ["share", "refuse"]
    await nc.close()


AG013 = "003_8738e4ccc4c4272a.txt"
PERMISSION = (
    "the employee carrying out the interview will contact external agencies such as the Local Authority, Police, "
    "Solicitor, or the local advice agency with the permission of the victim"
)


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_choosing_an_option_that_contacts_an_agency_needs_the_victims_permission(start_service, token, h):
    """003_8738e4ccc4c4272a.txt principle 5: "... contact external agencies ... with the permission of the victim".

    Choosing an option whose referral goes outside the organisation is refused (409 naming the consent) until
    the client's ``contact_agency`` consent for that recipient, or a senior's safeguarding override, is recorded;
    a withdrawn consent no longer counts; an option kept within the organisation needs none."""
    assert normalise(PERMISSION) in seed_text(AG013)
    options = await start_service("options", plugins=h.manager_with(("test-lewisham", _lewisham_plugin(h))))
    case = await h.open_case(options, token("lewisham"))
    url = f"/cases/{case['ref']}"
    listed = {o["id"]: o for o in (await options.get(f"{url}/options", headers=token("lewisham"))).json()}
    assert listed["lewisham-idva"]["consent_recipient"] == "lewisham-idva"
    assert listed["lewisham-sanctuary"]["consent_recipient"] == "dartford"
    assert listed["signposting"]["consent_recipient"] is None  # needs_consent=False
    ids = ["lewisham-idva", "lewisham-sanctuary", "refuge", "signposting"]
    assert (
        await options.post(f"{url}/options/offer", json={"option_ids": ids}, headers=token("lewisham"))
    ).status_code == 201

    refused = await options.post(
        f"{url}/options/lewisham-idva/decision", json={"decision": "chosen"}, headers=token("lewisham")
    )
    assert refused.status_code == 409, refused.text
    assert (
        "consent" in refused.json()["detail"]
        and "contact_agency" in refused.json()["detail"]
        and "lewisham-idva" in refused.json()["detail"]
    )
    still = {o["id"]: o["status"] for o in (await options.get(f"{url}/options", headers=token("lewisham"))).json()}
    assert still["lewisham-idva"] == "offered"  # nothing changed

    # consent for another recipient does not count; a withdrawn one no longer does
    other = await options.post(
        f"{url}/consents", json={"purpose": "contact_agency", "recipient": "refuge"}, headers=token("lewisham")
    )
    assert (
        await options.post(
            f"{url}/options/lewisham-idva/decision", json={"decision": "chosen"}, headers=token("lewisham")
        )
    ).status_code == 409
    await options.post(f"{url}/consents/{other.json()['ref']}/withdraw", headers=token("lewisham"))
    assert (
        await options.post(f"{url}/options/refuge/decision", json={"decision": "chosen"}, headers=token("lewisham"))
    ).status_code == 409

    given = await options.post(
        f"{url}/consents", json={"purpose": "contact_agency", "recipient": "lewisham-idva"}, headers=token("lewisham")
    )
    assert given.status_code == 201
    chosen = await options.post(
        f"{url}/options/lewisham-idva/decision", json={"decision": "chosen"}, headers=token("lewisham")
    )
    assert chosen.status_code == 200 and chosen.json()["status"] == "chosen"

    # a recorded safeguarding override allows the referral without consent
    body = {"purpose": "contact_agency", "recipient": "dartford", "reason": "children at immediate risk"}
    assert (
        await options.post(f"{url}/safeguarding-overrides", json=body, headers=token("lewisham", "dv_lead"))
    ).status_code == 201
    sanctuary = await options.post(
        f"{url}/options/lewisham-sanctuary/decision", json={"decision": "chosen"}, headers=token("lewisham")
    )
    assert sanctuary.status_code == 200 and sanctuary.json()["referral"]["to_org"] == "dartford"
    # refusing an option never needs consent; an option needing none can be chosen at once
    assert (
        await options.post(f"{url}/options/refuge/decision", json={"decision": "refused"}, headers=token("lewisham"))
    ).status_code == 200
    assert (
        await options.post(
            f"{url}/options/signposting/decision", json={"decision": "chosen"}, headers=token("lewisham")
        )
    ).status_code == 200
    table = context_of(options.app).store.audit_writer.table
    rows = await h.on_app(
        options,
        lambda: (
            table.select(table.detail)
            .where((table.entity_ref == case["ref"]) & (table.purpose == "option chosen"))
            .order_by(table.at)
        ),
    )
    bases = [msgspec.json.decode(r["detail"]).get("basis") for r in rows]
    assert (
        bases[:2] == [f"consent:{given.json()['ref']}", bases[1]]
        and bases[1].startswith("override:")
        and bases[2] is None
    )


@pytest.mark.rule("jwa.options-sheet", "jwa.support-agency-links")
@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_sheet_lists_options_advice_officer_and_agencies_and_is_versioned(start_service, token, h):
    """000_93a7cd5d2a8b6030.txt: "options offered/advice given sheet with name of officer and contact details
    attached"."""
    options = await start_service("options", plugins=h.manager_with(("test-lewisham", _lewisham_plugin(h))))
    case = await h.open_case(options, token("lewisham"), rent_arrears=True, homelessness="threatened")
    url = f"/cases/{case['ref']}/sheets"
    officer = {"officer_name": "Sam Officer (invented)", "officer_contact": "housing.options@lewisham.example"}
    assert (await options.post(url, json=officer, headers=token("lewisham"))).status_code == 409  # nothing offered yet
    await options.post(
        f"/cases/{case['ref']}/options/offer",
        json={"option_ids": ["lewisham-idva", "floating_support"]},
        headers=token("lewisham"),
    )
    first = await options.post(url, json=officer, headers=token("lewisham"))
    assert first.status_code == 201, first.text
    sheet = first.json()
    assert sheet["version"] == 1 and sheet["officer"]["name"] == "Sam Officer (invented)"
    assert sheet["support_agencies"] == ["Lewisham IDVA", "floating support provider"]
    assert [a["topic"] for a in sheet["advice"]] == ["rent-arrears"]
    assert {c["duty"] for c in sheet["statutory_clocks"]} == {"prevention"}
    assert h.PERSON["name"] not in first.text
    second = await options.post(url, json=officer, headers=token("lewisham"))
    assert second.json()["version"] == 2
    printable = await options.get(f"{url}/1?format=html", headers=token("lewisham"))
    assert printable.headers["content-type"].startswith("text/html")
    assert "Sam Officer (invented)" in printable.text and "Lewisham IDVA" in printable.text
    assert [v["version"] for v in (await options.get(url, headers=token("lewisham"))).json()] == [1, 2]
    missing = await options.post(url, json={"officer_name": "Sam"}, headers=token("lewisham"))
    assert missing.status_code == 422 and "officer_contact" in missing.text


@pytest.mark.rule("jwa.options-sheet")
async def test_sheet_officer_details_come_from_the_directory(start_service, token, h):
    """000_93a7cd5d2a8b6030.txt: the sheet carries the officer's name and contact — from the directory over NATS."""
    await start_service("directory")
    options = await start_service("options")
    headers = token("bexley", "dv_lead", sub="bexley-dv-lead")
    case = await h.open_case(options, headers)
    await options.post(
        f"/cases/{case['ref']}/options/offer", json={"option_ids": ["bexley-legal-clinic"]}, headers=headers
    )
    r = await options.post(f"/cases/{case['ref']}/sheets", json={}, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["officer"] == {"name": "Bexley DV Lead (invented)", "contact": "dv.lead@bexley.example"}
    unknown = await options.post(f"/cases/{case['ref']}/sheets", json={}, headers=token("bexley", sub="someone-else"))
    assert unknown.status_code == 422 and "officer_name" in unknown.text


async def test_safeguarding_override_needs_a_senior_role_and_reason_and_is_flagged(start_service, token, h):
    """Details move with consent or a recorded safeguarding override."""
    options = await start_service("options", plugins=HavenPluginManager())
    case = await h.open_case(options, token("lewisham"))
    url = f"/cases/{case['ref']}"
    body = {"purpose": "refer_to_marac", "recipient": "marac", "reason": "risk to children"}
    assert (
        await options.post(f"{url}/safeguarding-overrides", json=body, headers=token("lewisham"))
    ).status_code == 403
    no_reason = await options.post(
        f"{url}/safeguarding-overrides",
        json={"purpose": "refer_to_marac", "recipient": "marac"},
        headers=token("lewisham", "dv_lead"),
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.text
    assert (await options.post(f"{url}/marac-referral", headers=token("lewisham"))).status_code == 409
    r = await options.post(f"{url}/safeguarding-overrides", json=body, headers=token("lewisham", "dv_lead"))
    assert r.status_code == 201 and r.json()["flagged"] is True
    referral = await options.post(f"{url}/marac-referral", headers=token("lewisham"))
    assert referral.status_code == 201 and referral.json()["basis"].startswith("override:")
    listing = (await options.get(f"{url}/consents", headers=token("lewisham"))).json()
    assert listing["safeguarding_overrides"][0]["flagged"] is True
    assert "risk to children" not in repr(
        await h.on_app(options, lambda: context_of(options.app).store.tables.outbox.select())
    )


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_dash_over_http_and_repeat_after_a_marac_referral(start_service, token, h):
    """DASH.md: "Repeat: any instance of abuse ... within 12 months of the last MARAC referral"."""
    options = await start_service("options", plugins=HavenPluginManager())
    case = await h.open_case(options, token("lewisham"))
    url = f"/cases/{case['ref']}"
    thirteen = ["yes"] * 13 + ["no"] * 11
    r = await options.post(f"{url}/risk-assessments", json={"answers": thirteen}, headers=token("lewisham"))
    assert r.status_code == 201 and r.json()["criteria"] == [] and r.json()["marac_recommended"] is False
    r = await options.post(f"{url}/risk-assessments", json={"answers": thirteen[:23]}, headers=token("lewisham"))
    assert r.status_code == 400 and "answers" in r.text
    r = await options.post(
        f"{url}/risk-assessments", json={"answers": thirteen, "professional_judgement": True}, headers=token("lewisham")
    )
    assert r.status_code == 422 and "judgement_reason" in r.text
    r = await options.post(
        f"{url}/risk-assessments", json={"answers": ["yes"] + thirteen[:23]}, headers=token("lewisham")
    )
    assert r.json()["criteria"] == ["visible_high_risk"]
    await options.post(
        f"{url}/consents", json={"purpose": "refer_to_marac", "recipient": "marac"}, headers=token("lewisham")
    )
    assert (await options.post(f"{url}/marac-referral", headers=token("lewisham"))).status_code == 201
    r = await options.post(f"{url}/risk-assessments", json={"answers": ["no"] * 24}, headers=token("lewisham"))
    assert r.json()["criteria"] == []  # same day as the referral: not after it
    context_of(options.app).clock = lambda: datetime(
        2099, 1, 2, tzinfo=UTC
    )  # assessments may not be dated ahead of the clock
    r = await options.post(
        f"{url}/risk-assessments",
        json={"answers": ["no"] * 24, "incident_on": "2099-01-01", "assessed_on": "2099-01-01"},
        headers=token("lewisham"),
    )
    assert r.json()["criteria"] == []  # long after the 12 months
    ctx = context_of(options.app)
    types = [
        r["type"] for r in await h.on_app(options, lambda: ctx.store.tables.outbox.select(ctx.store.tables.outbox.type))
    ]
    assert types.count("haven.options.marac-criteria-met.v1") == 1 and "haven.options.marac-referred.v1" in types


@pytest.mark.rule("bexley.bobby-van", "bromley.female-officer", "bexley.marac-being-set-up")
async def test_real_plugins_bexley_bobby_van_and_bromley_female_officer(start_service, token, h):
    """001_2a45bb55c36fcb52.txt: Bexley's options include the Bobby Van; Bromley "always offered a female officer";
    "MARAC – Bexley are in process of setting up a MARAC"."""
    options = await start_service("options")
    bexley = await h.open_case(options, token("bexley"))
    dash = await options.post(
        f"/cases/{bexley['ref']}/risk-assessments",
        json={"answers": ["yes"] * 14 + ["no"] * 10},
        headers=token("bexley"),
    )
    assert dash.json()["marac_recommended"] is True and dash.json()["marac"]["live"] is False
    ids = [o["id"] for o in (await options.get(f"/cases/{bexley['ref']}/options", headers=token("bexley"))).json()]
    assert "bexley-bobby-van" in ids and "sanctuary_scheme" not in ids
    assert bexley["interview"]["seen_as_emergency"] is True
    bromley = await h.open_case(options, token("bromley"))
    assert bromley["interview"]["same_sex_offered"] is True


LINKED = {
    "bexley": {
        "bexley-bobby-van": "bexley-bobby-van",
        "bexley-floating-support": "bexley-womens-aid-floating-support",
        "bexley-legal-clinic": "bexley-legal-clinic",
    },
    "bromley": {
        "bromley-one-stop-shop": "bromley-one-stop-shop",
        "bromley-floating-support": "bromley-womens-aid-outreach",
    },
    "greenwich": {"greenwich-idva": "greenwich-idvas", "greenwich-rent-deposit": "greenwich-rent-deposit"},
    "lewisham": {"lewisham-idva": "lewisham-idva", "lewisham-floating-support": "lewisham-refuge-floating-support"},
    "southwark": {"southwark-idva": "southwark-idvas", "southwark-rent-incentive": "southwark-rent-incentive"},
}


async def test_each_boroughs_options_link_to_their_directory_services(start_service, token, h):
    """000_93a7cd5d2a8b6030.txt: "Throughout the process, boroughs will provide links to appropriate support agencies
    for the applicant" — each option of the shipped boroughs names its directory service by key (not by name only), the
    directory knows every key an option names, and the client's consent to contact the agency is asked for that
    service."""
    assert normalise("boroughs will provide links to appropriate support agencies for the applicant") in seed_text(
        "000_93a7cd5d2a8b6030.txt"
    )
    directory = await start_service("directory")
    options = await start_service("options")
    for org, expected in LINKED.items():
        case = await h.open_case(options, token(org), tenure="private_rented", unable_to_return_home=True)
        listed = {o["id"]: o for o in (await options.get(f"/cases/{case['ref']}/options", headers=token(org))).json()}
        assert {i: listed[i]["refer_to_key"] for i in expected} == expected
        for option in (o for o in listed.values() if o["refer_to_key"]):
            found = await directory.get(
                f"/catalogue/services/{option['refer_to_key']}", params={"purpose": "referral"}, headers=token(org)
            )
            assert found.status_code == 200, (org, option["id"], found.text)
    bexley = await h.open_case(options, token("bexley"))
    floating = next(
        o
        for o in (await options.get(f"/cases/{bexley['ref']}/options", headers=token("bexley"))).json()
        if o["id"] == "bexley-floating-support"
    )
    assert floating["consent_recipient"] == "bexley-womens-aid-floating-support"


def test_two_options_with_one_id_are_a_plugin_defect_named_not_silently_dropped(h):
    """A duplicate option id would hide one option from the officer: the plugins are named instead."""
    from types import SimpleNamespace

    from haven_options.options_catalogue import options_for
    from haven_runtime.plugins import PluginError
    from haven_runtime.testing.plugins import case_facts

    def second(org, case):
        return [HousingOption(id="lewisham-idva", title="IDVA again", kind="signposting", refer_to="Lewisham IDVA")]

    def core_again(org, case):
        return [HousingOption(id="refuge", title="Refuge", kind="refuge", refer_to="Refuge")]

    facts = case_facts("lewisham")
    manager = h.manager_with(
        ("test-lewisham", _lewisham_plugin(h)),
        ("test-lewisham-extra", h.plugin("test-lewisham-extra", ("lewisham",), haven_housing_options=second)),
    )
    with pytest.raises(
        PluginError, match="housing option 'lewisham-idva' from plugin test-lewisham and plugin test-lewisham-extra"
    ):
        options_for(SimpleNamespace(plugins=manager), facts)
    shadowing = h.manager_with(("test-core", h.plugin("test-core", ("lewisham",), haven_housing_options=core_again)))
    with pytest.raises(PluginError, match="housing option 'refuge' from plugin core and plugin test-core"):
        options_for(SimpleNamespace(plugins=shadowing), facts)
    assert [
        o.id
        for o in options_for(SimpleNamespace(plugins=h.manager_with(("test-lewisham", _lewisham_plugin(h)))), facts)
    ][-2:] == ["lewisham-sanctuary", "lewisham-idva"]
