"""Entry point of the ``lewisham`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_lewisham.directory import *  # noqa: F403
from haven_lewisham.manifest import *  # noqa: F403
from haven_lewisham.options import *  # noqa: F403
from haven_lewisham.reciprocal import *  # noqa: F403
from haven_lewisham.sanctuary import *  # noqa: F403
