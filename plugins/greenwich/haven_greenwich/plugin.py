"""Entry point of the ``greenwich`` plugin: every hook implementation, gathered from its domain modules.

``hooks_of`` gathers the functions each module marks with ``hookimpl`` (refusing a hook
implemented twice); pluggy registers this module.
"""

from haven_contracts.plugin import hooks_of
from haven_greenwich import directory, manifest, options, reciprocal, sanctuary

globals().update(hooks_of(directory, manifest, options, reciprocal, sanctuary))
