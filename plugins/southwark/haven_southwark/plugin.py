"""Entry point of the ``southwark`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_southwark.directory import *  # noqa: F403
from haven_southwark.manifest import *  # noqa: F403
from haven_southwark.options import *  # noqa: F403
from haven_southwark.reciprocal import *  # noqa: F403
from haven_southwark.sanctuary import *  # noqa: F403
