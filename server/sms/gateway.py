"""The SMS gateway interface the outbox dispatcher calls, and the factory that picks a backend.

Plain settings in, plain dataclasses out: no Flask here, so the dispatcher process and the
benchmarks build a gateway the same way the app does.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from server.enums import MessageStatus

OPTED_OUT_CODES = frozenset({21610})  # recipient replied STOP: never retry, record the opt-out
INVALID_NUMBER_CODES = frozenset({21211, 21614})  # invalid To / not a mobile number
RATE_LIMITED_CODES = frozenset({20429})
MAX_VALIDITY_PERIOD = 36_000  # seconds (10 h), Twilio's upper bound for ValidityPeriod

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"  # each costs two septets (escape + char)


@dataclass(frozen=True)
class OutgoingSms:
    """One text to send: E.164 `to`, and a phone number or Messaging Service SID as sender."""

    to: str
    body: str
    sender: str
    status_callback: str | None = None
    validity_period: int | None = None  # seconds, so a delayed prompt can't land at night

    def __post_init__(self) -> None:
        period = self.validity_period
        if period is not None and not 1 <= period <= MAX_VALIDITY_PERIOD:
            raise ValueError(f"validity_period must be 1..{MAX_VALIDITY_PERIOD} s, got {period}")

    @property
    def uses_messaging_service(self) -> bool:
        """True when the sender is a Messaging Service SID rather than a phone number."""
        return self.sender.startswith("MG")


@dataclass(frozen=True)
class SentSms:
    """What the provider answered when it accepted a message."""

    sid: str
    status: MessageStatus
    segments: int


@dataclass(frozen=True)
class RemoteMessage:
    """A message as the provider's message log holds it (used to reconcile stuck rows)."""

    sid: str
    to: str
    sender: str
    body: str
    status: MessageStatus
    date_created: datetime | None


class GatewayError(Exception):
    """The provider or the network refused a call; `retryable`: trying later may succeed."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        http_status: int | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.retryable = retryable

    @property
    def opted_out(self) -> bool:
        """The recipient has unsubscribed (STOP); the send must never be retried."""
        return self.code in OPTED_OUT_CODES

    @property
    def invalid_number(self) -> bool:
        """The recipient's number cannot receive SMS; the phone should be marked invalid."""
        return self.code in INVALID_NUMBER_CODES

    def __repr__(self) -> str:
        return (
            f"GatewayError({self.message!r}, code={self.code}, "
            f"http_status={self.http_status}, retryable={self.retryable})"
        )


def is_retryable(http_status: int | None, code: int | None) -> bool:
    """Rate limits (429/20429) and server errors (5xx) may succeed later; other 4xx never will."""
    if code in RATE_LIMITED_CODES or http_status == 429:
        return True
    return http_status is not None and http_status >= 500


def count_segments(body: str) -> int:
    """SMS segments a body costs: GSM-7 160 single / 153 each, else UCS-2 70 / 67 each."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in body):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2  # emoji take two UTF-16 units
        single, multi = 70, 67
    return 1 if units <= single else math.ceil(units / multi)


class SmsGateway(Protocol):
    """What the outbox dispatcher needs from an SMS provider."""

    def send(self, sms: OutgoingSms) -> SentSms:
        """Hand one message to the provider; raise GatewayError when it is refused."""
        ...

    def find_sent(self, to: str, sender: str, body: str, since: datetime) -> RemoteMessage | None:
        """The most recent message with this to/sender/body created since `since`, if any."""
        ...


def build_gateway(
    backend: str,
    *,
    account_sid: str = "",
    auth_token: str = "",
    api_url: str | None = None,
    timeout: float = 10.0,
    pool_size: int = 1,
) -> SmsGateway:
    """Build the configured gateway ("console" or "twilio") from plain settings.

    Both are safe to share between threads; `pool_size`: connections kept to Twilio."""
    if backend == "console":
        from server.sms.console_gateway import ConsoleGateway

        return ConsoleGateway()
    if backend == "twilio":
        from server.sms.twilio_gateway import TwilioGateway

        return TwilioGateway(
            account_sid, auth_token, api_url=api_url, timeout=timeout, pool_size=pool_size
        )
    raise ValueError(f"unknown SMS backend {backend!r}: expected 'console' or 'twilio'")
