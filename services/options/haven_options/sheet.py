"""The *options offered / advice given* sheet (``000_93a7cd5d2a8b6030.txt``).

"All boroughs will complete options offered/advice given sheet with name of officer and
contact details attached" and "boroughs will provide links to appropriate support agencies
for the applicant". The sheet is produced from the case (options offered and the client's
decisions, the organisation's advice for the case, the statutory clocks), carries the
issuing officer's name and contact, lists the support agencies the options refer to, and
is stored as a new version each time it is issued. It names no survivor: it is handed to
the client and shows only the case reference.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec

from haven_contracts.events.directory import (
    Position,
    RoleHolderLookup,
    RoleHolderReply,
    ServiceContactsLookup,
    ServiceContactsReply,
)
from haven_contracts.events.options import SheetIssued
from haven_contracts.ids import new_reference
from haven_contracts.plugin.options import Advice, CaseFacts
from haven_options import addresses, cases, options_catalogue
from haven_options.tables import Case, CaseOption, DutyClock, Sheet
from haven_runtime.context import ServiceContext
from haven_runtime.errors import conflict, not_found, unprocessable
from haven_runtime.identity import Principal
from haven_runtime.store import UnitOfWork

OFFICER_POSITIONS: list[Position] = ["housing_options_officer", "dv_officer", "dv_lead", "team_manager"]


class Officer(msgspec.Struct, kw_only=True):
    name: str
    contact: str


async def officer_from_directory(ctx: ServiceContext, principal: Principal) -> Officer | None:
    """The issuing officer's name and work contact from the directory, when ``sub`` is a directory id."""
    try:
        reply = await ctx.request(
            RoleHolderLookup(
                target_org=principal.org,
                requested_by=principal.org,
                positions=OFFICER_POSITIONS,
                purpose="options sheet officer details",
            )
        )
    except Exception:  # noqa: BLE001 - directory down: the caller may still give the details
        return None
    if not isinstance(reply, RoleHolderReply) or not reply.ok:
        return None
    for holder in reply.holders:
        if holder.officer_id == principal.sub:
            return Officer(name=holder.name, contact=holder.email or holder.phone or "")
    return None


async def agency_contacts(ctx: ServiceContext, case: Case) -> list[dict[str, Any]]:
    """Telephone numbers and opening hours, from the directory, of the services the case's offered
    options refer to ("links to appropriate support agencies for the applicant"); none when the
    directory cannot say (the sheet still names the agencies)."""
    keys = {o.id: o.refer_to_key for o in options_catalogue.options_for(ctx, cases.facts(case))}
    offered = (
        await CaseOption.select(CaseOption.option_id, CaseOption.refer_to)
        .where(CaseOption.case_ref == case.ref)
        .order_by(CaseOption.id)
    )
    # each directory key with the words the options use for it, so the sheet names each agency once
    wanted = {key: o["refer_to"] for o in reversed(offered) if (key := keys.get(o["option_id"]))}
    if not wanted:
        return []
    try:
        reply = await ctx.request(
            ServiceContactsLookup(
                target_org=case.org, requested_by=case.org, keys=list(wanted), purpose="options sheet support agencies"
            )
        )
    except Exception:  # noqa: BLE001 - directory down: the sheet names the agencies without their numbers
        return []
    if not isinstance(reply, ServiceContactsReply) or not reply.ok:
        return []
    return [msgspec.to_builtins(c) | {"refer_to": wanted.get(c.key, "")} for c in reply.contacts]


async def issue_for(
    ctx: ServiceContext, principal: Principal, ref: str, name: str | None, contact: str | None
) -> dict[str, Any]:
    """Issue the next version of case ``ref``'s sheet, signed by the officer named (both or neither
    of ``name`` and ``contact``), else by the officer's directory entry; the sheet's content."""
    if (name is None) != (contact is None):
        raise unprocessable(
            "officer_contact" if contact is None else "officer_name", "give both the officer's name and a work contact"
        )
    officer = (
        Officer(name=name, contact=contact)
        if name and contact is not None
        else await officer_from_directory(ctx, principal)
    )
    found = await cases.find(ref)
    contacts: list[dict[str, Any]] = []
    if found is not None and found.org == principal.org:
        contacts = await agency_contacts(ctx, found)
        # the sheet is handed over or posted; no confidential address may appear in its text
        text = [officer.name, officer.contact] if officer else []
        text += [a.text for a in advice_for(ctx, cases.facts(found))]
        await addresses.guard(
            ctx,
            principal,
            found,
            purpose="letter",
            recipient_org=found.org,
            carries_address=False,
            free_text=tuple(text),
        )
    async with ctx.store.transaction() as uow:
        case = await cases.load_for(uow, principal, ref, purpose="options sheet", action="update")
        row = await issue(ctx, uow, principal, case, cases.facts(case), officer, contacts)
    return content_of(row) | {"ref": row.ref}


async def read(ctx: ServiceContext, principal: Principal, ref: str, version: int) -> dict[str, Any]:
    """One issued version of case ``ref``'s sheet (the read audited; 404 when there is no such version)."""
    async with ctx.store.transaction() as uow:
        await cases.load_for(uow, principal, ref, purpose="options sheet")
    row = await Sheet.objects().where((Sheet.case_ref == ref) & (Sheet.version == version)).first()
    if row is None:
        raise not_found("sheet version")
    return content_of(row) | {"ref": row.ref}


