"""Subject grammar: events under ``evt``, requests under ``req``,
one stream per service over ``haven.<service>.evt.>`` that never captures a request."""

from __future__ import annotations

import pytest

from haven_contracts import subjects as s
from haven_contracts.events.directory import RoleHolderLookup
from haven_contracts.events.options import MoveNotified, ReferralDetailsRequest
from haven_contracts.ids import is_org_id, new_event_id, new_reference, require_org_id


def matches(pattern: str, subject: str) -> bool:
    """NATS wildcard matching: ``*`` is one token, a trailing ``>`` one or more."""
    p, t = pattern.split("."), subject.split(".")
    for i, token in enumerate(p):
        if token == ">":
            return len(t) > i
        if i >= len(t) or (token != "*" and token != t[i]):
            return False
    return len(p) == len(t)


def test_matcher_itself():
    assert matches("a.*.c", "a.b.c") and not matches("a.*.c", "a.b.c.d")
    assert matches("a.>", "a.b.c") and not matches("a.>", "a")


def test_event_subject_grammar():
    assert s.event_subject("options", "move-notified", 1, "bexley") == "haven.options.evt.move-notified.v1.bexley"
    assert (
        s.event_subject("options", "move-notified", 1, "bexley", "bromley")
        == "haven.options.evt.move-notified.v1.bexley.bromley"
    )
    assert s.parse_event_subject("haven.options.evt.move-notified.v2.bexley.bromley") == {
        "service": "options",
        "event": "move-notified",
        "version": 2,
        "org": "bexley",
        "to_org": "bromley",
    }
    assert s.parse_event_subject("haven.directory.evt.x.v1.dales-housing")["to_org"] is None


def test_request_subject_grammar():
    assert s.request_subject("directory", "role-holders", 1, "bromley") == "haven.directory.req.role-holders.v1.bromley"
    assert matches(s.request_filter("directory", "role-holders", 1), "haven.directory.req.role-holders.v1.bromley")


@pytest.mark.parametrize(
    "bad", ["Bexley", "bex ley", "bex.ley", "bex*", ">", "", "b", "-bexley", "bexley-", "bex--ley", "1bexley", "a" * 64]
)
def test_invalid_org_ids_are_rejected_everywhere(bad: str):
    assert not is_org_id(bad)
    with pytest.raises(ValueError, match="organisation id"):
        require_org_id(bad)
    with pytest.raises(ValueError):
        s.event_subject("options", "move-notified", 1, bad)
    with pytest.raises(ValueError):
        s.event_subject("options", "move-notified", 1, "bexley", bad)
    with pytest.raises(ValueError):
        s.request_subject("directory", "role-holders", 1, bad)


@pytest.mark.parametrize("good", ["bexley", "dales-housing", "seven-locks", "l1", "a" * 63])
def test_valid_org_ids(good: str):
    assert require_org_id(good) == good


def test_unknown_service_and_bad_tokens_are_rejected():
    with pytest.raises(ValueError, match="unknown service"):
        s.event_subject("housing", "x", 1, "bexley")
    with pytest.raises(ValueError, match="invalid event name"):
        s.event_subject("options", "Move.Notified", 1, "bexley")
    with pytest.raises(ValueError, match="invalid request name"):
        s.request_subject("options", "a>b", 1, "bexley")
    with pytest.raises(ValueError):
        s.stream_name("nope")
    with pytest.raises(ValueError, match="not a Haven event subject"):
        s.parse_event_subject("haven.options.req.x.v1.bexley")


def test_requests_never_match_any_stream_subject():
    request_subjects = [s.request_subject(service, "anything", 1, "bexley") for service in s.SERVICES] + [
        RoleHolderLookup(target_org="bromley", requested_by="bexley", positions=["dv_lead"]).subject,
        ReferralDetailsRequest(target_org="bexley", requested_by="dartford", case_ref="C", referral_ref="R").subject,
    ]
    for service in s.SERVICES:
        for pattern in s.stream_subjects(service):
            for subject in request_subjects:
                assert not matches(pattern, subject), (pattern, subject)
            assert not matches(pattern, "_INBOX.abc.def")


def test_each_stream_captures_only_its_own_service_events():
    event = s.event_subject("options", "move-notified", 1, "bexley", "bromley")
    assert [svc for svc in s.SERVICES if any(matches(p, event) for p in s.stream_subjects(svc))] == ["options"]
    assert s.stream_name("options") == "HAVEN_OPTIONS"


