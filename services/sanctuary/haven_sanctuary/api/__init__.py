"""Sanctuary HTTP API: small controllers over the domain modules."""

from haven_sanctuary.api.assessment import AssessmentController
from haven_sanctuary.api.eligibility import EligibilityController
from haven_sanctuary.api.referrals import ReferralController
from haven_sanctuary.api.retention import RetentionController
from haven_sanctuary.api.schemes import ReportController, SchemeController
from haven_sanctuary.api.works import WorksController

CONTROLLERS = [
    ReferralController,
    EligibilityController,
    AssessmentController,
    WorksController,
    SchemeController,
    ReportController,
    RetentionController,
]

__all__ = ["CONTROLLERS"]
