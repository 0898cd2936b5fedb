"""Example integrator: a live dashboard of missed clocks and escalations.

    uv run python examples/monitoring_dashboard.py --html dashboard.html \
        --nats-url nats://integrator-bexley:<password>@nats.example.org:4222 --org bexley

Every timescale in Haven is a clock that raises an event when missed (``*-overdue``) or
escalated (``*-escalated``): interviews, information requests, sanctuary inspections and
works, reciprocal previous-tenancy checks, disputes and conflicts. This dashboard
subscribes to the events a borough integrator may see (or to every event with operator
credentials and no ``--org``), keeps one row per organisation and event type — how many,
the latest, which references — and rewrites a small HTML page (or prints a table) on each
change. Events carry only references, organisations, types and timestamps, so the page
holds no personal data. Events are counted once by their ``ce-id``.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nats

MONITORED_SUFFIXES = ("-overdue", "-escalated")


def subjects(org: str | None) -> list[str]:
    """An integrator's own view (what ``haven nats-config`` grants), else every event."""
    if org:
        return [f"haven.*.evt.*.*.{org}", f"haven.*.evt.*.*.{org}.*", f"haven.*.evt.*.*.*.{org}"]
    return ["haven.*.evt.>"]


@dataclass
class Row:
    count: int = 0
    latest: str = ""
    refs: list[str] = field(default_factory=list)


class Dashboard:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Row] = {}
        self._seen: set[str] = set()

    def apply(self, subject: str, headers: dict[str, str] | None, data: bytes) -> bool:
        """Count one monitoring event; False for other events and for repeats."""
        parts = subject.split(".")
        if len(parts) not in (6, 7) or parts[2] != "evt" or not parts[3].endswith(MONITORED_SUFFIXES):
            return False
        headers = headers or {}
        event_id = headers.get("ce-id") or headers.get("Nats-Msg-Id")
        if not event_id or event_id in self._seen:
            return False
        self._seen.add(event_id)
        try:
            body = json.loads(data)
        except ValueError:
            body = {}
        row = self.rows.setdefault((parts[5], f"{parts[1]}.{parts[3]}"), Row())
        row.count += 1
        row.latest = max(row.latest, headers.get("ce-time", ""))
        ref = next((str(v) for k, v in body.items() if k.endswith("_ref")), None)
        if ref and ref not in row.refs:
            row.refs = (row.refs + [ref])[-5:]
        return True

    def table(self) -> list[tuple[str, str, int, str, str]]:
        return [(org, kind, r.count, r.latest, ", ".join(r.refs)) for (org, kind), r in sorted(self.rows.items())]

    def text(self) -> str:
        lines = [f"{'organisation':<20} {'event':<42} {'count':>5}  latest"]
        lines += [f"{org:<20} {kind:<42} {count:>5}  {latest}" for org, kind, count, latest, _ in self.table()]
        return "\n".join(lines)

    def html(self) -> str:
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in self.table()
        )
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Missed clocks and "
            "escalations</title></head>"
            "<body><h1>Missed clocks and escalations</h1><table><thead><tr><th>Organisation</th><th>Event</th>"
            "<th>Count</th><th>Latest</th><th>Recent "
            f"references</th></tr></thead><tbody>{cells}</tbody></table></body></html>\n"
        )


async def run(
    url: str,
    org: str | None,
    stop: asyncio.Event,
    dashboard: Dashboard | None = None,
    on_update: Callable[[Dashboard], None] | None = None,
    ready: asyncio.Event | None = None,
) -> Dashboard:
    dashboard = dashboard or Dashboard()
    nc = await nats.connect(url, name="haven-monitoring-dashboard", max_reconnect_attempts=-1)

    async def on_message(msg) -> None:
        if dashboard.apply(msg.subject, msg.headers, msg.data) and on_update:
            on_update(dashboard)

    try:
        for subject in subjects(org):
            await nc.subscribe(subject, cb=on_message)
        # twice: nats-py may send flush()'s PING ahead of the buffered SUBs; the second PONG
        # proves the server has the subscriptions
        await nc.flush()
        await nc.flush()
        if ready:
            ready.set()
        await stop.wait()
    finally:
        await nc.drain()
    return dashboard


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nats-url", required=True)
    parser.add_argument("--org", default=None, help="Only this borough's events (an integrator's credentials).")
    parser.add_argument("--html", type=Path, default=None, help="Rewrite this HTML file on each change.")
    args = parser.parse_args()

    def show(board: Dashboard) -> None:
        if args.html:
            args.html.write_text(board.html())
        else:
            print(board.text() + "\n", flush=True)

    try:
        asyncio.run(run(args.nats_url, args.org, asyncio.Event(), on_update=show))
    except KeyboardInterrupt:
        pass
