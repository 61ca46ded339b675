"""The real gateway: Twilio's Python SDK, optionally pointed at another base URL (a fake Twilio).

The SDK builds every URL on https://api.twilio.com (or a regional host); `RebasedHttpClient`
swaps scheme and host for TWILIO_API_URL just before the request leaves, so paging links and
every resource follow it too. No retries here: the outbox dispatcher owns retries.
"""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from server.enums import MessageStatus
from server.sms.deadline import DeadlineAdapter, DeadlineExceeded, deadline
from server.sms.gateway import GatewayError, OutgoingSms, RemoteMessage, SentSms, is_retryable

# Twilio's "queued"/"sending" mean Twilio holds the message; ours mean it is still in our outbox
TWILIO_STATUSES = {
    "queued": MessageStatus.ACCEPTED,
    "accepted": MessageStatus.ACCEPTED,
    "sending": MessageStatus.ACCEPTED,
    "scheduled": MessageStatus.SCHEDULED,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "partially_delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
    "canceled": MessageStatus.CANCELLED,
    "receiving": MessageStatus.RECEIVED,
    "received": MessageStatus.RECEIVED,
}
CLOCK_SKEW = timedelta(minutes=2)  # our clock vs Twilio's, when matching date_created to `since`
LOOKUP_LIMIT = 50


def message_status(twilio_status: str | None) -> MessageStatus:
    """Our MessageStatus for a Twilio message status (unknown ones count as accepted)."""
    return TWILIO_STATUSES.get(twilio_status or "", MessageStatus.ACCEPTED)


class RebasedHttpClient(TwilioHttpClient):
    """The SDK's HTTP client: each call done within `timeout` seconds in all (connect and the
    whole response), through one pool of `pool_size` connections shared by the sending threads,
    sent to `api_url` when one is given."""

    def __init__(self, api_url: str | None = None, timeout: float = 10.0, pool_size: int = 1):
        super().__init__(timeout=timeout)
        adapter = DeadlineAdapter(pool_size)
        for scheme in ("http://", "https://"):
            self.session.mount(scheme, adapter)
        self.api_url = api_url

    def request(self, method: str, url: str, *args, **kwargs):
        """Send the SDK's request, with its scheme and host replaced by `api_url`."""
        with deadline(self.timeout):
            return super().request(method, rebase_url(url, self.api_url), *args, **kwargs)


def rebase_url(url: str, api_url: str | None) -> str:
    """`url` with scheme and host from `api_url` (its path, if any, as a prefix); query kept."""
    if not api_url:
        return url
    base, original = urlsplit(api_url), urlsplit(url)
    path = base.path.rstrip("/") + original.path
    return urlunsplit((base.scheme, base.netloc, path, original.query, original.fragment))


class TwilioGateway:
    """Sends and looks up messages through the Twilio REST API."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        api_url: str | None = None,
        timeout: float = 10.0,
        pool_size: int = 1,
    ) -> None:
        if not account_sid or not auth_token:
            raise ValueError("the Twilio gateway needs an account SID and an auth token")
        http_client = RebasedHttpClient(api_url=api_url, timeout=timeout, pool_size=pool_size)
        self.client = Client(account_sid, auth_token, http_client=http_client)
        self.messages = self.client.messages  # built once, before threads share the client

    def send(self, sms: OutgoingSms) -> SentSms:
        """Create the message at Twilio; raise GatewayError when Twilio or the network refuses."""
        options = {"status_callback": sms.status_callback, "validity_period": sms.validity_period}
        options = {key: value for key, value in options.items() if value is not None}
        sender_field = "messaging_service_sid" if sms.uses_messaging_service else "from_"
        options[sender_field] = sms.sender
        try:
            message = self.messages.create(to=sms.to, body=sms.body, **options)
        except (TwilioException, requests.RequestException, DeadlineExceeded) as exc:
            raise gateway_error(exc) from exc
        except ValueError as exc:  # a 2xx whose body is not JSON (empty, cut short)
            unreadable = f"Twilio accepted a text but its answer is unreadable: {exc}"
            raise unknown_outcome(unreadable) from exc
        if not message.sid:
            raise unknown_outcome("Twilio answered 2xx without a Message SID")
        # A Messaging Service reports 0 segments until it has picked a sender.
        segments = max(1, int(message.num_segments or 1))
        return SentSms(sid=message.sid, status=message_status(message.status), segments=segments)

    def find_sent(self, to: str, sender: str, body: str, since: datetime) -> RemoteMessage | None:
        """The latest message Twilio holds with this to/sender/body, created since `since`."""
        if since.tzinfo is None:
            raise ValueError("since must be an aware datetime")
        filters = {"to": to, "date_sent_after": since.astimezone(UTC), "limit": LOOKUP_LIMIT}
        if not sender.startswith("MG"):  # a Messaging Service's sender number is its own choice
            filters["from_"] = sender
        try:
            messages = self.messages.list(**filters)
        except (TwilioException, requests.RequestException, DeadlineExceeded, ValueError) as exc:
            raise gateway_error(exc) from exc
        earliest = since - CLOCK_SKEW
        for message in messages:  # newest first
            if _is_same_message(message, sender, body, earliest):
                return _remote_message(message, sender)
        return None


def _is_same_message(message, sender: str, body: str, earliest: datetime) -> bool:
    sent_by = message.messaging_service_sid if sender.startswith("MG") else message.from_
    created = message.date_created
    return message.body == body and sent_by == sender and (created is None or created >= earliest)


def _remote_message(message, sender: str) -> RemoteMessage:
    return RemoteMessage(
        sid=message.sid,
        to=message.to,
        sender=sender,
        body=message.body,
        status=message_status(message.status),
        date_created=message.date_created,
    )


def unknown_outcome(message: str) -> GatewayError:
    """Twilio may or may not hold the text: like a crash, the row is reconciled before a retry."""
    return GatewayError(message, retryable=True)  # no HTTP status: the row stays "sending"


def gateway_error(exc: Exception) -> GatewayError:
    """Translate what the SDK or requests raised into a GatewayError."""
    if isinstance(exc, DeadlineExceeded):
        return unknown_outcome(f"Twilio call cut at its deadline: {exc}")
    if isinstance(exc, ValueError):
        return GatewayError(f"Twilio's answer is unreadable: {exc}", retryable=True)
    if isinstance(exc, (requests.Timeout, requests.ConnectionError)):
        return GatewayError(f"Twilio unreachable or too slow: {exc}", retryable=True)
    if isinstance(exc, requests.RequestException):
        return GatewayError(f"Twilio request failed: {exc}")
    if isinstance(exc, (TwilioRestException, TwilioServiceException)):
        message = getattr(exc, "msg", None) or getattr(exc, "title", "") or str(exc)
        return _http_error(message, exc.status, exc.code)
    response = exc.args[1] if len(exc.args) > 1 else None  # Page: "Unable to fetch page", response
    if response is not None and hasattr(response, "status_code"):
        return _http_error(str(exc.args[0]), response.status_code, _error_code(response.text))
    return GatewayError(f"Twilio SDK error: {exc}")


def _http_error(message: str, http_status: int, code: int | None) -> GatewayError:
    # The SDK puts the HTTP status in `code` when the body carries no Twilio error code.
    code = None if code == http_status else code
    retryable = is_retryable(http_status, code)
    return GatewayError(message, code=code, http_status=http_status, retryable=retryable)


def _error_code(text: str) -> int | None:
    try:
        code = json.loads(text).get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, int) else None
