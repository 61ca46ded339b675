"""What the planner reads and returns: the patient, the stored check-ins, the plan, and why a
check-in is skipped."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.enums import CheckInStatus, Measure
from server.programs import Cadence

DISCHARGED = "discharged"
CANNOT_TEXT = "cannot_text"  # can_text False with no reason given
WINDOW_PASSED = "window_passed"
WEEKLY_CAP = "weekly_cap"
DAILY_LIMIT = "daily_limit"
QUESTION_CAP = "question_cap"  # its day's prompt already asks three questions
WEEK = timedelta(days=7)
SCHEDULED, SKIPPED = CheckInStatus.SCHEDULED, CheckInStatus.SKIPPED
# Rows that are, or will become, a prompt on the patient's phone: they count towards the caps.
PROMPT_STATUSES = {
    SCHEDULED,
    CheckInStatus.PROMPTED,
    CheckInStatus.COMPLETED,
    CheckInStatus.EXPIRED,
}


@dataclass(frozen=True)
class ExistingCheckIn:
    """A check-in already stored for this patient."""

    id: int
    session_id: int | None
    kind: str
    measures: tuple[Measure, ...]
    due_at: datetime
    status: CheckInStatus
    weekly: bool = False  # a program's weekly check-in: a new session does not supersede it


@dataclass(frozen=True)
class PatientContext:
    """The patient as planning sees them; skip_reason "discharged" only if it is the sole reason."""

    tz: ZoneInfo
    measures: tuple[Measure, ...]  # pain always; headache days for headache patients
    can_text: bool
    skip_reason: str | None  # why not: "opted_out", "no_consent", "paused", "discharged", ...
    # A program's measures and cadences (server/programs.py); None: each kind's own measures.
    cadences: tuple[tuple[Measure, Cadence], ...] | None = None
    activities: int = 1  # PSFS activities: PSFS is that many questions


@dataclass(frozen=True)
class PlannedCheckIn:
    """A check-in to store: SCHEDULED, or SKIPPED with the reason the clinic will see."""

    kind: str
    measures: tuple[Measure, ...]
    due_at: datetime
    window_end: datetime
    status: CheckInStatus
    skip_reason: str | None = None
    merged_kinds: tuple[str, ...] = ()  # other kinds asked in this same prompt
    week_of: date | None = None  # a weekly check-in: the local date it was planned for


@dataclass(frozen=True)
class Plan:
    """Rows to add, existing rows to cancel (with why), existing rows whose measures widen."""

    new: tuple[PlannedCheckIn, ...]
    cancel: tuple[tuple[int, str], ...]
    merge_into: tuple[tuple[int, tuple[Measure, ...]], ...]
    kinds_into: tuple[tuple[int, tuple[str, ...]], ...] = ()  # the kinds each widened row took
