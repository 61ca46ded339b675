"""The per-sender send rate: Twilio queues (and may refuse) texts a number sends too fast."""

import threading
import time
from collections.abc import Callable


class SendPacer:
    """Spaces the sends of each sender so at most `rate` a second leave this process.

    Shared by the dispatcher's sending threads. With several dispatcher processes, each keeps
    its own pace: set SMS_SEND_RATE to the sender's limit divided by the number of processes.
    """

    def __init__(self, rate: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.sleep = 1.0 / rate, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, sender: str) -> None:
        """Block until this sender's next send slot."""
        with self._lock:
            now = time.monotonic()
            slot = max(self._next.get(sender, now), now)
            self._next[sender] = slot + self.interval
        if slot > now:
            self.sleep(slot - now)
