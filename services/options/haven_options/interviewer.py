"""Who interviews the client: the same-sex / same-cultural-background interviewer, offered and met.

``003_8738e4ccc4c4272a.txt`` principle 2: "Where possible, the victim will be offered an
interview with someone of the same sex and/or cultural background." ``001_2a45bb55c36fcb52.txt``
(Bromley): "Any DV cases are always offered a female officer to conduct the interview."

The organisation's interview routing (``haven_interview_routing``) says what it offers
(``same_sex_offered`` / ``same_culture_offered``). The officer records, once per case, what
was offered, what the client asked for, who interviewed and what that interviewer matched.
An offer the organisation's procedure makes may not be left out (422 naming ``offered``); a
request not met needs a coded reason and is listed for the organisation's managers
(:func:`unmet_between`), so "where possible" is something they can see and act on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import msgspec

from haven_options.interview import routing_of
from haven_options.tables import Case, InterviewerMatch
from haven_runtime.errors import conflict, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork

Match = Literal["same_sex", "same_culture"]
ReasonNotMet = Literal["no_officer_available", "emergency_interview", "client_changed_mind", "other"]


def offers_required(case: Case) -> list[str]:
    """What the organisation's procedure offers on this case (the interview routing chosen when it was opened)."""
    routing = routing_of(case)
    return [
        m
        for m, offered in (("same_sex", routing.same_sex_offered), ("same_culture", routing.same_culture_offered))
        if offered
    ]


async def record(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    *,
    offered: list[str],
    requested: list[str],
    interviewed_by: str,
    provided: list[str],
    reason_not_met: str | None,
    now: datetime | None = None,
) -> InterviewerMatch:
    """Record the offer, the client's answer and who interviewed; 409 if already recorded."""
    if await find(case.ref) is not None:
        raise conflict("the interviewer offer and match are already recorded on this case")
    missing = [m for m in offers_required(case) if m not in offered]
    if missing:
        raise unprocessable(
            "offered", f"{case.org}'s procedure offers {', '.join(missing)}: record that it was offered"
        )
    unmet = [m for m in dict.fromkeys(requested) if m not in provided]
    if unmet and reason_not_met is None:
        raise unprocessable("reason_not_met", f"the client asked for {', '.join(unmet)} and did not get it: say why")
    if not unmet and reason_not_met is not None:
        raise unprocessable("reason_not_met", "every request was met")
    row = InterviewerMatch(
        case_ref=case.ref,
        org=case.org,
        offered=_json(offered),
        requested=_json(requested),
        provided=_json(provided),
        unmet=_json(unmet),
        interviewed_by=interviewed_by,
        reason_not_met=reason_not_met,
        recorded_by=principal.sub,
        recorded_at=(now or datetime.now(UTC)).astimezone(UTC),
    )
    await InterviewerMatch.insert(row)
    await uow.audit(
        principal,
        "update",
        "case",
        case.ref,
        entity_org=case.org,
        purpose="interviewer match recorded",
        detail={"unmet": unmet},
    )
    return row


async def find(case_ref: str) -> InterviewerMatch | None:
    return await InterviewerMatch.objects().where(InterviewerMatch.case_ref == case_ref).first()


async def unmet_between(org: str, start: datetime, end: datetime) -> list[InterviewerMatch]:
    """``org``'s recorded requests for a matched interviewer that were not met, in ``[start, end)``."""
    rows = (
        await InterviewerMatch.objects()
        .where(
            (InterviewerMatch.org == org)
            & (InterviewerMatch.recorded_at >= start)
            & (InterviewerMatch.recorded_at < end)
        )
        .order_by(InterviewerMatch.recorded_at)
    )
    return [r for r in rows if as_list(r.unmet)]


def as_list(value) -> list[str]:
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) else list(value or [])


def _json(values: list[str]) -> str:
    return msgspec.json.encode(list(dict.fromkeys(values))).decode()
