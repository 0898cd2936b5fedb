"""Haven reciprocal service."""
