"""The options service's HTTP controllers (thin: validation, scoping and transactions; rules live in the domain
modules)."""

from haven_options.api.arrears import ArrearsController
from haven_options.api.cases import CaseController, RetentionController
from haven_options.api.casework import (
    ConsentController,
    DashController,
    OptionsController,
    RiskController,
    SheetController,
)
from haven_options.api.duty import DutyController
from haven_options.api.emergency_accommodation import EmergencyAccommodationController
from haven_options.api.interviewer import InterviewerController, InterviewerMonitoringController
from haven_options.api.jwa import DisputeController, JwaController
from haven_options.api.monitoring import MonitoringController
from haven_options.api.referral_clock import CaseReferralsController, ReferralClockController

CONTROLLERS = [
    CaseController,
    RiskController,
    DashController,
    OptionsController,
    SheetController,
    ConsentController,
    JwaController,
    DisputeController,
    MonitoringController,
    RetentionController,
    DutyController,
    InterviewerController,
    InterviewerMonitoringController,
    ArrearsController,
    ReferralClockController,
    CaseReferralsController,
    EmergencyAccommodationController,
]

__all__ = ["CONTROLLERS"]
