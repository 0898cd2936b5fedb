"""Entry point of the ``{{name}}`` plugin: every hook implementation, gathered from its domain modules.

``hooks_of`` gathers the functions each module marks with ``hookimpl`` (refusing a hook
implemented twice); pluggy registers this module.
"""

from haven_contracts.plugin import hooks_of
from haven_{{module}} import directory, manifest, options

globals().update(hooks_of(directory, manifest, options))
