"""Entry point of the ``dales-seven-locks`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_dales_seven_locks.directory import *  # noqa: F403
from haven_dales_seven_locks.manifest import *  # noqa: F403
from haven_dales_seven_locks.options import *  # noqa: F403
from haven_dales_seven_locks.reciprocal import *  # noqa: F403
from haven_dales_seven_locks.sanctuary import *  # noqa: F403
