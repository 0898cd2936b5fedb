"""Haven plugin for Dales Housing / Seven Locks Housing: Housing association DV policy AG/013 (seed
``003_8738e4ccc4c4272a.txt``)."""
