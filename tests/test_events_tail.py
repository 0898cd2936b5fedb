"""`haven events tail`: a live, readable stream of the events one's credentials may see."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime

import nats

from haven_contracts.events.options import MoveNotified
from haven_contracts.messages import encode, envelope_for
from haven_runtime.ops.tail import format_event, subjects_for
from haven_runtime.testing import flushed


def _event(org: str, to_org: str):
    event = MoveNotified(
        org=org,
        to_org=to_org,
        notification_ref="N-1",
        case_ref="CASE-7K3QD9X2MB",
        addressed_to=["bexley-dv-lead"],
        notified_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    )
    return (
        event.subject,
        envelope_for(event, subject="CASE-7K3QD9X2MB", time=datetime(2026, 11, 23, 9, 0, 1, tzinfo=UTC)).to_headers(),
        encode(event),
    )


def test_line_is_readable():
    subject, headers, payload = _event("bromley", "bexley")
    line = format_event(subject, headers, payload)
    assert line.startswith("2026-11-23T09:00:01+00:00  haven.options.move-notified.v1  bromley -> bexley  ")
    assert "case_ref=CASE-7K3QD9X2MB" in line and "addressed_to=[\"bexley-dv-lead\"]" in line
    as_json = json.loads(format_event(subject, headers, payload, as_json=True))
    assert as_json["event"]["to_org"] == "bexley" and as_json["headers"]["ce-id"] == headers["ce-id"]


def test_org_view_matches_integrator_permissions():
    assert subjects_for("bexley", ()) == [
        "haven.*.evt.*.*.bexley",
        "haven.*.evt.*.*.bexley.*",
        "haven.*.evt.*.*.*.bexley",
    ]
    assert subjects_for("bexley", ("haven.options.evt.>",)) == ["haven.options.evt.>"]
    assert subjects_for(None, ()) == ["haven.*.evt.>"]


async def test_tail_command_prints_only_the_boroughs_events(nats_server):
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "haven_runtime.ops.cli",
        "events",
        "tail",
        "--org",
        "bexley",
        "--count",
        "1",
        "--nats-url",
        nats_server.url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=os.environ | {"HAVEN_ENV": "test"},
    )
    assert b"tailing" in await asyncio.wait_for(proc.stderr.readline(), timeout=20)
    nc = await nats.connect(nats_server.url)
    for org, to_org in (("bromley", "lewisham"), ("bromley", "bexley")):
        subject, headers, payload = _event(org, to_org)
        await nc.publish(subject, payload, headers=headers)
    await flushed(nc)
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=10)
    await nc.close()
    lines = out.decode().splitlines()
    assert len(lines) == 1 and "bromley -> bexley" in lines[0]
    assert proc.returncode == 0


async def test_tail_with_a_borough_integrators_credentials(tmp_path):
    """The user `haven nats-config` writes for Bexley's integrator sees Bexley's events only,
    and asking for more is reported, not silently empty."""
    import io

    from haven_runtime.natsconf import generate
    from haven_runtime.ops.natsserver import start_nats_server
    from haven_runtime.ops.tail import tail

    # Two causes of the intermittent failure this test once had (it was an xfail):
    # * the port: one chosen here with free_port() could be bound by another process first,
    #   and our server exited while the test talked to the other one -- so the server picks
    #   its own port (start_nats_server);
    # * the subscriptions: nats-py's flush() can send its PING ahead of the buffered SUBs, so
    #   "ready" came before the server knew them and the event went nowhere (seen in a trace:
    #   HPUB before SUB) -- so tail() flushes twice before it reports ready.
    generated = generate(orgs=["bexley"], consumers={})
    conf = tmp_path / "nats.conf"
    conf.write_text(generated.text())
    server = await asyncio.to_thread(
        start_nats_server, tmp_path / "js", config_file=conf, log_file=tmp_path / "nats.log"
    )
    port = server.port
    try:
        publisher = await nats.connect(generated.url("haven-options", port=port))
        reported = asyncio.Event()

        class Errors(io.StringIO):
            def write(self, text: str) -> int:
                if "ermissions" in text:
                    reported.set()
                return super().write(text)

        out, errors = io.StringIO(), Errors()
        ready = asyncio.Event()
        task = asyncio.create_task(
            tail(
                generated.url("integrator-bexley", port=port),
                subjects_for("bexley", ()),
                out,
                count=1,
                on_ready=ready.set,
                errors=errors,
            )
        )
        await asyncio.wait_for(ready.wait(), timeout=20)
        for org, to_org in (("bromley", "lewisham"), ("bromley", "bexley")):
            subject, headers, payload = _event(org, to_org)
            await publisher.publish(subject, payload, headers=headers)
        await flushed(publisher)
        done, _ = await asyncio.wait([task], timeout=15)
        assert done, (
            f"no event within 15s; server alive={server.process.poll() is None}; errors={errors.getvalue()!r}; log:\n"
            + (tmp_path / "nats.log").read_text()[-3000:]
        )
        assert task.result() == 1
        assert "bromley -> bexley" in out.getvalue() and "lewisham" not in out.getvalue()

        stop = asyncio.Event()
        wide = asyncio.create_task(
            tail(
                generated.url("integrator-bexley", port=port),
                ["haven.*.evt.>"],
                io.StringIO(),
                stop=stop,
                errors=errors,
            )
        )
        await asyncio.wait_for(reported.wait(), timeout=10)
        stop.set()
        await wide
        assert "ermissions violation" in errors.getvalue()
        await publisher.close()
        assert server.process.poll() is None, (tmp_path / "nats.log").read_text()[-2000:]
    finally:
        server.stop()


def test_tail_without_a_running_suite_says_so(tmp_path):
    """No URL, no HAVEN_NATS_URL and no `haven up` on the data directory: a clear error, at once."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")} | {
        "HAVEN_DATA_DIR": str(tmp_path / "data")
    }
    result = subprocess.run(
        [sys.executable, "-m", "haven_runtime.ops.cli", "events", "tail"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "no running Haven found in" in result.stderr and "--nats-url" in result.stderr


def test_tail_gives_up_on_a_server_that_never_answers(tmp_path):
    """A bounded retry, then a message naming the URL (without its password)."""
    import socket
    import subprocess

    with socket.socket() as closed:  # a bound port nobody listens on: connections are refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")} | {
            "HAVEN_DATA_DIR": str(tmp_path / "data")
        }
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "haven_runtime.ops.cli",
                "events",
                "tail",
                "--nats-url",
                f"nats://me:secret@127.0.0.1:{port}",
                "--connect-timeout",
                "1",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"no NATS server answered at nats://me:***@127.0.0.1:{port} within 1s" in result.stderr
    assert "secret" not in result.stderr
