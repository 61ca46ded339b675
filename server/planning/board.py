"""The planner's board: each planned kind placed at its send time, within the caps, merged with
a prompt already due that local day (DESIGN.md section 3)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from server.enums import Measure
from server.planning.local_time import QuietHours, as_utc, local_date, local_send_time, next_allowed
from server.planning.policy import CheckInPolicy, PlannedKind
from server.planning.questions import fill, measures_by_kind
from server.planning.rows import (
    CANNOT_TEXT,
    DAILY_LIMIT,
    PROMPT_STATUSES,
    QUESTION_CAP,
    SCHEDULED,
    SKIPPED,
    WEEK,
    WEEKLY_CAP,
    WINDOW_PASSED,
    ExistingCheckIn,
    PatientContext,
    Plan,
    PlannedCheckIn,
)


@dataclass(frozen=True)
class Context:
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
    week_of: date | None = None  # a weekly check-in's planned date


@dataclass
class _Slot:
    due_at: datetime
    kind: str
    measures: tuple[Measure, ...]
    open: bool = True  # False once prompted: a question already sent cannot be widened
    existing_id: int | None = None
    merged: tuple[str, ...] = ()
    week_of: date | None = None

    @classmethod
    def of(cls, row: ExistingCheckIn) -> "_Slot":
        return cls(row.due_at, row.kind, row.measures, row.status == SCHEDULED, row.id)

    def absorb(self, draft: _Draft, measures: tuple[Measure, ...]) -> None:
        self.measures = measures
        self.merged += (draft.kind.kind,)
        self.week_of = self.week_of or draft.week_of


class Board:
    """The patient's prompt days while planning: one prompt a local day, a cap a rolling week."""

    def __init__(
        self,
        context: Context,
        existing: Iterable[ExistingCheckIn],
        event_at: datetime,
        supersedes: Callable[[ExistingCheckIn], bool] = lambda row: True,
    ):
        self.context, self.event_at = context, event_at
        rows = [replace(r, due_at=as_utc(r.due_at, f"check-in {r.id} due_at")) for r in existing]
        self.superseded = [
            r for r in rows if r.status == SCHEDULED and r.due_at > event_at and supersedes(r)
        ]
        # A superseded row can still carry a new check-in that falls on its day, rather than
        # cancelling one row and adding another for the same prompt.
        self.hosts = {local_date(r.due_at, context.tz): r for r in self.superseded}
        self.slots: dict[date, _Slot] = {}
        self.times: list[datetime] = []
        self.skipped: list[PlannedCheckIn] = []
        gone = {r.id for r in self.superseded}
        # Sent prompts go last so that they own their day: nothing can join them.
        for row in sorted(rows, key=lambda r: r.status != SCHEDULED):
            if row.status in PROMPT_STATUSES and row.id not in gone:
                self.slots[local_date(row.due_at, context.tz)] = _Slot.of(row)
                self.times.append(row.due_at)

    def place_all(self, on: str) -> None:
        """Place a draft for every policy kind planned on this event, earliest first."""
        start = local_date(self.event_at, self.context.tz)
        drafts = []
        # Headache days only for headache patients; a kind left with nothing is dropped.
        for kind, measures in measures_by_kind(self.context.policy, on, self.context.patient):
            if measures:
                day = start + timedelta(days=kind.offset_days)
                drafts.append(_Draft(kind, measures, day, self.context.send_time(day)))
        for draft in sorted(drafts, key=lambda d: (d.nominal, d.kind.kind)):
            self.place(draft)

    def place_on(self, kind: PlannedKind, measures, day: date, week_of: date | None) -> None:
        """Place one check-in of `kind` asking `measures` on the local `day`."""
        self.place(_Draft(kind, tuple(measures), day, self.context.send_time(day), week_of))

    def place(self, draft: _Draft) -> None:
        """Schedule the draft, merge it into its day's prompt, move it later, or skip it."""
        reason, earliest = self.context.skip_reason, self.context.earliest
        # Recorded late: still sent if its answer window is open when we may next send.
        if reason is None and max(draft.nominal, earliest) >= draft.nominal + self.context.window:
            reason = WINDOW_PASSED
        # Moved by at most half its own offset: a day3 may become a day4, never a day5.
        for late in range(draft.kind.offset_days // 2 + 1 if reason is None else 0):
            at = max(self.context.send_time(draft.day + timedelta(days=late)), earliest)
            reason, rest = self._try(draft, at)
            if reason is None:
                if rest:  # what did not fit three questions asks the next day
                    day = local_date(at, self.context.tz) + timedelta(days=1)
                    nominal = self.context.send_time(day)
                    self.place(replace(draft, measures=rest, day=day, nominal=nominal))
                return
        self.skipped.append(_skipped(draft, reason, self.context.window))

    def _try(self, draft: _Draft, at: datetime) -> tuple[str | None, tuple[Measure, ...]]:
        """Place the draft on `at`'s local day: why not, or None and what did not fit."""
        day = local_date(at, self.context.tz)
        if day in self.slots:
            return self._join(self.slots[day], draft)
        host = self.hosts.get(day)
        due = at if host is None else host.due_at
        if not _fits_cap(self.times, due, self.context.policy.max_prompts_per_7_days):
            return WEEKLY_CAP, draft.measures
        slot = _Slot.of(host) if host else _Slot(at, draft.kind.kind, (), week_of=draft.week_of)
        reason, rest = self._join(slot, draft)
        if reason is None:
            self.slots[day] = slot
            self.hosts.pop(day, None)
            self.times.append(due)
        return reason, rest

    def _join(self, slot: _Slot, draft: _Draft) -> tuple[str | None, tuple[Measure, ...]]:
        """Widen the slot by what of the draft fits three questions; a new slot takes it all."""
        if not slot.open:
            return DAILY_LIMIT, draft.measures
        new = [m for m in draft.measures if m not in slot.measures]
        measures, rest = fill(slot.measures, new, self.context.patient)
        if new and len(rest) == len(new):  # nothing it adds fits
            return QUESTION_CAP, draft.measures
        if slot.measures or slot.existing_id is not None:
            slot.absorb(draft, measures)
        else:  # a new prompt of its own
            slot.measures = measures
        return None, rest

    def plan(self, reason: Callable[[ExistingCheckIn], str]) -> Plan:
        """The board as a Plan: new rows in due order, changes to existing rows by id."""
        slots = sorted(self.slots.values(), key=lambda s: s.due_at)
        new = [_scheduled(s, self.context.window) for s in slots if s.existing_id is None]
        kept = {s.existing_id for s in slots}
        cancelled = sorted(r.id for r in self.superseded if r.id not in kept)
        rows = {r.id: r for r in self.superseded}
        merged = sorted((s.existing_id, s) for s in slots if s.existing_id is not None and s.merged)
        return Plan(
            new=tuple(sorted([*new, *self.skipped], key=lambda p: (p.due_at, p.kind))),
            cancel=tuple((i, reason(rows[i])) for i in cancelled),
            merge_into=tuple((i, s.measures) for i, s in merged),
            kinds_into=tuple((i, s.merged) for i, s in merged),
        )


def _skipped(draft: _Draft, reason: str, window: timedelta) -> PlannedCheckIn:
    end = draft.nominal + window
    return PlannedCheckIn(
        draft.kind.kind, draft.measures, draft.nominal, end, SKIPPED, reason, (), draft.week_of
    )


def _scheduled(slot: _Slot, window: timedelta) -> PlannedCheckIn:
    end = slot.due_at + window
    return PlannedCheckIn(
        slot.kind, slot.measures, slot.due_at, end, SCHEDULED, None, slot.merged, slot.week_of
    )


def _fits_cap(times: list[datetime], at: datetime, cap: int) -> bool:
    """True if a prompt at `at` leaves every rolling 7 days (168 h) with at most `cap` prompts."""
    ordered = sorted([*times, at])
    # cap + 1 consecutive prompts less than 7 days apart would share one 7-day window.
    return all(b - a >= WEEK for a, b in zip(ordered, ordered[cap:], strict=False) if a <= at <= b)
