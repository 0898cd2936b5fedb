"""The reciprocal service's tables: ordered migration steps, applied by start-up and ``haven migrate`` (see
:mod:`haven_runtime.schema`)."""
