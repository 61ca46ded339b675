"""APScheduler setup: its own process (`jobs run`), or embedded in the development server."""

import atexit
import logging
import signal
import threading

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

from server import clock
from server.jobs.tasks import Jobs

logger = logging.getLogger(__name__)


def build_scheduler(app: Flask, kind: type[BaseScheduler], stop: threading.Event) -> BaseScheduler:
    """A scheduler that ticks two jobs; each runs at once, then every few seconds, never twice."""
    jobs = Jobs(app, stop)
    scheduler = kind(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
    first = clock.system_now()
    for job, seconds in (
        (jobs.checkins, app.config["JOBS_TICK_SECONDS"]),
        (jobs.dispatch, app.config["JOBS_DISPATCH_SECONDS"]),
    ):
        scheduler.add_job(job, "interval", seconds=seconds, id=job.__name__, next_run_time=first)
    return scheduler


def run_forever(app: Flask) -> None:
    """Run the scheduler in this process until SIGTERM or SIGINT, then stop cleanly."""
    stop = threading.Event()
    scheduler = build_scheduler(app, BlockingScheduler, stop)

    def shut_down(signum, _frame) -> None:
        logger.info("signal %s: stopping after the current batch", signum)
        stop.set()  # a running dispatch gives back its unsent claims and returns
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)
    logger.info("scheduler started")
    scheduler.start()
    logger.info("scheduler stopped")


def start_embedded(app: Flask) -> BackgroundScheduler | None:
    """With SCHEDULER=embedded, run the scheduler in the serving process's background."""
    if app.config["SCHEDULER"] != "embedded" or not is_serving_process():
        return None
    stop = threading.Event()
    scheduler = build_scheduler(app, BackgroundScheduler, stop)
    scheduler.start()
    atexit.register(stop.set)
    app.extensions["scheduler"] = scheduler
    return scheduler


def is_serving_process() -> bool:
    """True in the process that serves requests: not `flask db ...`, not the reloader's parent."""
    context = click.get_current_context(silent=True)
    if context is None:
        return True  # a WSGI server imported the app
    if context.info_name != "run":
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    # With the reloader, the first process only watches files; the child it starts serves.
    return not reload or is_running_from_reloader()
