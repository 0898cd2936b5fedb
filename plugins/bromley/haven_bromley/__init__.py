"""Haven plugin for London Borough of Bromley: Bromley's DV housing-options procedure (seed
``001_2a45bb55c36fcb52.txt``)."""
