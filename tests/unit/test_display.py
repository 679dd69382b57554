"""How the pages show things: durations, local times, counts, labels, readable details, the timeline."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from callcenter.services import calllog
from callcenter.web import display

from ..support.helpers import callflow

NY = "America/New_York"


@pytest.mark.parametrize("seconds,shown", [
    (0, "0 s"), (3, "3 s"), (24.2, "24 s"), (59.4, "59 s"), (59.6, "1 min 00 s"), (60, "1 min 00 s"),
    (185, "3 min 05 s"), (3599, "59 min 59 s"), (3600, "1 h 00 min"), (3720, "1 h 02 min"),
    (90061, "25 h 01 min"), (-4, "0 s"), (None, "—"), ("", "—"), ("12", "12 s"),
])
def test_one_duration_format_with_its_unit(seconds: object, shown: str) -> None:
    assert display.duration(seconds) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize("minutes,shown", [(0, "under 1 min"), (1, "1 min"), (45, "45 min"), (62, "1 h 02 min"),
                                           (None, "—")])
def test_durations_measured_in_minutes_show_no_seconds(minutes: int | None, shown: str) -> None:
    assert display.duration(minutes, minutes=True) == shown


@pytest.mark.parametrize("count,args,shown", [
    (0, ("call",), "0 calls"), (1, ("call",), "1 call"), (2, ("call",), "2 calls"), (1204, ("call",), "1,204 calls"),
    (1, ("entry", "entries"), "1 entry"), (3, ("entry", "entries"), "3 entries"), (1, ("attempt",), "1 attempt"),
])
def test_counts_are_pluralised(count: int, args: tuple[str, ...], shown: str) -> None:
    assert display.plural(count, *args) == shown


def test_times_are_shown_in_the_helplines_zone_with_its_abbreviation() -> None:
    winter = datetime(2026, 11, 29, 14, 41, 7, tzinfo=UTC)
    assert display.local_text(winter, NY) == "Sun 29 Nov, 09:41 EST"
    assert display.local_text(winter, NY, year=True) == "Sun 29 Nov 2026, 09:41 EST"
    assert display.local_text(winter, NY, seconds=True, day=False) == "09:41:07 EST"
    summer = datetime(2026, 6, 10, 13, 5, tzinfo=UTC)
    assert display.local_text(summer, NY) == "Wed 10 Jun, 09:05 EDT"
    assert display.local_text(winter, "Europe/London") == "Sun 29 Nov, 14:41 GMT"


@pytest.mark.parametrize("value", ["2026-11-29T14:41:07+00:00", "2026-11-29T14:41:07Z", "2026-11-29T09:41:07-05:00",
                                   datetime(2026, 11, 29, 14, 41, 7), 1795963267.0])
def test_any_form_of_a_moment_the_services_hand_over_is_understood(value: object) -> None:
    assert display.local_text(value, NY, seconds=True) == "Sun 29 Nov, 09:41:07 EST"  # type: ignore[arg-type]


def test_the_time_element_carries_the_iso_moment_and_an_unknown_time_is_a_dash() -> None:
    html = str(display.local_time("2026-11-29T14:41:07+00:00", NY))
    assert html == '<time datetime="2026-11-29T14:41:07Z">Sun 29 Nov, 09:41 EST</time>'
    assert str(display.local_time(None, NY)) == "—" and display.local_text("not a time", NY) == "—"
    assert display.local_day("2026-11-30T03:00:00Z", NY).isoformat() == "2026-11-29"  # type: ignore[union-attr]


def test_codes_get_the_call_flows_labels() -> None:
    labels = display.labels(callflow())
    assert labels["lines"]["admissions"] == "Admissions" and labels["languages"]["en"] == "English"
    assert labels["dispositions"]["assessment_scheduled"] == "Assessment scheduled"
    assert display.label(labels["outcomes"], "in_progress") == "In progress"
    assert display.label(labels["lines"], "unknown_line") == "unknown line" and display.label({}, None) == "—"


def test_details_read_as_words_without_empty_values_or_identifiers() -> None:
    data = {"withheld": False, "line": "admissions", "reason": None, "caller_hash": "abc", "caller_enc": "xyz",
            "number": "+12025550123", "note": "call +1 202 555 0123", "status": "no-answer", "searched_number": True,
            "filters": {"number": "2025550123", "line": "admissions"}}
    shown = display.details(data)
    assert shown == [("Withheld", "no"), ("Line", "admissions"), ("Status", "no answer"), ("Searched number", "yes"),
                     ("Filters", "Line: admissions")]
    text = display.details_text(data)
    assert "0123" not in text and "None" not in text and "False" not in text and "abc" not in text


def test_the_timeline_is_in_the_order_of_a_calls_life_and_reads_as_words() -> None:
    cf = callflow()
    ranks = [calllog.life_rank(event, data) for event, data in [
        ("call.received", {}), ("call.language", {}), ("call.offered", {}),
        ("leg.status", {"leg": "staff", "status": "initiated"}), ("leg.status", {"leg": "staff", "status": "ringing"}),
        ("leg.status", {"leg": "staff", "status": "in-progress"}), ("call.accepted", {}), ("call.connected", {}),
        ("leg.status", {"leg": "staff", "status": "completed"}),
        ("leg.status", {"leg": "caller", "status": "completed"}),
        ("call.ended", {}), ("staff.wrapup_started", {})]]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    entries = calllog.timeline(cf, [
        {"at": "2026-11-29T14:41:07+00:00", "event": "call.received", "staff": None,
         "detail": {"line": "admissions", "withheld": False}},
        {"at": "2026-11-29T14:41:20+00:00", "event": "call.offered", "staff": "Ada Example", "detail": {"attempt": 1}},
        {"at": "2026-11-29T14:41:22+00:00", "event": "leg.status", "staff": "Ada Example",
         "detail": {"leg": "staff", "leg_sid": "CA" + "1" * 32, "status": "ringing"}},
        {"at": "2026-11-29T14:44:27+00:00", "event": "call.connected", "staff": "Ada Example",
         "detail": {"talk_seconds": 185}},
        {"at": "2026-11-29T14:44:27+00:00", "event": "staff.wrapup_started", "staff": "Ada Example",
         "detail": {"seconds": 60}},
    ])
    assert [e.what for e in entries] == ["Call received", "Offered to Ada Example", "Ada Example's phone: ringing",
                                         "Talked with Ada Example", "Ada Example in wrap-up"]
    shown = [[(name, display.safe_value(value)) for name, value in e.details] for e in entries]
    assert shown == [[("Line", "Admissions"), ("Number withheld", "no")], [("Attempt", "1")], [],
                     [("Talk time", "3 min 05 s")], [("Wrap-up time", "1 min 00 s")]]
