"""Haven plugin for London Borough of Lewisham: Lewisham's DV housing-options procedure and sanctuary timescales (seed
``001_2a45bb55c36fcb52.txt``)."""
