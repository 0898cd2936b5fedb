"""Per-service bus vocabularies. Importing this package registers every event and request type."""

from haven_contracts.events import directory, options, reciprocal, sanctuary  # noqa: F401
