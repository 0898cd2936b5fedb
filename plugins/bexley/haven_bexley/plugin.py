"""Entry point of the ``bexley`` plugin: every hook implementation, gathered from its domain modules.

``hooks_of`` gathers the functions each module marks with ``hookimpl`` (refusing a hook
implemented twice); pluggy registers this module.
"""

from haven_bexley import directory, manifest, options, reciprocal, sanctuary
from haven_contracts.plugin import hooks_of

globals().update(hooks_of(directory, manifest, options, reciprocal, sanctuary))
