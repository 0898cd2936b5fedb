"""Haven sanctuary service."""
