"""The safe-address guard on the options service's outbound shares.

"addresses can be marked confidential (refuge, new safe
address) or as a former address shared with the perpetrator; any letter, export, referral
or share that would send a confidential address, or send correspondence to a former shared
address, is blocked with a clear reason and audited."
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from haven_contracts.events.options import ReferralDetailsReply, ReferralDetailsRequest
from haven_contracts.ids import new_reference
from haven_options import addresses
from haven_options.cases import find
from haven_options.tables import Case, Referral
from haven_runtime.app import context_of
from haven_runtime.identity import Principal
from haven_runtime.privacy import assert_no_plaintext
from haven_runtime.safe_address import SafeAddressBlocked

A, B = "bexley", "bromley"
REFUGE = "7 Hidden Refuge Road, Safeplace SP1 2AB"
FORMER = "3 Old Shared Street, Testville TV9 9ZZ"


async def _referral(options, h, case_ref: str, to_org: str) -> str:
    """A sanctuary-style referral of the case to ``to_org`` (as the options-offered flow records one)."""
    ref = new_reference("REF")
    row = Referral(
        ref=ref,
        case_ref=case_ref,
        org=A,
        to_org=to_org,
        kind="sanctuary_scheme",
        option_id="sanctuary",
        created_by="officer-1",
        created_at=datetime.now(UTC),
    )
    await h.on_app(options, lambda: Referral.insert(row))
    return ref


async def _ask(options, h, case_ref: str, referral_ref: str, requested_by: str) -> ReferralDetailsReply:
    ctx = context_of(options.app)
    req = ReferralDetailsRequest(
        target_org=A,
        requested_by=requested_by,
        case_ref=case_ref,
        referral_ref=referral_ref,
        requested_by_officer="scheme-officer",
        purpose="sanctuary referral details",
    )
    return await h.on_app(options, lambda: ctx.request(req))


async def _blocks(options, h, case_ref: str) -> list:
    seen = await h.on_app(options, lambda: context_of(options.app).store.audit_writer.who_has_seen("case", case_ref))
    return [e for e in seen if e.action == "blocked"]


async def test_referral_details_for_a_refuge_address_are_blocked_over_the_bus_and_audited(start_service, token, h):
    """A referral "that would send a confidential address ... is blocked with a clear reason and audited".
    A sanctuary-style ReferralDetailsRequest over a real nats-server for a case whose address is a refuge is refused;
    the same request for a case with an ordinary address is answered."""
    options = await start_service("options")
    normal = await h.open_case(options, token(A))
    hidden = await h.open_case(options, token(A))
    r = await options.put(
        f"/cases/{hidden['ref']}/address", json={"address_kind": "refuge", "address": REFUGE}, headers=token(A)
    )
    assert r.status_code == 200, r.text
    assert r.json()["address_kind"] == "refuge"

    allowed = await _ask(options, h, normal["ref"], await _referral(options, h, normal["ref"], A), A)
    assert allowed.ok and allowed.person.address == h.PERSON["address"]
    assert await _blocks(options, h, normal["ref"]) == []

    blocked = await _ask(options, h, hidden["ref"], await _referral(options, h, hidden["ref"], A), A)
    assert not blocked.ok and blocked.error == "safe_address_blocked" and blocked.person is None
    assert "confidential refuge address" in blocked.message and "Hidden Refuge" not in blocked.message
    audit = await _blocks(options, h, hidden["ref"])
    assert len(audit) == 1 and audit[0].purpose == "safe-address guard: referral"
    await assert_no_plaintext(str(context_of(options.app).settings.database_url("options")), ["Hidden Refuge Road"])


async def test_jwa_information_release_of_a_safe_address_is_refused_with_409_and_audited(start_service, token, h):
    """A share "that would send a confidential address ... is blocked with a clear reason and audited" —
    the JWA advance contact and the answer to an information request both refuse to release a new safe address."""
    options = await start_service("options")
    case = await h.open_case(options, token(A), duty_accepted=True)
    await options.put(f"/cases/{case['ref']}/address", json={"address_kind": "safe"}, headers=token(A))
    await options.post(
        f"/cases/{case['ref']}/consents", json={"purpose": "share_with_borough", "recipient": B}, headers=token(A)
    )
    r = await options.post(
        "/jwa/notifications", json={"case_ref": case["ref"], "to_org": B, "share_information": True}, headers=token(A)
    )
    assert r.status_code == 409, r.text
    assert "confidential safe address" in r.json()["detail"]
    assert len(await _blocks(options, h, case["ref"])) == 1
    assert await h.on_app(options, lambda: Case.count()) == 1


async def test_correspondence_to_a_former_shared_address_is_blocked(start_service, token, h):
    """Anything that would "send correspondence to a former shared address, is blocked with a clear reason
    and audited"; a letter to the current address still goes, and an untagged copy of a refuge address in free text is
    caught."""
    options = await start_service("options")
    opened = await h.open_case(options, token(A))
    r = await options.put(
        f"/cases/{opened['ref']}/address",
        json={"address_kind": "former_shared", "former_address": FORMER},
        headers=token(A),
    )
    assert r.status_code == 200 and r.json()["former_address_recorded"] is True
    ctx = context_of(options.app)
    officer = Principal(sub="officer-1", org=A, roles=frozenset({"options_officer"}))
    case = await h.on_app(options, lambda: find(opened["ref"]))
    with pytest.raises(SafeAddressBlocked) as blocked:
        await h.on_app(
            options,
            lambda: addresses.guard(
                ctx, officer, case, purpose="letter", recipient_org=A, carries_address=False, send_to_case_address=True
            ),
        )
    assert blocked.value.blocks[0].rule == "former_shared_address"
    assert len(await _blocks(options, h, case.ref)) == 1
    await options.put(f"/cases/{opened['ref']}/address", json={"address_kind": "current"}, headers=token(A))
    case = await h.on_app(options, lambda: find(opened["ref"]))
    await h.on_app(
        options,
        lambda: addresses.guard(
            ctx, officer, case, purpose="letter", recipient_org=A, carries_address=True, send_to_case_address=True
        ),
    )
    await options.put(f"/cases/{opened['ref']}/address", json={"address_kind": "refuge"}, headers=token(A))
    case = await h.on_app(options, lambda: find(opened["ref"]))
    with pytest.raises(SafeAddressBlocked) as leaked:
        await h.on_app(
            options,
            lambda: addresses.guard(
                ctx,
                officer,
                case,
                purpose="export",
                recipient_org=B,
                carries_address=False,
                free_text=(f"client now at {h.PERSON['address']}",),
            ),
        )
    assert leaked.value.blocks[0].rule == "confidential_address_in_text"


async def test_marking_an_address_is_audited_and_validated(start_service, token, h):
    """As required: "Addresses can be marked confidential (refuge, new safe address) or as a former address shared with
    the perpetrator"."""
    options = await start_service("options")
    case = await h.open_case(options, token(A))
    bad = await options.put(f"/cases/{case['ref']}/address", json={"address_kind": "secret"}, headers=token(A))
    assert bad.status_code == 400 or bad.status_code == 422
    assert "address_kind" in bad.text
    other = await options.put(f"/cases/{case['ref']}/address", json={"address_kind": "refuge"}, headers=token(B))
    assert other.status_code == 403
    await options.put(f"/cases/{case['ref']}/address", json={"address_kind": "refuge"}, headers=token(A))
    seen = await h.on_app(options, lambda: context_of(options.app).store.audit_writer.who_has_seen("case", case["ref"]))
    assert [e.action for e in seen].count("mark_address") == 1


async def test_options_sheet_with_a_confidential_address_in_its_text_is_blocked(start_service, token, h):
    """Any letter "that would send a confidential address ... is blocked with a clear reason and audited" —
    the options sheet handed to the client may not carry the refuge's address typed into its text."""
    options = await start_service("options")
    case = await h.open_case(options, token(A))
    await options.put(
        f"/cases/{case['ref']}/address", json={"address_kind": "refuge", "address": REFUGE}, headers=token(A)
    )
    await options.post(
        f"/cases/{case['ref']}/options/offer", json={"option_ids": ["bexley-legal-clinic"]}, headers=token(A)
    )
    url = f"/cases/{case['ref']}/sheets"
    leaked = await options.post(
        url, json={"officer_name": "Sam Officer (invented)", "officer_contact": "call in at SP1 2AB"}, headers=token(A)
    )
    assert leaked.status_code == 409 and "contains a confidential refuge address" in leaked.json()["detail"]
    assert len(await _blocks(options, h, case["ref"])) == 1
    ok = await options.post(
        url,
        json={"officer_name": "Sam Officer (invented)", "officer_contact": "options@bexley.example"},
        headers=token(A),
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["version"] == 1
