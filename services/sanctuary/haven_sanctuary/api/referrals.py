"""Referral endpoints: submit the form, list open referrals with time remaining, read
(audited, with a purpose), the referrer's status view, history, details from options, close."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Body, QueryParameter

from haven_runtime.audit import Purpose
from haven_runtime.context import ServiceContext
from haven_runtime.identity import Principal, requires_roles
from haven_sanctuary import clocks, referrals, survey
from haven_sanctuary.api.views import referrer_view, run_step, summary
from haven_sanctuary.common import OFFICER_ROLES, for_officer, history, referral, refused, utcnow
from haven_sanctuary.eligibility import criteria
from haven_sanctuary.forms import Closing, ReferralForm
from haven_sanctuary.tables import SanctuaryReferral
from haven_sanctuary.works import json_list

REFERRER_ROLES = ("options_officer", "dv_lead", "team_manager", "sanctuary_officer", "police_cpo",
                  "reciprocal_coordinator", "named_lead", "integrator")


class ReferralController(Controller):
    path = "/referrals"
    tags = ["referrals"]

    @post("", summary="Submit the referral form (Appendix A) to a scheme", status_code=201,
          guards=[requires_roles(*REFERRER_ROLES)])
    async def submit(self, data: Annotated[ReferralForm, Body()], ctx: ServiceContext, principal: Principal) -> dict:
        row = await referrals.submit(ctx, principal, data)
        view = referrer_view(row)
        if principal.org == row.org and principal.has_any(OFFICER_ROLES):
            view = summary(row, (await clocks.open_clocks([row.ref])).get(row.ref, []), utcnow())
        return view | {"out_of_hours": row.out_of_hours, "clocks_start_at": row.clocks_start_at}

    @get("", summary="Referrals of my scheme, with the time remaining on each clock",
         guards=[requires_roles("sanctuary_officer", "auditor")])
    async def list_referrals(self, ctx: ServiceContext, principal: Principal,
                             which: Annotated[str, QueryParameter(name="state", pattern="^(open|closed|all)$")] = "open") -> list[dict]:
        t = SanctuaryReferral
        query = t.select().where(t.org == principal.org).order_by(t.received_at)
        if which == "open":
            query = query.where(t.closed_at.is_null())
        elif which == "closed":
            query = query.where(t.closed_at.is_not_null())
        rows = await query
        async with ctx.store.transaction() as uow:
            await uow.audit(principal, "list", "sanctuary_referral", principal.org, entity_org=principal.org,
                            purpose=f"{which} referrals", detail={"count": len(rows)})
        now = utcnow()
        running = await clocks.open_clocks([r["ref"] for r in rows])
        return [summary(r, running.get(r["ref"], []), now) for r in rows]

    @get("/submitted", summary="Referrals my organisation submitted: status only", guards=[requires_roles(*REFERRER_ROLES)])
    async def submitted(self, ctx: ServiceContext, principal: Principal) -> list[dict]:
        t = SanctuaryReferral
        rows = await t.select().where(t.referrer_org == principal.org).order_by(t.received_at)
        async with ctx.store.transaction() as uow:
            await uow.audit(principal, "list_status", "sanctuary_referral", principal.org, entity_org=principal.org,
                            purpose="submitted referrals", detail={"count": len(rows)})
        return [referrer_view(r) for r in rows]

    @get("/{ref:str}", summary="Read a referral with its form (audited; purpose required)")
    async def read(self, ref: str, ctx: ServiceContext, principal: Principal, purpose: Purpose) -> dict:
        row, _ = await for_officer(ctx, ref, principal, purpose=purpose)
        async with ctx.store.transaction() as uow:
            await uow.audit(principal, "read", "sanctuary_referral", ref, entity_org=row.org, purpose=purpose)
        now = utcnow()
        body = summary(row, (await clocks.open_clocks([ref])).get(ref, []), now)
        dob = referrals.decrypt(ctx, row, "person_dob_enc")
        body["form"] = {
            "person": {"name": referrals.decrypt(ctx, row, "person_name_enc"), "address": referrals.decrypt(ctx, row, "person_address_enc"),
                       "telephone": referrals.decrypt(ctx, row, "person_phone_enc"), "date_of_birth": dob},
            "property_type": row.property_type, "property_type_other": referrals.decrypt(ctx, row, "property_other_enc"),
            "tenure": row.tenure, "landlord_name": referrals.decrypt(ctx, row, "landlord_name_enc"),
            "reason": referrals.decrypt(ctx, row, "reason_enc"),
            "referrer": {k: referrals.decrypt(ctx, row, f"referrer_{c}_enc") for k, c in (
                ("name", "name"), ("position", "position"), ("organisation", "organisation"), ("telephone", "phone"), ("email", "email"))},
        }
        body["criteria"] = await criteria(ctx, ref)
        body["works_measures"] = json_list(row.works_measures)
        body["works_contractor"] = row.works_contractor
        return body

    @get("/{ref:str}/status", summary="Status of a referral: for the scheme or the referring organisation")
    async def status(self, ref: str, ctx: ServiceContext, principal: Principal) -> dict:
        row = await referral(ref)
        if row is None or principal.org not in (row.org, row.referrer_org):
            await refused(ctx, principal, ref, row, action="read_status", reason="neither the scheme nor the referrer")
        async with ctx.store.transaction() as uow:
            await uow.audit(principal, "read_status", "sanctuary_referral", ref, entity_org=row.org, purpose="referral status")
        return referrer_view(row)

    @get("/{ref:str}/history", summary="The case log of a referral", guards=[requires_roles("sanctuary_officer", "auditor")])
    async def history(self, ref: str, ctx: ServiceContext, principal: Principal) -> list[dict]:
        row = await referral(ref)
        if row is None or row.org != principal.org:
            await refused(ctx, principal, ref, row, action="read_history", reason="another organisation's referral")
        async with ctx.store.transaction() as uow:
            await uow.audit(principal, "read_history", "sanctuary_referral", ref, entity_org=row.org, purpose="case log")
        return await history(ref)

    @post("/{ref:str}/details/fetch", summary="Fetch the form's personal details from the referring options case",
          status_code=200, guards=[requires_roles("sanctuary_officer")])
    async def fetch_details(self, ref: str, ctx: ServiceContext, principal: Principal) -> dict:
        row, scheme = await for_officer(ctx, ref, principal, action="fetch_details")
        return {"ref": ref} | await referrals.fetch_details(ctx, row, scheme, principal)

    @post("/{ref:str}/close", summary="Close a referral (409 while works are open)", status_code=200,
          guards=[requires_roles("sanctuary_officer")])
    async def close(self, ref: str, data: Annotated[Closing, Body()], ctx: ServiceContext, principal: Principal) -> dict:
        async def step(uow, row, scheme, now):
            await survey.close(uow, row, data, principal, now)

        return await run_step(ctx, ref, principal, for_officer, step, action="close", purpose="close referral")
