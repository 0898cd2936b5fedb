"""Interview routing and the interview clock.

Who interviews comes from the organisation's plugins (``haven_interview_routing``, first
result wins), e.g. Bexley's DV specialists seen as an emergency, Bromley's female officer,
Lewisham's triage, Southwark's anti-social-behaviour unit, Greenwich's Housing Aid Centre vs
Housing Options by tenure (``001_2a45bb55c36fcb52.txt``).

The clock: the organisation's ``haven_interview_service_level``; the core default is
AG/013 principle 1 (``003_8738e4ccc4c4272a.txt``): "interviewed before the end of the next
working day from making a report to housing services, or on the receipt of a referral" —
the only interview timescale in the seeds. It starts at the report or referral and follows
the working-day calendar (weekends and England & Wales bank holidays skipped). That default
is the housing association's own rule, so an organisation whose procedure sets no interview
timescale (the five SE London boroughs') is told so (:func:`core_defaults`) and sets its own
with ``haven_interview_service_level``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from haven_contracts.clocks import Deadline, ServiceLevel
from haven_contracts.events.options import InterviewHeld, InterviewScheduled
from haven_contracts.plugin.options import CaseFacts, InterviewRouting
from haven_contracts.plugin.records import CoreDefault
from haven_options import partners
from haven_options.tables import Case
from haven_runtime.context import ServiceContext
from haven_runtime.errors import NotFound, conflict
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork

DEFAULT_ROUTING = InterviewRouting(
    interviewer="housing_options",
    team="Housing Options",
    source="core default: a housing options interview where no plugin routes DV approaches",
)

DEFAULT_INTERVIEW_LEVEL = ServiceLevel(
    amount=1,
    unit="next_working_day_end",
    source="core default (003_8738e4ccc4c4272a.txt principle 1): before the end of the next working day",
)


def routing_for(ctx: ServiceContext, case: CaseFacts) -> InterviewRouting:
    """The first plugin's routing for ``case``, else the core default."""
    result = ctx.plugins.call(case.org, "haven_interview_routing", case=case)
    return result if isinstance(result, InterviewRouting) else DEFAULT_ROUTING


async def staffed(org: str, routing: InterviewRouting) -> InterviewRouting:
    """``routing`` with who is on duty now, or its fallback when nobody is.

    Bexley (``001_2a45bb55c36fcb52.txt``): the client is "given an interview with one of the
    specialists ... If neither of the specialists are present a housing options interview will
    be conducted by another staff member who can consult the DV specialists folder". Who is
    present is the directory's ``routing.on_duty_position`` holders, read from the snapshots the
    directory publishes (:mod:`haven_options.partners`), so a specialist put on or taken off duty
    in the directory changes the next case's routing; an organisation whose snapshot has not
    arrived has nobody known on duty.
    """
    if routing.on_duty_position is None:
        return routing
    try:
        present = await partners.known_holders(org, [routing.on_duty_position])
    except NotFound:
        present = []
    if present:
        return msgspec.structs.replace(routing, on_duty=tuple(present))
    return msgspec.structs.replace(
        routing, interviewer=routing.fallback_interviewer or routing.interviewer, on_duty=(), fallback_applied=True
    )


def interview_level(ctx: ServiceContext, org: str) -> ServiceLevel:
    result = ctx.plugins.call(org, "haven_interview_service_level")
    return result if isinstance(result, ServiceLevel) else DEFAULT_INTERVIEW_LEVEL


#: Hooks that show an organisation runs housing options (and so opens cases on the interview clock).
OPTIONS_HOOKS = frozenset({"haven_interview_routing", "haven_housing_options", "haven_case_advice"})


def core_defaults(plugins, org: str) -> list[CoreDefault]:
    """The interview clock, when ``org`` runs housing options and no plugin of it sets one."""
    hooks = {h for p in plugins.sorted_plugins() if org in p.organisations for h in p.hooks}
    if not hooks & OPTIONS_HOOKS or isinstance(plugins.call(org, "haven_interview_service_level"), ServiceLevel):
        return []
    return [
        CoreDefault(
            setting="interview clock",
            value="before the end of the next working day",
            taken_from="AG/013 operational principle 1 (003_8738e4ccc4c4272a.txt), Dales Housing / Seven Locks Housing",
            set_with="haven_interview_service_level",
        )
    ]


def clock_core_default(ctx: ServiceContext, org: str, routing: InterviewRouting) -> dict[str, str] | None:
    """The core default a case's interview clock runs on (``setting``, ``value``, ``taken_from``,
    ``note``), or ``None`` when it is the organisation's own or its emergency route's."""
    if routing.seen_as_emergency and routing.emergency_level is not None:
        return None
    found = core_defaults(ctx.plugins, org)
    return msgspec.to_builtins(found[0]) if found else None


def interview_deadline(
    ctx: ServiceContext, org: str, reported_at: datetime, routing: InterviewRouting | None = None
) -> Deadline:
    """When the interview is due for a report or referral made at ``reported_at``: on the
    emergency route's own clock where the routing has one (Bexley's "seen as an emergency"),
    else on the organisation's interview clock."""
    if routing is not None and routing.seen_as_emergency and routing.emergency_level is not None:
        return ctx.calendar(org).due(reported_at, routing.emergency_level)
    return ctx.calendar(org).due(reported_at, interview_level(ctx, org))


async def schedule(ctx: ServiceContext, uow: UnitOfWork, case: Case, routing: InterviewRouting) -> Deadline:
    deadline = interview_deadline(ctx, case.org, case.approached_at, routing)
    case.routing = msgspec.json.encode(routing).decode()
    case.interview_due_at = deadline.due_at
    await case.save([Case.routing, Case.interview_due_at])
    await uow.emit(
        InterviewScheduled(
            org=case.org,
            case_ref=case.ref,
            interviewer=routing.interviewer,
            due_at=deadline.due_at,
            same_sex_offered=routing.same_sex_offered,
            same_culture_offered=routing.same_culture_offered,
            seen_as_emergency=routing.seen_as_emergency,
        ),
        ref=case.ref,
    )
    return deadline


async def record_held(uow: UnitOfWork, principal: Principal, case: Case, held_at: datetime | None) -> bool:
    """Record the interview; 409 if already recorded. Returns whether it was on time."""
    if case.interviewed_at is not None:
        raise conflict("the interview is already recorded")
    held = (held_at or datetime.now(UTC)).astimezone(UTC)
    on_time = case.interview_due_at is None or held <= case.interview_due_at
    case.interviewed_at = held
    await case.save([Case.interviewed_at])
    await uow.emit(InterviewHeld(org=case.org, case_ref=case.ref, held_at=held, on_time=on_time), ref=case.ref)
    await uow.audit(principal, "update", "case", case.ref, entity_org=case.org, purpose="interview held")
    return on_time


def routing_of(case: Case) -> InterviewRouting:
    raw = case.routing
    if not raw or raw in ("{}", {}):
        return DEFAULT_ROUTING
    if isinstance(raw, (str, bytes)):
        return msgspec.json.decode(raw, type=InterviewRouting)
    return msgspec.convert(raw, InterviewRouting)
