"""Directory pages: search services and officers, respecting the public and confidential tiers.

Everyone signed in sees the public (HSDS) tier; confidential services and their locations
and the officers' tier are shown only where the directory API allows the officer to read
them, and every such read is audited by the API with the purpose given here.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Request, get
from litestar.response import Template

from haven_runtime.web.pages import PageController, api_or_none, page

TEMPLATES = Path(__file__).parent.parent / "templates"
PURPOSE = "contact"  # one of haven_runtime.audit.PURPOSES


def matches(record: dict, words: list[str], *fields: str) -> bool:
    text = " ".join(str(record.get(f) or "") for f in fields).lower()
    return all(w in text for w in words)


class DirectoryPages(PageController):
    path = "/pages"

    @get("/")
    async def search(self, request: Request) -> Template:
        q = (request.query_params.get("q") or "").strip()[:100]
        org = (request.query_params.get("org") or "").strip()[:63]
        words = q.lower().split()
        params = {"per_page": 100, **({"search": q} if q else {}), **({"organization_id": org} if org else {})}
        public = (await api_or_none(request, "GET", "/services", params=params) or {}).get("contents", [])
        confidential = await api_or_none(request, "GET", "/catalogue/services",
                                         params={"purpose": PURPOSE, **({"search": q} if q else {})})
        public_ids = {s["id"] for s in public}
        restricted = [s for s in confidential or [] if s["id"] not in public_ids]
        officers = await api_or_none(request, "GET", "/officers", params={"purpose": PURPOSE, **({"org": org} if org else {})})
        if officers is not None and words:
            officers = [o for o in officers if matches(o, words, "name", "job_title", "team", "org", "dv_specialism")]
        orgs = request.app.state["haven"].plugins.organisations()
        return page(request, "directory/search.html", q=q, org=org, orgs=orgs, public=public, restricted=restricted,
                    confidential_allowed=confidential is not None, officers=officers, org_names={o.id: o.name for o in orgs})


PAGES = [DirectoryPages]
