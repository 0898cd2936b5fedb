"""The options service's definition and app factory."""

from __future__ import annotations

from haven_contracts.events.options import (
    DisputeEscalated,
    DisputeRaised,
    DisputeResolved,
    DisputeTabled,
    InformationProvided,
    InformationRequested,
    MoveAcknowledged,
    MoveNotified,
    ReferralDetailsRequest,
)
from haven_contracts.subjects import event_filter
from haven_options.api import CONTROLLERS
from haven_options.clocks import OVERDUE_SWEEP
from haven_options.disputes import (
    receive_dispute_escalated,
    receive_dispute_raised,
    receive_dispute_resolved,
    receive_dispute_tabled,
)
from haven_options.emergency_accommodation import CONSUMER as EMERGENCY_ACCOMMODATION
from haven_options.interview import core_defaults
from haven_options.jwa import receive_move_acknowledged, receive_move_notified
from haven_options.jwa_requests import receive_information_provided, receive_information_requested
from haven_options.monitoring import BOOKINGS as TA_BOOKINGS_FOR_MONITORING
from haven_options.monitoring import CONSUMER as MONITORING
from haven_options.pages import PAGES, TEMPLATES
from haven_options.partners import CONSUMER as PARTNER_ROLE_HOLDERS
from haven_options.referral_clocks import REFERRAL_SWEEP
from haven_options.referrals import TAKEN_UP as RECIPROCAL_TAKEN_UP
from haven_options.retention import RETENTION_SWEEP
from haven_options.sharing import answer_referral_details
from haven_options.tables import RUNTIME, TABLES
from haven_runtime.app import ServiceDefinition, create_app
from haven_runtime.bus import ConsumerSpec, ResponderSpec
from haven_runtime.schema import load_app


def _addressed(event) -> str:
    """Every version of ``event`` addressed to an organisation: a version this build does not
    read ends in a dead letter naming it (``haven_runtime.bus.check_version``), not unseen."""
    return event_filter("options", event.name, addressed=True)


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="options",
        title="Haven options",
        runtime_tables=RUNTIME,
        tables=TABLES,
        migrations=load_app("options", "haven_options.migrations"),
        route_handlers=[*CONTROLLERS, *PAGES],
        templates_dir=TEMPLATES,
        consumers=[
            ConsumerSpec(
                purpose="jwa-inbox",
                from_service="options",
                filter_subject=_addressed(MoveNotified),
                handler=receive_move_notified,
            ),
            ConsumerSpec(
                purpose="jwa-info-requests",
                from_service="options",
                filter_subject=_addressed(InformationRequested),
                handler=receive_information_requested,
            ),
            ConsumerSpec(
                purpose="jwa-info-provided",
                from_service="options",
                filter_subject=_addressed(InformationProvided),
                handler=receive_information_provided,
            ),
            ConsumerSpec(
                purpose="jwa-acknowledgements",
                from_service="options",
                filter_subject=_addressed(MoveAcknowledged),
                handler=receive_move_acknowledged,
            ),
            ConsumerSpec(
                purpose="jwa-disputes-raised",
                from_service="options",
                filter_subject=_addressed(DisputeRaised),
                handler=receive_dispute_raised,
            ),
            ConsumerSpec(
                purpose="jwa-disputes-tabled",
                from_service="options",
                filter_subject=_addressed(DisputeTabled),
                handler=receive_dispute_tabled,
            ),
            ConsumerSpec(
                purpose="jwa-disputes-escalated",
                from_service="options",
                filter_subject=_addressed(DisputeEscalated),
                handler=receive_dispute_escalated,
            ),
            ConsumerSpec(
                purpose="jwa-disputes-resolved",
                from_service="options",
                filter_subject=_addressed(DisputeResolved),
                handler=receive_dispute_resolved,
            ),
            PARTNER_ROLE_HOLDERS,
            EMERGENCY_ACCOMMODATION,
            RECIPROCAL_TAKEN_UP,
            MONITORING,
            TA_BOOKINGS_FOR_MONITORING,
        ],
        responders=[ResponderSpec(request_type=ReferralDetailsRequest, handler=answer_referral_details)],
        periodic=[OVERDUE_SWEEP, RETENTION_SWEEP, REFERRAL_SWEEP],
        core_defaults=core_defaults,
    )


def create(**kwargs):
    return create_app(definition(), **kwargs)
