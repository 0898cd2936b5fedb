"""Entry point of the ``cambridgeshire`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_cambridgeshire.directory import *  # noqa: F403
from haven_cambridgeshire.manifest import *  # noqa: F403
from haven_cambridgeshire.options import *  # noqa: F403
from haven_cambridgeshire.reciprocal import *  # noqa: F403
from haven_cambridgeshire.sanctuary import *  # noqa: F403
