"""The reciprocal HTTP API: small controllers over the domain modules."""

from haven_reciprocal.api.conflicts import ConflictsController
from haven_reciprocal.api.incoming import IncomingReferralsController
from haven_reciprocal.api.ledger import LedgerController, ReportsController
from haven_reciprocal.api.partners import PartnersController
from haven_reciprocal.api.pool import MatchingController, PropertiesController
from haven_reciprocal.api.referrals import ReferralsController
from haven_reciprocal.api.retention import RetentionController
from haven_reciprocal.api.stock import StockAreasController

CONTROLLERS = [
    PartnersController,
    ReferralsController,
    PropertiesController,
    MatchingController,
    LedgerController,
    ReportsController,
    ConflictsController,
    RetentionController,
    StockAreasController,
    IncomingReferralsController,
]

__all__ = ["CONTROLLERS"]
