"""One-night temporary accommodation booked by borough B (``000_93a7cd5d2a8b6030.txt``).

"In this instance, if necessary and time depending boroughs agree that a one night booking
for temporary accommodation will be provided by borough B." The booking is recorded against
B's case and ends the next day unless a senior officer extends it by a recorded decision.
A closed case cannot be booked (409).

"One night" is a clock: by :data:`CHECKOUT` on the day the booking ends, an officer records
the household moved on (:func:`end`) or a senior officer extends it (which moves the clock);
otherwise :func:`check_overdue` (the options overdue sweep) raises ``ClockOverdue`` once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from haven_contracts.events.options import TemporaryAccommodationBooked
from haven_contracts.ids import new_reference
from haven_options.cases import load_for, require_open
from haven_options.overdue_tasks import raise_overdue
from haven_options.tables import Case, TaBooking
from haven_runtime.calendar import LONDON
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal, require_senior
from haven_runtime.store import UnitOfWork
from haven_runtime.validation import recorded_at

CLOCK = "one_night_ta"
#: When the night is over: the document says "one night" and no hour; the core default is noon (local time).
CHECKOUT = time(12, 0)


def due_at(ends_on: date) -> datetime:
    """The booking's deadline: :data:`CHECKOUT` on the day it ends."""
    return datetime.combine(ends_on, CHECKOUT, tzinfo=LONDON).astimezone(UTC)


async def book(
    uow: UnitOfWork, principal: Principal, case: Case, night_of: date | None, from_org: str | None
) -> TaBooking:
    require_open(case)
    starts = night_of or datetime.now(UTC).astimezone(LONDON).date()
    if await TaBooking.exists().where(
        (TaBooking.case_ref == case.ref) & (TaBooking.starts_on <= starts) & (TaBooking.ends_on > starts)
    ):
        raise conflict(f"the case already has accommodation booked for the night of {starts}")
    row = TaBooking(
        ref=new_reference("TA"),
        case_ref=case.ref,
        org=case.org,
        from_org=from_org or case.from_org,
        starts_on=starts,
        ends_on=starts + timedelta(days=1),
        booked_by=principal.sub,
        booked_at=datetime.now(UTC),
        due_at=due_at(starts + timedelta(days=1)),
    )
    await TaBooking.insert(row)
    await uow.emit(
        TemporaryAccommodationBooked(
            org=case.org,
            case_ref=case.ref,
            booking_ref=row.ref,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            from_org=row.from_org,
        ),
        ref=case.ref,
    )
    await uow.audit(principal, "create", "ta_booking", row.ref, entity_org=case.org, purpose="jwa one-night booking")
    return row


async def extend(
    ctx: ServiceContext, uow: UnitOfWork, principal: Principal, case: Case, booking_ref: str, until: date, reason: str
) -> TaBooking:
    """Extend a booking beyond its one night: a senior officer's recorded decision."""
    require_senior(principal)
    require_open(case)
    row = await TaBooking.objects().where((TaBooking.ref == booking_ref) & (TaBooking.case_ref == case.ref)).first()
    if row is None:
        raise conflict(f"no booking {booking_ref} on this case")
    if until <= row.ends_on:
        raise unprocessable("until", f"must be after the current end, {row.ends_on}")
    if row.ended_at is not None:
        raise conflict(f"booking {booking_ref} has ended: the household moved on")
    row.ends_on = until
    row.due_at, row.overdue_at = due_at(until), None  # the decision moves the clock; a new deadline can be missed again
    row.extended_by = principal.sub
    row.extension_reason_enc = ctx.cipher.encrypt(reason, ref=row.ref, field="extension_reason")
    await row.save(
        [
            TaBooking.ends_on,
            TaBooking.due_at,
            TaBooking.overdue_at,
            TaBooking.extended_by,
            TaBooking.extension_reason_enc,
        ]
    )
    await uow.emit(
        TemporaryAccommodationBooked(
            org=case.org,
            case_ref=case.ref,
            booking_ref=row.ref,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            from_org=row.from_org,
            extended=True,
        ),
        ref=case.ref,
    )
    await uow.audit(
        principal, "update", "ta_booking", row.ref, entity_org=case.org, purpose="booking extended by decision"
    )
    return row


async def end(
    uow: UnitOfWork, principal: Principal, case: Case, booking_ref: str, at: datetime | None, now: datetime
) -> TaBooking:
    """Record the household moved on at ``at`` (default now; not in the future): stops the booking's clock."""
    row = await TaBooking.objects().where((TaBooking.ref == booking_ref) & (TaBooking.case_ref == case.ref)).first()
    if row is None:
        raise conflict(f"no booking {booking_ref} on this case")
    if row.ended_at is not None:
        raise conflict(f"booking {booking_ref} has already ended")
    at = recorded_at("ended_at", at, now=now, not_before=row.booked_at, since="the booking was made")
    row.ended_at, row.ended_by = at, principal.sub
    await row.save([TaBooking.ended_at, TaBooking.ended_by])
    await uow.audit(
        principal,
        "update",
        "ta_booking",
        row.ref,
        entity_org=case.org,
        purpose="household moved on",
        detail={"ended_at": at.isoformat()},
    )
    return row


def view(row: TaBooking) -> dict:
    """A booking as the API and the case page show it."""
    return {
        "ref": row.ref,
        "case_ref": row.case_ref,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "from_org": row.from_org,
        "extended": row.extended_by is not None,
        "due_at": row.due_at,
        "ended_at": row.ended_at,
        "overdue": row.overdue_at is not None and row.ended_at is None,
    }


async def book_for(
    ctx: ServiceContext, principal: Principal, ref: str, night_of: date | None, from_org: str | None
) -> dict:
    """Book one night on the officer's case ``ref`` (the API's and the JWA inbox page's one booking step)."""
    async with ctx.store.transaction() as uow:
        case = await load_for(uow, principal, ref, purpose="temporary accommodation", action="update")
        return view(await book(uow, principal, case, night_of, from_org))


async def extend_for(
    ctx: ServiceContext, principal: Principal, ref: str, booking_ref: str, until: date, reason: str
) -> dict:
    async with ctx.store.transaction() as uow:
        case = await load_for(uow, principal, ref, purpose="temporary accommodation", action="update")
        return view(await extend(ctx, uow, principal, case, booking_ref, until, reason))


async def end_for(ctx: ServiceContext, principal: Principal, ref: str, booking_ref: str, at: datetime | None) -> dict:
    """Record the household on case ``ref`` moved on from ``booking_ref`` (stops its clock)."""
    async with ctx.store.transaction() as uow:
        case = await load_for(uow, principal, ref, purpose="temporary accommodation", action="update")
        return view(await end(uow, principal, case, booking_ref, at, ctx.now()))


async def bookings(ctx: ServiceContext, principal: Principal, ref: str) -> list[dict]:
    """The bookings on the officer's case ``ref``."""
    async with ctx.store.transaction() as uow:
        await load_for(uow, principal, ref, purpose="temporary accommodation")
    return [view(r) for r in await TaBooking.objects().where(TaBooking.case_ref == ref).order_by(TaBooking.id)]


async def check_overdue(ctx: ServiceContext, now: datetime) -> list[str]:
    """Raise ``ClockOverdue`` once per booking neither ended nor extended by its deadline (claimed atomically)."""
    return await raise_overdue(ctx, TaBooking, now, TaBooking.ended_at.is_null(), CLOCK)
