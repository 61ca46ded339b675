"""The jobs themselves, thin: each calls services and reports what they did."""

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta

from flask import Flask, current_app

from server import clock
from server.extensions import db
from server.mail import Mailer, build_mailer
from server.outages import is_database_outage, one_line
from server.services import heartbeats
from server.services.alerts.planning import plan_due
from server.services.alerts.sending import Notifier, NotifySettings
from server.services.checkins import prompts, reminders, weekly
from server.services.conversation import inbound
from server.services.outbox.dispatcher import Dispatcher, DispatchSettings, gateway_factory
from server.sms.gateway import SmsGateway

logger = logging.getLogger(__name__)


def run_checkin_jobs(now: datetime) -> Counter:
    """Plan program patients' weekly check-ins, expire closed check-ins, prompt due ones
    (reminders are queued with each prompt), and process inbound texts a database outage left
    unprocessed."""
    report = weekly.plan_weekly_checkins(now) + reminders.expire_unanswered(now)
    report += prompts.prompt_due_checkins(now)
    return report + inbound.sweep_unprocessed(now)


def clock_from(at: datetime) -> Callable[[], datetime]:
    """A clock that starts at `at` and runs at real speed: 'as of that instant'."""
    started = time.monotonic()
    return lambda: at + timedelta(seconds=time.monotonic() - started)


def tick(
    at: datetime | None = None,
    make_gateway: Callable[[], SmsGateway] | None = None,
    make_mailer: Callable[[], Mailer] | None = None,
) -> dict[str, Counter]:
    """Run every due job once, as of `at` (default: now): check-ins, the outbox, then alerts."""
    config = current_app.config
    now = clock_from(at) if at is not None else clock.now
    checkins = run_checkin_jobs(at or now())  # exactly `at`: prompts and expiry are exact
    make_gateway = make_gateway or gateway_factory(config)
    dispatcher = Dispatcher(make_gateway, DispatchSettings.from_config(config), now)
    try:
        outbox = dispatcher.run()
    finally:
        dispatcher.close()
    planned = plan_due(at or now())
    notifier = notifier_for(config, now, make_gateway, make_mailer)
    return {"checkins": checkins, "outbox": outbox, "alerts": planned + notifier.run()}


def notifier_for(config, now, make_gateway=None, make_mailer=None, **options) -> Notifier:
    """The alerts sender: email by the configured mailer, staff SMS by the SMS gateway."""
    return Notifier(
        make_mailer or (lambda: build_mailer(config)),
        make_gateway or gateway_factory(config),
        NotifySettings.from_config(config),
        now,
        **options,
    )


def describe(report: Counter) -> str:
    """One line: 'deferred 1, prompted 3', or 'nothing due'."""
    return ", ".join(f"{k} {v}" for k, v in sorted(report.items()) if v) or "nothing due"


class Jobs:
    """The scheduler's jobs; one dispatcher (one gateway, one send pacer) per process."""

    def __init__(self, app: Flask, stop: threading.Event) -> None:
        self.app = app
        now = app.extensions["clock"]
        make_gateway = gateway_factory(app.config)
        settings = DispatchSettings.from_config(app.config)
        self.dispatcher = Dispatcher(make_gateway, settings, now, should_stop=stop.is_set)
        self.notifier = notifier_for(app.config, now, make_gateway, should_stop=stop.is_set)

    def checkins(self) -> None:
        """Expiry, prompts, the inbound sweep, alerts to plan; then the heartbeat /readyz reads."""
        with self.app.app_context(), failed_tick_logged("check-ins"):
            now = clock.now()
            report = run_checkin_jobs(now) + plan_due(now)
            heartbeats.beat(heartbeats.SCHEDULER, now)
            if report:
                logger.info("check-ins: %s", describe(report))

    def dispatch(self) -> None:
        """Send what is due in the outbox, then the staff alerts."""
        with self.app.app_context():
            with failed_tick_logged("outbox"):
                report = self.dispatcher.run()
                if report:
                    logger.info("outbox: %s", describe(report))
            with failed_tick_logged("alerts"):
                notified = self.notifier.run()
                if notified:
                    logger.info("alerts: %s", describe(notified))


@contextmanager
def failed_tick_logged(job: str):
    """A failed tick is one log line (a traceback only for a bug); the next tick tries again."""
    try:
        yield
    except Exception as error:
        with suppress(Exception):  # the connection may be gone: nothing to roll back
            db.session.rollback()
        if not is_database_outage(error):
            logger.exception("%s: tick failed", job)
        else:
            logger.warning("%s: tick failed, database unavailable: %s", job, one_line(error))
