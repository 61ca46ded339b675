"""Development mail backend: logs each email (there is no patient data in them), sends none."""

import logging

from server.mail import OutgoingEmail

logger = logging.getLogger(__name__)


class ConsoleMailer:
    """Logs the email, headers and body, where `make run` shows it."""

    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, email: OutgoingEmail) -> None:
        """Log the email instead of sending it."""
        logger.info(
            "email (console backend, not sent)\nFrom: %s\nTo: %s\nSubject: %s\n"
            "Message-ID: %s\n\n%s",
            self.sender,
            email.to,
            email.subject,
            email.message_id,
            email.body,
        )

    def close(self) -> None:
        """Nothing to close."""
