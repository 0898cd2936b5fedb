"""Directory pages: search organisations, agencies, services and officers; correct one's own entries.

Everyone signed in sees the public (HSDS) tier; confidential services and their locations and
the officers' tier are shown to partner organisations' officers only, and every such read is
audited with the purpose given here (:mod:`haven_directory.search`). An organisation's seniors
(DV lead, team manager) correct their own organisation's public entry and services — phones,
opening hours (days and times picked, not typed as text), status — through the same
corrections the API makes (:mod:`haven_directory.corrections`), with history kept; they also keep
their organisation's officers and posts (:mod:`haven_directory.pages.officers`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from haven_contracts.plugin.directory import DAYS
from haven_directory.bodies import OrganisationPatch, ServicePatch
from haven_directory.contacts import hours_in_words
from haven_directory.corrections import correct_organisation, correct_service
from haven_directory.organisations import by_key
from haven_directory.pages.officers import OfficerPages, PostPages
from haven_directory.search import search
from haven_directory.services_catalogue import service_by_id
from haven_runtime.identity import SENIOR_ROLES, Principal
from haven_runtime.web.domain import parse, refusals
from haven_runtime.web.pages import ApiError, PageController, form_list, form_value, page, see_other

TEMPLATES = Path(__file__).parent.parent / "templates"
PURPOSE = "contact"  # one of haven_runtime.audit.PURPOSES
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
DAY_WORDS = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))
STATUSES = [
    ("active", "Open"),
    ("temporarily closed", "Temporarily closed"),
    ("inactive", "Not taking referrals"),
    ("defunct", "Closed for good"),
]
PHONE_ROWS = 3


def may_correct(principal: Principal, org: str) -> bool:
    """The organisation's own seniors (what the API's corrections allow)."""
    return principal.org == org and principal.has_any(SENIOR_ROLES)


def _json(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, (str, bytes)) and value else (value or [])


def _phones(form: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for i in range(PHONE_ROWS):
        number, description = form_value(form, f"phone-{i}-number"), form_value(form, f"phone-{i}-description")
        if number:
            rows.append({"number": number, **({"description": description} if description else {})})
    return rows


def _sessions(form: dict[str, Any]) -> list[dict[str, Any]]:
    """Opening hours from the form's rows: days ticked, opening and closing times, what it is."""
    rows = []
    for i in range(int(form_value(form, "sessions", "0") or 0) + 1):
        days = [d for d in DAYS if d in form_list(form, f"session-{i}-days")]
        opens, closes, text = (form_value(form, f"session-{i}-{k}") for k in ("opens_at", "closes_at", "description"))
        # a time box gives HH:MM; the API reads a full time of day
        opens, closes = (f"{t}:00" if len(t) == 5 else t for t in (opens, closes))
        if days or opens or closes or text:
            rows.append(
                {
                    "freq": "WEEKLY",
                    **({"byday": ",".join(days)} if days else {}),
                    **({"opens_at": opens} if opens else {}),
                    **({"closes_at": closes} if closes else {}),
                    **({"description": text} if text else {}),
                }
            )
    return rows


def _optional(form: dict[str, Any], key: str) -> str | None:
    return form_value(form, key) or None


def _errors(exc: ApiError) -> dict[str, str]:
    """API keys (``phones[0].number``, ``schedules[1]``) as the form's field ids."""
    out: dict[str, str] = {}
    for key, message in exc.field_errors().items():
        field = key.split("[", 1)[0].split(".", 1)[0]
        out.setdefault(field, message)
    return out


