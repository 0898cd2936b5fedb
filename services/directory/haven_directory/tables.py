"""Directory tables. Officers' work contacts are organisational data, not survivor data;
refuge addresses are encrypted at rest and never published.

Every record loaded from a plugin keeps ``corrected`` — the fields officers have corrected
through the API — so a plugin upgrade refreshes only what nobody has corrected.
"""

from __future__ import annotations

from piccolo.columns import JSON, Boolean, Date, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from haven_runtime.tables import runtime_tables

RUNTIME = runtime_tables("directory")


class DirOrganisation(Table, tablename="dir_organisation"):
    key = Varchar(length=63, unique=True)
    uid = Varchar(length=36, unique=True)
    name = Varchar(length=300)
    kind = Varchar(length=50)
    description = Text(default="")
    email = Varchar(length=200, null=True, default=None)
    url = Varchar(length=500, null=True, default=None)
    phones = JSON(default="[]")
    area = Varchar(length=200, null=True, default=None)
    partner = Boolean(default=False)
    source = Varchar(length=200, default="")
    corrected = JSON(default="[]")
    updated_at = Timestamptz()


class Officer(Table, tablename="officer"):
    key = Varchar(length=100, unique=True)
    org = Varchar(length=63, index=True)
    name = Varchar(length=200)
    email = Varchar(length=200, null=True, default=None)
    phone = Varchar(length=50, null=True, default=None)
    sex = Varchar(length=20, null=True, default=None)
    dv_specialism = Boolean(default=False)
    confidential = Boolean(default=True)
    source = Varchar(length=200, default="")
    updated_at = Timestamptz()
    job_title = Varchar(length=200, null=True, default=None)
    team = Varchar(length=200, null=True, default=None)
    invented = Boolean(default=False)
    active = Boolean(default=True)
    corrected = JSON(default="[]")


class PublishedHolders(Table, tablename="published_holders"):
    """The digest of the last ``RoleHoldersPublished`` per hosted organisation, so the
    directory publishes a snapshot only when the holders actually changed."""

    org = Varchar(length=63, unique=True)
    digest = Varchar(length=64)
    published_at = Timestamptz()


class PositionHolding(Table, tablename="position_holding"):
    """Who held a position at an organisation from ``start`` until (not including) ``end``; open-ended if null."""

    id: Serial  # the primary key Piccolo adds to a table that declares none

    org = Varchar(length=63, index=True)
    position = Varchar(length=50)
    officer_key = Varchar(length=100)
    start = Date()
    end = Date(null=True, default=None)
    changed_by = Varchar(length=255, default="plugin")
    changed_at = Timestamptz()
    detail = JSON(default="{}")


class CatalogueService(Table, tablename="catalogue_service"):
    key = Varchar(length=100, unique=True)
    uid = Varchar(length=36, unique=True)
    org = Varchar(length=63, index=True)
    name = Varchar(length=300)
    description = Text(default="")
    taxonomy = JSON(default="[]")
    eligibility = Text(null=True, default=None)
    application_process = Text(null=True, default=None)
    fees = Text(null=True, default=None)
    email = Varchar(length=200, null=True, default=None)
    url = Varchar(length=500, null=True, default=None)
    phones = JSON(default="[]")
    schedules = JSON(default="[]")
    location_keys = JSON(default="[]")
    area = Varchar(length=200, null=True, default=None)
    confidential = Boolean(default=False)
    status = Varchar(length=30, default="active")
    source = Varchar(length=200, default="")
    corrected = JSON(default="[]")
    updated_at = Timestamptz()


class DirLocation(Table, tablename="dir_location"):
    """``address_1``/``postal_code`` are ciphertexts (field cipher, bound to the location key)."""

    key = Varchar(length=100, unique=True)
    uid = Varchar(length=36, unique=True)
    org = Varchar(length=63, index=True)
    name = Varchar(length=300)
    address_1 = Text(null=True, default=None)
    city = Varchar(length=200, null=True, default=None)
    postal_code = Text(null=True, default=None)
    confidential = Boolean(default=True)
    source = Varchar(length=200, default="")
    updated_at = Timestamptz()


class Forum(Table, tablename="forum"):
    key = Varchar(length=100, unique=True)
    org = Varchar(length=63, index=True)
    name = Varchar(length=300)
    kind = Varchar(length=50, default="forum")
    purpose = Text(default="")
    cadence = Varchar(length=200, null=True, default=None)
    schedule = JSON(null=True, default=None)
    members = JSON(default="[]")
    status = Varchar(length=30, default="active")
    source = Varchar(length=200, default="")
    corrected = JSON(default="[]")
    updated_at = Timestamptz()


class Capacity(Table, tablename="service_capacity"):
    uid = Varchar(length=36, unique=True)
    service_key = Varchar(length=100, index=True)
    unit = Varchar(length=50)
    available = Integer()
    maximum = Integer(null=True, default=None)
    description = Text(default="")
    updated = Timestamptz()


class History(Table, tablename="dir_history"):
    """One field's change: the directory's provenance record (HSDS ``metadata`` shape)."""

    id: Serial  # the primary key Piccolo adds to a table that declares none

    entity = Varchar(length=30, index=True)
    entity_key = Varchar(length=100, index=True)
    action = Varchar(length=20)
    field_name = Varchar(length=100)
    previous_value = Text(default="")
    replacement_value = Text(default="")
    changed_by = Varchar(length=255)
    changed_by_org = Varchar(length=63, default="")
    changed_at = Timestamptz()
    confidential = Boolean(default=True)


class PublishedListing(Table, tablename="published_listing"):
    """The digest of the last ``PublicListingPublished`` per hosted organisation."""

    org = Varchar(length=63, unique=True)
    digest = Varchar(length=64)
    published_at = Timestamptz()


class FederatedListing(Table, tablename="federated_listing"):
    """A hub deployment's copy of another deployment's organisation's *public* listing (HSDS
    records as the owner renders its public tier), replaced whole at each new publication."""

    org = Varchar(length=63, unique=True)
    organization = JSON(default="null")
    services = JSON(default="[]")
    received_at = Timestamptz()


TABLES = [
    DirOrganisation,
    Officer,
    PositionHolding,
    PublishedHolders,
    PublishedListing,
    FederatedListing,
    CatalogueService,
    DirLocation,
    Forum,
    Capacity,
    History,
]
