"""The safe-address guard: "any letter, export, referral or share that would send a
confidential address, or send correspondence to a former shared address, is blocked with a
clear reason and audited"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from haven_runtime import db
from haven_runtime.identity import Principal
from haven_runtime.safe_address import (
    WITHHELD,
    Address,
    AddressKind,
    Outbound,
    SafeAddressBlocked,
    check,
    enforce,
    mentions,
    redact,
)
from haven_runtime.schema import create_tables
from haven_runtime.store import Store
from haven_runtime.tables import runtime_tables

REFUGE = Address(ref="ADDR-1", kind=AddressKind.REFUGE, text="Flat 2, 14 Invented Road, London SE9 4ZZ")
SAFE = Address(ref="ADDR-2", kind=AddressKind.SAFE, text="7 Madeup Close, Dartford DA1 9QQ")
FORMER = Address(ref="ADDR-3", kind=AddressKind.FORMER_SHARED, text="3 Old Lane, Bexleyheath DA6 8XX")
CURRENT = Address(ref="ADDR-4", kind=AddressKind.CURRENT, text="22 Temporary Street, Bromley BR1 1AA")


@pytest.mark.parametrize("purpose", ["letter", "export", "referral", "share"])
@pytest.mark.parametrize("address", [REFUGE, SAFE])
def test_confidential_address_never_leaves(purpose, address):
    blocks = check(Outbound(purpose=purpose, recipient_org="bromley", addresses=[address]))
    assert [b.rule for b in blocks] == ["confidential_address"]
    assert address.kind.value in blocks[0].reason and purpose in blocks[0].reason
    assert address.text not in blocks[0].reason


@pytest.mark.parametrize("purpose", ["letter", "export", "referral", "share"])
def test_no_correspondence_to_a_former_shared_address(purpose):
    blocks = check(Outbound(purpose=purpose, send_to=FORMER))
    assert [b.rule for b in blocks] == ["former_shared_address"]
    assert "perpetrator" in blocks[0].reason


def test_letter_posted_to_a_confidential_address_is_blocked_too():
    assert [b.rule for b in check(Outbound(purpose="letter", send_to=SAFE))] == ["confidential_address"]


def test_ordinary_disclosures_pass():
    assert (
        check(
            Outbound(
                purpose="letter",
                send_to=CURRENT,
                addresses=[CURRENT],
                free_text=["Your appointment is on Monday."],
                known=[REFUGE, FORMER],
            )
        )
        == []
    )
    # a former shared address may be *mentioned* (e.g. in a referral's history), just not written to
    assert check(Outbound(purpose="referral", addresses=[FORMER], known=[REFUGE])) == []


@pytest.mark.parametrize(
    "text",
    [
        "She is now at flat 2 14 invented road.",
        "Postcode se94zz, please visit",
        "Moved to FLAT 2, 14 INVENTED ROAD LONDON SE9 4ZZ yesterday",
        "near 7 Madeup Close",
    ],
)
def test_untagged_copy_in_free_text_is_caught(text):
    blocks = check(Outbound(purpose="letter", send_to=CURRENT, free_text=[text], known=[REFUGE, SAFE, CURRENT]))
    assert [b.rule for b in blocks] == ["confidential_address_in_text"]


def test_unrelated_text_is_not_flagged():
    assert not mentions("We discussed the Invented Road bus stop in SE9.", REFUGE)
    assert not mentions("", REFUGE)


def test_redact_replaces_confidential_addresses_only():
    text = "Refuge: Flat 2, 14 Invented Road, London SE9 4ZZ. Postcode again: se9 4zz. Old home 3 Old Lane."
    out = redact(text, [REFUGE, FORMER])
    assert "Invented" not in out and "SE9" not in out.upper().replace(WITHHELD.upper(), "")
    assert "3 Old Lane" in out and WITHHELD in out
    assert check(Outbound(purpose="export", free_text=[out], known=[REFUGE])) == []


@pytest.fixture
async def ctx(tmp_path):
    tables = runtime_tables("options")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'g.sqlite3'}")
    await db.start(engine, tables.all())
    await create_tables(engine, tables.all())
    yield SimpleNamespace(store=Store(engine, tables))
    await db.stop(engine)


async def test_a_blocked_disclosure_is_audited_and_raises_409(ctx):
    officer = Principal(sub="officer-1", org="bexley", roles=frozenset({"options_officer"}))
    with pytest.raises(SafeAddressBlocked) as info:
        await enforce(
            ctx,
            officer,
            Outbound(purpose="share", recipient_org="bromley", addresses=[REFUGE]),
            entity="case",
            entity_ref="CASE-1",
            entity_org="bexley",
        )
    assert info.value.status_code == 409
    assert "confidential refuge address" in info.value.detail
    seen = await ctx.store.audit_writer.who_has_seen("case", "CASE-1")
    assert [(e.action, e.actor, e.actor_org) for e in seen] == [("blocked", "officer-1", "bexley")]
    assert "share" in seen[0].purpose
    rows = await ctx.store.tables.audit.select()
    assert "Invented" not in str(rows)


async def test_an_allowed_disclosure_leaves_no_block_record(ctx):
    await enforce(ctx, None, Outbound(purpose="letter", send_to=CURRENT), entity="case", entity_ref="CASE-2")
    assert await ctx.store.audit_writer.who_has_seen("case", "CASE-2") == []
