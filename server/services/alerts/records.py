"""Recording what happened to a claimed notification: sent, retry later, or failed for good."""

import logging
from datetime import datetime

from sqlalchemy import update

from server.enums import NotificationStatus as Status
from server.extensions import db
from server.mail import MailError
from server.models import Notification
from server.services.alerts.claims import Claim, holding
from server.services.backoff import backoff
from server.sms.gateway import GatewayError

logger = logging.getLogger(__name__)
RESENT = "a send was interrupted (crash or timeout): sent again with the same Message-ID"


def record_sent(claim: Claim, now: datetime, provider_id: str | None = None) -> str:
    """Mark the notification sent; commits.

    Recorded even if another process has taken the row over meanwhile: it went out, and
    "sent" is what stops anyone from sending it again.
    """
    note = RESENT if claim.resend and claim.email is not None else None
    values = {"status": Status.SENT, "sent_at": now, "next_attempt_at": None}
    values |= {"provider_id": provider_id} if provider_id else {}
    values |= {"error": note} if note else {}
    statement = (
        update(Notification)
        .where(Notification.id == claim.notification_id, Notification.status == Status.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    done = db.session.execute(statement).rowcount
    db.session.commit()
    if not done:
        logger.warning("notification %s sent but no longer sending", claim.notification_id)
    return ("resent" if note else "sent") if done else "lost"


def record_failure(claim: Claim, error: MailError | GatewayError, now: datetime, settings) -> str:
    """Retry later with backoff, up to the cap, or mark failed with the error; commits."""
    row = db.session.get(
        Notification, claim.notification_id, with_for_update=True, populate_existing=True
    )
    if row.status != Status.SENDING or row.next_attempt_at != claim.lease:
        db.session.rollback()
        return "lost"  # another process has taken it over: its outcome stands
    row.error = _described(error)
    if error.retryable and row.attempts < settings.max_attempts:
        row.next_attempt_at = now + backoff(row.attempts, settings)
        # A 5xx or a timeout from Twilio may have created the text: stay "sending" so it is
        # looked up in Twilio's log before the next try. Email has no such log to ask.
        if not (isinstance(error, GatewayError) and (error.http_status or 500) >= 500):
            row.status, row.claimed_at = Status.QUEUED, None
        outcome = "retry"
    else:
        logger.warning("notification %s failed: %r", row.id, error)
        row.status, row.next_attempt_at = Status.FAILED, None
        outcome = "failed"
    db.session.commit()
    return outcome


def _described(error: MailError | GatewayError) -> str:
    if isinstance(error, GatewayError) and error.code is not None:
        return f"Twilio {error.code}: {error.message}"[:300]
    return error.message[:300]


def release(claim: Claim, now: datetime) -> None:
    """Give back a claim that was not sent (the process is stopping); commits."""
    db.session.execute(
        holding(claim).values(
            status=Status.QUEUED, next_attempt_at=now, claimed_at=None,
            attempts=Notification.attempts - 1,
        )
    )
    db.session.commit()
