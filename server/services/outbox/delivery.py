"""Delivery status of outbound messages: a history per (message, status), never moving back."""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from server.enums import MessageDirection, MessageStatus
from server.extensions import db
from server.models import Message, MessageStatusEvent
from server.outages import is_database_outage, one_line
from server.services.checkins import state as checkin_state
from server.sms.gateway import SentSms

logger = logging.getLogger(__name__)
# Twilio's carrier-side delivery errors (unreachable, blocked, unknown or landline destination,
# carrier filtering, unknown): stored on the message for staff and for reports.
CARRIER_ERRORS = range(30003, 30009)
SID_LENGTH = 64  # Message.twilio_sid; Twilio's own SIDs have 34 characters


def note_status(
    message: Message,
    status: MessageStatus,
    now: datetime,
    error_code: int | None = None,
    known: set[tuple[int, MessageStatus]] | None = None,
) -> bool:
    """Record `status` once in the history and move the message forward (caller commits).

    `known`: the (message id, status) events already stored, when the caller has read them.
    """
    if error_code is not None:
        message.error_code = error_code
    if known is not None:
        if (message.id, status) not in known:
            known.add((message.id, status))
            db.session.add(_event(message, status, now, error_code))
    elif not _has_event(message.id, status):
        try:
            with db.session.begin_nested():
                db.session.add(_event(message, status, now, error_code))
        except IntegrityError:
            pass  # the same status arrived concurrently: already recorded
    if status.rank <= MessageStatus(message.status).rank:
        return False  # "sent" arriving after "delivered" stays history only
    message.status = status
    return True


def _event(message: Message, status: MessageStatus, now, error_code) -> MessageStatusEvent:
    return MessageStatusEvent(
        message_id=message.id, status=status, error_code=error_code, occurred_at=now
    )


def _has_event(message_id: int, status: MessageStatus) -> bool:
    found = select(MessageStatusEvent.id).where(
        MessageStatusEvent.message_id == message_id, MessageStatusEvent.status == status
    )
    return db.session.scalar(found) is not None


def record_sent(sends: Sequence[tuple[int, SentSms]], now: datetime) -> Counter:
    """Record the SID and status of messages the provider accepted, in one transaction."""
    try:
        return _record_sent(sends, now)
    except IntegrityError:
        # A status callback stored one of these statuses meanwhile: record one by one.
        db.session.rollback()
        if len(sends) > 1:
            return sum((record_sent([send], now) for send in sends), Counter())
        logger.warning("message %s raced a status callback: reconciled later", sends[0][0])
    except SQLAlchemyError as error:
        db.session.rollback()
        if not is_database_outage(error):
            logger.exception("could not record %d sent message(s): reconciled later", len(sends))
        else:
            logger.warning("could not record %d sent message(s): %s", len(sends), one_line(error))
    return Counter(unrecorded=len(sends))


def _record_sent(sends: Sequence[tuple[int, SentSms]], now: datetime) -> Counter:
    ids = [message_id for message_id, _ in sends]
    locked = select(Message).where(Message.id.in_(ids)).order_by(Message.id).with_for_update()
    rows = {m.id: m for m in db.session.scalars(locked.execution_options(populate_existing=True))}
    events = select(MessageStatusEvent.message_id, MessageStatusEvent.status)
    known = set(db.session.execute(events.where(MessageStatusEvent.message_id.in_(ids))).all())
    outcomes = Counter(_sent(rows[message_id], sent, now, known) for message_id, sent in sends)
    db.session.commit()
    return outcomes


def _sent(message: Message, sent: SentSms, now: datetime, known: set) -> str:
    if message.twilio_sid not in (None, sent.sid):
        logger.error("message %s sent twice: %s, %s", message.id, message.twilio_sid, sent.sid)
        return "duplicate"
    # Recorded even if another dispatcher has taken the row over meanwhile: it was sent, and a
    # recorded SID is what stops it from being sent again.
    if message.sent_at is None:
        checkin_state.count_reminder_sent(message)
    message.twilio_sid, message.sent_at, message.next_attempt_at = sent.sid, now, None
    message.segments = message.segments or sent.segments
    note_status(message, sent.status, now, known=known)
    return "sent"


@dataclass(frozen=True)
class StatusCallback:
    """One delivery report, read from the provider's form at the API edge."""

    sid: str
    status: MessageStatus
    error_code: int | None = None


def record_callback(message_id: str | None, callback: StatusCallback, now: datetime) -> None:
    """Apply one delivery status callback (idempotent); unknown messages are ignored."""
    message = _find(message_id, callback.sid)
    if message is None:
        logger.warning("status callback for an unknown message %s", callback.sid)
        return
    if message.twilio_sid is None:
        message.twilio_sid = callback.sid  # the callback beat the dispatcher's own record
    if callback.error_code in CARRIER_ERRORS:
        logger.info("message %s not delivered: carrier error %s", message.id, callback.error_code)
    note_status(message, callback.status, now, callback.error_code)
    db.session.commit()


def _find(message_id: str | None, sid: str) -> Message | None:
    """Our message by the id in the callback URL (if its SID agrees), else by SID; row-locked."""
    if "\x00" in sid or len(sid) > SID_LENGTH:
        return None  # not a Twilio SID: PostgreSQL would refuse to store or even compare it
    # isascii: "²".isdigit() is True but int("²") fails; a forged-looking id is just not ours.
    if message_id and message_id.isascii() and message_id.isdigit() and int(message_id) < 2**31:
        message = db.session.get(Message, int(message_id), with_for_update=True)
        outbound = message is not None and message.direction == MessageDirection.OUTBOUND
        if outbound and message.twilio_sid in (None, sid):
            return message
    query = select(Message).where(Message.twilio_sid == sid).with_for_update()
    return db.session.scalar(query)
