"""Email to staff behind one small interface: `smtp` sends (Flask-Mailman), `console` logs.

Plain settings in, plain dataclasses out: no Flask app needed, so job processes and the
benchmark build a mailer the same way the app does.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingEmail:
    """One plain-text email to one address, with a Message-ID that never changes on resend."""

    to: str
    subject: str
    body: str
    message_id: str


class MailError(Exception):
    """The mail server or the network refused a send; `retryable`: trying later may succeed."""

    def __init__(self, message: str, *, code: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.message, self.code, self.retryable = message, code, retryable

    def __repr__(self) -> str:
        return f"MailError({self.message!r}, code={self.code}, retryable={self.retryable})"


class Mailer(Protocol):
    """What the notification sender needs from a mail backend."""

    def send(self, email: OutgoingEmail) -> None:
        """Hand one email to the server; raise MailError when it is refused."""
        ...

    def close(self) -> None:
        """Drop the connection, if any."""
        ...


def build_mailer(config: Mapping) -> Mailer:
    """The configured mailer ("console" or "smtp") from the app's settings."""
    if config["MAIL_BACKEND"] == "console":
        from server.mail.console import ConsoleMailer

        return ConsoleMailer(config["MAIL_DEFAULT_SENDER"])
    if config["MAIL_BACKEND"] == "smtp":
        from server.mail.smtp import SmtpMailer

        return SmtpMailer(config)
    raise ValueError(f"unknown mail backend {config['MAIL_BACKEND']!r}")
