"""Bus wiring: the FastStream NATS broker, explicit stream and consumer provisioning,
durable pull consumers with an inbox, and request/reply.

Delivery policy (STACK.md): FastStream's stock ack policies either never redeliver
(``REJECT_ON_ERROR``) or redeliver in a tight loop (``NACK_ON_ERROR``), so consumers use
``AckPolicy.MANUAL`` and decide themselves:

* the message cannot be understood (an event version this build does not know, a missing
  or malformed envelope header, unknown type, invalid or oversize payload) → dead-letter
  record, then ``term`` — retrying cannot help;
* the handler refuses the message for good (:class:`PermanentError`, or a
  :class:`~haven_runtime.errors.HavenError` that retrying cannot cure: invalid, not found,
  forbidden, conflict — :func:`haven_runtime.errors.as_permanent`) → dead-letter record with
  the reason, then ``term``;
* the handler raises anything else → ``nak`` with the next back-off delay, up to ``max_deliver``
  deliveries, then a dead-letter record and ``term``;
* the handler succeeds → its effects and the event id commit together in the inbox
  table, then ``ack``. A redelivered event already in the inbox is acked and skipped.

If no replica ever finishes a message (each died mid-message, or the dead-letter write
failed), JetStream stops after ``max_deliver`` and publishes a max-deliveries advisory;
every consumer watches its advisory and records the message as a dead letter then.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec
from fast_depends.msgspec import MsgSpecSerializer
from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from nats.errors import NoRespondersError
from nats.js.api import AckPolicy as JsAckPolicy
from nats.js.api import ConsumerConfig, DeliverPolicy, RawStreamMsg, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from haven_contracts.messages import Envelope, Event, Reply, Request, decode_event, encode, event_type, event_types
from haven_contracts.subjects import (
    consumer_name,
    message_type,
    parse_event_subject,
    request_filter,
    stream_name,
    stream_subjects,
)
from haven_runtime.errors import as_permanent
from haven_runtime.logs import bus_message_logger
from haven_runtime.observability import consume_span

if TYPE_CHECKING:
    from haven_runtime.context import ServiceContext
    from haven_runtime.deployment import Deployment
    from haven_runtime.store import UnitOfWork

log = logging.getLogger("haven.bus")

E = TypeVar("E", bound=Event)
Q = TypeVar("Q", bound=Request)
R = TypeVar("R", bound=Reply)
#: A consumer's handler, typed by the event it reads (a spec carries one event family)
EventHandler = Callable[["ServiceContext", E, Envelope, "UnitOfWork"], Awaitable[None]]
#: A responder, typed by the request it answers and the reply it gives
Responder = Callable[["ServiceContext", Q], Awaitable[R]]


@dataclass(frozen=True)
class ConsumerSpec(Generic[E]):
    """A durable pull consumer of another (or the same) service's stream.

    ``from_service`` owns the stream; ``filter_subject`` selects events (build it with
    :func:`haven_contracts.subjects.event_filter`, leaving the version out so a version this
    build does not read is dead-lettered rather than unseen); ``purpose`` names the durable.
    """

    purpose: str
    from_service: str
    filter_subject: str
    handler: EventHandler[E]
    deliver_new_only: bool = False


@dataclass(frozen=True)
class ResponderSpec(Generic[Q, R]):
    """A request/reply handler for one request type, shared by replicas via a queue group."""

    request_type: type[Q]
    handler: Responder[Q, R]


class NotHostedOnBus(LookupError):
    """No deployment on the bus answers requests for the target organisation (NATS "no
    responders": the error arrives at once instead of after the request timeout)."""


class _ServiceBroker(NatsBroker):
    """A broker whose pull consumers also use the connection's own inbox prefix.

    FastStream passes the library default ``_INBOX.`` to every pull subscription unless
    told otherwise; the per-service prefix must cover them too, or a service user limited
    to ``_INBOX.<user>.>`` could not receive its own consumer's messages.
    """

    _haven_inbox_prefix: str

    def subscriber(self, *args: Any, **kwargs: Any):
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
        reconnect_time_wait=0.5,  # type: ignore[arg-type]  # nats-py sleeps for it: seconds, a float
        allow_reconnect=True,
        graceful_timeout=10.0,
        logger=bus_message_logger(),
        log_level=logging.DEBUG,
    )
    broker._haven_inbox_prefix = prefix
    return broker


