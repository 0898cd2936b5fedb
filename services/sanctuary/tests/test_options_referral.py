"""Referrals from the options service: a case's sanctuary option chosen arrives as an
addressed ``sanctuary-referral-requested`` event carrying references only; the scheme asks
the options service for the personal details (consent-checked there) when an officer needs
them, and copes when they are not available."""

from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec
import nats
import pytest

from haven_contracts.events.options import (
    PersonDetails,
    ReferralDetailsReply,
    ReferralDetailsRequest,
    SanctuaryReferralRequested,
)
from haven_contracts.messages import encode, envelope_for
from haven_contracts.subjects import request_subject
from haven_runtime.testing import eventually
from haven_sanctuary.tables import RUNTIME, SanctuaryReferral

from .conftest import ThreadResponder


async def _publish(nats_server, event: SanctuaryReferralRequested) -> None:
    nc = await nats.connect(nats_server.url)
    envelope = envelope_for(event, subject=event.referral_ref)
    await nc.jetstream().publish(event.subject, encode(event), headers=envelope.to_headers())
    await nc.close()


def _event(**kw) -> SanctuaryReferralRequested:
    values = dict(
        org="bexley",
        to_org="dartford",
        case_ref="CASE-7K3QD9X2MB",
        referral_ref="SAN-OPT0000001",
        requested_at=datetime.now(UTC),
        unsafe_to_stay=True,
    )
    return SanctuaryReferralRequested(**(values | kw))


async def _referral(ref: str):
    return await SanctuaryReferral.objects().where(SanctuaryReferral.ref == ref).first()


def _responder(nats_server, reply: ReferralDetailsReply) -> ThreadResponder:
    """The options service's referral-details responder for Bexley, answering ``reply``."""
    return ThreadResponder(
        nats_server.url, request_subject("options", "referral-details", 1, "bexley"), lambda _: encode(reply)
    )


@pytest.mark.rule("dartford.any-organisation-refers", "dartford.out-of-hours-emergency-accommodation")
async def test_options_event_creates_a_referral_with_references_only(start_service, token, nats_server, bus_events):
    """Seed 004_d4b796f614d2cfd3.txt s.8: the form "can by used by any referring agency"; a
    case's sanctuary option (options service) refers with references only; an unsafe person
    gets emergency accommodation requested at once (s.5)."""
    client = await start_service("sanctuary")
    event = _event()
    await _publish(nats_server, event)
    row = await eventually(lambda: _referral(event.referral_ref))
    assert (row.org, row.referrer_org, row.source, row.case_ref) == ("dartford", "bexley", "options", event.case_ref)
    assert row.details_status == "pending" and row.person_name_enc is None and row.tenure is None
    await eventually(lambda: bus_events.of("emergency-accommodation-requested"))
    # the same referral again (another event id) is not filed twice
    await _publish(nats_server, _event(requested_at=datetime.now(UTC)))
    await eventually(lambda: len(bus_events.of("referral-received")) >= 1)
    officer = token("dartford", "sanctuary_officer")
    listing = (await client.get("/referrals", headers=officer)).json()
    assert [x["ref"] for x in listing] == [event.referral_ref]
    assert listing[0]["landlord_permission"] == "not_applicable" and listing[0]["funding"] is None


async def test_event_for_an_org_without_a_scheme_is_dead_lettered(start_service, nats_server):
    """As required: "A message that can never be processed ends in a dead-letter
    record with the reason"."""
    await start_service("sanctuary")
    await _publish(nats_server, _event(to_org="cambridgeshire", referral_ref="SAN-OPT0000002"))
    dead = RUNTIME.dead_letter

    async def dead_letters():
        return await dead.select().where(dead.consumer == "sanctuary-referrals-from-options")

    rows = await eventually(dead_letters)
    assert "runs no sanctuary scheme" in rows[0]["reason"]
    assert await SanctuaryReferral.count() == 0


async def test_details_not_available_leave_the_referral_pending(start_service, token, nats_server):
    """Principle 2: details move only by an explicit, authorised request; when the
    options service cannot answer, the referral still exists with details pending."""
    client = await start_service("sanctuary")
    event = _event(referral_ref="SAN-OPT0000003")
    await _publish(nats_server, event)
    await eventually(lambda: _referral(event.referral_ref))
    officer = token("dartford", "sanctuary_officer")
    r = await client.post(f"/referrals/{event.referral_ref}/details/fetch", headers=officer)
    assert r.status_code == 200 and r.json()["details_status"] == "pending"
    assert "not available" in r.json()["reason"]

    with _responder(
        nats_server, ReferralDetailsReply(ok=False, error="no_consent", message="consent not recorded")
    ) as responder:
        r = await client.post(f"/referrals/{event.referral_ref}/details/fetch", headers=officer)
    assert r.json()["details_status"] == "pending" and "no_consent" in r.json()["reason"]
    asked = msgspec.json.decode(responder.asked[0], type=ReferralDetailsRequest)
    assert (asked.requested_by, asked.case_ref, asked.referral_ref) == ("dartford", event.case_ref, event.referral_ref)
    assert asked.requested_by_officer == "officer-1"
    assert (await _referral(event.referral_ref)).details_status == "pending"


@pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
async def test_details_fetched_with_consent_are_stored_encrypted(
    start_service, token, nats_server, bus_events, stored, db_backend
):
    """Principle 2 and 7: the reply goes to the requester's inbox only, and the
    scheme stores the personal fields encrypted; the tenure then starts the landlord-permission
    request (seed 004_d4b796f614d2cfd3.txt s.7) and the funding decision (s.6)."""
    client = await start_service("sanctuary")
    event = _event(referral_ref="SAN-OPT0000004", unsafe_to_stay=False)
    await _publish(nats_server, event)
    await eventually(lambda: stored("sanctuary_referral", "ref", event.referral_ref))
    person = PersonDetails(
        name="Jo Invented",
        address="3 Test Lane, Dartford DA2 7ZZ",
        phone="01322 222222",
        date_of_birth=date(1980, 3, 4),
    )
    reply = ReferralDetailsReply(
        case_ref=event.case_ref,
        person=person,
        tenure="housing_association",
        landlord_name="Example Housing",
        referrer_officer="Options Officer (invented)",
        perpetrator_at_property=False,
    )
    officer = token("dartford", "sanctuary_officer")
    with _responder(nats_server, reply):
        r = await client.post(f"/referrals/{event.referral_ref}/details/fetch", headers=officer)
    assert r.status_code == 200 and r.json()["details_status"] == "received", r.text
    raw = str(await stored("sanctuary_referral", "ref", event.referral_ref))
    assert event.referral_ref in raw
    assert "Jo Invented" not in raw and "Test Lane" not in raw
    body = (
        await client.get(f"/referrals/{event.referral_ref}", params={"purpose": "casework"}, headers=officer)
    ).json()
    assert body["form"]["person"]["name"] == "Jo Invented" and body["form"]["landlord_name"] == "Example Housing"
    assert (body["tenure"], body["landlord_permission"], body["funding_status"]) == (
        "housing_association_tenant",
        "requested",
        "landlord_asked",
    )
    criterion = next(c for c in body["criteria"] if c["key"] == "perpetrator_not_resident")
    assert (criterion["status"], criterion["confirmed_by"]) == ("met", "options:bexley")
    await eventually(lambda: bus_events.of("landlord-permission-requested"))
