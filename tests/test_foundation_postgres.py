"""The foundation flow on PostgreSQL ("the same code runs against a
NATS cluster and PostgreSQL by configuration alone"); runs when HAVEN_TEST_POSTGRES_DSN is set.

Seed ``000_93a7cd5d2a8b6030.txt``: "borough A will make contact with borough B in advance
using a list of named officers with DV leads and team managers"."""

from __future__ import annotations

import pytest

from haven_runtime.testing import eventually
from haven_runtime.testing.plugins import case_with_accepted_duty

pytestmark = [pytest.mark.postgres]


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
async def test_advance_contact_on_postgres(start_service, token, haven_settings, db_backend):
    assert haven_settings.database_url("options").startswith("postgresql://")
    assert haven_settings.database_url("options") != haven_settings.database_url("directory")
    await start_service("directory")
    options = await start_service("options")
    case_ref = await case_with_accepted_duty(options, token("bexley", "options_officer"))
    r = await options.post(
        "/jwa/notifications",
        json={"case_ref": case_ref, "to_org": "bromley"},
        headers=token("bexley", "options_officer"),
    )
    assert r.status_code == 201, r.text

    async def inbox():
        got = await options.get("/jwa/inbox", headers=token("bromley", "dv_lead"))
        return got.json()

    items = await eventually(inbox)
    assert [i["case_ref"] for i in items] == [case_ref]
    ready = await options.get("/health/ready")
    assert ready.json()["database"] is True
