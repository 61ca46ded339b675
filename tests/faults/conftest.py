"""Fixtures for fault tests: the inbound ones (signed texts, open check-ins) and the job runner."""

import pytest

from tests.services.conftest import run_jobs, scheduled  # noqa: F401
from tests.services.conversation.conftest import (  # noqa: F401
    PUBLIC_BASE_URL,
    new_sid,
    prompted,
    twilio_signature,
    twilio_token,
)


@pytest.fixture
def send(app, client, twilio_token):  # noqa: F811
    """Post an inbound text signed with the auth token the app holds when it is sent."""

    def send(body, patient, clinic, *, sid=None):  # noqa: F811
        params = {"MessageSid": sid or new_sid(), "From": patient.phone, "To": clinic.sms_sender}
        params["Body"] = body
        token = app.config["TWILIO_AUTH_TOKEN"]
        signature = twilio_signature(PUBLIC_BASE_URL + "/sms/inbound", params, token)
        return client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature})

    return send
