"""Send hour and quiet hours in the patient's local time, across DST changes and midnight."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.planning.local_time import (
    QuietHours,
    is_allowed,
    local_date,
    local_send_time,
    next_allowed,
)

NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
ZONES = [
    "Pacific/Chatham",
    "Asia/Kolkata",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "America/New_York",
    "Europe/London",
]
DEFAULT = QuietHours()


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def local(tz, *parts):
    return datetime(*parts, tzinfo=tz).astimezone(UTC)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 7), utc(2026, 3, 7, 15)),  # EST, UTC-5
        (date(2026, 3, 8), utc(2026, 3, 8, 14)),  # spring forward at 02:00: EDT, UTC-4
        (date(2026, 10, 31), utc(2026, 10, 31, 14)),
        (date(2026, 11, 1), utc(2026, 11, 1, 15)),  # fall back at 02:00: EST again
    ],
)
def test_ten_am_stays_ten_am_local_on_both_sides_of_a_dst_change(day, expected):
    sent = local_send_time(day, time(10), NEW_YORK)
    assert sent == expected
    assert sent.astimezone(NEW_YORK).time() == time(10)


def test_send_hour_in_spring_forward_gap_moves_to_first_valid_instant():
    # 02:00-03:00 does not exist in New York on 2026-03-08; 03:00 EDT is the first instant after.
    assert local_send_time(date(2026, 3, 8), time(2, 30), NEW_YORK) == utc(2026, 3, 8, 7)


def test_send_hour_in_a_half_hour_gap_moves_to_first_valid_instant():
    # Lord Howe springs forward 30 minutes, 02:00 -> 02:30, on 2026-10-04.
    sent = local_send_time(date(2026, 10, 4), time(2, 15), LORD_HOWE)
    assert sent == local(LORD_HOWE, 2026, 10, 4, 2, 30)
    assert sent.astimezone(LORD_HOWE).time() == time(2, 30)


def test_send_hour_in_fall_back_fold_uses_first_occurrence():
    # 01:30 happens twice in New York on 2026-11-01: first in EDT (05:30 UTC), then in EST.
    assert local_send_time(date(2026, 11, 1), time(1, 30), NEW_YORK) == utc(2026, 11, 1, 5, 30)


def test_late_evening_due_time_is_deferred_across_midnight_to_window_start():
    due = local(NEW_YORK, 2026, 1, 31, 22, 30)
    assert next_allowed(due, NEW_YORK, DEFAULT) == local(NEW_YORK, 2026, 2, 1, 9)


def test_early_morning_due_time_is_deferred_to_window_start_same_day():
    due = local(NEW_YORK, 2026, 5, 4, 7)
    assert next_allowed(due, NEW_YORK, DEFAULT) == local(NEW_YORK, 2026, 5, 4, 9)


@pytest.mark.parametrize("wall", [time(9), time(14, 30), time(20)])
def test_due_time_inside_the_window_is_kept(wall):
    due = local(NEW_YORK, 2026, 5, 4, wall.hour, wall.minute)
    assert is_allowed(due, NEW_YORK, DEFAULT)
    assert next_allowed(due, NEW_YORK, DEFAULT) == due


def test_a_second_after_the_window_end_waits_for_tomorrow():
    due = local(NEW_YORK, 2026, 5, 4, 20, 0, 1)
    assert not is_allowed(due, NEW_YORK, DEFAULT)
    assert next_allowed(due, NEW_YORK, DEFAULT) == local(NEW_YORK, 2026, 5, 5, 9)


def test_local_date_is_the_patients_calendar_date():
    instant = utc(2026, 6, 2, 3)  # still June 1 in Los Angeles, June 2 in London
    assert local_date(instant, ZoneInfo("America/Los_Angeles")) == date(2026, 6, 1)
    assert local_date(instant, ZoneInfo("Europe/London")) == date(2026, 6, 2)


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (time(7, 59), time(20), "before the legal 08:00"),
        (time(9), time(21, 1), "after the legal 21:00"),
        (time(12), time(12), "must be before end"),
        (time(15), time(10), "must be before end"),
        (time(9, tzinfo=UTC), time(20), "without a zone"),
    ],
)
def test_quiet_hours_must_sit_inside_the_legal_eight_to_nine_window(start, end, words):
    with pytest.raises(ValueError, match=words):
        QuietHours(start, end)


def test_default_quiet_hours_allow_nine_to_eight_and_the_legal_limits_are_accepted():
    assert (DEFAULT.start, DEFAULT.end) == (time(9), time(20))
    assert QuietHours(time(8), time(21)).allows(time(21))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_allowed(datetime(2026, 5, 4, 12), NEW_YORK, DEFAULT)  # noqa: DTZ001


minutes = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
# Hypothesis wants naive bounds; the datetimes it draws are aware (UTC).
FIRST, LAST = datetime(2025, 1, 1), datetime(2028, 12, 31)  # noqa: DTZ001
instants = st.datetimes(min_value=FIRST, max_value=LAST, timezones=st.just(UTC))


@st.composite
def quiet_hours(draw):
    start = draw(st.integers(8 * 60, 21 * 60 - 1))
    end = draw(st.integers(start + 1, 21 * 60))
    return QuietHours(time(start // 60, start % 60), time(end // 60, end % 60))


@given(instants, st.sampled_from(ZONES).map(ZoneInfo), quiet_hours())
def test_next_allowed_is_the_first_allowed_instant_and_never_a_day_late(at, tz, quiet):
    sent = next_allowed(at, tz, quiet)
    assert sent.tzinfo is UTC and is_allowed(sent, tz, quiet)
    if is_allowed(at, tz, quiet):
        assert sent == at
    else:
        assert sent > at and not is_allowed(sent - timedelta(seconds=1), tz, quiet)
        assert local_date(sent, tz) - local_date(at, tz) <= timedelta(days=1)


@given(
    st.dates(date(2025, 1, 1), date(2028, 12, 31)), minutes, st.sampled_from(ZONES).map(ZoneInfo)
)
def test_send_time_is_the_send_hour_that_local_day_or_the_end_of_its_gap(day, send_hour, tz):
    sent = local_send_time(day, send_hour, tz)
    wall = sent.astimezone(tz)
    assert sent.tzinfo is UTC and wall.date() == day
    if wall.time() != send_hour:  # only a spring-forward gap may move it, and only forwards
        assert wall.time() > send_hour
        assert (sent - timedelta(seconds=1)).astimezone(tz).time() < send_hour
