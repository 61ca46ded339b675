"""Inbound SMS: keep the raw text first, then act on it exactly once, whatever Twilio retries.

Two transactions: the message is committed on its own before any processing, so a bug or a
crash later never loses what the patient wrote. Processing then locks that row, so a retried
MessageSid (even one arriving concurrently) waits for the first outcome and returns its reply.
When the database fails in between, the webhook answers 503 and Twilio's retry processes the
stored row; `sweep_unprocessed` processes any text still unprocessed a minute later.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError

from server.enums import MessageDirection, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Clinic, Message, Patient
from server.outages import is_database_outage
from server.services.conversation import respond as conversation
from server.services.conversation.replies import Reply, log_reply, queue_reply
from server.services.flags import reply_review

logger = logging.getLogger(__name__)
SWEEP_AFTER = timedelta(minutes=1)  # a webhook (or its retry) is long finished by then
SWEEP_BATCH = 100


@dataclass(frozen=True)
class InboundSms:
    """The fields of Twilio's inbound webhook that PainLine uses."""

    sid: str
    from_number: str
    to_number: str
    body: str = ""
    messaging_service_sid: str = ""


def receive(sms: InboundSms, now: datetime) -> str | None:
    """Store one inbound SMS, act on it once, and return the reply to send back (or None).

    A database outage propagates (the webhook answers 503, Twilio retries, and the retry, or
    the sweep, processes the stored row); only a bug of ours sends the text to staff review.
    """
    return settle(_store(sms, now), now)


def settle(message_id: int, now: datetime, *, late: bool = False) -> str | None:
    """Process a stored text unless done before; `late`: its reply goes through the outbox."""
    try:
        return _outcome(message_id, now, late)
    except Exception as error:
        db.session.rollback()
        if is_database_outage(error):
            raise
        # The patient's text is safe (committed before): staff review it, Twilio still gets 200.
        logger.exception("inbound SMS message_id=%s could not be processed", message_id)
        _keep_for_review(message_id, now)
        return None


def sweep_unprocessed(now: datetime) -> Counter:
    """Process texts stored over a minute ago and never processed; their replies are queued."""
    unprocessed = (
        select(Message.id)
        .where(
            Message.direction == MessageDirection.INBOUND,
            Message.processed_at.is_(None),
            Message.created_at <= now - SWEEP_AFTER,
        )
        .order_by(Message.id)
        .limit(SWEEP_BATCH)
    )
    message_ids = db.session.scalars(unprocessed).all()
    db.session.rollback()
    for message_id in message_ids:
        settle(message_id, now, late=True)
    return Counter(swept=len(message_ids))


def _store(sms: InboundSms, now: datetime) -> int:
    """Commit the raw message, bound to its clinic and patient; a retry returns the stored id."""
    clinic, patient = _sender(sms)
    message = Message(
        direction=MessageDirection.INBOUND,
        purpose=MessagePurpose.INBOUND,
        status=MessageStatus.RECEIVED,
        twilio_sid=sms.sid,
        body=sms.body,
        to_number=sms.to_number,
        from_number=sms.from_number,
        clinic_id=clinic.id if clinic else None,
        patient_id=patient.id if patient else None,  # in the transcript before it is processed
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


def _outcome(message_id: int, now: datetime, late: bool) -> str | None:
    """Process the message unless an earlier delivery did; the TwiML reply body either way."""
    message = db.session.get(Message, message_id, with_for_update=True, populate_existing=True)
    if message.processed_at is not None:
        # A reply queued in the outbox (a swept text) has no reply_to_id: nothing to repeat.
        body = db.session.scalar(select(Message.body).where(Message.reply_to_id == message_id))
        db.session.rollback()  # nothing to write: release the row lock
        return body
    message.processed_at = now  # set first, so the message row is written once
    with db.session.no_autoflush:  # the hot path: no flush before each query, write at commit
        answer = _process(message, now, late)
    db.session.commit()
    return None if late or answer is None else answer.body


def _process(message: Message, now: datetime, late: bool) -> Reply | None:
    """Let the conversation answer a known patient's text; unknown senders learn nothing."""
    if message.patient_id is None:
        return None  # not even that this number is a clinic's
    known = select(Clinic, Patient).join(Patient, Patient.clinic_id == Clinic.id)
    clinic, patient = db.session.execute(known.where(Patient.id == message.patient_id)).one()
    answer = conversation.respond(message, patient, clinic, now)
    if answer is not None and late:
        queue_reply(answer, clinic, patient, now)
    elif answer is not None:
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


def _keep_for_review(message_id: int, now: datetime) -> None:
    """Mark the message processed and open a reply_review flag when the patient is known."""
    try:
        message = db.session.get(Message, message_id)
        message.processed_at = now
        patient = db.session.get(Patient, message.patient_id) if message.patient_id else None
        if patient is not None:
            reply_review.after_processing_failure(patient, message.body, now)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if is_database_outage(error):
            raise  # not reviewed, not processed: the retry or the sweep will try again
        logger.exception("inbound SMS message_id=%s: review flag not recorded", message_id)