async def provision_stream(js, service: str, *, replicas: int = 1, deployment: "Deployment | None" = None) -> None:
    """Create or update ``service``'s stream explicitly (an existing one keeps old config otherwise).

    With a federated ``deployment`` the stream is that deployment's and captures only what its
    organisations publish; a subject clash means another deployment already hosts one of them."""
    name = deployment.stream(service) if deployment else stream_name(service)
    config = StreamConfig(
        name=name,
        subjects=deployment.stream_subjects(service) if deployment else stream_subjects(service),
        storage=StorageType.FILE,
        num_replicas=replicas,
        duplicate_window=120.0,
    )
    try:
        try:
            info = await js.stream_info(config.name)
            # replication is the operator's choice (haven migrate --stream-replicas): never lower it here
            config.num_replicas = max(replicas, info.config.num_replicas or 1)
            await js.update_stream(config)
        except NotFoundError:
            await js.add_stream(config)
    except BadRequestError as exc:
        if getattr(exc, "err_code", None) == 10065:  # subjects overlap with an existing stream
            orgs = ", ".join(sorted(deployment.orgs)) if deployment else "every organisation"
            raise RuntimeError(
                f"stream {name} cannot capture {orgs}: another stream on this NATS system already captures "
                f"some of those subjects — an organisation is hosted by one deployment only"
            ) from exc
        raise


async def provision_consumer(
    js, service: str, spec: ConsumerSpec, settings, deployment: "Deployment | None" = None
) -> str:
    """Create the durable pull consumer for ``spec`` with Haven's delivery limits."""
    durable = deployment.consumer(service, spec.purpose) if deployment else consumer_name(service, spec.purpose)
    stream = deployment.consumer_stream(service, spec.from_service) if deployment else stream_name(spec.from_service)
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
        await js.consumer_info(stream, durable)
        await js.add_consumer(stream, config)  # updates mutable fields
    except NotFoundError:
        await js.add_consumer(stream, config)
    return durable


def _backoff(settings, delivered: int) -> float:
    steps = settings.redelivery_backoff_seconds
    return steps[min(delivered - 1, len(steps) - 1)]


def register_consumer(broker: NatsBroker, ctx: "ServiceContext", spec: ConsumerSpec) -> None:
    """Attach a FastStream pull subscriber bound to the provisioned durable consumer."""
    durable = ctx.deployment.consumer(ctx.service, spec.purpose)
    stream = ctx.deployment.consumer_stream(ctx.service, spec.from_service)

    @broker.subscriber(
        spec.filter_subject,
        stream=JStream(name=stream, declare=False),
        durable=durable,
        pull_sub=PullSub(batch_size=16, timeout=1.0),
        ack_policy=AckPolicy.MANUAL,
        title=f"{ctx.service}:{spec.purpose}",
    )
    async def _consume(msg: NatsMessage) -> None:
        await handle_delivery(ctx, spec, durable, msg)

    watch_max_deliveries(broker, ctx, stream, durable)


async def handle_delivery(ctx: "ServiceContext", spec: ConsumerSpec, durable: str, msg: NatsMessage) -> None:
    raw = msg.raw_message
    headers = dict(raw.headers or {})
    delivered = getattr(getattr(raw, "metadata", None), "num_delivered", 1) or 1
    tables = ctx.store.tables
    try:
        check_version(raw.subject)
        envelope = Envelope.from_headers(headers)
        event = decode_event(envelope.type, raw.data)
        check_subject(event, raw.subject)
    except UnknownVersion as exc:
        await dead_letter(ctx, durable, raw, headers, f"unknown version: {exc}", delivered)
        await msg.reject()
        return
    except (ValueError, LookupError, msgspec.DecodeError, msgspec.ValidationError) as exc:
        await dead_letter(ctx, durable, raw, headers, f"undecodable: {exc}", delivered)
        await msg.reject()
        return

    try:
        async with ctx.store.transaction() as uow:
            # the event id is claimed for this consumer first, in the handler's transaction: one
            # statement instead of a check and an insert; an id already applied claims nothing
            claimed = (
                await tables.inbox.insert(
                    tables.inbox(consumer=durable, event_id=envelope.id, applied_at=datetime.now(UTC))
                )
                .on_conflict(action="DO NOTHING")
                .returning(tables.inbox.event_id)
            )
            if not claimed:
                ctx.bus_stats.skipped_duplicates += 1
            else:
                with consume_span(ctx, durable, envelope, headers):
                    await spec.handler(ctx, event, envelope, uow)
                ctx.bus_stats.applied += 1
    except Exception as exc:  # noqa: BLE001 - refused for good: dead letter; else retried, then dead-lettered
        if (permanent := as_permanent(exc)) is not None:
            await dead_letter(ctx, durable, raw, headers, f"rejected by handler: {permanent}", delivered)
            await msg.reject()
        elif delivered >= ctx.settings.max_deliver:
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


