"""Options tables."""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Timestamptz, Varchar
from piccolo.table import Table

from haven_runtime.tables import runtime_tables

RUNTIME = runtime_tables("options")


class JwaNotification(Table, tablename="jwa_notification"):
    """JWA advance contact sent by borough ``from_org`` to ``to_org`` (seed 000)."""

    ref = Varchar(length=40, unique=True)
    from_org = Varchar(length=63, index=True)
    to_org = Varchar(length=63, index=True)
    case_ref = Varchar(length=40)
    addressed_to = JSON(default="[]")
    sent_by = Varchar(length=255)
    notified_at = Timestamptz()


class JwaInboxItem(Table, tablename="jwa_inbox_item"):
    """A notification as received in the receiving borough's inbox."""

    ref = Varchar(length=40, unique=True)
    kind = Varchar(length=40, default="move-notified")
    from_org = Varchar(length=63)
    to_org = Varchar(length=63, index=True)
    case_ref = Varchar(length=40)
    addressed_to = JSON(default="[]")
    received_at = Timestamptz()
    acknowledged = Boolean(default=False)
    acknowledged_by = Varchar(length=255, null=True, default=None)
    acknowledged_at = Timestamptz(null=True, default=None)


TABLES = [JwaNotification, JwaInboxItem]
