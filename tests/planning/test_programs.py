"""Condition programs: a month of weekly sessions then discharge, for every program.

The caps hold (one prompt a local day, three a rolling week, three questions a check-in, PSFS
one question per activity) and every measure of the program is asked at its cadence.
"""

from collections import Counter
from dataclasses import replace
from datetime import time, timedelta
from itertools import count

import pytest

from server.enums import CheckInStatus, Measure
from server.planning.local_time import QuietHours
from server.planning.plan import ExistingCheckIn, PatientContext, plan_discharge, plan_session
from server.planning.policy import DEFAULT_POLICY
from server.planning.questions import MAX_QUESTIONS
from server.programs import PROGRAMS, Cadence, measures_of
from tests.planning.test_plan import NEW_YORK, local

SCHEDULED, PROMPTED = CheckInStatus.SCHEDULED, CheckInStatus.PROMPTED
SESSIONS = 4  # weekly, Mondays 15:00 local; discharge on the fifth Monday
WEEK = timedelta(days=7)


def context(program: str, session_number: int, activities: int) -> PatientContext:
    return PatientContext(
        NEW_YORK,
        tuple(measures_of(program, False)),
        True,
        None,
        cadences=PROGRAMS[program].measures,
        session_number=session_number,
        activities=activities,
    )


class Month:
    """The check-ins of a patient's month, as stored rows are changed by each plan."""

    def __init__(self, program: str, activities: int):
        self.program, self.activities = program, activities
        self.rows: dict[int, ExistingCheckIn] = {}
        self.event_of: dict[int, str] = {}
        self.ids = count(1)

    def run(self) -> "Month":
        first = local(NEW_YORK, 2026, 5, 4, 15)
        for number in range(1, SESSIONS + 1):
            at = first + (number - 1) * WEEK
            self._sent_before(at)
            who = context(self.program, number, self.activities)
            self._apply(plan_session(at, who, self._existing(), *self._clinic(at)), f"s{number}")
        at = first + SESSIONS * WEEK + timedelta(hours=1)
        self._sent_before(at)
        who = context(self.program, SESSIONS, self.activities)
        self._apply(plan_discharge(at, who, self._existing(), *self._clinic(at)), "discharge")
        return self

    def _clinic(self, now):
        return DEFAULT_POLICY, time(10), QuietHours(), now

    def _existing(self):
        return list(self.rows.values())

    def _sent_before(self, at):
        # The scheduler prompted everything due before the next event.
        for row_id, row in self.rows.items():
            if row.status == SCHEDULED and row.due_at <= at:
                self.rows[row_id] = replace(row, status=PROMPTED)

    def _apply(self, plan, event: str) -> None:
        for row_id, _ in plan.cancel:
            self.rows[row_id] = replace(self.rows[row_id], status=CheckInStatus.CANCELLED)
        for row_id, measures in plan.merge_into:
            self.rows[row_id] = replace(self.rows[row_id], measures=measures)
        for planned in plan.new:
            row_id = next(self.ids)
            self.rows[row_id] = ExistingCheckIn(
                row_id, None, planned.kind, planned.measures, planned.due_at, planned.status
            )
            self.event_of[row_id] = event

    def sent(self) -> list[ExistingCheckIn]:
        live = (SCHEDULED, PROMPTED)
        return sorted((r for r in self.rows.values() if r.status in live), key=lambda r: r.due_at)

    def asked(self, event: str) -> set[Measure]:
        return {m for r in self.sent() if self.event_of[r.id] == event for m in r.measures}


def questions(row: ExistingCheckIn, activities: int) -> int:
    return sum(activities if m == Measure.PSFS else 1 for m in row.measures)


@pytest.mark.parametrize("activities", [1, 3])
@pytest.mark.parametrize("program", list(PROGRAMS))
def test_a_month_of_weekly_sessions_keeps_the_caps(program, activities):
    sent = Month(program, activities).run().sent()
    days = Counter(r.due_at.astimezone(NEW_YORK).date() for r in sent)
    assert max(days.values()) == 1  # one prompt a local day
    for row in sent:
        in_week = [r for r in sent if row.due_at <= r.due_at < row.due_at + WEEK]
        assert len(in_week) <= DEFAULT_POLICY.max_prompts_per_7_days
        assert 1 <= questions(row, activities) <= MAX_QUESTIONS


@pytest.mark.parametrize("activities", [1, 3])
@pytest.mark.parametrize("program", list(PROGRAMS))
def test_every_measure_is_asked_at_its_cadence(program, activities):
    month = Month(program, activities).run()
    cadences = PROGRAMS[program].measures
    every_session = {m for m, c in cadences if c in (Cadence.AFTER_SESSION, Cadence.WEEKLY)}
    for number in range(1, SESSIONS + 1):
        assert every_session <= month.asked(f"s{number}"), f"session {number}"
    four_weekly = {m for m, c in cadences if c is Cadence.DISCHARGE_AND_4_WEEKLY}
    assert four_weekly <= month.asked(f"s{SESSIONS}")
    assert not four_weekly & (month.asked("s1") | month.asked("s2") | month.asked("s3"))
    assert {m for m, _ in cadences} <= month.asked("discharge")


def test_the_weekly_measures_come_a_week_after_the_session_and_the_others_first():
    month = Month("fibromyalgia", 1).run()
    kinds = {(r.kind, r.measures) for r in month.sent() if month.event_of[r.id] == "s1"}
    assert kinds == {
        ("day3", (Measure.PAIN, Measure.SLEEP_INTERFERENCE)),
        ("day7", (Measure.ACTIVITY_INTERFERENCE,)),
    }


def test_what_does_not_fit_three_questions_moves_to_a_check_in_with_room():
    # Neck and back, 3 activities: the 4th week's day7 is PSFS x3; interference and PGIC go
    # to that session's day3 with pain.
    month = Month("neck_back_pain", 3).run()
    rows = {r.kind: r.measures for r in month.sent() if month.event_of[r.id] == "s4"}
    assert rows == {
        "day3": (Measure.PAIN, Measure.ACTIVITY_INTERFERENCE, Measure.PGIC),
        "day7": (Measure.PSFS,),
    }


def test_follow_ups_rotate_the_measures_that_do_not_fit():
    month = Month("neck_back_pain", 2).run()
    followups = [r.measures for r in month.sent() if month.event_of[r.id] == "discharge"]
    assert followups == [
        (Measure.PAIN, Measure.PSFS),
        (Measure.PAIN, Measure.ACTIVITY_INTERFERENCE, Measure.PGIC),
        (Measure.PAIN, Measure.PSFS),
    ]


def test_a_patient_without_a_program_keeps_todays_check_ins():
    who = PatientContext(NEW_YORK, (Measure.PAIN, Measure.HEADACHE_DAYS), True, None)
    at = local(NEW_YORK, 2026, 5, 4, 15)
    plan = plan_session(at, who, [], DEFAULT_POLICY, time(10), QuietHours(), at)
    assert [(c.kind, c.measures) for c in plan.new] == [
        ("day3", (Measure.PAIN,)),
        ("day7", (Measure.PAIN, Measure.HEADACHE_DAYS)),
    ]