class UnknownVersion(LookupError):
    """The subject names an event version this build's contracts do not define."""


def check_version(subject: str) -> None:
    """Refuse an event whose subject names a version this build does not know.

    Consumers subscribe to every version of the events they read, so a producer that moved
    to ``v2`` ends in a dead letter naming the subject, where an integrator sees the
    mismatch, instead of passing by a ``v1`` filter unnoticed. A subject that is not a Haven
    event subject, or an event name no version of which is known, is left to the decoder."""
    try:
        parts = parse_event_subject(subject)
    except ValueError:
        return
    service, name, version = parts["service"], parts["event"], parts["version"]
    if known_event(message_type(service, name, version)):
        return
    known = sorted(t.version for t in event_types() if (t.service, t.name) == (service, name))
    if known:
        readable = ", ".join(f"v{v}" for v in known)
        raise UnknownVersion(f"subject {subject!r} carries {name} v{version}; this consumer reads {readable}")


def _fit(column, value: str | None) -> str | None:
    """``value`` cut to ``column``'s declared length: a dead letter must always be recordable,
    whatever a publisher put in the headers or subject."""
    length = getattr(column, "length", None)
    return value[:length] if value is not None and length else value


async def dead_letter(
    ctx: "ServiceContext", consumer: str, raw, headers: dict[str, str], reason: str, delivered: int
) -> None:
    """Record a message that will never be applied. ``raw`` has the ``subject`` and ``data``
    it arrived with; values longer than their column are cut, never refused."""
    table = ctx.store.tables.dead_letter
    from haven_runtime.db import write_transaction

    async with write_transaction(ctx.store.engine):
        await table.insert(
            table(
                consumer=_fit(table.consumer, consumer),
                subject=_fit(table.subject, raw.subject),
                event_id=_fit(table.event_id, headers.get("ce-id")),
                type=_fit(table.type, headers.get("ce-type")),
                reason=reason[:2000],
                deliveries=delivered,
                payload=bytes(raw.data or b""),
                headers=msgspec.json.encode(headers).decode(),
                created_at=datetime.now(UTC),
            )
        )
    ctx.bus_stats.dead_lettered += 1


MAX_DELIVERIES_ADVISORY = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{stream}.{consumer}"


class MaxDeliveriesAdvisory(msgspec.Struct):
    """The fields Haven reads of JetStream's ``io.nats.jetstream.advisory.v1.max_deliver``."""

    stream: str
    consumer: str
    stream_seq: int
    deliveries: int


def watch_max_deliveries(broker: NatsBroker, ctx: "ServiceContext", stream: str, durable: str) -> None:
    """Record a dead letter for each message JetStream stops redelivering to ``durable``.

    The handler dead-letters what it can; this covers what it never could — every replica
    died mid-message, or the dead-letter write itself failed. Replicas share a queue group,
    so one records it. Advisories are core NATS messages: one published while no replica
    is running is not seen."""

    @broker.subscriber(
        MAX_DELIVERIES_ADVISORY.format(stream=stream, consumer=durable),
        queue=f"{durable}-max-deliveries",
        title=f"{ctx.service}:{durable}:max-deliveries",
    )
    async def _exhausted(msg: NatsMessage) -> None:
        await record_exhausted(ctx, durable, msg.raw_message.data)


