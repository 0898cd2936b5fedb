"""`haven events tail`: a live, readable stream of the events one's credentials may see."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime

import nats
import pytest

from haven_contracts.events.options import MoveNotified
from haven_contracts.messages import encode, envelope_for
from haven_runtime.tail import format_event, subjects_for

pytestmark = pytest.mark.asyncio


def _event(org: str, to_org: str):
    event = MoveNotified(org=org, to_org=to_org, notification_ref="N-1", case_ref="CASE-7K3QD9X2MB", addressed_to=["bexley-dv-lead"], notified_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    return event.subject, envelope_for(event, subject="CASE-7K3QD9X2MB", time=datetime(2026, 11, 23, 9, 0, 1, tzinfo=UTC)).to_headers(), encode(event)


def test_line_is_readable():
    subject, headers, payload = _event("bromley", "bexley")
    line = format_event(subject, headers, payload)
    assert line.startswith("2026-11-23T09:00:01+00:00  haven.options.move-notified.v1  bromley -> bexley  ")
    assert "case_ref=CASE-7K3QD9X2MB" in line and "addressed_to=[\"bexley-dv-lead\"]" in line
    as_json = json.loads(format_event(subject, headers, payload, as_json=True))
    assert as_json["event"]["to_org"] == "bexley" and as_json["headers"]["ce-id"] == headers["ce-id"]


def test_org_view_matches_integrator_permissions():
    assert subjects_for("bexley", ()) == ["haven.*.evt.*.*.bexley", "haven.*.evt.*.*.bexley.*", "haven.*.evt.*.*.*.bexley"]
    assert subjects_for("bexley", ("haven.options.evt.>",)) == ["haven.options.evt.>"]
    assert subjects_for(None, ()) == ["haven.*.evt.>"]


async def test_tail_command_prints_only_the_boroughs_events(nats_server):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "haven_runtime.cli", "events", "tail", "--org", "bexley", "--count", "1", "--nats-url", nats_server.url,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=os.environ | {"HAVEN_ENV": "test"},
    )
    assert b"tailing" in await asyncio.wait_for(proc.stderr.readline(), timeout=20)
    nc = await nats.connect(nats_server.url)
    for org, to_org in (("bromley", "lewisham"), ("bromley", "bexley")):
        subject, headers, payload = _event(org, to_org)
        await nc.publish(subject, payload, headers=headers)
    await nc.flush()
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=10)
    await nc.close()
    lines = out.decode().splitlines()
    assert len(lines) == 1 and "bromley -> bexley" in lines[0]
    assert proc.returncode == 0


@pytest.mark.xfail(
    strict=False,
    reason="about one run in eight the nats-server started with the generated configuration exits mid-test "
    "(client sees unexpected EOF, then connection refused); cause not yet found. The same permissions are "
    "checked reliably in tests/test_security_nats_permissions.py",
)
async def test_tail_with_a_borough_integrators_credentials(tmp_path):
    """The user `haven nats-config` writes for Bexley's integrator sees Bexley's events only,
    and asking for more is reported, not silently empty."""
    import io

    from haven_runtime.natsconf import generate
    from haven_runtime.natsserver import free_port, nats_server_binary, wait_for_nats
    from haven_runtime.tail import tail

    port = free_port()
    generated = generate(orgs=["bexley"], consumers={}, listen=f"127.0.0.1:{port}", store_dir=str(tmp_path / "js"))
    conf = tmp_path / "nats.conf"
    conf.write_text(generated.text())
    server = await asyncio.create_subprocess_exec(str(nats_server_binary()), "-c", str(conf), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        await asyncio.to_thread(wait_for_nats, "127.0.0.1", port)
        publisher = await nats.connect(generated.url("haven-options", port=port))
        out, errors = io.StringIO(), io.StringIO()
        ready = asyncio.Event()
        task = asyncio.create_task(tail(generated.url("integrator-bexley", port=port), subjects_for("bexley", ()), out, count=1, on_ready=ready.set, errors=errors))
        await asyncio.wait_for(ready.wait(), timeout=5)
        for org, to_org in (("bromley", "lewisham"), ("bromley", "bexley")):
            subject, headers, payload = _event(org, to_org)
            await publisher.publish(subject, payload, headers=headers)
        await publisher.flush()
        assert await asyncio.wait_for(task, timeout=15) == 1
        assert "bromley -> bexley" in out.getvalue() and "lewisham" not in out.getvalue()

        stop = asyncio.Event()
        wide = asyncio.create_task(tail(generated.url("integrator-bexley", port=port), ["haven.*.evt.>"], io.StringIO(), stop=stop, errors=errors))
        for _ in range(50):
            if "ermissions" in errors.getvalue():
                break
            await asyncio.sleep(0.05)
        stop.set()
        await wide
        assert "ermissions violation" in errors.getvalue()
        await publisher.close()
    finally:
        server.terminate()
        await server.wait()
