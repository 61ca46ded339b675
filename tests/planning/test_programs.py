"""Condition programs: five weeks of weekly sessions then discharge, for every program.

The planner runs as the service runs it: each session plans its check-ins, and every morning
the jobs tick plans the next weekly check-in (on the program's weekday) unless one is planned.
The caps hold (one prompt a local day, three a rolling week, three questions a check-in, PSFS
one question per activity) and every measure of the program is asked at its cadence.
"""

from collections import Counter
from dataclasses import replace
from datetime import date, time, timedelta
from itertools import count

import pytest

from server.enums import CheckInStatus, Measure
from server.planning.local_time import QuietHours
from server.planning.plan import ExistingCheckIn, PatientContext, plan_discharge, plan_session
from server.planning.policy import DEFAULT_POLICY
from server.planning.questions import MAX_QUESTIONS, weekly_measures
from server.planning.weekly import next_weekly_date, plan_week, week_number, weekly_context
from server.programs import PROGRAMS, Cadence, measures_of
from tests.planning.test_plan import NEW_YORK, local

SCHEDULED, PROMPTED, CANCELLED = (
    CheckInStatus.SCHEDULED,
    CheckInStatus.PROMPTED,
    CheckInStatus.CANCELLED,
)
SESSIONS = 5  # weekly, Mondays 15:00 local from 2026-05-04; discharge on the sixth Monday
FIRST = date(2026, 5, 4)
WEEK = timedelta(days=7)
# The programs' weekday is Friday: the weekly check-ins of the five weeks.
WEEKLY_DATES = [date(2026, 5, 8) + n * WEEK for n in range(SESSIONS)]


def context(program: str, activities: int, tz=NEW_YORK, can_text=True) -> PatientContext:
    return PatientContext(
        tz,
        tuple(measures_of(program, False)),
        can_text,
        None if can_text else "paused",
        cadences=PROGRAMS[program].measures,
        activities=activities,
    )


