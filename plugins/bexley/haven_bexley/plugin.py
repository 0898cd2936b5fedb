"""Entry point of the ``bexley`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_bexley.directory import *  # noqa: F403
from haven_bexley.manifest import *  # noqa: F403
from haven_bexley.options import *  # noqa: F403
from haven_bexley.reciprocal import *  # noqa: F403
from haven_bexley.sanctuary import *  # noqa: F403
