"""Twilio's delivery status callbacks: POST /sms/status?message_id=<our id>."""

from flask import Blueprint, request

from server import clock
from server.api.twilio_signature import twilio_signed
from server.errors import InvalidField
from server.services.outbox import delivery
from server.sms.twilio_gateway import message_status

bp = Blueprint("sms_status", __name__)


@bp.post("/sms/status")
@twilio_signed
def status_callback():
    """Record one delivery status of one of our messages (idempotent, never backwards)."""
    callback = _callback(request.form)
    delivery.record_callback(request.args.get("message_id"), callback, clock.now())
    return "", 204


def _callback(form) -> delivery.StatusCallback:
    """Twilio's form as a delivery report: its SID, our status, and a well-formed error code."""
    sid, reported = form.get("MessageSid", ""), form.get("MessageStatus") or form.get("SmsStatus")
    if not sid:
        raise InvalidField("MessageSid", "is required")
    if not reported:
        raise InvalidField("MessageStatus", "is required")
    return delivery.StatusCallback(
        sid, message_status(reported), _error_code(form.get("ErrorCode"))
    )


def _error_code(text: str | None) -> int | None:
    # Twilio's codes are 5 digits; anything that is not a small ASCII number is not one of them.
    code = (text or "").strip()
    return int(code) if code.isascii() and code.isdigit() and int(code) < 2**31 else None
