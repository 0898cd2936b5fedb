"""The runtime's shared tables (outbox, inbox, dead letter, audit) in every service database: ordered migration steps
(see :mod:`haven_runtime.schema`)."""
