"""The outbox: proactive messages (prompts, reminders, codes) waiting to be dispatched."""

from datetime import datetime

from server.enums import MessageDirection, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Clinic, Message, Patient


def enqueue(
    clinic: Clinic,
    patient: Patient,
    purpose: MessagePurpose,
    body: str,
    now: datetime,
    *,
    send_at: datetime | None = None,
    check_in_id: int | None = None,
) -> Message:
    """Add an outbound message to the outbox (caller commits); sent at `send_at` or at once."""
    message = Message(
        clinic_id=clinic.id,
        patient_id=patient.id,
        check_in_id=check_in_id,
        direction=MessageDirection.OUTBOUND,
        purpose=purpose,
        body=body,
        to_number=patient.phone,
        from_number=clinic.sms_sender or "",
        status=MessageStatus.QUEUED,
        next_attempt_at=send_at or now,
        created_at=now,
    )
    db.session.add(message)
    return message