def test_event_filters():
    own = s.event_subject("options", "move-notified", 1, "bexley")
    addressed = s.event_subject("options", "move-notified", 1, "bexley", "bromley")
    both = s.event_filter("options")
    assert matches(both, own) and matches(both, addressed)
    only_addressed = s.event_filter("options", "move-notified", 1, addressed=True)
    assert matches(only_addressed, addressed) and not matches(only_addressed, own)
    only_own = s.event_filter("options", "move-notified", 1, addressed=False)
    assert matches(only_own, own) and not matches(only_own, addressed)
    to_bromley = s.event_filter("options", to_org="bromley")
    assert matches(to_bromley, addressed)
    assert not matches(to_bromley, s.event_subject("options", "move-notified", 1, "bexley", "greenwich"))
    for f in (both, only_addressed, only_own, to_bromley):
        assert f.startswith("haven.options.evt.")


def test_event_subject_property_uses_to_org():
    from datetime import UTC, datetime

    e = MoveNotified(
        org="bexley",
        to_org="bromley",
        notification_ref="JWA-1",
        case_ref="CASE-1",
        addressed_to=[],
        notified_at=datetime.now(UTC),
    )
    assert e.subject == "haven.options.evt.move-notified.v1.bexley.bromley"


def test_consumer_names():
    assert s.consumer_name("options", "jwa-inbox") == "options-jwa-inbox"
    with pytest.raises(ValueError):
        s.consumer_name("options", "jwa inbox")


def test_ids_and_references():
    a, b = new_event_id(), new_event_id()
    assert len(a) == 26 and a != b
    ref = new_reference("CASE")
    assert ref.startswith("CASE-") and len(ref) == 15
    assert not set(ref[5:]) & set("ILOU")


def test_deployment_names_keep_the_all_in_one_names_and_carry_the_deployment_otherwise():
    assert s.stream_name("options") == "HAVEN_OPTIONS"
    assert s.stream_name("options", "southwark-dartford") == "HAVEN_OPTIONS_SOUTHWARK-DARTFORD"
    assert s.inbound_stream_name("sanctuary", "southwark-dartford") == "HAVEN_IN_SANCTUARY_SOUTHWARK-DARTFORD"
    assert s.consumer_name("options", "jwa-inbox", "bexley") == "bexley_options-jwa-inbox"
    assert s.responder_queue("options") == "options-responders"
    assert s.responder_queue("options", "bexley") == "bexley_options-responders"
    assert s.is_service_stream("options", "HAVEN_OPTIONS") and s.is_service_stream("options", "HAVEN_OPTIONS_BEXLEY")
    assert not s.is_service_stream("options", "HAVEN_IN_OPTIONS_BEXLEY") and not s.is_service_stream(
        "options", "HAVEN_DIRECTORY"
    )
    with pytest.raises(ValueError, match="deployment"):
        s.stream_name("options", "Bexley_1")


def test_a_deployment_stream_captures_what_its_organisations_publish_and_no_request():
    subjects = s.stream_subjects("options", ["southwark", "dartford"])
    assert subjects == [
        "haven.options.evt.*.*.dartford",
        "haven.options.evt.*.*.dartford.*",
        "haven.options.evt.*.*.southwark",
        "haven.options.evt.*.*.southwark.*",
    ]
    assert any(matches(p, "haven.options.evt.move-notified.v1.dartford.bexley") for p in subjects)
    assert not any(matches(p, "haven.options.evt.move-notified.v1.bexley.dartford") for p in subjects)
    assert not any(matches(p, "haven.options.req.referral-details.v1.dartford") for p in subjects)


def test_inbound_filters_narrow_addressed_events_to_hosted_organisations_and_keep_broadcasts():
    addressed = s.event_filter("options", "move-notified", 1, addressed=True)
    assert s.inbound_filters(addressed, ["lewisham", "bexley"]) == [
        "haven.options.evt.move-notified.v1.*.bexley",
        "haven.options.evt.move-notified.v1.*.lewisham",
    ]
    broadcast = s.event_filter("directory", "role-holders-published", 1, addressed=False)
    assert s.inbound_filters(broadcast, ["bexley"]) == [broadcast]
    both = s.event_filter("directory", "role-holder-changed", 1)
    assert s.inbound_filters(both, ["bexley"]) == [
        "haven.directory.evt.role-holder-changed.v1.*",
        "haven.directory.evt.role-holder-changed.v1.*.bexley",
    ]
    assert s.inbound_filters("haven.options.evt.move-notified.v1.*.greenwich", ["bexley"]) == []
    assert s.request_filter("directory", "role-holders", 1, "bexley") == "haven.directory.req.role-holders.v1.bexley"
