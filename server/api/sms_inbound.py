"""POST /sms/inbound: Twilio's webhook for a patient's text, answered in TwiML.

Twilio's interface, not ours: kept out of the OpenAPI document the app team builds against.
"""

from flask import Blueprint, Response, request
from twilio.twiml.messaging_response import MessagingResponse

from server import clock
from server.api.twilio_signature import twilio_signed
from server.errors import InvalidField
from server.services.conversation.inbound import InboundSms, receive

bp = Blueprint("sms_inbound", __name__)

# Twilio form field -> (InboundSms field, required, longest value we store)
FIELDS = {
    "MessageSid": ("sid", True, 64),
    "From": ("from_number", True, 40),
    "To": ("to_number", True, 40),
    "Body": ("body", False, 1600),  # Twilio's own limit for one message
    "MessagingServiceSid": ("messaging_service_sid", False, 40),
}


@bp.post("/sms/inbound")
@twilio_signed
def inbound_sms() -> Response:
    """Store the patient's text, act on it, and answer with the reply (or nothing) in TwiML."""
    return twiml(receive(read_inbound(request.form), clock.now()))


def read_inbound(form) -> InboundSms:
    """The webhook's fields; a missing or oversized one is a 422 naming it, nothing stored."""
    values = {}
    for name, (field, required, longest) in FIELDS.items():
        # PostgreSQL text cannot hold NUL: storing one would 500 and lose the patient's text.
        value = form.get(name, "").replace("\x00", "")
        if required and not value.strip():
            raise InvalidField(name, "is required")
        if len(value) > longest:
            raise InvalidField(name, f"is longer than {longest} characters")
        values[field] = value.strip() if field != "body" else value
    return InboundSms(**values)


def twiml(body: str | None) -> Response:
    """A TwiML document sending `body` back to the patient, or an empty one."""
    response = MessagingResponse()
    if body:
        response.message(body)
    return Response(str(response), mimetype="text/xml")
