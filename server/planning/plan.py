"""The check-in planner: what to add, cancel and widen when a session or a discharge is recorded.

Pure: `now` is passed in and every datetime in and out is aware UTC. The patient's own zone is
used only for the send hour, quiet hours and the one-prompt-per-local-day rule (DESIGN.md 3).
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from server.outcomes.rules import DEFAULT_RULES
from server.planning.board import Board, Context
from server.planning.local_time import QuietHours, as_utc, local_date
from server.planning.policy import DISCHARGE, SESSION, CheckInPolicy
from server.planning.rows import (
    CANNOT_TEXT,
    DAILY_LIMIT,
    DISCHARGED,
    WEEKLY_CAP,
    WINDOW_PASSED,
    ExistingCheckIn,
    PatientContext,
    Plan,
    PlannedCheckIn,
)

__all__ = [
    "CANNOT_TEXT",
    "DAILY_LIMIT",
    "DISCHARGED",
    "SORENESS",
    "WEEKLY_CAP",
    "WINDOW_PASSED",
    "ExistingCheckIn",
    "PatientContext",
    "Plan",
    "PlannedCheckIn",
    "plan_discharge",
    "plan_session",
]
# Post-needling soreness: the clinic's RuleSet.post_needling_hours (DESIGN.md sections 1, 6).
SORENESS = timedelta(hours=DEFAULT_RULES.post_needling_hours)


def plan_session(
    session_at: datetime,
    patient: PatientContext,
    existing: Iterable[ExistingCheckIn],
    policy: CheckInPolicy,
    send_hour: time,
    quiet: QuietHours,
    now: datetime,
    soreness: timedelta = SORENESS,
) -> Plan:
    """Plan a session's check-ins; cancel the earlier ones still to come after it."""
    context = Context(patient, patient.can_text, policy, send_hour, quiet, as_utc(now, "now"))
    # The program's weekly check-ins stay: they are asked whether or not there was a session.
    board = Board(context, existing, as_utc(session_at, "session_at"), lambda row: not row.weekly)
    board.place_all(SESSION)
    label = f"superseded by session on {local_date(board.event_at, patient.tz).isoformat()}"

    def reason(row: ExistingCheckIn) -> str:
        if row.due_at - board.event_at < soreness:
            return f"{label}: it would measure fresh needling soreness"
        return f"{label}: that session's own check-ins replace it"

    return board.plan(reason)


def plan_discharge(
    discharged_at: datetime,
    patient: PatientContext,
    existing: Iterable[ExistingCheckIn],
    policy: CheckInPolicy,
    send_hour: time,
    quiet: QuietHours,
    now: datetime,
) -> Plan:
    """Plan the follow-ups after discharge; cancel the session check-ins still to come."""
    # Discharge stops session check-ins, not the follow-ups that measure the outcome.
    textable = patient.can_text or patient.skip_reason == DISCHARGED
    context = Context(patient, textable, policy, send_hour, quiet, as_utc(now, "now"))
    board = Board(context, existing, as_utc(discharged_at, "discharged_at"))
    board.place_all(DISCHARGE)
    day = local_date(board.event_at, patient.tz).isoformat()
    return board.plan(lambda _: f"superseded by discharge on {day}: only follow-ups are sent now")
