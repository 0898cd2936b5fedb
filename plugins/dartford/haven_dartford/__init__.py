"""Haven plugin for Dartford Borough Council: Dartford's sanctuary scheme referral procedure (seed
``004_d4b796f614d2cfd3.txt``)."""
