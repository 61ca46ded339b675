"""SMTP through Flask-Mailman's backend: one connection per sender, reopened after an error."""

import smtplib
from collections.abc import Mapping
from email.utils import formatdate

from flask_mailman import EmailMessage, Mail
from flask_mailman.backends.smtp import EmailBackend

from server.mail import MailError, OutgoingEmail


class SmtpMailer:
    """Sends over one kept-open SMTP connection; every refusal becomes a MailError."""

    def __init__(self, config: Mapping) -> None:
        settings = {
            "MAIL_SERVER": config["MAIL_SERVER"],
            "MAIL_PORT": config["MAIL_PORT"],
            "MAIL_USERNAME": config["MAIL_USERNAME"] or None,
            "MAIL_PASSWORD": config["MAIL_PASSWORD"] or None,
            "MAIL_USE_TLS": config["MAIL_SECURITY"] == "starttls",
            "MAIL_USE_SSL": config["MAIL_SECURITY"] == "ssl",
            "MAIL_TIMEOUT": config["MAIL_TIMEOUT_SECONDS"],
            "MAIL_DEFAULT_SENDER": config["MAIL_DEFAULT_SENDER"],
            "MAIL_BACKEND": "smtp",
        }
        self.state = Mail.init_mail(settings)
        self.backend = EmailBackend(mailman=self.state)

    def send(self, email: OutgoingEmail) -> None:
        """Send one email; raise MailError (retryable for 4xx and network trouble)."""
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=self.state.default_sender,
            to=[email.to],
            # Given here, not looked up on a Flask app: the mailer works without one.
            headers={"Message-ID": email.message_id, "Date": formatdate()},
            connection=self.backend,
        )
        message.encoding = "utf-8"
        try:
            self.backend.open()
            self.backend.send_messages([message])
        except (smtplib.SMTPException, OSError) as error:
            self._drop_connection()
            raise as_mail_error(error) from error

    def close(self) -> None:
        """Say QUIT to the server, if connected."""
        self._drop_connection()

    def _drop_connection(self) -> None:
        try:
            self.backend.close()
        except (smtplib.SMTPException, OSError):
            self.backend.connection = None


def as_mail_error(error: Exception) -> MailError:
    """A 4xx reply or a network failure may pass later; a 5xx reply never will."""
    code = _reply_code(error)
    if code is None:
        return MailError(f"{type(error).__name__}: {error}"[:300], retryable=True)
    return MailError(f"SMTP {code}: {_reply_text(error)}"[:300], code=code, retryable=code < 500)


def _reply_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return min(codes) if codes else None
    code = getattr(error, "smtp_code", None)
    return code if isinstance(code, int) and 400 <= code < 600 else None


def _reply_text(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        texts = [text for _, text in error.recipients.values()]
    else:
        texts = [getattr(error, "smtp_error", b"")]
    return " ".join(t.decode(errors="replace") if isinstance(t, bytes) else str(t) for t in texts)
