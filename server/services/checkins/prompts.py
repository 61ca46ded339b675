"""Turning due check-ins into prompts: one question per SMS, at an allowed local time.

Due check-ins are locked with FOR UPDATE SKIP LOCKED on PostgreSQL, and every change is a
conditional UPDATE (services/row_claims.py), so concurrent schedulers prompt each one once.
"""

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from server.enums import CheckInStatus, MessagePurpose
from server.extensions import db
from server.models import CheckIn, Clinic, Patient
from server.planning.local_time import is_allowed, local_date, local_send_time, next_allowed
from server.planning.plan import WINDOW_PASSED
from server.services import psfs_activities
from server.services.checkins import reminders
from server.services.checkins import state as checkin_state
from server.services.checkins.planning import checkin_block
from server.services.clinic_settings import policy_of, quiet_hours_of, zone
from server.services.outbox import queue as outbox
from server.services.outbox.send_rules import MIN_VALIDITY
from server.services.row_claims import win_rows
from server.services.rows import by_id as rows_by_id
from server.sms.templates import question

BATCH = 200
REPLACED = "replaced by a newer check-in before it was answered"
SCHEDULED, PROMPTED = CheckInStatus.SCHEDULED, CheckInStatus.PROMPTED


def prompt_due_checkins(now: datetime) -> Counter:
    """Prompt, defer, skip or expire every check-in due by `now`; one commit per batch."""
    report = Counter()
    while rows := db.session.scalars(_due(now)).all():
        batch = _Batch(rows, now)
        report.update(outcome for outcome in map(batch.handle, rows) if outcome)
        report["prompted"] += batch.prompt_chosen()
        db.session.commit()
    return +report


def _due(now: datetime):
    return (
        select(CheckIn)
        .where(CheckIn.status == SCHEDULED, CheckIn.due_at <= now)
        .order_by(CheckIn.due_at, CheckIn.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )


def _swap(row: CheckIn, **values) -> bool:
    """Change the check-in only if it is still as read (same status and due time)."""
    return bool(win_rows(CheckIn, [row], row.status, "due_at", **values))


class _Batch:
    """A batch of due check-ins with their patients, clinics and recent prompts."""

    def __init__(self, rows: list[CheckIn], now: datetime) -> None:
        self.now = now
        patient_ids = {r.patient_id for r in rows}
        self.patients = rows_by_id(Patient, patient_ids)
        self.clinics = rows_by_id(Clinic, {r.clinic_id for r in rows})
        self.policies = {c.id: policy_of(c) for c in self.clinics.values()}
        self.chosen: dict[int, list[CheckIn]] = defaultdict(list)  # by window length, hours
        self.prompted_days: dict[int, set] = defaultdict(set)
        self.open: dict[int, list[CheckIn]] = defaultdict(list)
        recent = select(CheckIn).where(
            CheckIn.patient_id.in_(patient_ids),
            or_(CheckIn.prompted_at >= now - timedelta(days=2), CheckIn.status == PROMPTED),
        )
        for checkin in db.session.scalars(recent):
            tz = zone(self.patients[checkin.patient_id].timezone)
            if checkin.prompted_at is not None:
                self.prompted_days[checkin.patient_id].add(local_date(checkin.prompted_at, tz))
            if checkin.status == PROMPTED:
                self.open[checkin.patient_id].append(checkin)

    def handle(self, row: CheckIn) -> str | None:
        """Skip, expire or defer the check-in and say so, or choose it for a prompt (None)."""
        patient, clinic = self.patients[row.patient_id], self.clinics[row.clinic_id]
        block = checkin_block(patient, row)
        if block is not None or row.next_question() is None:
            ok = _swap(row, status=CheckInStatus.SKIPPED, status_reason=block or "nothing to ask")
            return "skipped" if ok else "lost"
        if row.window_end <= self.now:  # the scheduler was down for the whole window
            ok = _swap(row, status=CheckInStatus.EXPIRED, status_reason=WINDOW_PASSED)
            return "expired unsent" if ok else "lost"
        tz, quiet = zone(patient.timezone), quiet_hours_of(clinic)
        today = local_date(self.now, tz)
        later = _next_send_time(self.now, tz, quiet)
        if later is not None:
            return "deferred" if _swap(row, due_at=later) else "lost"
        if today in self.prompted_days[patient.id]:  # never two prompts on one local day
            tomorrow = local_send_time(today + timedelta(days=1), clinic.send_hour, tz)
            return "deferred" if _swap(row, due_at=next_allowed(tomorrow, tz, quiet)) else "lost"
        self.prompted_days[patient.id].add(today)
        self.chosen[self.policies[clinic.id].window_hours].append(row)
        return None

    def prompt_chosen(self) -> int:
        """Mark the chosen check-ins prompted (one UPDATE per window length), queue their texts."""
        prompted = 0
        for hours, rows in self.chosen.items():
            window_end = self.now + timedelta(hours=hours)
            values = {"status": PROMPTED, "prompted_at": self.now, "window_end": window_end}
            won = win_rows(CheckIn, rows, SCHEDULED, "due_at", **values)
            for row in rows:
                if row.id in won:
                    self._queue_texts(row, window_end)
            prompted += len(won)
        return prompted

    def _queue_texts(self, row: CheckIn, window_end: datetime) -> None:
        patient, clinic = self.patients[row.patient_id], self.clinics[row.clinic_id]
        activity = psfs_activities.next_label(row, patient.id)
        body = question(row.next_question(), patient.language, clinic.name, activity)
        outbox.enqueue(clinic, patient, MessagePurpose.PROMPT, body, self.now, check_in_id=row.id)
        policy = self.policies[clinic.id]
        reminders.plan_reminder(row, patient, clinic, self.now, window_end, policy)
        for older in self.open[patient.id]:
            _replace(older)


def _next_send_time(now: datetime, tz, quiet) -> datetime | None:
    """None if a prompt may go now, else when it may: never at night, nor minutes before."""
    if not is_allowed(now, tz, quiet):
        return next_allowed(now, tz, quiet)
    soon = now + timedelta(seconds=MIN_VALIDITY)  # the text must have time to arrive
    return None if is_allowed(soon, tz, quiet) else next_allowed(soon, tz, quiet)


def _replace(older: CheckIn) -> None:
    """Close an unanswered check-in once a newer one asks: replies go to the newest."""
    if _swap(older, status=CheckInStatus.CANCELLED, status_reason=REPLACED):
        checkin_state.cancel_queued_messages(older.id)

