"""Haven directory service: who holds which position where, and what services exist."""
