"""Haven plugin for London Borough of Southwark: Southwark's DV housing-options procedure (seed
``001_2a45bb55c36fcb52.txt``)."""
