"""One-night temporary accommodation booked by borough B (``000_93a7cd5d2a8b6030.txt``).

"In this instance, if necessary and time depending boroughs agree that a one night booking
for temporary accommodation will be provided by borough B." The booking is recorded against
B's case and ends the next day unless a senior officer extends it by a recorded decision.
A closed case cannot be booked (409).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from haven_contracts.events.options import TemporaryAccommodationBooked
from haven_contracts.ids import new_reference
from haven_runtime.calendar import LONDON
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal, require_senior
from haven_runtime.store import UnitOfWork
from haven_options.cases import require_open
from haven_options.tables import Case, TaBooking


async def book(uow: UnitOfWork, principal: Principal, case: Case, night_of: date | None, from_org: str | None) -> TaBooking:
    require_open(case)
    starts = night_of or datetime.now(UTC).astimezone(LONDON).date()
    if await TaBooking.exists().where((TaBooking.case_ref == case.ref) & (TaBooking.starts_on <= starts) & (TaBooking.ends_on > starts)):
        raise conflict(f"the case already has accommodation booked for the night of {starts}")
    row = TaBooking(ref=new_reference("TA"), case_ref=case.ref, org=case.org, from_org=from_org or case.from_org, starts_on=starts,
                    ends_on=starts + timedelta(days=1), booked_by=principal.sub, booked_at=datetime.now(UTC))
    await TaBooking.insert(row)
    await uow.emit(TemporaryAccommodationBooked(org=case.org, case_ref=case.ref, booking_ref=row.ref, starts_on=row.starts_on,
                                                ends_on=row.ends_on, from_org=row.from_org), ref=case.ref)
    await uow.audit(principal, "create", "ta_booking", row.ref, entity_org=case.org, purpose="jwa one-night booking")
    return row


async def extend(ctx: ServiceContext, uow: UnitOfWork, principal: Principal, case: Case, booking_ref: str, until: date,
                 reason: str) -> TaBooking:
    """Extend a booking beyond its one night: a senior officer's recorded decision."""
    require_senior(principal)
    require_open(case)
    row = await TaBooking.objects().where((TaBooking.ref == booking_ref) & (TaBooking.case_ref == case.ref)).first()
    if row is None:
        raise conflict(f"no booking {booking_ref} on this case")
    if until <= row.ends_on:
        raise unprocessable("until", f"must be after the current end, {row.ends_on}")
    row.ends_on = until
    row.extended_by = principal.sub
    row.extension_reason_enc = ctx.cipher.encrypt(reason, ref=row.ref, field="extension_reason")
    await row.save([TaBooking.ends_on, TaBooking.extended_by, TaBooking.extension_reason_enc])
    await uow.emit(TemporaryAccommodationBooked(org=case.org, case_ref=case.ref, booking_ref=row.ref, starts_on=row.starts_on,
                                                ends_on=row.ends_on, from_org=row.from_org, extended=True), ref=case.ref)
    await uow.audit(principal, "update", "ta_booking", row.ref, entity_org=case.org, purpose="booking extended by decision")
    return row
