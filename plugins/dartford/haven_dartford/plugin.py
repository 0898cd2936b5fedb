"""Entry point of the ``dartford`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_dartford.directory import *  # noqa: F403
from haven_dartford.manifest import *  # noqa: F403
from haven_dartford.options import *  # noqa: F403
from haven_dartford.reciprocal import *  # noqa: F403
from haven_dartford.sanctuary import *  # noqa: F403
