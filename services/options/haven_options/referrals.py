"""The referrals a chosen option opens, each on a clock that raises ``ClockOverdue`` when missed.

* A transfer (``003_8738e4ccc4c4272a.txt`` principle 8: "Where a transfer is offered to the
  victim, this will normally be on a like for like basis and where possible, away from the
  victim's local area") opens a landlord transfer record with the client's landlord (the
  case's ``landlord_org``, else the organisation itself, as for Dales / Seven Locks): the
  bedrooms needed (like for like) and the areas to move away from.
* A reciprocal move ("it will seek to make a reciprocal arrangement with another landlord")
  is referred to the coordinator of the reciprocal the organisation is a partner of, with
  ``ReciprocalReferralRequested`` — references, the bedrooms needed and the unsafe areas only;
  the coordinator fetches the personal details through the consent-checked
  ``ReferralDetailsRequest`` (:mod:`haven_options.sharing`); its clock stops when the coordinator
  takes it up (``IncomingReferralTakenUp``, :func:`receive_taken_up`). An organisation in no reciprocal
  scheme keeps the referral itself, on the same clock, while it seeks the arrangement.
* An option with a ``floating_support_option`` also refers the client for floating support
  (``001_2a45bb55c36fcb52.txt``, Greenwich: "They are always referred for floating support";
  Lewisham and Southwark: "In any cases where this is taken up, referral is made to the
  floating support providers"). The organisation makes that referral itself (Bexley: "Housing
  Options staff telephone with client's details to make referral"), so it is addressed to the
  provider only when the provider is an organisation Haven knows.

The documents give none of these a timescale: each clock is the option's ``referral_level``
when the plugin sets one, else the core default below, and says so. An officer records the
referral completed (:func:`complete`); :func:`check_overdue` (the options overdue sweep)
raises ``ClockOverdue`` once per missed one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_contracts.clocks import ServiceLevel
from haven_contracts.events.options import ReciprocalReferralRequested
from haven_contracts.events.reciprocal import IncomingReferralTakenUp
from haven_contracts.ids import new_reference
from haven_contracts.messages import Envelope
from haven_contracts.plugin.options import HousingOption
from haven_contracts.plugin.reciprocal import ReciprocalScheme
from haven_contracts.subjects import event_filter
from haven_options import cases
from haven_options.overdue_tasks import raise_overdue
from haven_options.tables import Case, Referral
from haven_runtime.bus import ConsumerSpec
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork
from haven_runtime.validation import recorded_at

CORE = "core default ({seed} gives no timescale): {what}"
LEVELS: dict[str, ServiceLevel] = {
    "landlord_transfer": ServiceLevel(
        amount=5,
        unit="working_days",
        source=CORE.format(
            seed="003_8738e4ccc4c4272a.txt principle 8", what="the transfer put to the landlord within 5 working days"
        ),
    ),
    "reciprocal": ServiceLevel(
        amount=5,
        unit="working_days",
        source=CORE.format(
            seed="003_8738e4ccc4c4272a.txt principle 8", what="the reciprocal referral taken up within 5 working days"
        ),
    ),
    "floating_support": ServiceLevel(
        amount=1,
        unit="next_working_day_end",
        source=CORE.format(
            seed="001_2a45bb55c36fcb52.txt",
            what="the floating support referral made by the end of the next working day",
        ),
    ),
}


def coordinator_for(ctx: ServiceContext, org: str) -> ReciprocalScheme | None:
    """The reciprocal scheme listing ``org`` among its partners, from the loaded plugins."""
    for organisation in ctx.plugins.organisations():
        scheme = ctx.plugins.call(organisation.id, "haven_reciprocal_scheme")
        if (
            isinstance(scheme, ReciprocalScheme)
            and scheme.coordinator == organisation.id
            and org in {c.org for c in scheme.partner_candidates}
        ):
            return scheme
    return None


def _due(ctx: ServiceContext, case: Case, kind: str, option: HousingOption | None, now: datetime) -> datetime:
    level = (option.referral_level if option is not None else None) or LEVELS[kind]
    return ctx.calendar(case.org).due(now, level).due_at


async def _insert(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    kind: str,
    to_org: str,
    option_id: str,
    due_at: datetime,
    now: datetime,
    bedrooms: int | None = None,
    unsafe_areas: list[str] | None = None,
) -> Referral:
    row = Referral(
        ref=new_reference("REF"),
        case_ref=case.ref,
        org=case.org,
        to_org=to_org,
        kind=kind,
        option_id=option_id,
        created_by=principal.sub,
        created_at=now,
        bedrooms=bedrooms,
        unsafe_areas=msgspec.json.encode(sorted(set(unsafe_areas or []))).decode(),
        due_at=due_at,
    )
    await Referral.insert(row)
    await uow.audit(
        principal,
        "create",
        "referral",
        row.ref,
        entity_org=case.org,
        purpose=f"{kind.replace('_', ' ')} referral",
        detail={"case_ref": case.ref, "to_org": to_org, "due_at": due_at.isoformat()},
    )
    return row


def _check_areas(scheme: ReciprocalScheme, unsafe_areas: list[str]) -> None:
    areas = {a.id for a in scheme.areas}
    unknown = [a for a in unsafe_areas if a not in areas]
    if unknown:
        raise unprocessable(
            "unsafe_areas",
            f"not areas of the {scheme.name}: {', '.join(unknown)}; expected some of {', '.join(sorted(areas))}",
        )


async def open_for(
    ctx: ServiceContext,
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    option: HousingOption,
    options: dict[str, HousingOption],
    now: datetime,
    bedrooms: int | None,
    unsafe_areas: list[str],
) -> list[Referral]:
    """The referrals choosing ``option`` opens (none for most options)."""
    opened: list[Referral] = []
    if option.kind == "transfer":
        opened.append(
            await _insert(
                uow,
                principal,
                case,
                "landlord_transfer",
                case.landlord_org or case.org,
                option.id,
                _due(ctx, case, "landlord_transfer", option, now),
                now,
                bedrooms,
                unsafe_areas,
            )
        )
    elif option.kind == "reciprocal":
        scheme = coordinator_for(ctx, case.org)
        if scheme is not None:
            if bedrooms is None:
                raise unprocessable(
                    "bedrooms", "the reciprocal coordinator needs the number of bedrooms the household needs"
                )
            _check_areas(scheme, unsafe_areas)
        row = await _insert(
            uow,
            principal,
            case,
            "reciprocal",
            scheme.coordinator if scheme else case.org,
            option.id,
            _due(ctx, case, "reciprocal", option, now),
            now,
            bedrooms,
            unsafe_areas,
        )
        if scheme is not None and bedrooms is not None:  # a scheme needs bedrooms (refused above)
            await uow.emit(
                ReciprocalReferralRequested(
                    org=case.org,
                    to_org=scheme.coordinator,
                    case_ref=case.ref,
                    referral_ref=row.ref,
                    requested_at=now,
                    bedrooms=bedrooms,
                    unsafe_areas=sorted(set(unsafe_areas)),
                    due_at=row.due_at,
                ),
                ref=row.ref,
            )
        opened.append(row)
    support = options.get(option.floating_support_option or "")
    if support is not None:
        provider = (
            support.refer_to_key
            if support.refer_to_key and ctx.plugins.organisation(support.refer_to_key)
            else case.org
        )
        opened.append(
            await _insert(
                uow,
                principal,
                case,
                "floating_support",
                provider,
                support.id,
                _due(ctx, case, "floating_support", support, now),
                now,
            )
        )
    return opened


async def complete(
    uow: UnitOfWork, principal: Principal, case: Case, referral_ref: str, at: datetime | None, now: datetime
) -> Referral:
    """Record the referral completed at ``at`` (default now; not in the future): stops its clock."""
    row = await Referral.objects().where((Referral.ref == referral_ref) & (Referral.case_ref == case.ref)).first()
    if row is None:
        raise conflict(f"no referral {referral_ref} on this case")
    if row.due_at is None:
        raise conflict(f"referral {referral_ref} runs on its option's clock: record the option's referral completed")
    if row.completed_at is not None:
        raise conflict(f"referral {referral_ref} is already recorded as completed")
    at = recorded_at("completed_at", at, now=now, not_before=row.created_at, since="the referral was made")
    row.completed_at, row.completed_by = at, principal.sub
    await row.save([Referral.completed_at, Referral.completed_by])
    await uow.audit(
        principal,
        "update",
        "referral",
        row.ref,
        entity_org=case.org,
        purpose="referral completed",
        detail={"completed_at": at.isoformat()},
    )
    return row


def view(row: Referral | dict, now: datetime) -> dict:
    get: Callable[[str], Any] = row.get if isinstance(row, dict) else lambda c: getattr(row, c)
    areas = get("unsafe_areas")
    running = get("due_at") is not None and get("completed_at") is None
    return {
        "ref": get("ref"),
        "kind": get("kind"),
        "option_id": get("option_id"),
        "to_org": get("to_org"),
        "created_at": get("created_at"),
        "bedrooms": get("bedrooms"),
        "unsafe_areas": msgspec.json.decode(areas) if isinstance(areas, (str, bytes)) else list(areas or []),
        "due_at": get("due_at"),
        "completed_at": get("completed_at"),
        "overdue": running and (get("overdue_at") is not None or get("due_at") <= now),
    }


async def of_case(case_ref: str) -> list[dict]:
    return await Referral.select().where(Referral.case_ref == case_ref).order_by(Referral.created_at)


async def for_case(ctx: ServiceContext, principal: Principal, ref: str) -> list[dict]:
    """The referrals case ``ref``'s chosen options opened, with their clocks (an audited read of the case)."""
    await cases.read_for(ctx.store, principal, ref, purpose="case referrals")
    now = ctx.now()
    return [view(r, now) for r in await of_case(ref)]


