"""plan_session: when each check-in is due, what it asks, and who is skipped and why."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.enums import CheckInStatus, Measure
from server.planning.local_time import QuietHours
from server.planning.plan import PatientContext, plan_session
from server.planning.policy import DEFAULT_POLICY, SESSION, CheckInPolicy, PlannedKind

NEW_YORK = ZoneInfo("America/New_York")
PAIN, HEADACHE = Measure.PAIN, Measure.HEADACHE_DAYS
SCHEDULED, SKIPPED = CheckInStatus.SCHEDULED, CheckInStatus.SKIPPED


def local(tz, *parts):
    """An instant given as the patient's wall-clock time, in UTC."""
    return datetime(*parts, tzinfo=tz).astimezone(UTC)


def patient(tz=NEW_YORK, headache=True, can_text=True, skip_reason=None):
    measures = (PAIN, HEADACHE) if headache else (PAIN,)
    return PatientContext(tz, measures, can_text, skip_reason)


def plan(
    session_at, who=None, existing=(), *, now=None, send_hour=time(10), quiet=None, policy=None
):
    """plan_session with the clinic defaults; recorded at the session unless `now` says later."""
    return plan_session(
        session_at,
        who or patient(),
        existing,
        policy or DEFAULT_POLICY,
        send_hour,
        quiet or QuietHours(),
        now or session_at,
    )


def due(result):
    return {c.kind: c.due_at for c in result.new}


def test_day3_and_day7_are_due_at_send_hour_on_local_dates_after_the_session():
    result = plan(local(NEW_YORK, 2026, 5, 4, 17, 30))
    assert due(result) == {
        "day3": local(NEW_YORK, 2026, 5, 7, 10),
        "day7": local(NEW_YORK, 2026, 5, 11, 10),
    }
    assert all(c.status == SCHEDULED and c.skip_reason is None for c in result.new)
    assert [c.window_end - c.due_at for c in result.new] == [timedelta(hours=48)] * 2


@pytest.mark.parametrize(
    ("session_day", "day3_utc", "day7_utc"),
    [
        ((2026, 3, 5), (2026, 3, 8, 14), (2026, 3, 12, 14)),  # spring forward on 03-08
        ((2026, 10, 29), (2026, 11, 1, 15), (2026, 11, 5, 15)),  # fall back on 11-01
    ],
)
def test_check_ins_stay_at_ten_local_across_dst_changes(session_day, day3_utc, day7_utc):
    result = plan(local(NEW_YORK, *session_day, 12))
    assert [c.due_at for c in result.new] == [
        datetime(*day3_utc, tzinfo=UTC),
        datetime(*day7_utc, tzinfo=UTC),
    ]


def test_patients_zone_not_the_clinics_sets_the_date_and_hour():
    # 23:30 in Los Angeles (the clinic) is already 07:30 the next morning in London.
    session_at = local(ZoneInfo("America/Los_Angeles"), 2026, 6, 1, 23, 30)
    result = plan(session_at, patient(tz=ZoneInfo("Europe/London")))
    assert result.new[0].due_at == datetime(2026, 6, 5, 9, tzinfo=UTC)  # 10:00 BST on 06-02 + 3


def test_send_hour_in_evening_quiet_hours_is_deferred_across_midnight():
    result = plan(local(NEW_YORK, 2026, 5, 4, 12), send_hour=time(22, 30))
    assert due(result)["day3"] == local(NEW_YORK, 2026, 5, 8, 9)


def test_send_hour_in_early_morning_quiet_hours_is_deferred_to_window_start():
    result = plan(local(NEW_YORK, 2026, 5, 4, 12), send_hour=time(7))
    assert due(result)["day3"] == local(NEW_YORK, 2026, 5, 7, 9)


def test_headache_days_are_asked_only_of_headache_patients():
    session_at = local(NEW_YORK, 2026, 5, 4, 12)
    with_headache = {c.kind: c.measures for c in plan(session_at, patient(headache=True)).new}
    pain_only = {c.kind: c.measures for c in plan(session_at, patient(headache=False)).new}
    assert with_headache == {"day3": (PAIN,), "day7": (PAIN, HEADACHE)}
    assert pain_only == {"day3": (PAIN,), "day7": (PAIN,)}


def test_kind_with_no_measure_the_patient_is_asked_is_not_planned():
    policy = CheckInPolicy(
        kinds=(
            PlannedKind("day3", 3, (PAIN,), SESSION),
            PlannedKind("headache_week", 7, (HEADACHE,), SESSION),
        )
    )
    result = plan(local(NEW_YORK, 2026, 5, 4, 12), patient(headache=False), policy=policy)
    assert [c.kind for c in result.new] == ["day3"]


@pytest.mark.parametrize("reason", ["opted_out", "no_consent", "paused", "discharged"])
def test_patient_who_cannot_be_texted_gets_skipped_rows_with_the_reason(reason):
    result = plan(local(NEW_YORK, 2026, 5, 4, 12), patient(can_text=False, skip_reason=reason))
    assert [(c.kind, c.status, c.skip_reason) for c in result.new] == [
        ("day3", SKIPPED, reason),
        ("day7", SKIPPED, reason),
    ]
    assert due(result)["day3"] == local(NEW_YORK, 2026, 5, 7, 10)


def test_late_recorded_session_still_sends_a_check_in_whose_window_is_open():
    session_at = local(NEW_YORK, 2026, 5, 4, 12)
    now = local(NEW_YORK, 2026, 5, 7, 15)  # day3 was due at 10:00 today
    day3 = plan(session_at, now=now).new[0]
    assert (day3.kind, day3.status, day3.due_at) == ("day3", SCHEDULED, now)
    assert day3.window_end == now + timedelta(hours=48)


def test_late_recorded_session_at_night_sends_the_open_check_in_next_morning():
    now = local(NEW_YORK, 2026, 5, 7, 23)
    day3 = plan(local(NEW_YORK, 2026, 5, 4, 12), now=now).new[0]
    assert (day3.status, day3.due_at) == (SCHEDULED, local(NEW_YORK, 2026, 5, 8, 9))


def test_check_in_whose_window_closed_before_it_was_planned_is_skipped():
    now = local(NEW_YORK, 2026, 5, 9, 11)  # day3 was due 05-07 10:00; its 48 h are over
    result = plan(local(NEW_YORK, 2026, 5, 4, 12), now=now)
    assert [(c.kind, c.status, c.skip_reason) for c in result.new] == [
        ("day3", SKIPPED, "window_passed"),
        ("day7", SCHEDULED, None),
    ]


def test_planned_times_are_aware_utc():
    result = plan(local(NEW_YORK, 2026, 5, 4, 12), send_hour=time(2, 30))
    stamps = [t for c in result.new for t in (c.due_at, c.window_end)]
    assert stamps and all(t.tzinfo is UTC for t in stamps)


def test_naive_times_are_refused():
    naive = datetime(2026, 5, 4, 12)  # noqa: DTZ001
    with pytest.raises(ValueError, match="session_at must be timezone-aware"):
        plan(naive, now=local(NEW_YORK, 2026, 5, 4, 12))
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        plan(local(NEW_YORK, 2026, 5, 4, 12), now=naive)
