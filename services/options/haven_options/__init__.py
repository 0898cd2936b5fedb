"""Haven options service: DV housing-options cases and the Joint Working Agreement."""
