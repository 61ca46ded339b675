"""Fixtures for inbound SMS: texts signed exactly as Twilio signs them, open check-ins."""

import uuid
from xml.etree import ElementTree

import pytest
from twilio.request_validator import RequestValidator

from server.enums import Measure
from server.models import CheckIn

AUTH_TOKEN = "inbound-test-auth-token"
PUBLIC_BASE_URL = "https://painline.example"  # what Twilio calls; the app sits behind a proxy


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def twilio_signature(url: str, params: dict, token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature, computed by Twilio's own library for the URL Twilio called."""
    return RequestValidator(token).compute_signature(url, params)


def reply_of(response) -> str | None:
    """The SMS body a TwiML response sends back, or None for an empty <Response/>."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/xml"
    root = ElementTree.fromstring(response.get_data())
    assert root.tag == "Response"
    bodies = [element.text for element in root.iter("Message")]
    assert len(bodies) <= 1
    return bodies[0] if bodies else None



@pytest.fixture
def twilio_token(app, monkeypatch):
    """The app checks signatures with this auth token."""
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    return AUTH_TOKEN




@pytest.fixture
def send(client, twilio_token):
    """Post a signed inbound text: send("7", patient, clinic) -> the webhook's response."""

    def send(body, patient=None, clinic=None, *, sid=None, sender=None, to=None, query="", **extra):
        params = {
            "MessageSid": sid or new_sid(),
            "AccountSid": "AC" + "0" * 32,
            "From": sender or patient.phone,
            "To": to or clinic.sms_sender,
            "Body": body,
            "NumMedia": "0",
            **extra,
        }
        path = "/sms/inbound" + (f"?{query}" if query else "")
        signature = twilio_signature(PUBLIC_BASE_URL + path, params)
        # The test client calls http://localhost/...: the proxy's view, not Twilio's.
        return client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    return send


@pytest.fixture
def prompted(make):
    """A day-7 check-in that has been prompted now and is open for 48 hours."""

    def prompted(patient, measures=(Measure.PAIN,), **fields) -> CheckIn:
        values = {"kind": "day7", "measures": list(measures)}
        return make.checkin(patient, prompted=True, **(values | fields))

    return prompted
