"""Options HTTP API for the Joint Working Agreement."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import Body

from haven_contracts.ids import ORG_ID_PATTERN
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_options.jwa import notify_move
from haven_options.tables import JwaInboxItem

OrgField = Annotated[str, msgspec.Meta(pattern=ORG_ID_PATTERN, min_length=2, max_length=63)]
RefField = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]+-[0-9A-Z]{6,20}$")]


class NotifyMove(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    case_ref: RefField
    to_org: OrgField


class NotificationOut(msgspec.Struct, kw_only=True):
    ref: str
    from_org: str
    to_org: str
    case_ref: str
    addressed_to: list[str]
    at: datetime
    acknowledged: bool = False


def _loads(value) -> list[str]:
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) else list(value)


class JwaController(Controller):
    path = "/jwa"
    tags = ["joint working agreement"]
    guards = [requires_roles("options_officer", "dv_lead", "team_manager")]

    @post("/notifications", summary="Advance contact to another borough (JWA procedure)", status_code=201)
    async def notify(self, data: Annotated[NotifyMove, Body()], ctx: ServiceContext, principal: Principal) -> NotificationOut:
        row = await notify_move(ctx, principal, data.case_ref, data.to_org)
        return NotificationOut(ref=row.ref, from_org=row.from_org, to_org=row.to_org, case_ref=row.case_ref,
                               addressed_to=_loads(row.addressed_to), at=row.notified_at)

    @get("/inbox", summary="Notifications addressed to my organisation")
    async def inbox(self, ctx: ServiceContext, principal: Principal) -> list[NotificationOut]:
        rows = await JwaInboxItem.select().where(JwaInboxItem.to_org == principal.org).order_by(JwaInboxItem.received_at, ascending=False)
        return [
            NotificationOut(ref=r["ref"], from_org=r["from_org"], to_org=r["to_org"], case_ref=r["case_ref"],
                            addressed_to=_loads(r["addressed_to"]), at=r["received_at"], acknowledged=r["acknowledged"])
            for r in rows
        ]

    @post("/inbox/{ref:str}/acknowledge", summary="Acknowledge a notification", status_code=200)
    async def acknowledge(self, ref: str, ctx: ServiceContext, principal: Principal) -> dict[str, str]:
        from datetime import UTC

        async with ctx.store.transaction() as uow:
            item = await JwaInboxItem.objects().where((JwaInboxItem.ref == ref) & (JwaInboxItem.to_org == principal.org)).first()
            if item is None:
                raise NotFoundException("no such notification")
            if item.acknowledged:
                raise HTTPException(status_code=409, detail="already acknowledged")
            item.acknowledged = True
            item.acknowledged_by = principal.sub
            item.acknowledged_at = datetime.now(UTC)
            await item.save()
            await uow.audit(principal, "acknowledge", "jwa_notification", ref, entity_org=principal.org, purpose="jwa inbox")
        return {"ref": ref, "status": "acknowledged"}
