"""Claiming outbox rows atomically, so any number of dispatchers send each row exactly once.

PostgreSQL locks the candidate rows with FOR UPDATE SKIP LOCKED (SQLite ignores the clause);
every state change is a conditional UPDATE (services/row_claims.py), so a row that another
dispatcher took first is simply skipped. A claim writes a lease (the row's next_attempt_at)
that every later write of that claim checks: a `Claim` is the handle for those writes.
Entry points: `claim_due` (rows to send) and `claim_stuck` (rows to reconcile).
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_, select, update

from server.enums import MessagePurpose, MessageStatus
from server.extensions import db
from server.models import CheckIn, Clinic, Heartbeat, Message, MessageStatusEvent, Patient
from server.services.outbox.send_rules import CANCEL, DEFER, Verdict, judge
from server.services.row_claims import win_rows
from server.services.rows import by_id
from server.sms.gateway import OutgoingSms

QUEUED, SENDING = MessageStatus.QUEUED, MessageStatus.SENDING


@dataclass(frozen=True)
class Claim:
    """A row this dispatcher holds until `lease`; `since`: when its send attempt began."""

    message_id: int
    lease: datetime
    since: datetime
    sms: OutgoingSms
    claimed_monotonic: float

    def held_row(self) -> Message | None:
        """The row, locked, if this claim still holds it (None: taken over, rolled back)."""
        message = db.session.get(
            Message, self.message_id, with_for_update=True, populate_existing=True
        )
        if message.status == SENDING and message.next_attempt_at == self.lease:
            return message
        db.session.rollback()
        return None

    def holding(self):
        """An UPDATE of the row only while this claim still holds it."""
        return (
            update(Message)
            .where(
                Message.id == self.message_id,
                Message.status == SENDING,
                Message.next_attempt_at == self.lease,
            )
            .execution_options(synchronize_session=False)
        )

    def release(self, now: datetime) -> bool:
        """Give the row back unsent (stopping, or the lease ran short); commits."""
        released = db.session.execute(
            self.holding().values(
                status=QUEUED,
                next_attempt_at=now,
                claimed_at=None,
                claimed_by=None,
                attempts=Message.attempts - 1,
            )
        )
        db.session.commit()
        return released.rowcount == 1


def claim_due(now: datetime, settings, by: str | None = None) -> tuple[list[Claim], int, int]:
    """Claim due queued rows for dispatcher `by`, cancelling or deferring those that may not go
    now; commits. Returns the claims, and how many rows were cancelled and deferred.
    """
    rows = db.session.scalars(_due(QUEUED, now, settings.claim_size)).all()
    context = _Context(rows)
    to_send, cancelled, deferred = [], 0, 0
    for row in rows:
        verdict = judge(row, *context.of(row), now)
        if verdict.action == CANCEL:
            cancelled += _cancel(row, now)
        elif verdict.action == DEFER:
            deferred += _swap(row, QUEUED, next_attempt_at=verdict.defer_until)
        else:
            to_send.append((row, verdict))
    claims = _claim_all(to_send, now, settings, by)
    db.session.commit()
    return claims, cancelled, deferred


def claim_stuck(now: datetime, settings, by: str | None = None) -> list[Claim]:
    """Claim rows left "sending" to reconcile; commits. Those past their lease (a crash, a
    timeout), and at once those whose dispatcher's heartbeat is older than `stale_after`."""
    stale = getattr(settings, "stale_after", None)
    rows = db.session.scalars(_due(SENDING, now, settings.batch_size, stale)).all()
    lease = now + settings.sending_timeout
    values = {"next_attempt_at": lease, "claimed_by": by}
    won = win_rows(Message, rows, SENDING, "next_attempt_at", **values)
    db.session.commit()
    return [
        _as_claim(row, lease, row.claimed_at or row.created_at, None, settings)
        for row in rows
        if row.id in won
    ]


def _due(status: MessageStatus, now: datetime, limit: int, stale_after: timedelta | None = None):
    due = Message.next_attempt_at <= now
    if stale_after is not None:  # or held by a dispatcher that stopped beating
        alive = select(Heartbeat.name).where(Heartbeat.beat_at >= now - stale_after)
        due = or_(due, and_(Message.claimed_by.is_not(None), Message.claimed_by.not_in(alive)))
    return (
        select(Message)
        .where(Message.status == status, due)
        # A sign-in code is awaited on a phone screen: it jumps the queue of check-in prompts.
        .order_by(
            case((Message.purpose == MessagePurpose.OTP, 0), else_=1),
            Message.next_attempt_at,
            Message.id,
        )
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def _swap(row: Message, expected: MessageStatus, **values) -> bool:
    """Change the row only if it is still as read."""
    return bool(win_rows(Message, [row], expected, "next_attempt_at", **values))


def _cancel(row: Message, now: datetime) -> bool:
    if not _swap(row, QUEUED, status=MessageStatus.CANCELLED, next_attempt_at=None):
        return False
    event = MessageStatusEvent(message_id=row.id, status=MessageStatus.CANCELLED, occurred_at=now)
    db.session.add(event)
    return True


def _claim_all(to_send: list[tuple[Message, Verdict]], now: datetime, settings, by) -> list[Claim]:
    """Mark the rows "sending" under a lease; those another dispatcher changed first are skipped."""
    lease = now + settings.sending_timeout
    rows = [row for row, _ in to_send]
    values = {"attempts": Message.attempts + 1, "claimed_at": now, "next_attempt_at": lease}
    values["claimed_by"] = by
    won = win_rows(Message, rows, QUEUED, "next_attempt_at", status=SENDING, **values)
    return [
        _as_claim(row, lease, now, verdict.validity, settings)
        for row, verdict in to_send
        if row.id in won
    ]


def _as_claim(row: Message, lease, since, validity: int | None, settings) -> Claim:
    sms = OutgoingSms(
        to=row.to_number,
        body=row.body,
        sender=row.from_number,
        status_callback=f"{settings.public_base_url}/sms/status?message_id={row.id}",
        validity_period=validity,
    )
    return Claim(row.id, lease, since, sms, time.monotonic())


class _Context:
    """The check-ins, patients and clinics of a batch of rows, loaded in three queries."""

    def __init__(self, rows: list[Message]) -> None:
        self.checkins = by_id(CheckIn, (r.check_in_id for r in rows))
        self.patients = by_id(Patient, (r.patient_id for r in rows))
        self.clinics = by_id(Clinic, (r.clinic_id for r in rows))

    def of(self, row: Message) -> tuple:
        return (
            self.checkins.get(row.check_in_id),
            self.patients.get(row.patient_id),
            self.clinics.get(row.clinic_id),
        )

