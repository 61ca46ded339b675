"""Development mail backend: logs each email (there is no patient data in them), sends none."""

import logging
import sys

from server.mail import OutgoingEmail

logger = logging.getLogger(__name__)


class ConsoleMailer:
    """Logs the email, headers and body, where `make run` shows it."""

    def __init__(self, sender: str) -> None:
        self.sender = sender
        if not logger.hasHandlers():  # `flask run` configures no logging: show it on stdout
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)

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
