"""Plain, service-prefixed logging for every Haven process (``HAVEN_LOG_LEVEL``).

FastStream installs its own colourised stdout handlers and logs every message at INFO;
uvicorn installs a colourised config too. Haven routes both through the root logger with
one plain format (``<time> <service> <LEVEL> <logger>: <message>``), logs per-message bus
traffic at DEBUG, and keeps warnings and errors — with tracebacks — at their own levels.
"""

from __future__ import annotations

import logging
import sys

BUS_MESSAGE_LOGGER = "haven.bus.messages"
_THIRD_PARTY = (
    "litestar",
    "faststream",
    "faststream.access",
    "faststream.access.nats",
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "nats",
    "piccolo",
)


def log_format(service: str | None) -> str:
    return f"%(asctime)s {service or 'haven'} %(levelname)s %(name)s: %(message)s"


def configure_logging(service: str | None, level: str = "INFO") -> None:
    """Install one plain stderr handler on the root logger and make library loggers use it.

    Call it after the app is built: Litestar's default logging config replaces the root
    handlers when the app is created, and this replaces them again."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(log_format(service)))
    handler._haven = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name in _THIRD_PARTY:
        lib = logging.getLogger(name)
        lib.handlers.clear()
        lib.propagate = True
        lib.setLevel(logging.NOTSET)
    # uvicorn's access lines and per-message bus lines are debugging detail
    logging.getLogger("uvicorn.access").setLevel(max(logging.getLevelName(level), logging.WARNING))


class _BenignFetchTimeouts(logging.Filter):
    """Drop FastStream's task-supervisor noise about an idle pull consumer.

    nats-py 2.16 sometimes ends an empty ``fetch`` with a bare ``asyncio.TimeoutError``,
    which FastStream 0.7.8 does not suppress (it expects ``nats.errors.TimeoutError``): its
    supervisor logs the traceback at ERROR and restarts the fetch loop, which is harmless.
    Only that exact case is dropped; every other error keeps its level and traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("callback for ") and message.endswith("is being executed..."):
            return False
        if "raised an exception, retrying" in message and record.exc_info:
            exc_type = record.exc_info[0]
            return exc_type is not TimeoutError
        return True


def bus_message_logger() -> logging.Logger:
    """The logger FastStream reports each consumed message to (at DEBUG, see ``make_broker``)."""
    logger = logging.getLogger(BUS_MESSAGE_LOGGER)
    if not any(isinstance(f, _BenignFetchTimeouts) for f in logger.filters):
        logger.addFilter(_BenignFetchTimeouts())
    return logger
