"""Which of its own clients a JWA information request means, for the borough asked.

``000_93a7cd5d2a8b6030.txt``: "Where a client approaches borough B without borough A's
knowledge, information will be sent through by email/fax as soon as requested." B's request
crosses the bus with B's case reference alone (no personal data in events), and B may not
know A's reference, so A cannot tell which of its clients is meant. A's officer fetches the
name and date of birth of B's client from B with a ``ReferralDetailsRequest`` — NATS
request/reply on A's own inbox, never an event — which B answers only with the client's
consent to share with A (or a safeguarding override), auditing the release or the refusal;
A audits the read and the match. The details are matched here against A's own cases and
returned to the officer, never stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from haven_contracts.events.options import PersonDetails
from haven_options import jwa, jwa_requests
from haven_options.cases import decrypt_person
from haven_options.tables import Case
from haven_runtime.audit import refuse
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict
from haven_runtime.identity import Principal


def _name(value: str | None) -> str:
    return " ".join((value or "").casefold().split())


def matched_on(theirs: PersonDetails, ours: PersonDetails) -> list[str]:
    """What of ``ours`` matches ``theirs``: a candidate has the same name and no contradicting
    date of birth (``[]`` when it is no candidate)."""
    if not _name(theirs.name) or _name(theirs.name) != _name(ours.name):
        return []
    if theirs.date_of_birth and ours.date_of_birth:
        return ["name", "date_of_birth"] if theirs.date_of_birth == ours.date_of_birth else []
    return ["name"]


async def candidates(ctx: ServiceContext, org: str, person: PersonDetails) -> list[dict[str, Any]]:
    """``org``'s cases that may be ``person``, those matching on more first."""
    found: list[tuple[list[str], Case]] = []
    for case in await Case.objects().where(Case.org == org).order_by(Case.approached_at):
        on = matched_on(person, decrypt_person(ctx, case))
        if on:
            found.append((on, case))
    found.sort(key=lambda pair: -len(pair[0]))
    return [
        {"case_ref": c.ref, "status": c.status, "approached_at": c.approached_at, "matched_on": on} for on, c in found
    ]


async def identify(ctx: ServiceContext, principal: Principal, ref: str, purpose: str) -> dict[str, Any]:
    """Fetch the identifying details of request ``ref``'s client from the requester and match
    them against the responder's cases; 409 with the requester's reason when it refuses."""
    row = await jwa_requests.visible(ctx, principal, ref)
    if principal.org != row.responder_org:
        await refuse(
            ctx.store,
            principal,
            "identify",
            "jwa_information_request",
            ref,
            entity_org=row.responder_org,
            reason="only the borough asked identifies the client",
            told="only the borough asked identifies the client",
            status_code=403,
        )
    if row.provided_at is not None:
        raise conflict("this request has already been answered")
    reply = await jwa.fetch_shared(
        ctx, principal, owner_org=row.requester_org, case_ref=row.case_ref, referral_ref=row.ref, purpose=purpose
    )
    if not reply.ok or reply.person is None:
        raise conflict(
            f"{row.requester_org} did not release the client's identifying details: {reply.error}: {reply.message}"
        )
    found = await candidates(ctx, principal.org, reply.person)
    async with ctx.store.transaction() as uow:
        await uow.audit(
            principal,
            "match",
            "jwa_information_request",
            ref,
            entity_org=principal.org,
            purpose=purpose,
            detail={"candidates": [c["case_ref"] for c in found]},
        )
    dob: date | None = reply.person.date_of_birth
    return {"request_ref": ref, "details": {"name": reply.person.name, "date_of_birth": dob}, "candidates": found}