class DirectoryPages(PageController):
    path = "/pages"

    @get("/")
    async def search(self, request: Request) -> Template:
        q = (request.query_params.get("q") or "").strip()[:100]
        org = (request.query_params.get("org") or "").strip()[:63]
        principal = request.scope["user"]
        with refusals():
            found = await search(request.app.state["haven"], principal, q, org or None, purpose=PURPOSE)
        orgs = request.app.state["haven"].plugins.organisations()
        return page(
            request,
            "directory/search.html",
            q=q,
            org=org,
            orgs=orgs,
            found=found,
            saved=request.query_params.get("saved"),
            may_correct=lambda owner: may_correct(principal, owner),
            json=_json,
            hours=hours_in_words,
        )

    @get("/organisations/{key:str}")
    async def organisation(self, request: Request, key: str) -> Template:
        return await self._organisation_form(request, key, form=None, errors={})

    async def _organisation_form(
        self, request: Request, key: str, *, form: dict | None, errors: dict, status_code: int = 200
    ) -> Template:
        row = await by_key(key)
        if row is None or not may_correct(request.scope["user"], key):
            raise ApiError(403, {"detail": "only the organisation's DV lead or team manager may correct its entry"})
        if form is None:
            form = {"name": row.name, "description": row.description, "email": row.email or "", "url": row.url or ""}
            form |= {
                f"phone-{i}-{k}": p.get(k) or ""
                for i, p in enumerate(_json(row.phones))
                for k in ("number", "description")
            }
        return page(
            request,
            "directory/organisation_edit.html",
            status_code=status_code,
            key=key,
            name=row.name,
            form=form,
            errors=errors,
            phone_rows=range(PHONE_ROWS),
        )

    @post("/organisations/{key:str}", status_code=303)
    async def correct_organisation(self, request: Request, key: str, data: Form) -> Redirect | Template:
        body = {
            "name": form_value(data, "name"),
            "description": form_value(data, "description"),
            "email": _optional(data, "email"),
            "url": _optional(data, "url"),
            "phones": _phones(data),
        }
        try:
            with refusals():
                await correct_organisation(
                    request.app.state["haven"],
                    request.scope["user"],
                    key,
                    msgspec.to_builtins(parse(OrganisationPatch, body)),
                )
        except ApiError as exc:
            return await self._organisation_form(request, key, form=data, errors=_errors(exc), status_code=exc.status)
        return see_other(f"/pages/?org={key}&saved=organisation")

    @get("/services/{ident:str}")
    async def service(self, request: Request, ident: str) -> Template:
        return await self._service_form(request, ident, form=None, errors={})

    async def _service_form(
        self, request: Request, ident: str, *, form: dict | None, errors: dict, status_code: int = 200
    ) -> Template:
        row = await service_by_id(ident)
        if row is None or not may_correct(request.scope["user"], row.org):
            raise ApiError(403, {"detail": "only the organisation's DV lead or team manager may correct its services"})
        sessions = _json(row.schedules)
        if form is None:
            form = {
                k: getattr(row, k) or ""
                for k in ("name", "description", "eligibility", "application_process", "email", "url", "status")
            }
            form |= {
                f"phone-{i}-{k}": p.get(k) or ""
                for i, p in enumerate(_json(row.phones))
                for k in ("number", "description")
            }
            for i, s in enumerate(sessions):
                form |= {
                    f"session-{i}-days": (s.get("byday") or "").split(","),
                    f"session-{i}-description": s.get("description") or "",
                    f"session-{i}-opens_at": (s.get("opens_at") or "")[:5],
                    f"session-{i}-closes_at": (s.get("closes_at") or "")[:5],
                }
        return page(
            request,
            "directory/service_edit.html",
            status_code=status_code,
            ident=ident,
            name=row.name,
            form=form,
            errors=errors,
            phone_rows=range(PHONE_ROWS),
            session_rows=range(len(sessions) + 1),
            days=DAY_WORDS,
            statuses=STATUSES,
        )

    @post("/services/{ident:str}", status_code=303)
    async def correct_service(self, request: Request, ident: str, data: Form) -> Redirect | Template:
        body = {
            "name": form_value(data, "name"),
            "description": form_value(data, "description"),
            "eligibility": _optional(data, "eligibility"),
            "application_process": _optional(data, "application_process"),
            "email": _optional(data, "email"),
            "url": _optional(data, "url"),
            "status": form_value(data, "status"),
            "phones": _phones(data),
            "schedules": _sessions(data),
        }
        try:
            with refusals():
                row = await correct_service(
                    request.app.state["haven"],
                    request.scope["user"],
                    ident,
                    msgspec.to_builtins(parse(ServicePatch, body)),
                )
        except ApiError as exc:
            return await self._service_form(request, ident, form=data, errors=_errors(exc), status_code=exc.status)
        return see_other(f"/pages/?org={row.org}&saved=service")


PAGES = [DirectoryPages, OfficerPages, PostPages]
