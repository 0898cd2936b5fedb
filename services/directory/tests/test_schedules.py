"""Opening hours as typed HSDS schedules: every hours statement the source
documents make about a service is a ``Session`` in its plugin's directory data, quoting the
seed line it encodes, and the directory serves it as HSDS ``schedules`` (``byday``,
``opens_at``, ``closes_at``, ``freq``) that validate against the vendored HSDS schema — so an
integrator never parses "8:45am to 5:15pm Monday to Thursday".

The statements were found by searching every seed for hours, days of the week, "open",
"morning", "afternoon" and "24 hour": ``001_2a45bb55c36fcb52.txt`` (Bexley's legal clinic,
Bromley's One-Stop Shop) and ``004_d4b796f614d2cfd3.txt`` (Dartford's office and sanctuary
referral hours, Appendix B's helplines and the Respect Phone Line). The other seeds state
timescales ("within 3 working days"), not opening hours; forums' cadences are checked too.
"""

from __future__ import annotations

import re

import msgspec
import pytest

from haven_contracts.plugin.directory import DirectoryData, Session
from haven_directory.hsds import LOCAL_TIME
from haven_directory.schemas import record_validator
from haven_runtime.plugins import build_plugin_manager
from haven_runtime.settings import load_settings
from haven_runtime.testing.plugins import normalise, seed_text

DAILY = "MO,TU,WE,TH,FR,SA,SU"
OFFICE = [("WEEKLY", "MO,TU,WE,TH", "08:45", "17:15"), ("WEEKLY", "FR", "08:45", "16:45")]
#: (seed, words of the seed, service key, its schedules as (freq, byday, opens_at, closes_at)).
HOURS = [
    (
        "001_2a45bb55c36fcb52.txt",
        "The Crisis Intervention Team holds a legal clinic on Wednesday afternoons",
        "bexley-legal-clinic",
        [("WEEKLY", "WE", None, None)],
    ),
    (
        "001_2a45bb55c36fcb52.txt",
        "The One-Stop Shop provides sign posting and legal advice. It is open two mornings a week.",
        "bromley-one-stop-shop",
        [("WEEKLY", None, None, None)],
    ),
    (
        "004_d4b796f614d2cfd3.txt",
        "open to provide housing advice and assistance to anyone between 8:45am and 5:15pm Monday to "
        "Thursday, and 8:45am to 4:45pm on Friday",
        "dartford-housing-options",
        OFFICE,
    ),
    (
        "004_d4b796f614d2cfd3.txt",
        "The out of hours service can be contacted on 0845 634 1212.",
        "dartford-out-of-hours",
        [
            ("WEEKLY", "MO,TU,WE,TH,FR", "00:00", "08:45"),
            ("WEEKLY", "MO,TU,WE,TH", "17:15", "23:59"),
            ("WEEKLY", "FR", "16:45", "23:59"),
            ("WEEKLY", "SA,SU", "00:00", "23:59"),
        ],
    ),
    (
        "004_d4b796f614d2cfd3.txt",
        "Sanctuary referrals can be made between 8:45am to 5:15pm Monday to Thursday and 8:45am to 4:45pm on Friday",
        "dartford-sanctuary",
        OFFICE,
    ),
    (
        "004_d4b796f614d2cfd3.txt",
        "24 hour National Violence Domestic",
        "refuge-national-dv-helpline",
        [("WEEKLY", DAILY, "00:00", "23:59")],
    ),
    (
        "004_d4b796f614d2cfd3.txt",
        "of domestic abuse. Open 24 hours 7 days a week. Provides call back translation service.",
        "kent-da-information-line",
        [("WEEKLY", DAILY, "00:00", "23:59")],
    ),
    (
        "004_d4b796f614d2cfd3.txt",
        "Tuesday, Wednesday and Friday 10am - 1pm and 2pm - 5pm",
        "respect-phone-line",
        [("WEEKLY", "MO,TU,WE,FR", "10:00", "13:00"), ("WEEKLY", "MO,TU,WE,FR", "14:00", "17:00")],
    ),
]
#: Forums and panels whose cadence a seed gives, as (freq, interval).
CADENCES = {
    "bromley-bwa-meeting": ("WEEKLY", 6),
    "lewisham-exceptional-panel": ("WEEKLY", 3),
    "southwark-dv-forum": ("MONTHLY", 3),
    "southwark-management-needs-panel": ("WEEKLY", 2),
    "southwark-lgbt-forum": ("MONTHLY", 3),
    "southwark-asb-risk-panel": ("MONTHLY", 1),
    "southwark-partnership-opportunities": ("WEEKLY", 2),
}


def _data() -> list[DirectoryData]:
    manager = build_plugin_manager(load_settings({"HAVEN_ENV": "test"}))
    assert not manager.failures, manager.failures
    return [d for o in manager.organisations() for d in manager.call_results(o.id, "haven_directory_data")]


def _rule(s: Session) -> tuple:
    hhmm = lambda t: t.isoformat("minutes") if t else None  # noqa: E731
    return (s.freq, s.byday, hhmm(s.opens_at), hhmm(s.closes_at))


