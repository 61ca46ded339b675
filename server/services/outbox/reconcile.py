"""Rows left "sending" (a crash, a timeout): was the text sent? Ask the provider, then decide."""

import logging
from datetime import datetime

from server.enums import MessageStatus
from server.extensions import db
from server.services.backoff import backoff
from server.services.outbox import claims as outbox_claims
from server.services.outbox import delivery
from server.sms.gateway import GatewayError, SentSms, SmsGateway, count_segments

logger = logging.getLogger(__name__)


def reconcile(claim: outbox_claims.Claim, gateway: SmsGateway, now: datetime, settings) -> str:
    """Record the text if the provider has it, else queue it again; never send blind."""
    sms = claim.sms
    try:
        found = gateway.find_sent(sms.to, sms.sender, sms.body, claim.since)
    except GatewayError as error:
        logger.warning("cannot reconcile message %s yet: %r", claim.message_id, error)
        return _hold(claim, now, settings)
    if found is None:
        return _requeue(claim, now, settings)
    sent = SentSms(found.sid, found.status, count_segments(found.body))
    [outcome] = delivery.record_sent([(claim.message_id, sent)], now)
    return "reconciled " + outcome


def _requeue(claim: outbox_claims.Claim, now: datetime, settings) -> str:
    """Not at the provider: queue it again at once, or fail it after its last attempt."""
    message = claim.held_row()
    if message is None:
        return "lost"  # another dispatcher has taken the row over: its outcome stands
    if message.attempts >= settings.max_attempts:
        message.next_attempt_at = None
        delivery.note_status(message, MessageStatus.FAILED, now)
        outcome = "failed"
    else:
        message.status, message.next_attempt_at = MessageStatus.QUEUED, now
        message.claimed_at = None
        outcome = "requeued"
    db.session.commit()
    return outcome


def _hold(claim: outbox_claims.Claim, now: datetime, settings) -> str:
    """The provider's log is out of reach: the row stays "sending"; look again later."""
    retry_at = now + backoff(1, settings)
    db.session.execute(claim.holding().values(next_attempt_at=retry_at))
    db.session.commit()
    return "held"
