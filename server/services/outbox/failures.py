"""What a refused send means: retry later, the patient opted out, the number is invalid, or fail."""

import logging
from datetime import datetime

from server.enums import (
    ActorType,
    ConsentAction,
    ConsentSource,
    ConsentStatus,
    MessageStatus,
)
from server.extensions import db
from server.models import Message, Patient
from server.services import audit, consent
from server.services.backoff import backoff
from server.services.checkins import state as checkin_state
from server.services.flags import phone_invalid
from server.services.outbox import claims as outbox_claims
from server.services.outbox.delivery import note_status
from server.sms.gateway import GatewayError

logger = logging.getLogger(__name__)
RETRY, FAILED, OPTED_OUT, INVALID_NUMBER = "retry", "failed", "opted_out", "invalid_number"


def record_failure(claim: outbox_claims.Claim, error: GatewayError, now: datetime, settings) -> str:
    """Record a refused send in one transaction; returns what it meant."""
    message = claim.held_row()
    if message is None:
        return "lost"  # another dispatcher has taken the row over: its outcome stands
    message.error_code = error.code
    patient = db.session.get(Patient, message.patient_id) if message.patient_id else None
    if error.opted_out and patient is not None:
        outcome = _opted_out(message, patient, error, now)
    elif error.invalid_number and patient is not None:
        outcome = _invalid_number(message, patient, error, now)
    elif error.retryable and (message.attempts < settings.max_attempts or _unknown(error)):
        # Even after the last attempt, a text Twilio may hold is looked up before it fails.
        outcome = _retry_later(message, error, now, settings)
    else:
        logger.warning("message %s failed for good: %r", message.id, error)
        outcome = _fail(message, error, now)
    db.session.commit()
    return outcome


def _unknown(error: GatewayError) -> bool:
    """No HTTP answer (a timeout, a cut call) or a 2xx without a SID: Twilio may have the text."""
    return error.http_status is None


def _retry_later(message: Message, error: GatewayError, now: datetime, settings) -> str:
    message.next_attempt_at = now + backoff(message.attempts, settings)
    # After a timeout or a 5xx, Twilio may have created the message: the row stays "sending"
    # so that it is reconciled against Twilio's log before the retry. A 429 created nothing.
    if error.http_status is not None and error.http_status < 500:
        message.status = MessageStatus.QUEUED
        message.claimed_at = None
    return RETRY


def _fail(message: Message, error: GatewayError, now: datetime) -> str:
    message.next_attempt_at = None
    note_status(message, MessageStatus.FAILED, now, error.code)
    return FAILED


def _opted_out(message: Message, patient: Patient, error: GatewayError, now: datetime) -> str:
    _fail(message, error, now)
    if patient.consent_status != ConsentStatus.OPTED_OUT:
        consent.change(
            patient,
            ConsentAction.REVOKED,
            ConsentSource.TWILIO_21610,
            now,
            actor=(ActorType.SYSTEM, None),
            evidence_message_id=message.id,
        )
    else:  # opted out already (say by STOP just now): still nothing pending may go out
        reason = consent.CANCEL_REASONS[ConsentSource.TWILIO_21610]
        checkin_state.cancel_pending_checkins(patient.id, reason)
    return OPTED_OUT


def _invalid_number(message: Message, patient: Patient, error: GatewayError, now) -> str:
    _fail(message, error, now)
    phone_invalid.after_refused_send(patient, error.code, error.message, now)
    _audit(patient, "patient.phone_invalid", now, {"error_code": error.code})
    return INVALID_NUMBER


def _audit(patient: Patient, action: str, now: datetime, detail: dict) -> None:
    target, clinic_id = ("patient", patient.id), patient.clinic_id
    audit.record(
        ActorType.SYSTEM, None, action, now, clinic_id=clinic_id, target=target, detail=detail
    )
