"""The options API is described by OpenAPI: every route, its bodies and their constraints.

Built from the service's own controllers (the runtime's shared health routes are not part of
this check).
"""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide

from haven_options.api import CONTROLLERS


def _schema() -> dict:
    app = Litestar(
        route_handlers=CONTROLLERS,
        dependencies={
            "ctx": Provide(lambda: None, sync_to_thread=False),
            "principal": Provide(lambda: None, sync_to_thread=False),
        },
    )
    return app.openapi_schema.to_schema()


def test_every_issue_endpoint_is_documented():
    paths = _schema()["paths"]
    for path in (
        "/cases",
        "/cases/{ref}",
        "/cases/{ref}/risk-assessments",
        "/cases/{ref}/options",
        "/cases/{ref}/options/offer",
        "/cases/{ref}/sheets",
        "/cases/{ref}/consents",
        "/cases/{ref}/safeguarding-overrides",
        "/cases/{ref}/temporary-accommodation",
        "/jwa/notifications",
        "/jwa/inbox",
        "/jwa/inbox/{ref}/acknowledge",
        "/jwa/information-requests",
        "/jwa/information-requests/{ref}/respond",
        "/jwa/disputes",
        "/jwa/disputes/{ref}/escalate",
        "/monitoring/jwa",
    ):
        assert path in paths, path


def test_body_constraints_appear_in_the_schema():
    components = _schema()["components"]["schemas"]
    dash = next(v for k, v in components.items() if k.endswith("DashIn"))
    assert dash["properties"]["answers"]["minItems"] == 24 and dash["properties"]["answers"]["maxItems"] == 24
    open_case = next(v for k, v in components.items() if k.endswith("OpenCase"))
    assert "reception" in str(open_case["properties"]["channel"]) and sorted(open_case["required"]) == [
        "channel",
        "person",
    ]


async def test_the_running_service_serves_its_openapi(start_service):
    options = await start_service("options")
    r = await options.get("/schema/openapi.json")
    assert r.status_code == 200
    assert "/jwa/information-requests/{ref}/respond" in r.json()["paths"]
