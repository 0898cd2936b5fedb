"""Conflicts between partners: raise, work, resolve, escalate."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body

from haven_reciprocal import conflicts
from haven_reciprocal.bodies import ConflictIn, NoteIn
from haven_reciprocal.responses import ConflictDetail, ConflictOut, Noted
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal
from haven_runtime.openapi import as_response


class ConflictsController(Controller):
    path = "/conflicts"
    tags = ["governance"]

    @post("", summary="Raise a conflict between partners", status_code=201)
    async def raise_(
        self, data: Annotated[ConflictIn, Body()], ctx: ServiceContext, principal: Principal
    ) -> ConflictOut:
        row = await conflicts.raise_conflict(ctx, principal, data.scheme, data.partners, data.arc, data.summary)
        return as_response(conflicts.view(row), ConflictOut)

    @get("", summary="Conflicts I am party to (the coordinator sees all of its scheme)")
    async def list_conflicts(self, ctx: ServiceContext, principal: Principal) -> list[ConflictOut]:
        return [as_response(conflicts.view(r), ConflictOut) for r in await conflicts.listing(principal)]

    @get("/{ref:str}", summary="One conflict and its notes")
    async def one(self, ref: str, ctx: ServiceContext, principal: Principal) -> ConflictDetail:
        row = await conflicts.load(principal, ref)
        return as_response({**conflicts.view(row), "notes": await conflicts.notes(ctx, principal, ref)}, ConflictDetail)

    @post("/{ref:str}/notes", summary="Record work on a conflict", status_code=201)
    async def note(self, ref: str, data: Annotated[NoteIn, Body()], ctx: ServiceContext, principal: Principal) -> Noted:
        await conflicts.add_note(ctx, principal, ref, data.note)
        return Noted(ref=ref, status="noted")

    @post("/{ref:str}/escalate", summary="Escalate to the chief executives / directors", status_code=200)
    async def escalate(self, ref: str, ctx: ServiceContext, principal: Principal) -> ConflictOut:
        return as_response(conflicts.view(await conflicts.escalate(ctx, principal, ref)), ConflictOut)

    @post("/{ref:str}/resolve", summary="Record that the conflict is resolved", status_code=200)
    async def resolve(self, ref: str, ctx: ServiceContext, principal: Principal) -> ConflictOut:
        return as_response(conflicts.view(await conflicts.resolve(ctx, principal, ref)), ConflictOut)
