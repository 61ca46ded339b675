"""The check-in planner: what to add, cancel and widen when a session or a discharge is recorded.

Pure: `now` is passed in and every datetime in and out is aware UTC. The patient's own zone is
used only for the send hour, quiet hours and the one-prompt-per-local-day rule (DESIGN.md 3).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from server.enums import CheckInStatus, Measure
from server.outcomes.rules import DEFAULT_RULES
from server.planning.local_time import QuietHours, as_utc, local_date, local_send_time, next_allowed
from server.planning.policy import DISCHARGE, SESSION, CheckInPolicy, PlannedKind

DISCHARGED = "discharged"
CANNOT_TEXT = "cannot_text"  # can_text False with no reason given
WINDOW_PASSED = "window_passed"
WEEKLY_CAP = "weekly_cap"
DAILY_LIMIT = "daily_limit"
# Post-needling soreness: the clinic's RuleSet.post_needling_hours (DESIGN.md sections 1, 6).
SORENESS = timedelta(hours=DEFAULT_RULES.post_needling_hours)
WEEK = timedelta(days=7)
_SCHEDULED, _SKIPPED = CheckInStatus.SCHEDULED, CheckInStatus.SKIPPED
# Rows that are, or will become, a prompt on the patient's phone: they count towards the caps.
_PROMPTS = {_SCHEDULED, CheckInStatus.PROMPTED, CheckInStatus.COMPLETED, CheckInStatus.EXPIRED}


@dataclass(frozen=True)
class ExistingCheckIn:
    """A check-in already stored for this patient."""

    id: int
    session_id: int | None
    kind: str
    measures: tuple[Measure, ...]
    due_at: datetime
    status: CheckInStatus


@dataclass(frozen=True)
class PatientContext:
    """The patient as planning sees them; skip_reason "discharged" only if it is the sole reason."""

    tz: ZoneInfo
    measures: tuple[Measure, ...]  # pain always; headache days for headache patients
    can_text: bool
    skip_reason: str | None  # why not: "opted_out", "no_consent", "paused", "discharged", ...


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


@dataclass(frozen=True)
class Plan:
    """Rows to add, existing rows to cancel (with why), existing rows whose measures widen."""

    new: tuple[PlannedCheckIn, ...]
    cancel: tuple[tuple[int, str], ...]
    merge_into: tuple[tuple[int, tuple[Measure, ...]], ...]


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
    context = _Context(patient, patient.can_text, policy, send_hour, quiet, as_utc(now, "now"))
    board = _Board(context, existing, as_utc(session_at, "session_at"))
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
    context = _Context(patient, textable, policy, send_hour, quiet, as_utc(now, "now"))
    board = _Board(context, existing, as_utc(discharged_at, "discharged_at"))
    board.place_all(DISCHARGE)
    day = local_date(board.event_at, patient.tz).isoformat()
    return board.plan(lambda _: f"superseded by discharge on {day}: only follow-ups are sent now")


@dataclass(frozen=True)
class _Context:
    patient: PatientContext
    textable: bool
    policy: CheckInPolicy
    send_hour: time
    quiet: QuietHours
    now: datetime

    @property
    def tz(self) -> ZoneInfo:
        return self.patient.tz

    @property
    def skip_reason(self) -> str | None:
        return None if self.textable else self.patient.skip_reason or CANNOT_TEXT

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.policy.window_hours)

    @cached_property
    def earliest(self) -> datetime:
        """The first allowed instant from `now`: nothing can be sent before it."""
        return next_allowed(self.now, self.tz, self.quiet)

    def send_time(self, day: date) -> datetime:
        return next_allowed(local_send_time(day, self.send_hour, self.tz), self.tz, self.quiet)


@dataclass(frozen=True)
class _Draft:
    kind: PlannedKind
    measures: tuple[Measure, ...]
    day: date  # the local date whose send hour gives `nominal`
    nominal: datetime  # send hour on `day`, out of quiet hours: the due time if nothing moves it


@dataclass
class _Slot:
    due_at: datetime
    kind: str
    measures: tuple[Measure, ...]
    open: bool = True  # False once prompted: a question already sent cannot be widened
    existing_id: int | None = None
    merged: tuple[str, ...] = ()

    @classmethod
    def of(cls, row: ExistingCheckIn) -> "_Slot":
        return cls(row.due_at, row.kind, row.measures, row.status == _SCHEDULED, row.id)

    def absorb(self, draft: _Draft) -> None:
        self.measures = _union(self.measures, draft.measures)
        self.merged += (draft.kind.kind,)


class _Board:
    """The patient's prompt days while planning: one prompt a local day, a cap a rolling week."""

    def __init__(self, context: _Context, existing: Iterable[ExistingCheckIn], event_at: datetime):
        self.context, self.event_at = context, event_at
        rows = [replace(r, due_at=as_utc(r.due_at, f"check-in {r.id} due_at")) for r in existing]
        self.superseded = [r for r in rows if r.status == _SCHEDULED and r.due_at > event_at]
        # A superseded row can still carry a new check-in that falls on its day, rather than
        # cancelling one row and adding another for the same prompt.
        self.hosts = {local_date(r.due_at, context.tz): r for r in self.superseded}
        self.slots: dict[date, _Slot] = {}
        self.times: list[datetime] = []
        self.skipped: list[PlannedCheckIn] = []
        gone = {r.id for r in self.superseded}
        # Sent prompts go last so that they own their day: nothing can join them.
        for row in sorted(rows, key=lambda r: r.status != _SCHEDULED):
            if row.status in _PROMPTS and row.id not in gone:
                self.slots[local_date(row.due_at, context.tz)] = _Slot.of(row)
                self.times.append(row.due_at)

    def place_all(self, on: str) -> None:
        """Place a draft for every policy kind planned on this event, earliest first."""
        start = local_date(self.event_at, self.context.tz)
        drafts = []
        for kind in self.context.policy.kinds:
            # Headache days only for headache patients; a kind left with nothing is dropped.
            measures = _union(tuple(m for m in kind.measures if m in self.context.patient.measures))
            if kind.on == on and measures:
                day = start + timedelta(days=kind.offset_days)
                drafts.append(_Draft(kind, measures, day, self.context.send_time(day)))
        for draft in sorted(drafts, key=lambda d: (d.nominal, d.kind.kind)):
            self.place(draft)

    def place(self, draft: _Draft) -> None:
        """Schedule the draft, merge it into its day's prompt, move it later, or skip it."""
        reason, earliest = self.context.skip_reason, self.context.earliest
        # Recorded late: still sent if its answer window is open when we may next send.
        if reason is None and max(draft.nominal, earliest) >= draft.nominal + self.context.window:
            reason = WINDOW_PASSED
        # Moved by at most half its own offset: a day3 may become a day4, never a day5.
        for late in range(draft.kind.offset_days // 2 + 1 if reason is None else 0):
            at = max(self.context.send_time(draft.day + timedelta(days=late)), earliest)
            reason = self._try(draft, at)
            if reason is None:
                return
        self.skipped.append(_skipped(draft, reason, self.context.window))

    def _try(self, draft: _Draft, at: datetime) -> str | None:
        day = local_date(at, self.context.tz)
        if day in self.slots:
            if not self.slots[day].open:
                return DAILY_LIMIT
            self.slots[day].absorb(draft)
            return None
        host = self.hosts.get(day)
        due = at if host is None else host.due_at
        if not _fits_cap(self.times, due, self.context.policy.max_prompts_per_7_days):
            return WEEKLY_CAP
        if host is None:
            self.slots[day] = _Slot(at, draft.kind.kind, draft.measures)
        else:
            self.slots[day] = _Slot.of(self.hosts.pop(day))
            self.slots[day].absorb(draft)
        self.times.append(due)
        return None

    def plan(self, reason: Callable[[ExistingCheckIn], str]) -> Plan:
        """The board as a Plan: new rows in due order, changes to existing rows by id."""
        slots = sorted(self.slots.values(), key=lambda s: s.due_at)
        new = [_scheduled(s, self.context.window) for s in slots if s.existing_id is None]
        kept = {s.existing_id for s in slots}
        cancelled = sorted(r.id for r in self.superseded if r.id not in kept)
        rows = {r.id: r for r in self.superseded}
        widened = [
            (s.existing_id, s.measures) for s in slots if s.existing_id is not None and s.merged
        ]
        return Plan(
            new=tuple(sorted([*new, *self.skipped], key=lambda p: (p.due_at, p.kind))),
            cancel=tuple((i, reason(rows[i])) for i in cancelled),
            merge_into=tuple(sorted(widened)),
        )


def _skipped(draft: _Draft, reason: str, window: timedelta) -> PlannedCheckIn:
    end = draft.nominal + window
    return PlannedCheckIn(draft.kind.kind, draft.measures, draft.nominal, end, _SKIPPED, reason)


def _scheduled(slot: _Slot, window: timedelta) -> PlannedCheckIn:
    end = slot.due_at + window
    return PlannedCheckIn(slot.kind, slot.measures, slot.due_at, end, _SCHEDULED, None, slot.merged)


def _fits_cap(times: list[datetime], at: datetime, cap: int) -> bool:
    """True if a prompt at `at` leaves every rolling 7 days (168 h) with at most `cap` prompts."""
    ordered = sorted([*times, at])
    # cap + 1 consecutive prompts less than 7 days apart would share one 7-day window.
    return all(b - a >= WEEK for a, b in zip(ordered, ordered[cap:], strict=False) if a <= at <= b)


def _union(*groups: tuple[Measure, ...]) -> tuple[Measure, ...]:
    """The measures of all groups, in the clinic's order (pain first), each once."""
    return tuple(m for m in Measure if any(m in group for group in groups))
