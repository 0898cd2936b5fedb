"""Haven plugin for Royal Borough of Greenwich: Greenwich's DV housing-options procedure and sanctuary project (seed
``001_2a45bb55c36fcb52.txt``)."""
