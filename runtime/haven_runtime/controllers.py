"""Endpoints every service has: liveness, readiness, the loaded plugins, dead letters and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from haven_contracts.subjects import parse_event_subject
from haven_runtime import db
from haven_runtime.audit import AuditEntry
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, org_scope, requires_roles
from haven_runtime.openapi import Out
from haven_runtime.retention import ServiceRetention


class Liveness(msgspec.Struct, kw_only=True):
    status: str
    service: str


class Readiness(msgspec.Struct, kw_only=True):
    """Whether the service can answer: its database and bus, its outbox backlog and plugins."""

    status: str
    service: str
    database: bool
    bus: bool
    outbox_backlog: int
    outbox_error: str | None
    plugin_failures: list[str]


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", summary="The process is up")
    async def live(self, ctx: ServiceContext) -> Liveness:
        return Liveness(status="live", service=ctx.service)

    @get(
        "/ready",
        summary="Database and bus reachable",
        responses={
            503: ResponseSpec(
                data_container=Readiness, description="Database or bus unreachable", generate_examples=False
            )
        },
    )
    async def ready(self, ctx: ServiceContext) -> Response[Readiness]:
        database = await db.ping(ctx.engine)
        bus = ctx.bus_ready and ctx.broker.connection is not None and ctx.broker.connection.is_connected
        ok = database and bus
        body = Readiness(
            status="ready" if ok else "unavailable",
            service=ctx.service,
            database=database,
            bus=bool(bus),
            outbox_backlog=ctx.relay.backlog,
            outbox_error=ctx.relay.last_error,
            plugin_failures=[f.name for f in ctx.plugins.failures],
        )
        return Response(body, status_code=200 if ok else 503)


class PluginOut(msgspec.Struct, kw_only=True):
    name: str
    version: str
    distribution: str
    organisations: list[str]
    hooks: list[str]
    summary: str
    seeds: list[str]


class PluginFailureOut(msgspec.Struct, kw_only=True):
    name: str
    reason: str


class DeploymentOut(msgspec.Struct, kw_only=True):
    name: str
    hosted_orgs: list[str]
    federated: bool


class PluginsOut(msgspec.Struct, kw_only=True):
    """The loaded plugins, the ones that failed to load, and which organisations this deployment
    hosts (the others' plugins serve public data only)."""

    plugins: list[PluginOut]
    failures: list[PluginFailureOut]
    deployment: DeploymentOut


class DeadLetterOut(msgspec.Struct, kw_only=True):
    """A dead-letter record without its payload or headers (which may name an organisation's
    references): enough for ops to find the message and why it failed."""

    id: int
    consumer: str
    subject: str
    event_id: str | None
    type: str | None
    reason: str
    deliveries: int
    created_at: datetime
    resolved: bool


def organisations_of(subject: str) -> frozenset[str]:
    """The organisations a dead-lettered message concerns, read from its subject: the one whose
    fact it states and, for an addressed event, the one it was sent to. A subject that is not a
    Haven event subject (a poison message) concerns no organisation: only an operator sees it."""
    try:
        parts = parse_event_subject(subject)
    except ValueError:
        return frozenset()
    return frozenset(str(o) for o in (parts["org"], parts["to_org"]) if o)


class PluginsController(Controller):
    """Operational endpoints under ``/-/``: the loaded plugins (public), dead letters (auditor,
    admin, operator) and the audit trail of one record (auditor, admin, operator). Each answers
    about the caller's organisation only; an ``operator`` sees the whole deployment."""

    path = "/-"
    tags = ["operations"]

    @get("/plugins", summary="Loaded plugins, the organisations they serve and their hooks")
    async def list_plugins(self, ctx: ServiceContext) -> PluginsOut:
        return PluginsOut(
            plugins=[msgspec.convert(p.as_dict(), PluginOut) for p in ctx.plugins.sorted_plugins()],
            failures=[PluginFailureOut(name=f.name, reason=f.reason) for f in ctx.plugins.failures],
            deployment=DeploymentOut(
                name=ctx.deployment.name, hosted_orgs=sorted(ctx.deployment.orgs), federated=ctx.deployment.federated
            ),
        )

    @get(
        "/dead-letters",
        summary="Messages this service could never process, newest first (your organisation's)",
        guards=[requires_roles("auditor", "operator")],
    )
    async def dead_letters(
        self,
        ctx: ServiceContext,
        principal: Principal,
        include_resolved: bool = False,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
    ) -> list[DeadLetterOut]:
        """The organisation is derived from each subject: SQL narrows to subjects naming it in
        the last two tokens, and :func:`organisations_of` confirms each one exactly."""
        t = ctx.store.tables.dead_letter
        q = t.select(t.id, t.consumer, t.subject, t.event_id, t.type, t.reason, t.deliveries, t.created_at, t.resolved)
        if not include_resolved:
            q = q.where(t.resolved == False)  # noqa: E712 - Piccolo column expression
        org = org_scope(principal)
        if org is not None:  # organisation ids are slugs: no LIKE wildcards in them
            q = q.where(t.subject.like(f"%.{org}") | t.subject.like(f"%.{org}.%"))
        rows = await q.order_by(t.id, ascending=False).limit(limit)
        if org is not None:
            rows = [r for r in rows if org in organisations_of(r["subject"])]
        return [msgspec.convert(r, DeadLetterOut, strict=False) for r in rows]

    @get(
        "/audit",
        summary="Who has seen or changed one record (oldest first)",
        guards=[requires_roles("auditor", "operator")],
    )
    async def audit(
        self,
        ctx: ServiceContext,
        principal: Principal,
        entity: Annotated[str, Parameter(min_length=1, max_length=50)],
        ref: Annotated[str, Parameter(min_length=1, max_length=100)],
    ) -> list[AuditEntry]:
        """An auditor or admin sees entries about their own organisation's records and what
        their own officers did; only an ``operator`` sees every organisation's entries."""
        entries = await ctx.store.audit_writer.who_has_seen(entity, ref)
        org = org_scope(principal)
        if org is not None:
            entries = [e for e in entries if org in (e.entity_org, e.actor_org)]
        return entries


class Erasure(Out):
    """What an erasure run erased (the records' references) and the retention period it applied."""

    erased: list[str]
    retention_days: int


def retention_controller(retention: ServiceRetention, records: str) -> type[Controller]:
    """``POST /admin/retention/erase``: an operator (or an organisation's admin, for its own
    records) runs ``retention``'s erasure now instead of waiting for the sweep (audited)."""

    class RetentionController(Controller):
        path = "/admin/retention"
        tags = ["admin"]
        guards = [requires_roles("operator")]  # and admin, for its own organisation

        @post(
            "/erase",
            summary=f"Erase personal fields of {records} closed longer than the retention period (audited)",
            status_code=200,
        )
        async def erase(self, ctx: ServiceContext, principal: Principal) -> Erasure:
            erased = await retention.erase_closed(ctx, principal=principal, org=org_scope(principal))
            return Erasure(erased=erased, retention_days=ctx.settings.retention_days)

    return RetentionController
