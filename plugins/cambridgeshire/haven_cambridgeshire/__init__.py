"""Haven plugin for Cambridgeshire Housing Reciprocal: The Cambridgeshire Housing Reciprocal Agreement (memorandum of
understanding) (seed ``002_c1c7b199d9a53274.txt``)."""
