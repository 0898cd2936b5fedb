"""Entry point of the ``bromley`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_bromley.directory import *  # noqa: F403
from haven_bromley.manifest import *  # noqa: F403
from haven_bromley.options import *  # noqa: F403
from haven_bromley.reciprocal import *  # noqa: F403
from haven_bromley.sanctuary import *  # noqa: F403