class Month:
    """The check-ins of a patient's course, as stored rows are changed by each plan."""

    def __init__(self, program: str, activities: int, sessions=SESSIONS, tz=NEW_YORK):
        self.program, self.activities, self.sessions, self.tz = program, activities, sessions, tz
        self.rows: dict[int, ExistingCheckIn] = {}
        self.event_of: dict[int, set[str]] = {}
        self.week_of: dict[int, date] = {}
        self.ids = count(1)

    def run(self, discharge=True, paused_weeks=()) -> "Month":
        for offset in range(self.sessions * 7 + 1):
            day = FIRST + timedelta(days=offset)
            self.tick(local(self.tz, day.year, day.month, day.day, 8), day in paused_weeks)
            if offset % 7 == 0 and offset // 7 < self.sessions:
                self.session(local(self.tz, day.year, day.month, day.day, 15), offset // 7 + 1)
        if discharge:
            last = FIRST + self.sessions * WEEK
            at = local(self.tz, last.year, last.month, last.day, 16)
            self._sent_before(at)
            plan = plan_discharge(at, self.who(), self._existing(), *self._clinic(at))
            self._apply(plan, "discharge")
        return self

    def who(self, can_text=True) -> PatientContext:
        return context(self.program, self.activities, self.tz, can_text)

    def session(self, at, number: int) -> None:
        self._sent_before(at)
        plan = plan_session(at, self.who(), self._existing(), *self._clinic(at))
        self._apply(plan, f"s{number}", session=True)

    def tick(self, at, paused=False) -> None:
        """What services/checkins/weekly.py does for this patient on a tick at `at`."""
        self._sent_before(at)
        if paused:  # the service plans nothing for a paused patient
            return
        who = self.who()
        week_context = weekly_context(who, *self._clinic(at))
        day = next_weekly_date(PROGRAMS[self.program].weekday.number, week_context)
        if any(self.week_of.get(i) == day and r.status != CANCELLED for i, r in self.rows.items()):
            return
        measures = weekly_measures(who, week_number(day, FIRST))
        if measures:
            self._apply(plan_week(day, measures, week_context, self._existing()), f"w{day}", day)

    def _clinic(self, now):
        return DEFAULT_POLICY, time(10), QuietHours(), now

    def _existing(self):
        return list(self.rows.values())

    def _sent_before(self, at):
        # The scheduler prompted everything due before the next event.
        for row_id, row in self.rows.items():
            if row.status == SCHEDULED and row.due_at <= at:
                self.rows[row_id] = replace(row, status=PROMPTED)

    def _apply(self, plan, event: str, week_of: date | None = None, session=False) -> None:
        for row_id, _ in plan.cancel:
            self.rows[row_id] = replace(self.rows[row_id], status=CANCELLED)
        for row_id, measures in plan.merge_into:
            # As stored: a session's check-in on its day makes the weekly one a session's.
            weekly = self.rows[row_id].weekly and not session
            self.rows[row_id] = replace(self.rows[row_id], measures=measures, weekly=weekly)
            self.event_of[row_id].add(event)
            if week_of:
                self.week_of.setdefault(row_id, week_of)
        for planned in plan.new:
            row_id = next(self.ids)
            self.rows[row_id] = ExistingCheckIn(
                row_id,
                None,
                planned.kind,
                planned.measures,
                planned.due_at,
                planned.status,
                planned.week_of is not None,
            )
            self.event_of[row_id] = {event}
            if planned.week_of:
                self.week_of[row_id] = planned.week_of

    def sent(self) -> list[ExistingCheckIn]:
        live = (SCHEDULED, PROMPTED)
        return sorted((r for r in self.rows.values() if r.status in live), key=lambda r: r.due_at)

    def asked(self, event: str) -> set[Measure]:
        return {m for r in self.sent() if event in self.event_of[r.id] for m in r.measures}


def questions(row: ExistingCheckIn, activities: int) -> int:
    return sum(activities if m == Measure.PSFS else 1 for m in row.measures)


def cadence(program: str, *wanted: Cadence) -> set[Measure]:
    return {m for m, c in PROGRAMS[program].measures if c in wanted}


def assert_caps(sent: list[ExistingCheckIn], activities: int, tz=NEW_YORK) -> None:
    days = Counter(r.due_at.astimezone(tz).date() for r in sent)
    assert max(days.values()) == 1  # one prompt a local day
    for row in sent:
        in_week = [r for r in sent if row.due_at <= r.due_at < row.due_at + WEEK]
        assert len(in_week) <= DEFAULT_POLICY.max_prompts_per_7_days
        assert 1 <= questions(row, activities) <= MAX_QUESTIONS


@pytest.mark.parametrize("activities", [1, 3])
@pytest.mark.parametrize("program", list(PROGRAMS))
def test_a_month_of_weekly_sessions_keeps_the_caps(program, activities):
    assert_caps(Month(program, activities).run().sent(), activities)


@pytest.mark.parametrize("activities", [1, 3])
@pytest.mark.parametrize("program", list(PROGRAMS))
def test_every_measure_is_asked_at_its_cadence(program, activities):
    month = Month(program, activities).run()
    after_session = cadence(program, Cadence.AFTER_SESSION)
    for number in range(1, SESSIONS + 1):
        assert after_session <= month.asked(f"s{number}"), f"session {number}"
    for day in WEEKLY_DATES:
        assert cadence(program, Cadence.WEEKLY) <= month.asked(f"w{day}"), f"week of {day}"
    four_weekly = cadence(program, Cadence.DISCHARGE_AND_4_WEEKLY)
    assert four_weekly <= month.asked(f"w{WEEKLY_DATES[4]}")  # 4 weeks after the first session
    earlier = set().union(*(month.asked(f"w{day}") for day in WEEKLY_DATES[:4]))
    sessions = set().union(*(month.asked(f"s{n}") for n in range(1, SESSIONS + 1)))
    assert not four_weekly & (earlier | sessions)
    assert {m for m, _ in PROGRAMS[program].measures} <= month.asked("discharge")


def test_the_weekly_measures_come_on_the_programs_weekday_and_the_others_after_the_session():
    month = Month("fibromyalgia", 1).run()
    first_week = [r for r in month.sent() if r.due_at < local(NEW_YORK, 2026, 5, 11, 0)]
    assert [(r.kind, r.measures, r.due_at) for r in first_week] == [
        ("day3", (Measure.PAIN, Measure.SLEEP_INTERFERENCE), local(NEW_YORK, 2026, 5, 7, 10)),
        ("weekly", (Measure.ACTIVITY_INTERFERENCE,), local(NEW_YORK, 2026, 5, 8, 10)),
    ]


def test_what_does_not_fit_three_questions_moves_to_the_next_day():
    # Neck and back, 3 activities: the weekly check-in of week 4 is PSFS x3; interference and
    # PGIC are asked the next day.
    month = Month("neck_back_pain", 3).run()
    rows = [
        (r.kind, r.measures, r.due_at)
        for r in month.sent()
        if f"w{WEEKLY_DATES[4]}" in month.event_of[r.id]
    ]
    assert rows == [
        ("weekly", (Measure.PSFS,), local(NEW_YORK, 2026, 6, 5, 10)),
        ("weekly", (Measure.ACTIVITY_INTERFERENCE, Measure.PGIC), local(NEW_YORK, 2026, 6, 6, 10)),
    ]


def test_follow_ups_ask_pgic_first_and_rotate_the_measures_that_do_not_fit():
    month = Month("neck_back_pain", 2).run()
    followups = [r.measures for r in month.sent() if "discharge" in month.event_of[r.id]]
    assert followups == [
        (Measure.PAIN, Measure.ACTIVITY_INTERFERENCE, Measure.PGIC),
        (Measure.PAIN, Measure.PSFS),
        (Measure.PAIN, Measure.ACTIVITY_INTERFERENCE, Measure.PGIC),
    ]


def test_discharge_ends_the_weekly_check_ins():
    month = Month("migraine", 1).run()
    discharged = local(NEW_YORK, 2026, 6, 8, 16)
    assert [r.kind for r in month.sent() if r.due_at > discharged] == [
        "followup_2w",
        "followup_4w",
        "followup_12w",
    ]


def test_a_patient_without_a_program_keeps_todays_check_ins():
    who = PatientContext(NEW_YORK, (Measure.PAIN, Measure.HEADACHE_DAYS), True, None)
    at = local(NEW_YORK, 2026, 5, 4, 15)
    plan = plan_session(at, who, [], DEFAULT_POLICY, time(10), QuietHours(), at)
    assert [(c.kind, c.measures) for c in plan.new] == [
        ("day3", (Measure.PAIN,)),
        ("day7", (Measure.PAIN, Measure.HEADACHE_DAYS)),
    ]
