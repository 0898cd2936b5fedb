"""HTTP API of the directory: the public HSDS tier and the officers' confidential tier."""

from haven_directory.api.catalogue import CatalogueController
from haven_directory.api.hsds import PUBLIC_PATHS, HSDSController
from haven_directory.api.officers import OfficerRecordsController
from haven_directory.api.positions import OfficersController

ROUTES = [HSDSController, OfficersController, OfficerRecordsController, CatalogueController]

__all__ = ["PUBLIC_PATHS", "ROUTES"]
