"""The reciprocal API documents itself: every route has an OpenAPI operation, and request
bodies keep their constraints (schemathesis over every OpenAPI)."""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide

from haven_reciprocal.api import CONTROLLERS


def test_every_route_is_in_the_openapi_document():
    app = Litestar(
        route_handlers=CONTROLLERS,
        dependencies={
            "ctx": Provide(lambda: None, sync_to_thread=False),
            "principal": Provide(lambda: None, sync_to_thread=False),
        },
    )
    schema = app.openapi_schema.to_schema()
    assert "/referrals/{ref}/identity" in schema["paths"] and "/matching/run" in schema["paths"]
    referral = schema["components"]["schemas"]["ReferralIn"]
    assert {
        "referring_partner",
        "remit_explained_on",
        "abuse_category",
        "tenancy",
        "current_area",
        "bedrooms",
        "household",
    } <= set(referral["required"])
    assert len(schema["paths"]) >= 30
