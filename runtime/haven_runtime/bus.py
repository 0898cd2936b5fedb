"""Bus wiring: the FastStream NATS broker, explicit stream and consumer provisioning,
durable pull consumers with an inbox, and request/reply.

Delivery policy (STACK.md): FastStream's stock ack policies either never redeliver
(``REJECT_ON_ERROR``) or redeliver in a tight loop (``NACK_ON_ERROR``), so consumers use
``AckPolicy.MANUAL`` and decide themselves:

* the message cannot be understood (missing envelope, unknown type, invalid payload) →
  dead-letter record, then ``term`` — retrying cannot help;
* the handler raises → ``nak`` with the next back-off delay, up to ``max_deliver``
  deliveries, then a dead-letter record and ``term``;
* the handler succeeds → its effects and the event id commit together in the inbox
  table, then ``ack``. A redelivered event already in the inbox is acked and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec
from fast_depends.msgspec import MsgSpecSerializer
from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from nats.js.api import AckPolicy as JsAckPolicy
from nats.js.api import ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from haven_contracts.messages import Envelope, Event, Reply, Request, decode_event, encode, event_type
from haven_contracts.subjects import consumer_name, stream_name, stream_subjects
from haven_runtime.observability import consume_span
from haven_runtime.logs import bus_message_logger

if TYPE_CHECKING:
    from haven_runtime.context import ServiceContext
    from haven_runtime.store import UnitOfWork

log = logging.getLogger("haven.bus")

EventHandler = Callable[["ServiceContext", Event, Envelope, "UnitOfWork"], Awaitable[None]]
Responder = Callable[["ServiceContext", Request], Awaitable[Reply]]


@dataclass(frozen=True)
class ConsumerSpec:
    """A durable pull consumer of another (or the same) service's stream.

    ``from_service`` owns the stream; ``filter_subject`` selects events (build it with
    :func:`haven_contracts.subjects.event_filter`); ``purpose`` names the durable.
    """

    purpose: str
    from_service: str
    filter_subject: str
    handler: EventHandler
    deliver_new_only: bool = False


@dataclass(frozen=True)
class ResponderSpec:
    """A request/reply handler for one request type, shared by replicas via a queue group."""

    request_type: type[Request]
    handler: Responder


class PermanentError(Exception):
    """Raised by a handler for a message that can never be applied (goes straight to dead letter)."""


class _ServiceBroker(NatsBroker):
    """A broker whose pull consumers also use the connection's own inbox prefix.

    FastStream passes the library default ``_INBOX.`` to every pull subscription unless
    told otherwise; the per-service prefix must cover them too, or a service user limited
    to ``_INBOX.<user>.>`` could not receive its own consumer's messages.
    """

    def subscriber(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        if kwargs.get("pull_sub") is not None:
            kwargs.setdefault("inbox_prefix", (self._haven_inbox_prefix + ".").encode())
        return super().subscriber(*args, **kwargs)


def make_broker(url: str, name: str) -> NatsBroker:
    """``url`` may list several servers separated by commas (a cluster's seed nodes).

    ``name`` is also the NATS user name ``haven nats-config`` generates for the service,
    and replies to this connection arrive under ``_INBOX.<name>`` — the only inboxes that
    user may subscribe to (:func:`haven_runtime.natsconf.inbox_prefix`).
    """
    from haven_runtime.natsconf import inbox_prefix

    servers = [u.strip() for u in url.split(",") if u.strip()]
    prefix = inbox_prefix(name)
    broker = _ServiceBroker(
        servers if len(servers) > 1 else servers[0],
        name=name,
        inbox_prefix=prefix,
        serializer=MsgSpecSerializer(),
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        allow_reconnect=True,
        graceful_timeout=10.0,
        logger=bus_message_logger(),
        log_level=logging.DEBUG,
    )
    broker._haven_inbox_prefix = prefix
    return broker


async def provision_stream(js, service: str, *, replicas: int = 1) -> None:
    """Create or update ``service``'s stream explicitly (an existing one keeps old config otherwise)."""
    config = StreamConfig(
        name=stream_name(service),
        subjects=stream_subjects(service),
        storage=StorageType.FILE,
        num_replicas=replicas,
        duplicate_window=120.0,
    )
    try:
        info = await js.stream_info(config.name)
        # replication is the operator's choice (deploy/migrate.py): never lower it here
        config.num_replicas = max(replicas, info.config.num_replicas or 1)
        await js.update_stream(config)
    except NotFoundError:
        await js.add_stream(config)


async def provision_consumer(js, service: str, spec: ConsumerSpec, settings) -> str:
    """Create the durable pull consumer for ``spec`` with Haven's delivery limits."""
    durable = consumer_name(service, spec.purpose)
    config = ConsumerConfig(
        durable_name=durable,
        filter_subject=spec.filter_subject,
        ack_policy=JsAckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.NEW if spec.deliver_new_only else DeliverPolicy.ALL,
        ack_wait=float(settings.ack_wait_seconds),  # redelivery after a consumer died mid-message
        max_deliver=settings.max_deliver + 1,
        max_ack_pending=1000,
    )
    try:
        await js.consumer_info(stream_name(spec.from_service), durable)
        await js.add_consumer(stream_name(spec.from_service), config)  # updates mutable fields
    except NotFoundError:
        await js.add_consumer(stream_name(spec.from_service), config)
    return durable


def _backoff(settings, delivered: int) -> float:
    steps = settings.redelivery_backoff_seconds
    return steps[min(delivered - 1, len(steps) - 1)]


def register_consumer(broker: NatsBroker, ctx: "ServiceContext", spec: ConsumerSpec) -> None:
    """Attach a FastStream pull subscriber bound to the provisioned durable consumer."""
    durable = consumer_name(ctx.service, spec.purpose)

    @broker.subscriber(
        spec.filter_subject,
        stream=JStream(name=stream_name(spec.from_service), declare=False),
        durable=durable,
        pull_sub=PullSub(batch_size=16, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        title=f"{ctx.service}:{spec.purpose}",
    )
    async def _consume(msg: NatsMessage) -> None:
        await handle_delivery(ctx, spec, durable, msg)


async def handle_delivery(ctx: "ServiceContext", spec: ConsumerSpec, durable: str, msg: NatsMessage) -> None:
    raw = msg.raw_message
    headers = dict(raw.headers or {})
    delivered = getattr(getattr(raw, "metadata", None), "num_delivered", 1) or 1
    tables = ctx.store.tables
    try:
        envelope = Envelope.from_headers(headers)
        event = decode_event(envelope.type, raw.data)
        check_subject(event, raw.subject)
    except (ValueError, LookupError, msgspec.DecodeError, msgspec.ValidationError) as exc:
        await dead_letter(ctx, durable, raw, headers, f"undecodable: {exc}", delivered)
        await msg.reject()
        return

    try:
        async with ctx.store.transaction() as uow:
            seen = await tables.inbox.exists().where(
                (tables.inbox.consumer == durable) & (tables.inbox.event_id == envelope.id)
            )
            if seen:
                ctx.bus_stats.skipped_duplicates += 1
            else:
                with consume_span(ctx, durable, envelope, headers):
                    await spec.handler(ctx, event, envelope, uow)
                await tables.inbox.insert(
                    tables.inbox(consumer=durable, event_id=envelope.id, applied_at=datetime.now(UTC))
                )
                ctx.bus_stats.applied += 1
    except PermanentError as exc:
        await dead_letter(ctx, durable, raw, headers, f"rejected by handler: {exc}", delivered)
        await msg.reject()
        return
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then dead-lettered
        if delivered >= ctx.settings.max_deliver:
            log.error("dead-lettering %s after %d deliveries: %r", envelope.id, delivered, exc)
            await dead_letter(ctx, durable, raw, headers, f"handler failed {delivered} times: {exc!r}", delivered)
            await msg.reject()
        else:
            ctx.bus_stats.redelivered += 1
            log.warning("handler for %s failed (delivery %d), retrying: %r", envelope.id, delivered, exc)
            await msg.nack(delay=_backoff(ctx.settings, delivered))
        return
    await msg.ack()


def check_subject(event: Event, subject: str) -> None:
    """The subject a message arrived on must be the one its payload implies.

    Consumers route and authorise by subject (which organisation's stream, addressed to
    whom); a payload claiming another organisation, recipient or type is refused rather
    than applied."""
    if subject != event.subject:
        raise ValueError(f"subject {subject!r} does not match the payload (expected {event.subject!r})")


async def dead_letter(ctx: "ServiceContext", consumer: str, raw, headers: dict[str, str], reason: str, delivered: int) -> None:
    table = ctx.store.tables.dead_letter
    from haven_runtime.db import write_transaction

    async with write_transaction(ctx.store.engine):
        await table.insert(
            table(
                consumer=consumer,
                subject=raw.subject,
                event_id=headers.get("ce-id"),
                type=headers.get("ce-type"),
                reason=reason[:2000],
                deliveries=delivered,
                payload=bytes(raw.data or b""),
                headers=msgspec.json.encode(headers).decode(),
                created_at=datetime.now(UTC),
            )
        )
    ctx.bus_stats.dead_lettered += 1


def register_responder(broker: NatsBroker, ctx: "ServiceContext", spec: ResponderSpec) -> None:
    """Answer ``spec.request_type`` for every organisation; replicas share a queue group."""
    from haven_contracts.subjects import request_filter

    req_type = spec.request_type

    @broker.subscriber(
        request_filter(req_type.service, req_type.name, req_type.version),
        queue=f"{ctx.service}-responders",
        title=f"{ctx.service}:{req_type.name}",
    )
    async def _respond(msg: NatsMessage) -> bytes:
        try:
            request = msgspec.json.decode(msg.raw_message.data, type=req_type)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            return encode(req_type.reply_type(ok=False, error="bad_request", message=str(exc)))
        subject_org = msg.raw_message.subject.rsplit(".", 1)[-1]
        if subject_org != request.target_org:
            return encode(req_type.reply_type(ok=False, error="bad_request", message="target_org does not match subject"))
        try:
            reply = await spec.handler(ctx, request)
        except Exception as exc:  # noqa: BLE001 - the caller gets an answer, not a timeout
            log.exception("responder %s failed", req_type.name)
            return encode(req_type.reply_type(ok=False, error="internal", message=type(exc).__name__))
        return encode(reply)


async def request(broker: NatsBroker, req: Request, *, timeout: float = 5.0) -> Reply:
    """Send ``req`` to its owning service; the reply arrives on this client's inbox only."""
    response = await broker.request(encode(req), req.subject, timeout=timeout)
    return msgspec.json.decode(response.body, type=req.reply_type)


def known_event(type_name: str) -> bool:
    try:
        event_type(type_name)
        return True
    except LookupError:
        return False


