"""Planning invariants over random histories: sessions, zones, send hours and quiet hours."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from server.enums import CheckInStatus, Measure
from server.planning.local_time import QuietHours, is_allowed, local_date
from server.planning.plan import ExistingCheckIn, PatientContext, Plan, plan_discharge, plan_session
from server.planning.policy import DEFAULT_POLICY

ZONES = [
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",  # +05:30, no DST
    "America/St_Johns",  # -03:30 / -02:30
    "Australia/Lord_Howe",  # DST moves the clock by only 30 minutes
    "America/New_York",
    "Europe/London",
]
# Days these zones change their clocks: random histories start near them often.
CLOCK_CHANGES = [date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 9, 27)]
CLOCK_CHANGES += [date(2026, 10, 4), date(2026, 10, 25), date(2026, 11, 1)]
HEADACHE_PATIENT = (Measure.PAIN, Measure.HEADACHE_DAYS)
SCHEDULED, PROMPTED = CheckInStatus.SCHEDULED, CheckInStatus.PROMPTED
WEEK = timedelta(days=7)


def local(tz: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz).astimezone(UTC)


class History:
    """A patient's stored check-ins as the services would keep them, with a fake dispatcher."""

    def __init__(self, tz: ZoneInfo, send_hour: time, quiet: QuietHours) -> None:
        self.patient = PatientContext(tz, HEADACHE_PATIENT, can_text=True, skip_reason=None)
        self.send_hour, self.quiet = send_hour, quiet
        self.rows: dict[int, ExistingCheckIn] = {}
        self.plans: list[tuple[datetime, Plan]] = []

    def session(self, at: datetime, now: datetime) -> None:
        self._record(plan_session, at, now)

    def discharge(self, at: datetime, now: datetime) -> None:
        self._record(plan_discharge, at, now)

    def _record(self, planner, at: datetime, now: datetime) -> None:
        for row in list(self.rows.values()):  # the dispatcher sent everything due by now
            if row.status == SCHEDULED and row.due_at <= now:
                self.rows[row.id] = replace(row, status=PROMPTED)
        stored = tuple(self.rows.values())
        plan = planner(at, self.patient, stored, DEFAULT_POLICY, self.send_hour, self.quiet, now)
        self.plans.append((now, plan))
        changed = [row_id for row_id, _ in (*plan.cancel, *plan.merge_into)]
        assert all(self.rows[i].status == SCHEDULED for i in changed), "changed a sent prompt"
        for row_id, _ in plan.cancel:
            self.rows[row_id] = replace(self.rows[row_id], status=CheckInStatus.CANCELLED)
        for row_id, measures in plan.merge_into:
            self.rows[row_id] = replace(self.rows[row_id], measures=measures)
        for new in plan.new:
            row_id = len(self.rows) + 1
            self.rows[row_id] = ExistingCheckIn(
                row_id, len(self.plans), new.kind, new.measures, new.due_at, new.status
            )

    def prompts(self) -> list[datetime]:
        """Every prompt the patient has had or will get, in order."""
        sent = (SCHEDULED, PROMPTED)
        return sorted(row.due_at for row in self.rows.values() if row.status in sent)


def check_invariants(history: History) -> None:
    tz, quiet = history.patient.tz, history.quiet
    prompts = history.prompts()
    days = [local_date(p, tz) for p in prompts]
    assert all(is_allowed(p, tz, quiet) for p in prompts), "a prompt inside quiet hours"
    assert len(set(days)) == len(days), "two prompts on one local day"
    # Any 4 consecutive prompts span at least 7 days: no 7-day window, counted in hours or
    # in local calendar days, holds more than 3.
    assert all(b - a >= WEEK for a, b in zip(prompts, prompts[3:], strict=False))
    assert all(sum(d <= e < d + WEEK for e in days) <= 3 for d in days)
    for now, plan in history.plans:
        for new in plan.new:
            assert new.due_at.tzinfo is UTC and new.window_end.tzinfo is UTC
            assert new.status != SCHEDULED or new.due_at >= now, "scheduled in the past"


def test_sessions_recorded_late_in_one_week_never_make_more_than_three_prompts_a_week():
    # Mon, Tue and Wed sessions; Tue's recorded on Thu, Wed's on Fri, after those days'
    # prompts went out. Without the cap, Wed's day7 (Wed 05-13) would be a 4th prompt in 7 days.
    tz = ZoneInfo("America/New_York")
    history = History(tz, time(10), QuietHours())
    for day, recorded in ((4, 4), (5, 7), (6, 8)):
        history.session(local(tz, 2026, 5, day, 12), local(tz, 2026, 5, recorded, 12))
    check_invariants(history)
    assert history.prompts() == [local(tz, 2026, 5, day, 10) for day in (7, 8, 9, 14)]


zones = st.sampled_from(ZONES).map(ZoneInfo)
send_hours = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
# Hypothesis wants naive bounds; the datetimes it draws are aware (UTC).
FIRST, LAST = datetime(2025, 1, 1), datetime(2028, 12, 31)  # noqa: DTZ001
instants = st.one_of(
    st.builds(
        lambda day, hours: datetime.combine(day, time(12), UTC) + timedelta(hours=hours),
        st.sampled_from(CLOCK_CHANGES),
        st.integers(-10 * 24, 2 * 24),
    ),
    st.datetimes(min_value=FIRST, max_value=LAST, timezones=st.just(UTC)),
)


@st.composite
def quiet_hours(draw: st.DrawFn) -> QuietHours:
    start = draw(st.integers(8 * 60, 21 * 60 - 1))
    end = draw(st.integers(start + 1, 21 * 60))
    return QuietHours(time(start // 60, start % 60), time(end // 60, end % 60))


# Each session: hours after the previous one, and hours until it is recorded (often at once).
sessions = st.lists(
    st.tuples(st.integers(0, 8 * 24), st.one_of(st.just(0), st.integers(0, 80))),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(zones, send_hours, quiet_hours(), instants, sessions, st.none() | st.integers(0, 720))
def test_random_histories_keep_quiet_hours_and_prompt_limits(
    tz, send_hour, quiet, first, steps, discharge_after
):
    history = History(tz, send_hour, quiet)
    at = now = first
    for gap, delay in steps:
        at += timedelta(hours=gap)
        now = max(now, at + timedelta(hours=delay))
        history.session(at, now)
    if discharge_after is not None:
        at += timedelta(hours=discharge_after)
        history.discharge(at, max(now, at))
    check_invariants(history)