def advice_for(ctx: ServiceContext, facts: CaseFacts) -> list[Advice]:
    return [a for a in ctx.plugins.call_results(facts.org, "haven_case_advice", case=facts) if isinstance(a, Advice)]


async def issue(
    ctx: ServiceContext,
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    facts: CaseFacts,
    officer: Officer | None,
    contacts: Sequence[dict[str, Any]] = (),
) -> Sheet:
    if officer is None:
        raise unprocessable("officer_name", "you are not in the directory: give your name and a work contact")
    offered = list(await CaseOption.objects().where(CaseOption.case_ref == case.ref).order_by(CaseOption.id))
    if not offered:
        raise conflict("no options have been offered on this case yet")
    clocks = await DutyClock.objects().where(DutyClock.case_ref == case.ref).order_by(DutyClock.id)
    organisation = ctx.plugins.organisation(case.org)
    previous = (
        await Sheet.select(Sheet.version)
        .where(Sheet.case_ref == case.ref)
        .order_by(Sheet.version, ascending=False)
        .first()
    )
    version = (previous["version"] if previous else 0) + 1
    now = datetime.now(UTC)
    content: dict[str, Any] = {
        "title": "Options offered / advice given",
        "case_ref": case.ref,
        "organisation": {"id": case.org, "name": organisation.name if organisation else case.org},
        "version": version,
        "issued_at": now.isoformat(),
        "officer": {"name": officer.name, "contact": officer.contact},
        "options": [
            {
                "id": o.option_id,
                "title": o.title,
                "kind": o.kind,
                "status": o.status,
                "refer_to": o.refer_to,
                "referral_due_at": o.referral_due_at.isoformat() if o.referral_due_at else None,
            }
            for o in offered
        ],
        "advice": [{"topic": a.topic, "text": a.text, "source": a.source} for a in advice_for(ctx, facts)],
        "support_agencies": sorted({o.refer_to for o in offered if o.refer_to}),
        "agency_contacts": list(contacts),
        "statutory_clocks": [
            {
                "duty": c.duty,
                "started_at": c.started_at.isoformat(),
                "due_at": c.due_at.isoformat() if c.due_at else None,
                "ended_at": c.ended_at.isoformat() if c.ended_at else None,
            }
            for c in clocks
        ],
        "source": "000_93a7cd5d2a8b6030.txt: options offered/advice given sheet with name of officer and contact "
        "details attached",
    }
    sheet = Sheet(
        ref=new_reference("SHEET"),
        case_ref=case.ref,
        org=case.org,
        version=version,
        content=msgspec.json.encode(content).decode(),
        issued_by=principal.sub,
        issued_at=now,
    )
    await Sheet.insert(sheet)
    await uow.emit(
        SheetIssued(org=case.org, case_ref=case.ref, sheet_ref=sheet.ref, sheet_version=version, issued_at=now),
        ref=case.ref,
    )
    await uow.audit(principal, "create", "sheet", sheet.ref, entity_org=case.org, purpose="options sheet issued")
    return sheet


def content_of(sheet: Sheet | dict) -> dict[str, Any]:
    raw = sheet["content"] if isinstance(sheet, dict) else sheet.content
    return msgspec.json.decode(raw) if isinstance(raw, (str, bytes)) else raw


PRINT_STYLE = (
    "body{font-family:sans-serif;max-width:48em;margin:2em auto}table{border-collapse:collapse;width:100%}"
    "td,th{border:1px solid #999;padding:.3em;text-align:left}@media print{a{color:black}}"
)
#: The printable sheet is self-contained: it may apply its own inline style (by hash) and
#: load, run, frame or post nothing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src "
    f"'sha256-{base64.b64encode(hashlib.sha256(PRINT_STYLE.encode()).digest()).decode()}'; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
)


def render_html(content: dict[str, Any]) -> str:
    """A printable page of one sheet version."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(o['title'])}</td><td>{e(o['status'])}</td><td>{e(o['refer_to'] or '')}</td></tr>"
        for o in content["options"]
    )
    advice = (
        "".join(f"<li><strong>{e(a['topic'])}</strong>: {e(a['text'])}</li>" for a in content["advice"])
        or "<li>none</li>"
    )
    agencies = "".join(f"<li>{e(a)}</li>" for a in content["support_agencies"]) or "<li>none</li>"
    officer = content["officer"]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{e(content['title'])} {e(content['case_ref'])}</title>"
        f"<style>{PRINT_STYLE}</style></head><body>"
        f"<h1>{e(content['title'])}</h1><p>{e(content['organisation']['name'])} — case {e(content['case_ref'])}, "
        f"version {content['version']}, issued {e(content['issued_at'])}</p>"
        f"<h2>Options offered</h2><table><tr><th>Option</th><th>Decision</th><th>Referred to</th></tr>{rows}</table>"
        f"<h2>Advice given</h2><ul>{advice}</ul><h2>Support agencies</h2><ul>{agencies}</ul>"
        f"<h2>Your officer</h2><p>{e(officer['name'])}<br>{e(officer['contact'])}</p></body></html>"
    )
