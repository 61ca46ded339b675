"""The notification sender: claim and commit, send outside the transaction, record the answer.

Email has no provider log to ask after a crash, so a notification left "sending" past its
lease is sent again with the same Message-ID (see the README); a staff SMS left "sending" is
first looked up in Twilio's message log, as patient texts are.
"""

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.mail import Mailer, MailError
from server.services.alerts import claims, records
from server.sms.gateway import GatewayError, SmsGateway

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NotifySettings:
    """The sender's knobs, read from the app config."""

    public_base_url: str
    batch_size: int
    sending_timeout: timedelta
    max_attempts: int
    retry_base: float
    retry_cap: float

    @classmethod
    def from_config(cls, config: Mapping) -> "NotifySettings":
        """Settings from the app's config."""
        return cls(
            public_base_url=config["PUBLIC_BASE_URL"],
            batch_size=config["SMS_DISPATCH_BATCH"],
            sending_timeout=timedelta(seconds=config["NOTIFY_SENDING_TIMEOUT_SECONDS"]),
            max_attempts=config["NOTIFY_MAX_ATTEMPTS"],
            retry_base=config["NOTIFY_RETRY_BASE_SECONDS"],
            retry_cap=config["NOTIFY_RETRY_MAX_SECONDS"],
        )


class Notifier:
    """Sends the due notifications of the alerts outbox, one at a time, until none is due."""

    def __init__(
        self,
        make_mailer: Callable[[], Mailer],
        make_gateway: Callable[[], SmsGateway],
        settings: NotifySettings,
        clock: Callable[[], datetime],
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self.make_mailer, self.make_gateway = make_mailer, make_gateway
        self.settings, self.clock, self.should_stop = settings, clock, should_stop
        self._mailer: Mailer | None = None
        self._gateway: SmsGateway | None = None

    def run(self) -> Counter:
        """Finish interrupted sends, then send due notifications batch by batch."""
        report = Counter()
        try:
            while not self.should_stop():
                stuck, cancelled = claims.claim_stuck(self.clock(), self.settings)
                due, cancelled_due, deferred = claims.claim_due(self.clock(), self.settings)
                report.update(cancelled=cancelled + cancelled_due, deferred=deferred)
                for claim in stuck + due:
                    report[self._deliver(claim)] += 1
                if not (stuck or due or cancelled or cancelled_due or deferred):
                    break
        finally:
            if self._mailer is not None:
                self._mailer.close()
                self._mailer = None
        return +report

    def _deliver(self, claim: claims.Claim) -> str:
        # Past half its lease a claim might soon look abandoned to another process: give it back.
        half_gone = self.clock() > claim.lease - self.settings.sending_timeout / 2
        if self.should_stop() or half_gone:
            records.release(claim, self.clock())
            return "released"
        try:
            if claim.email is not None:
                self.mailer.send(claim.email)
                return records.record_sent(claim, self.clock())
            return self._text(claim)
        except (MailError, GatewayError) as error:
            logger.info("notification %s refused: %r", claim.notification_id, error)
            return records.record_failure(claim, error, self.clock(), self.settings)

    def _text(self, claim: claims.Claim) -> str:
        sms = claim.sms
        if claim.resend:  # did Twilio take it before the interruption? Then it is sent.
            found = self.gateway.find_sent(sms.to, sms.sender, sms.body, claim.since)
            if found is not None:
                return records.record_sent(claim, self.clock(), found.sid)
        return records.record_sent(claim, self.clock(), self.gateway.send(sms).sid)

    @property
    def mailer(self) -> Mailer:
        """The mailer (one SMTP connection) for this run."""
        if self._mailer is None:
            self._mailer = self.make_mailer()
        return self._mailer

    @property
    def gateway(self) -> SmsGateway:
        """The SMS gateway, built on first use."""
        if self._gateway is None:
            self._gateway = self.make_gateway()
        return self._gateway
