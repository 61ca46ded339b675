"""The outbox dispatcher: claim due rows and commit, call the gateway, record the answer.

The gateway is called outside any transaction; its answer is recorded in a second one. A
crash in between leaves the row "sending": after its lease it is reconciled against the
provider's message log before anything is sent again, so no patient is texted twice.
"""

import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from server.services import heartbeats
from server.services.outbox import claims as outbox_claims
from server.services.outbox import delivery, reconcile
from server.services.outbox import failures as send_failures
from server.services.outbox.send_rate import SendPacer
from server.sms.gateway import GatewayError, SentSms, SmsGateway, build_gateway

logger = logging.getLogger(__name__)
# Accepted sends are recorded in one transaction per batch, and at least this often (seconds):
# until then a crash leaves them "sending", to be reconciled.
RECORD_EVERY = 1.0


@dataclass(frozen=True)
class DispatchSettings:
    """The dispatcher's knobs, read from the app config once per dispatcher."""

    public_base_url: str
    send_rate: float  # messages per second per sender, in this process
    send_threads: int
    batch_size: int
    sending_timeout: timedelta
    stale_after: timedelta  # a dispatcher silent this long is dead: its rows are reconciled
    max_attempts: int
    retry_base: float
    retry_cap: float

    @property
    def claim_size(self) -> int:
        """Rows claimed at once: a batch must be sent well within its lease, at the send rate."""
        within_lease = self.send_rate * self.sending_timeout.total_seconds() / 4
        return max(1, min(self.batch_size, int(within_lease)))

    @classmethod
    def from_config(cls, config: Mapping) -> "DispatchSettings":
        """Settings from the app's config."""
        return cls(
            public_base_url=config["PUBLIC_BASE_URL"],
            send_rate=config["SMS_SEND_RATE"],
            send_threads=config["SMS_SEND_THREADS"],
            batch_size=config["SMS_DISPATCH_BATCH"],
            sending_timeout=timedelta(seconds=config["SMS_SENDING_TIMEOUT_SECONDS"]),
            stale_after=timedelta(seconds=config["SMS_DISPATCHER_STALE_SECONDS"]),
            max_attempts=config["SMS_MAX_ATTEMPTS"],
            retry_base=config["SMS_RETRY_BASE_SECONDS"],
            retry_cap=config["SMS_RETRY_MAX_SECONDS"],
        )


def gateway_factory(config: Mapping) -> Callable[[], SmsGateway]:
    """Builds the configured SMS gateway: once per dispatcher (per process), shared by its
    sending threads through a pool of one connection each (and one for reconciling)."""
    return partial(
        build_gateway,
        config["SMS_BACKEND"],
        account_sid=config["TWILIO_ACCOUNT_SID"],
        auth_token=config["TWILIO_AUTH_TOKEN"],
        api_url=config["TWILIO_API_URL"],
        timeout=config["TWILIO_TIMEOUT_SECONDS"],
        pool_size=config["SMS_SEND_THREADS"] + 1,
    )


