"""Haven plugin for London Borough of Bexley: Bexley's DV housing-options procedure (seed
``001_2a45bb55c36fcb52.txt``)."""
