"""Twilio's delivery status callbacks: POST /sms/status?message_id=<our id>."""

from flask import Blueprint, request

from server import clock
from server.api.twilio_signature import twilio_signed
from server.services.outbox import delivery

bp = Blueprint("sms_status", __name__)


@bp.post("/sms/status")
@twilio_signed
def status_callback():
    """Record one delivery status of one of our messages (idempotent, never backwards)."""
    delivery.record_callback(request.args.get("message_id"), request.form.to_dict(), clock.now())
    return "", 204
