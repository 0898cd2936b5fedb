"""Directory pages for an organisation's seniors: its officers and who holds each post.

A DV lead or team manager keeps their own organisation's officers (add one, correct one, end
one who has left) and its posts — the named DV lead, the team manager, the housing options
officers … — which the Joint Working Agreement's advance contact is addressed to. Each form is
read into the API's body type and passed to the same records the API keeps
(:mod:`haven_directory.officer_records`), then a redirect; a refused form is shown again with
what was typed and the reason next to the field.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from haven_directory import officer_records
from haven_directory.bodies import OfficerIn, OfficerPatch, PositionChange
from haven_runtime.identity import SENIOR_ROLES
from haven_runtime.web.domain import attempt, form_failure, parse, principal_of, require_roles
from haven_runtime.web.pages import ApiError, PageController, form_value, page, see_other

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PURPOSE = "correction"  # one of haven_runtime.audit.PURPOSES
SENIORS = tuple(sorted(SENIOR_ROLES))
TEXT_FIELDS = ("name", "email", "phone", "job_title", "team")
LABELS = {
    "key": "Directory identifier",
    "name": "Name",
    "email": "Work e-mail address",
    "phone": "Work telephone",
    "sex": "Sex",
    "dv_specialism": "DV specialism",
    "job_title": "Job title",
    "team": "Team",
    "position": "Post",
    "officer_key": "Officer",
}
SEXES = [("female", "Female"), ("male", "Male"), ("", "Not recorded")]
DONE = {
    "added": "Officer added",
    "corrected": "Officer's record corrected",
    "ended": "Officer recorded as left; their posts are vacant",
    "given": "Post given",
    "vacated": "Post left vacant",
}


def officer_body(form: dict[str, Any], *, new: bool) -> dict[str, Any]:
    """The form as ``OfficerIn`` (adding) or ``OfficerPatch`` (correcting: every field, blanks cleared)."""
    body: dict[str, Any] = {k: form_value(form, k) or None for k in TEXT_FIELDS}
    body["name"] = form_value(form, "name")
    body["sex"] = form_value(form, "sex") or None
    body["dv_specialism"] = form_value(form, "dv_specialism") == "yes"
    if new:
        body["key"] = form_value(form, "key")
        return {k: v for k, v in body.items() if v is not None}
    return body


def as_form(officer: dict[str, Any]) -> dict[str, Any]:
    """An officer's record as the form shows it."""
    form = {k: officer.get(k) or "" for k in ("key", *TEXT_FIELDS, "sex")}
    form["dv_specialism"] = "yes" if officer.get("dv_specialism") else ""
    return form


async def officers_page(request: Request, *, form: dict, errors: dict, status_code: int = 200) -> Template:
    """The organisation's officers and its posts, with the forms that change them."""
    ctx, principal = request.app.state["haven"], require_roles(request, *SENIORS)
    officers = await attempt(officer_records.own_officers(ctx, principal, PURPOSE))
    posts = await attempt(officer_records.own_posts(ctx, principal, PURPOSE))
    names = {o["key"]: o["name"] for o in officers}
    return page(
        request,
        "directory/officers.html",
        status_code=status_code,
        officers=officers,
        posts=[(p, [(k, names.get(k, k)) for k in posts.get(p, [])]) for p in officer_records.POSITIONS],
        choices=[(o["key"], o["name"]) for o in officers if o["active"]],
        positions=list(officer_records.POSITIONS),
        form=form,
        errors=errors,
        done=DONE.get(request.query_params.get("done", "")),
    )


class OfficerPages(PageController):
    path = "/pages/officers"

    @get("")
    async def listing(self, request: Request) -> Template:
        return await officers_page(request, form={}, errors={})

    @get("/new")
    async def new(self, request: Request) -> Template:
        require_roles(request, *SENIORS)
        return page(request, "directory/officer_edit.html", officer=None, form={}, errors={}, sexes=SEXES)

    @post("/new", status_code=303)
    async def add(self, request: Request, data: Form) -> Redirect | Template:
        try:
            principal = require_roles(request, *SENIORS)
            body = msgspec.to_builtins(parse(OfficerIn, officer_body(data, new=True)))
            await attempt(officer_records.add(request.app.state["haven"], principal, body))
        except ApiError as exc:
            errors, status = form_failure(exc, labels=LABELS)
            return page(
                request,
                "directory/officer_edit.html",
                status_code=status,
                officer=None,
                form=data,
                errors=errors,
                sexes=SEXES,
            )
        return see_other("/pages/officers?done=added")

    @get("/{key:str}")
    async def show(self, request: Request, key: str) -> Template:
        principal = require_roles(request, *SENIORS)
        officer = await attempt(officer_records.own_officer(request.app.state["haven"], principal, key, PURPOSE))
        return page(
            request, "directory/officer_edit.html", officer=officer, form=as_form(officer), errors={}, sexes=SEXES
        )

    @post("/{key:str}", status_code=303)
    async def correct(self, request: Request, key: str, data: Form) -> Redirect | Template:
        ctx = request.app.state["haven"]
        ending = form_value(data, "action") == "end"
        try:
            principal = require_roles(request, *SENIORS)
            changes = {"active": False} if ending else officer_body(data, new=False)
            body = msgspec.structs.asdict(parse(OfficerPatch, changes))
            await attempt(
                officer_records.correct(ctx, principal, key, {k: v for k, v in body.items() if v is not msgspec.UNSET})
            )
        except ApiError as exc:
            errors, status = form_failure(exc, labels=LABELS)
            officer = await attempt(officer_records.own_officer(ctx, principal_of(request), key, PURPOSE))
            return page(
                request,
                "directory/officer_edit.html",
                status_code=status,
                officer=officer,
                form=data,
                errors=errors,
                sexes=SEXES,
            )
        return see_other(f"/pages/officers?done={'ended' if ending else 'corrected'}")


class PostPages(PageController):
    """Giving a post to an officer, and ending a holding; both return to the officers page."""

    path = "/pages/posts"

    @post("", status_code=303)
    async def give(self, request: Request, data: Form) -> Redirect | Template:
        position = form_value(data, "position")
        try:
            principal = require_roles(request, *SENIORS)
            if position not in officer_records.POSITIONS:
                choose = {"key": "position", "message": "choose a post"}
                raise ApiError(400, {"detail": "position: choose a post", "extra": [choose]})
            change = parse(PositionChange, {"officer_key": form_value(data, "officer_key")})
            await attempt(
                officer_records.give_post(
                    request.app.state["haven"], principal, position, change.officer_key, change.effective
                )
            )
        except ApiError as exc:
            fields = {k: f"post-{k}" for k in ("position", "officer_key")}
            errors, status = form_failure(exc, fields, {f: LABELS[k] for k, f in fields.items()})
            return await officers_page(request, form=data, errors=errors, status_code=status)
        return see_other("/pages/officers?done=given#posts")

    @post("/{position:str}/{key:str}/end", status_code=303)
    async def vacate(self, request: Request, position: str, key: str) -> Redirect:
        principal = require_roles(request, *SENIORS)
        await attempt(officer_records.end_post(request.app.state["haven"], principal, position, key))
        return see_other("/pages/officers?done=vacated#posts")
