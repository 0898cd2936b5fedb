"""Haven's contracts: what services say to each other and what plugins may say to services.

Everything here is data and pure functions, no I/O, so a service, a plugin and an
integrator can all depend on it. A breaking change is a new version (``v2`` subject,
new record), never an edit of a published one.
"""

__version__ = "1.0.0"
