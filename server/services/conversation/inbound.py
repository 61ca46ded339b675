"""Inbound SMS: keep the raw text first, then act on it exactly once, whatever Twilio retries.

Two transactions: the message is committed on its own before any processing, so a bug or a
crash later never loses what the patient wrote. Processing then locks that row, so a retried
MessageSid (even one arriving concurrently) waits for the first outcome and returns its reply.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError

from server.enums import MessageDirection, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Clinic, Message, Patient
from server.services.conversation import respond as conversation
from server.services.conversation.replies import Reply, log_reply
from server.services.flags import reply_review

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboundSms:
    """The fields of Twilio's inbound webhook that PainLine uses."""

    sid: str
    from_number: str
    to_number: str
    body: str = ""
    messaging_service_sid: str = ""


def receive(sms: InboundSms, now: datetime) -> str | None:
    """Store one inbound SMS, act on it once, and return the reply to send back (or None)."""
    message_id = _store(sms, now)
    try:
        return _outcome(message_id, sms, now)
    except Exception:
        # The patient's text is safe (committed above): staff review it, Twilio still gets 200.
        logger.exception("inbound SMS message_id=%s could not be processed", message_id)
        db.session.rollback()
        _keep_for_review(message_id, sms, now)
        return None


def _store(sms: InboundSms, now: datetime) -> int:
    """Commit the raw message; a MessageSid seen before returns the stored row's id."""
    message = Message(
        direction=MessageDirection.INBOUND,
        purpose=MessagePurpose.INBOUND,
        status=MessageStatus.RECEIVED,
        twilio_sid=sms.sid,
        body=sms.body,
        to_number=sms.to_number,
        from_number=sms.from_number,
        created_at=now,
    )
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:  # the unique MessageSid: a retry, or a concurrent duplicate
        db.session.rollback()
        existing = db.session.scalar(select(Message.id).where(Message.twilio_sid == sms.sid))
        if existing is None:
            raise
        return existing
    message_id = message.id
    db.session.commit()
    return message_id


def _outcome(message_id: int, sms: InboundSms, now: datetime) -> str | None:
    """Process the message unless an earlier delivery did; the reply body either way."""
    message = db.session.get(Message, message_id, with_for_update=True, populate_existing=True)
    if message.processed_at is not None:
        body = db.session.scalar(select(Message.body).where(Message.reply_to_id == message_id))
        db.session.rollback()  # nothing to write: release the row lock
        return body
    message.processed_at = now  # set first, so the message row is written once
    with db.session.no_autoflush:  # the hot path: no flush before each query, write at commit
        answer = _process(message, sms, now)
    db.session.commit()
    return answer.body if answer else None


def _process(message: Message, sms: InboundSms, now: datetime) -> Reply | None:
    """Bind the message to its clinic and patient, and let the conversation answer it."""
    clinic, patient = _sender(sms)
    message.clinic_id = clinic.id if clinic else None
    message.patient_id = patient.id if patient else None
    if patient is None:
        return None  # unknown senders learn nothing, not even that this number is a clinic's
    answer = conversation.respond(message, patient, clinic, now)
    if answer is not None:
        log_reply(answer, message, now)
    return answer


def _sender(sms: InboundSms) -> tuple[Clinic | None, Patient | None]:
    """The clinic texted (its number, else its Messaging Service) and its patient who wrote."""
    senders = [sender for sender in (sms.to_number, sms.messaging_service_sid) if sender]
    writer = and_(Patient.clinic_id == Clinic.id, Patient.phone == sms.from_number)
    rows = db.session.execute(
        select(Clinic, Patient).outerjoin(Patient, writer).where(Clinic.sms_sender.in_(senders))
    ).all()
    if not rows:
        return None, None
    clinic, patient = min(rows, key=lambda row: senders.index(row[0].sms_sender))
    return clinic, patient


def _keep_for_review(message_id: int, sms: InboundSms, now: datetime) -> None:
    """Mark the message processed and open a reply_review flag when the patient is known."""
    try:
        message = db.session.get(Message, message_id)
        clinic, patient = _sender(sms)
        message.clinic_id = clinic.id if clinic else None
        message.patient_id = patient.id if patient else None
        message.processed_at = now
        if patient is not None:
            reply_review.after_processing_failure(patient, sms.body, now)
        db.session.commit()
    except Exception:
        logger.exception("inbound SMS message_id=%s: review flag not recorded", message_id)
        db.session.rollback()
