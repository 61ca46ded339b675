"""Development gateway: logs each text on one line instead of sending it.

It logs message bodies (sign-in codes included: a developer needs them), so it is for
development data only; phone numbers are masked like every other log line (server/logs.py).
"""

import logging
import sys
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from server.enums import MessageStatus
from server.logs import mask_phone
from server.sms.gateway import OutgoingSms, RemoteMessage, SentSms, count_segments

logger = logging.getLogger(__name__)


def _system_now() -> datetime:
    return datetime.now(UTC)


class ConsoleGateway:
    """Logs messages to stdout, gives them fake SIDs and remembers them for find_sent."""

    def __init__(self, now: Callable[[], datetime] = _system_now) -> None:
        self._now = now
        self._lock = threading.Lock()
        self.sent: list[RemoteMessage] = []
        _log_to_stdout_unless_configured()

    def send(self, sms: OutgoingSms) -> SentSms:
        """Log the message on one line and report it sent under a fresh fake SID."""
        sid = "SM" + uuid.uuid4().hex
        segments = count_segments(sms.body)
        message = RemoteMessage(
            sid=sid,
            to=sms.to,
            sender=sms.sender,
            body=sms.body,
            status=MessageStatus.SENT,
            date_created=self._now(),
        )
        with self._lock:
            self.sent.append(message)
        logger.info(
            "SMS %s to=%s from=%s segments=%d body=%r",
            sid, mask_phone(sms.to), sms.sender, segments, sms.body,
        )  # fmt: skip
        return SentSms(sid=sid, status=MessageStatus.SENT, segments=segments)

    def find_sent(self, to: str, sender: str, body: str, since: datetime) -> RemoteMessage | None:
        """The latest message this process logged with this to/sender/body since `since`."""
        with self._lock:
            candidates = list(reversed(self.sent))
        for message in candidates:
            same = (message.to, message.sender, message.body) == (to, sender, body)
            if same and message.date_created is not None and message.date_created >= since:
                return message
        return None


def _log_to_stdout_unless_configured() -> None:
    """Give the console a stdout line per message when the app has not configured logging."""
    if logger.hasHandlers():
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