async def record_exhausted(ctx: "ServiceContext", durable: str, advisory_data: bytes) -> bool:
    """Dead-letter the message a max-deliveries advisory names (fetched by stream sequence);
    False when it was already applied or dead-lettered, or the advisory is unreadable."""
    try:
        advisory = msgspec.json.decode(advisory_data, type=MaxDeliveriesAdvisory)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        log.error("unreadable max-deliveries advisory for %s: %s", durable, exc)
        return False
    stored: RawStreamMsg | SimpleNamespace
    try:
        stored = await ctx.broker.connection.jetstream().get_msg(advisory.stream, advisory.stream_seq)
    except NotFoundError:
        where = f"(stream {advisory.stream} sequence {advisory.stream_seq}, no longer stored)"
        stored = SimpleNamespace(subject=where, data=b"", headers=None)
    headers = dict(stored.headers or {})
    if await _already_settled(ctx, durable, headers.get("ce-id")):
        return False
    reason = (
        f"JetStream gave up after {advisory.deliveries} deliveries without an acknowledgement "
        f"(stream {advisory.stream}, sequence {advisory.stream_seq})"
    )
    log.error("dead-lettering %s sequence %d for %s: %s", advisory.stream, advisory.stream_seq, durable, reason)
    await dead_letter(ctx, durable, stored, headers, reason, advisory.deliveries)
    return True


async def _already_settled(ctx: "ServiceContext", durable: str, event_id: str | None) -> bool:
    """True when ``event_id`` was applied by ``durable`` (only the ack was lost) or already
    dead-lettered for it."""
    if not event_id:
        return False
    tables = ctx.store.tables
    if await tables.inbox.exists().where((tables.inbox.consumer == durable) & (tables.inbox.event_id == event_id)):
        return True
    dead = tables.dead_letter
    return await dead.exists().where(
        (dead.consumer == _fit(dead.consumer, durable)) & (dead.event_id == _fit(dead.event_id, event_id))
    )


def register_responder(broker: NatsBroker, ctx: "ServiceContext", spec: ResponderSpec) -> None:
    """Answer ``spec.request_type``; one deployment's replicas share a queue group.

    The all-in-one deployment answers for every organisation; a federated one subscribes per
    hosted organisation, so a request reaches only the deployment hosting its target and a
    request to an organisation nobody hosts fails at once with "no responders"."""
    req_type = spec.request_type
    targets = sorted(ctx.deployment.orgs) if ctx.deployment.federated else ["*"]
    for target in targets:
        _subscribe_responder(
            broker, ctx, spec, request_filter(req_type.service, req_type.name, req_type.version, target)
        )


def _subscribe_responder(broker: NatsBroker, ctx: "ServiceContext", spec: ResponderSpec, subject: str) -> None:
    req_type = spec.request_type

    @broker.subscriber(
        subject,
        queue=ctx.deployment.queue(ctx.service),
        title=f"{ctx.service}:{req_type.name}" + (f":{subject.rsplit('.', 1)[-1]}" if ctx.deployment.federated else ""),
    )
    async def _respond(msg: NatsMessage) -> bytes:
        try:
            request = msgspec.json.decode(msg.raw_message.data, type=req_type)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            return encode(req_type.reply_type(ok=False, error="bad_request", message=str(exc)))
        subject_org = msg.raw_message.subject.rsplit(".", 1)[-1]
        if subject_org != request.target_org:
            return encode(
                req_type.reply_type(ok=False, error="bad_request", message="target_org does not match subject")
            )
        try:
            reply = await spec.handler(ctx, request)
        except Exception as exc:  # noqa: BLE001 - the caller gets an answer, not a timeout
            log.exception("responder %s failed", req_type.name)
            return encode(req_type.reply_type(ok=False, error="internal", message=type(exc).__name__))
        return encode(reply)


async def request(broker: NatsBroker, req: Request, *, timeout: float = 5.0) -> Reply:
    """Send ``req`` to its owning service; the reply arrives on this client's inbox only.

    Raises :class:`NotHostedOnBus` at once when no deployment answers for ``req.target_org``."""
    try:
        response = await broker.request(encode(req), req.subject, timeout=timeout)
    except NoRespondersError:
        raise NotHostedOnBus(
            f"no deployment on this NATS system answers {req.name} requests for {req.target_org}"
        ) from None
    return msgspec.json.decode(response.body, type=req.reply_type)


def known_event(type_name: str) -> bool:
    try:
        event_type(type_name)
        return True
    except LookupError:
        return False
