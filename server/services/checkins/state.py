"""Check-in state shared by SMS, app, jobs and the outbox: the open check-in, answers,
reminders sent, cancellation."""

from datetime import datetime

from sqlalchemy import select, update

from server.enums import CheckInStatus, Measure, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import CheckIn, Message

PENDING = (CheckInStatus.SCHEDULED, CheckInStatus.PROMPTED)


def open_checkin(patient_id: int, now: datetime) -> CheckIn | None:
    """The patient's prompted check-in whose window is still open (the newest, if several)."""
    return db.session.scalar(
        select(CheckIn)
        .where(
            CheckIn.patient_id == patient_id,
            CheckIn.status == CheckInStatus.PROMPTED,
            CheckIn.window_end > now,
        )
        .order_by(CheckIn.due_at.desc())
        .limit(1)
    )


def record_answer(checkin: CheckIn, measure: Measure, now: datetime) -> None:
    """Mark one measure answered; the last answer completes the check-in (caller commits)."""
    if measure in checkin.unanswered():  # PSFS: once per activity asked
        checkin.answered = [*checkin.answered, measure]
    if checkin.next_question() is None:
        checkin.status = CheckInStatus.COMPLETED
        checkin.completed_at = now
        cancel_queued_messages(checkin.id)


def cancel_queued_messages(checkin_id: int) -> None:
    """Withdraw outbox rows (prompts, reminders) of a check-in that need not be sent any more."""
    db.session.execute(
        update(Message)
        .where(Message.check_in_id == checkin_id, Message.status == MessageStatus.QUEUED)
        .values(status=MessageStatus.CANCELLED, next_attempt_at=None)
    )


def cancel_pending_checkins(patient_id: int, reason: str) -> int:
    """Cancel the patient's scheduled and prompted check-ins and their queued messages."""
    pending = db.session.scalars(
        select(CheckIn).where(CheckIn.patient_id == patient_id, CheckIn.status.in_(PENDING))
    ).all()
    for checkin in pending:
        checkin.status = CheckInStatus.CANCELLED
        checkin.status_reason = reason
        cancel_queued_messages(checkin.id)
    return len(pending)


def count_reminder_sent(message: Message) -> None:
    """Count a reminder that went out on its check-in (caller commits)."""
    if message.purpose == MessagePurpose.REMINDER and message.check_in_id is not None:
        db.session.execute(
            update(CheckIn)
            .where(CheckIn.id == message.check_in_id)
            .values(reminder_count=CheckIn.reminder_count + 1)
        )
