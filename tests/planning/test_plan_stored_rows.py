"""Planning against any rows already stored, however they got there: the limits still hold."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from server.enums import CheckInStatus
from server.planning.local_time import is_allowed, local_date, local_send_time
from server.planning.plan import ExistingCheckIn, PatientContext, plan_session
from server.planning.policy import DEFAULT_POLICY
from tests.planning.test_plan_properties import (
    HEADACHE_PATIENT,
    SCHEDULED,
    WEEK,
    instants,
    quiet_hours,
    send_hours,
    zones,
)

# Rows that are, or will be, a prompt on the patient's phone.
PROMPTS = {SCHEDULED, CheckInStatus.PROMPTED, CheckInStatus.COMPLETED, CheckInStatus.EXPIRED}


@st.composite
def stored_rows(draw: st.DrawFn, tz: ZoneInfo, session_at: datetime) -> tuple[ExistingCheckIn, ...]:
    """Up to 8 rows in any status, on any local day from 9 before to 12 after the session."""
    start = local_date(session_at, tz)
    rows = []
    for row_id in range(draw(st.integers(0, 8))):
        day = start + timedelta(days=draw(st.integers(-9, 12)))
        wall = draw(send_hours)
        status = draw(st.sampled_from(CheckInStatus))
        due_at = local_send_time(day, wall, tz)
        rows.append(ExistingCheckIn(row_id, 1, "day7", HEADACHE_PATIENT, due_at, status))
    return tuple(rows)


def fits_the_week(prompts: list[datetime], at: datetime) -> bool:
    near = [p for p in prompts if abs(p - at) < WEEK]
    return all(b - a >= WEEK for a, b in zip(near, near[3:], strict=False) if a <= at <= b)


@settings(max_examples=300, deadline=None)
@given(st.data(), zones, send_hours, quiet_hours(), instants, st.integers(0, 80 * 60))
def test_new_prompts_keep_one_a_day_and_three_a_week_whatever_is_stored(
    data, tz, send_hour, quiet, session_at, delay_minutes
):
    existing = data.draw(stored_rows(tz, session_at))
    now = session_at + timedelta(minutes=delay_minutes)
    patient = PatientContext(tz, HEADACHE_PATIENT, can_text=True, skip_reason=None)
    plan = plan_session(session_at, patient, existing, DEFAULT_POLICY, send_hour, quiet, now)

    rows = {row.id: row for row in existing}
    after = {i for i, r in rows.items() if r.status == SCHEDULED and r.due_at > session_at}
    cancelled = {i for i, _ in plan.cancel}
    assert cancelled <= after, "cancelled a row that was sent or due before the session"
    assert all(rows[i].status == SCHEDULED for i, _ in plan.merge_into), "widened a sent prompt"

    new = [c.due_at for c in plan.new if c.status == SCHEDULED]
    assert all(t.tzinfo is UTC and t >= now and is_allowed(t, tz, quiet) for t in new)
    kept = [r.due_at for r in existing if r.status in PROMPTS and r.id not in cancelled]
    prompts = sorted(kept + new)
    revived = [rows[i].due_at for i, _ in plan.merge_into if i in after]
    for at in new + revived:
        assert [local_date(p, tz) for p in prompts].count(local_date(at, tz)) == 1
        assert fits_the_week(prompts, at)
