"""The replies PainLine texts back in TwiML, or through the outbox once that moment has passed."""

from dataclasses import dataclass
from datetime import datetime

from server.enums import Measure, MessageDirection, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Clinic, Message, Patient
from server.services.outbox import queue as outbox
from server.sms.templates import Template, render


@dataclass(frozen=True)
class Reply:
    """One SMS body to return in TwiML, with why it is sent and the check-in it belongs to."""

    body: str
    purpose: MessagePurpose
    check_in_id: int | None = None


def reply(
    template: Template,
    patient: Patient,
    clinic: Clinic,
    purpose: MessagePurpose = MessagePurpose.REPLY,
    *,
    check_in_id: int | None = None,
    measure: Measure = Measure.PAIN,
) -> Reply:
    """A reply from `template`, in the patient's language, with the clinic's name and phone."""
    body = render(
        template,
        patient.language,
        clinic_name=clinic.name,
        first_name=patient.first_name,
        help_phone=clinic.help_phone,
        measure=measure,
    )
    return Reply(body, purpose, check_in_id)


def log_reply(answer: Reply, inbound: Message, now: datetime) -> Message:
    """Log a TwiML reply as an outbound message, sent with the webhook response (caller commits)."""
    message = Message(
        clinic_id=inbound.clinic_id,
        patient_id=inbound.patient_id,
        check_in_id=answer.check_in_id,
        reply_to_id=inbound.id,
        direction=MessageDirection.OUTBOUND,
        purpose=answer.purpose,
        body=answer.body,
        to_number=inbound.from_number,
        from_number=inbound.to_number,
        status=MessageStatus.SENT,
        segments=1,  # every template is one GSM-7 segment
        sent_at=now,
        created_at=now,
    )
    db.session.add(message)
    return message


def queue_reply(answer: Reply, clinic: Clinic, patient: Patient, now: datetime) -> Message:
    """Send a reply through the outbox: the text was processed after its webhook had answered."""
    return outbox.enqueue(
        clinic, patient, answer.purpose, answer.body, now, check_in_id=answer.check_in_id
    )
