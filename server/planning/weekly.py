"""A condition program's weekly check-in: on the program's local weekday at the clinic's send
hour, whether or not the patient had a session that week (DESIGN.md section 3's caps hold).

Pure: `now` is passed in, every datetime is aware UTC, local dates are the patient's.
"""

from collections.abc import Iterable
from datetime import date, time, timedelta

from server.enums import Measure
from server.planning.board import Board, Context
from server.planning.local_time import QuietHours, as_utc, local_date
from server.planning.policy import CheckInPolicy, PlannedKind
from server.planning.rows import ExistingCheckIn, PatientContext, Plan

WEEKLY = "weekly"
# Offset 4: a weekly check-in the caps push off its day may move up to two days later.
WEEKLY_KIND = PlannedKind(WEEKLY, 4, (), WEEKLY)


def next_weekly_date(weekday: int, context: Context) -> date:
    """The next local date on `weekday` (Monday 0) whose send time is still to come."""
    today = local_date(context.now, context.tz)
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    return day if context.send_time(day) > context.now else day + timedelta(days=7)


def week_number(day: date, start: date) -> int:
    """Whole weeks from the program's start (the first session, else enrolment) to `day`."""
    return (day - start).days // 7


def weekly_context(
    patient: PatientContext, policy: CheckInPolicy, send_hour: time, quiet: QuietHours, now
) -> Context:
    """The planning context of a weekly check-in planned at `now`."""
    return Context(patient, patient.can_text, policy, send_hour, quiet, as_utc(now, "now"))


def plan_week(
    day: date, measures: tuple[Measure, ...], context: Context, existing: Iterable[ExistingCheckIn]
) -> Plan:
    """Place `day`'s weekly check-in: its own prompt, or merged into that day's (caps hold)."""
    # It supersedes nothing: the session check-ins already planned keep their days.
    board = Board(context, existing, context.now, lambda row: False)
    board.place_on(WEEKLY_KIND, measures, day, week_of=day)
    return board.plan(lambda row: "")