class Dispatcher:
    """Sends the outbox through SMS_SEND_THREADS threads sharing one gateway, both kept for the
    dispatcher's life (a job process's), so runs reuse their connections to Twilio."""

    def __init__(
        self,
        make_gateway: Callable[[], SmsGateway],
        settings: DispatchSettings,
        clock: Callable[[], datetime],
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        self.make_gateway, self.settings, self.clock = make_gateway, settings, clock
        self.should_stop = should_stop
        self.pacer = SendPacer(settings.send_rate)
        self.pool = ThreadPoolExecutor(settings.send_threads, "sms-send")
        self._gateway: SmsGateway | None = None
        self._unrecorded: list[tuple[int, SentSms]] = []  # sent, but the database was away
        self.pulse = heartbeats.Pulse("dispatcher", settings.stale_after)
        self.name = self.pulse.name  # written on the rows it claims

    def run(self) -> Counter:
        """Reconcile stuck rows, then send due rows batch by batch until nothing is due."""
        self.pulse.beat(self.clock(), force=True)
        report = self._record(self._unrecorded) if self._unrecorded else Counter()
        while not self.should_stop():
            # Stuck rows first: one requeued after reconciling goes out in this same pass.
            stuck = outbox_claims.claim_stuck(self.clock(), self.settings, self.name)
            for claim in stuck:
                report[reconcile.reconcile(claim, self.gateway, self.clock(), self.settings)] += 1
                self.pulse.beat(self.clock())
            claims, cancelled, deferred = outbox_claims.claim_due(
                self.clock(), self.settings, self.name
            )
            report.update(cancelled=cancelled, deferred=deferred)
            report += self._send_all(claims)
            if not (stuck or claims or cancelled or deferred):
                break
        return +report  # without the zero counts

    def close(self) -> None:
        """Let the sending threads finish and end; rows still held are reconciled by others."""
        self.pool.shutdown(wait=True)
        self.pulse.stop()

    @property
    def gateway(self) -> SmsGateway:
        """The gateway, built on first use and kept (with its connection pool)."""
        if self._gateway is None:
            self._gateway = self.make_gateway()
        return self._gateway

    def _send_all(self, claims: list[outbox_claims.Claim]) -> Counter:
        """Send in the pool; record each answer as it comes, accepted ones at least every second,
        so a slow send holds only itself."""
        self.gateway  # noqa: B018 - built here, not by racing sending threads
        pending = {self.pool.submit(self._call, claim): claim for claim in claims}
        report, accepted, recorded_at = Counter(), [], time.monotonic()
        while pending:
            done, _ = wait(pending, timeout=RECORD_EVERY, return_when=FIRST_COMPLETED)
            for future in done:
                claim, answer = pending.pop(future), future.result()
                if isinstance(answer, SentSms):
                    accepted.append((claim.message_id, answer))
                else:
                    report[self._settle(claim, answer)] += 1
            if accepted and (not pending or time.monotonic() - recorded_at >= RECORD_EVERY):
                report += self._record(accepted)
                accepted, recorded_at = [], time.monotonic()
            self.pulse.beat(self.clock())
        return report

    def _record(self, accepted: list[tuple[int, SentSms]]) -> Counter:
        """Record accepted sends; if the database is away, keep them to record on the next run."""
        self._unrecorded = []
        report = delivery.record_sent(accepted, self.clock())
        if report["unrecorded"] == len(accepted):
            self._unrecorded = accepted  # the SIDs are known: no need to wait for reconciling
        return report

    def _call(self, claim: outbox_claims.Claim) -> SentSms | GatewayError | None:
        """In a sending thread: the provider's answer, or None when the claim should go back."""
        if not self._may_send(claim):
            return None
        self.pacer.wait(claim.sms.sender)
        if not self._may_send(claim):  # stopping, or the wait for a send slot was long
            return None
        try:
            return self.gateway.send(claim.sms)
        except GatewayError as error:
            return error
        except Exception as error:  # a bug or an SDK surprise: the text may be out, reconcile it
            logger.exception("message %s: unexpected error while sending", claim.message_id)
            return GatewayError(f"unexpected error while sending: {error!r}", retryable=True)

    def _may_send(self, claim: outbox_claims.Claim) -> bool:
        # Past half its lease, or with this dispatcher's beat half-stale, a claim might soon
        # look abandoned to others: do not send it.
        held = time.monotonic() - claim.claimed_monotonic
        leased = held < self.settings.sending_timeout.total_seconds() / 2
        return not self.should_stop() and self.pulse.fresh() and leased

    def _settle(self, claim: outbox_claims.Claim, answer: GatewayError | None) -> str:
        """Give back an unsent claim, or record what a refusal meant."""
        if answer is None:
            claim.release(self.clock())
            return "released"
        logger.info("message %s refused: %r", claim.message_id, answer)
        return send_failures.record_failure(claim, answer, self.clock(), self.settings)
