"""``haven events tail``: a live, readable stream of Haven events for one's credentials.

Tailing uses plain NATS subscriptions (no JetStream consumer), so it needs only the
subscribe rights an integrator user has (``haven nats-config`` grants a borough's
integrator its own events, the ones it sends and the ones addressed to it) and leaves no
durable state on the server. With ``--org`` it subscribes to exactly those subjects; with
``--subject`` to the given filters. Events carry no personal data,
so printing their bodies is safe.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO

import click
import msgspec

from haven_contracts.messages import HEADER_PREFIX
from haven_contracts.subjects import parse_event_subject

ALL_EVENTS = "haven.*.evt.>"
CONNECT_TIMEOUT = 10.0


class NoServer(RuntimeError):
    """No NATS URL given and no running suite found, or the server did not answer in time."""


def resolve_url(given: str | None, environ: dict[str, str] | None = None) -> str:
    """``--nats-url``, else ``$HAVEN_NATS_URL``, else the URL the running ``haven up`` recorded.

    ``haven up`` starts nats-server on a free port, so a fixed default such as
    ``nats://127.0.0.1:4222`` would reach nothing (or someone else's server).
    """
    env = os.environ if environ is None else environ
    if given:
        return given
    if env.get("HAVEN_NATS_URL"):
        return env["HAVEN_NATS_URL"]
    from haven_runtime.ops.supervisor import read_state
    from haven_runtime.settings import data_dir_from

    data_dir = data_dir_from(env)
    state = read_state(data_dir)
    if state and state.get("nats_url"):
        return state["nats_url"]
    raise NoServer(
        f"no running Haven found in {data_dir} (start `haven up`, set HAVEN_DATA_DIR to its data directory, or "
        "pass --nats-url)"
    )


def subjects_for(org: str | None, subjects: Sequence[str]) -> list[str]:
    """Subscription filters: explicit ``subjects`` win, then ``org``'s integrator view, else all events."""
    if subjects:
        return list(subjects)
    if org:
        from haven_runtime.natsconf import integrator_subjects

        return list(integrator_subjects(org))
    return [ALL_EVENTS]


def format_event(subject: str, headers: dict[str, str] | None, data: bytes, *, as_json: bool = False) -> str:
    """One line per event: time, type, route, and the body's fields as ``key=value``."""
    headers = headers or {}
    try:
        body = msgspec.json.decode(data) if data else {}
    except msgspec.DecodeError:
        body = {"_undecodable": len(data)}
    if as_json:
        return json.dumps({"subject": subject, "headers": headers, "event": body}, sort_keys=True, default=str)
    try:
        parts = parse_event_subject(subject)
        route = parts["org"] + (f" -> {parts['to_org']}" if parts["to_org"] else "")
    except ValueError:
        route = "?"
    kind = headers.get(f"{HEADER_PREFIX}type", subject)
    when = headers.get(f"{HEADER_PREFIX}time", "-")
    fields = " ".join(
        f"{k}={_short(v)}" for k, v in (body.items() if isinstance(body, dict) else ()) if k not in ("org", "to_org")
    )
    return f"{when}  {kind}  {route}  {fields}".rstrip()


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, separators=(",", ":"))
    return text if len(text) <= 80 else text[:77] + "..."


async def tail(
    url: str,
    subjects: Sequence[str],
    out: IO[str] = sys.stdout,
    *,
    as_json: bool = False,
    count: int | None = None,
    on_ready: Callable[[], None] | None = None,
    errors: IO[str] = sys.stderr,
    stop: asyncio.Event | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> int:
    """Print events until ``count`` were seen, ``stop`` is set or the task is cancelled."""
    import nats

    async def on_error(exc: Exception) -> None:
        # e.g. a subject outside the credentials' permissions: say so rather than stay silent
        errors.write(f"nats: {exc}\n")
        errors.flush()

    connected = False
    last_error: list[Exception] = []

    async def on_connect_error(exc: Exception) -> None:
        if connected:
            await on_error(exc)
        else:
            last_error[:] = [exc]

    # Once connected, keep reconnecting (the suite may restart nats-server); but a server
    # that never answers is reported after ``connect_timeout`` instead of retried forever.
    try:
        nc = await asyncio.wait_for(
            nats.connect(
                url,
                name="haven-events-tail",
                max_reconnect_attempts=-1,
                reconnect_time_wait=0.5,
                error_cb=on_connect_error,
            ),
            timeout=connect_timeout,
        )
    except TimeoutError:
        reason = f": {last_error[0]}" if last_error else ""
        raise NoServer(f"no NATS server answered at {_redact(url)} within {connect_timeout:.0f}s{reason}") from None
    connected = True
    seen = 0
    done = stop or asyncio.Event()

    async def on_message(msg) -> None:
        nonlocal seen
        out.write(format_event(msg.subject, msg.headers, msg.data, as_json=as_json) + "\n")
        out.flush()
        seen += 1
        if count is not None and seen >= count:
            done.set()

    try:
        for subject in subjects:
            await nc.subscribe(subject, cb=on_message)
        # Twice: nats-py writes flush()'s PING straight to the socket while the SUB lines may
        # still wait in its send buffer, so the first PONG can come back before the server has
        # seen them -- and an event published right after "tailing" was missed. By the first
        # PONG the buffer has been written, so the second PONG proves the subscriptions.
        await nc.flush()
        await nc.flush()
        if on_ready:
            on_ready()
        await done.wait()
    finally:
        await nc.drain()
    return seen


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit

    parts = []
    for one in url.split(","):
        split = urlsplit(one.strip())
        if split.password:
            one = one.replace(f":{split.password}@", ":***@")
        parts.append(one)
    return ",".join(parts)


@click.group("events")
def events_group() -> None:
    """Haven events on the bus."""


@events_group.command("tail")
@click.option(
    "--nats-url",
    default=None,
    show_default="$HAVEN_NATS_URL, else the running `haven up`'s server (from the data directory)",
    help="Server URL, with the integrator's user:password if the server requires them.",
)
@click.option("--org", default=None, help="Show only what this organisation's integrator may see.")
@click.option(
    "--subject", "subjects", multiple=True, help="Subscription filter, e.g. 'haven.options.evt.>' (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (subject, headers, event).")
@click.option("--count", type=int, default=None, help="Stop after this many events.")
@click.option(
    "--connect-timeout",
    type=float,
    default=CONNECT_TIMEOUT,
    show_default=True,
    help="Give up if no server answers within this many seconds.",
)
def tail_command(
    nats_url: str | None,
    org: str | None,
    subjects: tuple[str, ...],
    as_json: bool,
    count: int | None,
    connect_timeout: float,
) -> None:
    """Print events as they are published; Ctrl-C stops."""
    chosen = subjects_for(org, subjects)
    try:
        url = resolve_url(nats_url)
    except NoServer as exc:
        raise click.ClickException(str(exc)) from None

    def announce() -> None:
        click.echo(f"tailing {', '.join(chosen)} on {_redact(url)}", err=True)

    try:
        asyncio.run(tail(url, chosen, as_json=as_json, count=count, on_ready=announce, connect_timeout=connect_timeout))
    except KeyboardInterrupt:
        pass
    except NoServer as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - connection or permission problems
        raise click.ClickException(f"cannot tail events: {exc}") from None