def _minutes(sessions) -> set[tuple[str, int]]:
    """The (day, minute of the day) pairs a week of ``sessions`` covers, closing minute excluded."""
    return {
        (day, m)
        for s in sessions
        for day in s.byday.split(",")
        for m in range(s.opens_at.hour * 60 + s.opens_at.minute, s.closes_at.hour * 60 + s.closes_at.minute)
    }


@pytest.mark.rule(
    "bexley.legal-clinic",
    "bromley.one-stop-shop",
    "dartford.office-hours",
    "dartford.referral-hours",
    "dartford.useful-contacts",
    "bromley.bwa-meeting-every-six-weeks",
    "lewisham.exceptional-panel-every-3-weeks",
    "southwark.forum-and-panel-cadences",
)
def test_every_hours_statement_in_the_seeds_is_a_typed_schedule():
    services = {s.key: s for d in _data() for s in d.services}
    for seed, words, key, rules in HOURS:
        assert normalise(words) in seed_text(seed), (seed, words)
        assert [_rule(s) for s in services[key].schedules] == rules, key
    # the out-of-hours service answers exactly when the office is closed
    week = {(day, minute) for day in DAILY.split(",") for minute in range(24 * 60 - 1)}
    assert (
        _minutes(services["dartford-out-of-hours"].schedules) | _minutes(services["dartford-housing-options"].schedules)
        == week
    )
    assert not _minutes(services["dartford-out-of-hours"].schedules) & _minutes(
        services["dartford-housing-options"].schedules
    )
    forums = {f.key: f for d in _data() for f in d.forums}
    assert {k: (forums[k].schedule.freq, forums[k].schedule.interval) for k in CADENCES} == CADENCES


def test_every_schedule_quotes_its_seed():
    """Each ``Session.source`` is "<seed file>: <words>" and the words (elisions as " ... ")
    are in that seed: no hour without a line to trace it to."""
    sessions = [(s.key, x) for d in _data() for s in d.services for x in s.schedules]
    sessions += [(f.key, f.schedule) for d in _data() for f in d.forums if f.schedule is not None]
    assert len(sessions) >= 21
    for key, session in sessions:
        seed, _, quote = session.source.partition(": ")
        assert re.fullmatch(r"00\d_[0-9a-f]{16}\.txt", seed) and quote, (key, session.source)
        text = seed_text(seed)
        for piece in normalise(quote).split(" ... "):
            assert piece in text, (key, piece)


@pytest.mark.parametrize(
    "bad",
    [
        {"freq": "DAILY"},
        {"byday": "Monday"},
        {"byday": "MO,XX"},
        {"byday": "2MO"},
        {"interval": 0},
        {"opens_at": "09:00:00"},
        {"opens_at": "17:00:00", "closes_at": "09:00:00"},
    ],
)
def test_a_schedule_the_standard_cannot_express_is_refused(bad):
    """A plugin cannot build a schedule HSDS would reject (or that means nothing)."""
    with pytest.raises((ValueError, msgspec.ValidationError)):
        msgspec.convert(bad, Session)
    assert msgspec.convert({"freq": "MONTHLY", "byday": "-1FR", "interval": 3}, Session).byday == "-1FR"


async def test_schedules_are_served_as_hsds_schedules(start_service):
    """``GET /services/{id}`` carries each typed session as an HSDS ``schedule`` that validates
    against the vendored ``schedule.json``, says its times are London wall-clock, and keeps
    the source's caveat where the seed gives no days or times."""
    c = await start_service("directory")
    validator = record_validator("hsds-3.0/schedule.json")
    names = {
        "bexley-legal-clinic": "Legal clinic",
        "bromley-one-stop-shop": "One-Stop Shop",
        "dartford-housing-options": "Housing Options and Private Sector service",
        "dartford-sanctuary": "Sanctuary Scheme",
        "dartford-out-of-hours": "Out of hours service",
        "refuge-national-dv-helpline": "24 hour National Domestic Violence Helpline",
        "kent-da-information-line": "Kent Domestic Abuse Information Line",
        "respect-phone-line": "Respect Phone Line",
    }
    for _, _, key, rules in HOURS:
        found = (await c.get("/services", params={"search": names[key], "minimal": "true"})).json()["contents"]
        service = None
        for candidate in found:
            body = (await c.get(f"/services/{candidate['id']}")).json()
            if [(s["freq"], s.get("byday"), s.get("opens_at"), s.get("closes_at")) for s in body["schedules"]] == rules:
                service = body
        assert service is not None, key
        for schedule in service["schedules"]:
            assert [e.message for e in validator.iter_errors(schedule)] == [], (key, schedule)
            assert schedule["service_id"] == service["id"]
            assert (LOCAL_TIME in schedule.get("notes", "")) == ("opens_at" in schedule), (key, schedule)
    shop = (await c.get("/services", params={"search": "One-Stop Shop", "full": "true"})).json()["contents"][0]
    assert shop["schedules"][0]["description"] == "Open two mornings a week"
    assert "neither the mornings nor the hours" in shop["schedules"][0]["notes"]
