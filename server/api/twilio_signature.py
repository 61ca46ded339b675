"""X-Twilio-Signature checks for Twilio's webhooks, correct behind a proxy."""

from collections.abc import Callable
from functools import wraps

from flask import current_app, request
from twilio.request_validator import RequestValidator

from server.errors import Forbidden


def public_url() -> str:
    """The URL Twilio called: PUBLIC_BASE_URL + path + query, whatever the proxy rewrote."""
    query = request.query_string.decode()
    return current_app.config["PUBLIC_BASE_URL"] + request.path + (f"?{query}" if query else "")


def signature_is_valid() -> bool:
    """True when the request carries Twilio's signature for our auth token."""
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    if not token:
        # Only the console (development) backend may run without a token: curl can play Twilio.
        return current_app.config["SMS_BACKEND"] == "console"
    signature = request.headers.get("X-Twilio-Signature", "")
    return RequestValidator(token).validate(public_url(), request.form.to_dict(), signature)


def twilio_signed(view: Callable) -> Callable:
    """Reject forged webhook calls with 403 before anything is stored."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not signature_is_valid():
            raise Forbidden("Invalid Twilio signature.")
        return view(*args, **kwargs)

    return checked
