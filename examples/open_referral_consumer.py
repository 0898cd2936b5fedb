"""Example integrator: read Haven's public directory as Open Referral (HSDS 3.x) data.

    uv run python examples/open_referral_consumer.py --url https://directory.example.org \
        --out directory.json

The directory service publishes its public entries in the Open Referral UK / HSDS shape,
without a token: ``/organizations`` and ``/services`` are paginated (``page``, ``per_page``;
each page says ``total_pages`` and ``last_page``), ``/services/{id}`` is a fully nested
service. Confidential services and refuge addresses are never in this API. This consumer
walks every page, as any HSDS client (a council's service finder, a 211 line) would, and
writes one JSON snapshot: each organisation with the services it provides and their
taxonomy terms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

PER_PAGE = 50


async def all_pages(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paginated HSDS list, following ``last_page``."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = await client.get(path, params={"page": page, "per_page": PER_PAGE, **params})
        response.raise_for_status()
        body = response.json()
        items += body["contents"]
        if body["last_page"] or not body["contents"]:
            return items
        page += 1


async def snapshot(client: httpx.AsyncClient) -> dict[str, Any]:
    """Organisations with their services (name, description, taxonomy terms), by id."""
    about = (await client.get("/")).json()
    organisations = await all_pages(client, "/organizations")
    services = await all_pages(client, "/services", full="true")
    by_org: dict[str, list[dict[str, Any]]] = {}
    for service in services:
        terms = sorted({a["taxonomy_term"]["name"] for a in service.get("attributes") or [] if a.get("taxonomy_term")})
        by_org.setdefault(service.get("organization_id") or "", []).append(
            {"id": service["id"], "name": service["name"], "description": service.get("description"), "terms": terms}
        )
    return {
        "hsds_version": about.get("version"),
        "organizations": [
            {
                "id": org["id"],
                "name": org["name"],
                "services": sorted(by_org.get(org["id"], []), key=lambda s: s["name"]),
            }
            for org in sorted(organisations, key=lambda o: o["name"])
        ],
        "service_count": len(services),
    }


async def main(url: str, out: Path) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        data = await snapshot(client)
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"{len(data['organizations'])} organisations, {data['service_count']} services -> {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="The directory service's base URL.")
    parser.add_argument("--out", type=Path, default=Path("directory.json"))
    args = parser.parse_args()
    asyncio.run(main(args.url, args.out))