async def waiting(ctx: ServiceContext, principal: Principal) -> list[dict]:
    """The officer's organisation's referrals still open (not recorded completed nor taken up), the
    soonest due first, each with its case: references and clocks only, no one's details."""
    now = ctx.now()
    rows = (
        await Referral.select()
        .where((Referral.org == principal.org) & Referral.completed_at.is_null() & Referral.due_at.is_not_null())
        .order_by(Referral.due_at)
    )
    return [view(r, now) | {"case_ref": r["case_ref"]} for r in rows]


async def complete_for(
    ctx: ServiceContext, principal: Principal, ref: str, referral_ref: str, at: datetime | None
) -> dict:
    """Record ``referral_ref`` on case ``ref`` completed at ``at`` (default now): stops its clock."""
    now = ctx.now()
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="referral completed", action="update")
        row = await complete(uow, principal, case, referral_ref, at, now)
    return view(row, now) | {"on_time": row.completed_at <= row.due_at}


async def receive_taken_up(
    ctx: ServiceContext, event: IncomingReferralTakenUp, envelope: Envelope, uow: UnitOfWork
) -> None:
    """The coordinator took up a reciprocal referral made here: its clock stops then (unless an
    officer already recorded it completed)."""
    row = (
        await Referral.objects()
        .where(
            (Referral.ref == event.options_referral_ref)
            & (Referral.org == event.to_org)
            & (Referral.to_org == event.org)
            & (Referral.kind == "reciprocal")
        )
        .first()
    )
    if row is None or row.completed_at is not None:
        return
    row.completed_at, row.completed_by = event.taken_up_at.astimezone(UTC), f"{event.org}:coordinator"
    await row.save([Referral.completed_at, Referral.completed_by])


TAKEN_UP = ConsumerSpec(
    purpose="reciprocal-taken-up",
    from_service="reciprocal",
    # every version: one this build does not read is dead-lettered, not unseen
    filter_subject=event_filter("reciprocal", IncomingReferralTakenUp.name, addressed=True),
    handler=receive_taken_up,
)


async def check_overdue(ctx: ServiceContext, now: datetime) -> list[str]:
    """Raise ``ClockOverdue`` once per referral not completed by its deadline (claimed atomically)."""
    return await raise_overdue(ctx, Referral, now, Referral.completed_at.is_null(), None)
