"""Entry point of the ``greenwich`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_greenwich.directory import *  # noqa: F403
from haven_greenwich.manifest import *  # noqa: F403
from haven_greenwich.options import *  # noqa: F403
from haven_greenwich.reciprocal import *  # noqa: F403
from haven_greenwich.sanctuary import *  # noqa: F403
