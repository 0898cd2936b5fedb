"""Operator commands: ``haven`` (up, status, migrate, plugins, tokens, NATS configuration,
interface documents, the rules page) and the processes it supervises. Services never import
these; they import the kernel (the rest of ``haven_runtime``)."""
