"""Entry point of the ``{{name}}`` plugin: every hook implementation, gathered from its domain modules.

Each module lists its hook implementations in ``__all__``; pluggy registers this module.
"""

from haven_{{module}}.directory import *  # noqa: F403
from haven_{{module}}.manifest import *  # noqa: F403
from haven_{{module}}.options import *  # noqa: F403
