"""What every Haven service runs on. No domain rules live here."""

__version__ = "0.1.0"
