"""Liveness and readiness probes for the load balancer and the orchestrator."""

from datetime import datetime, timedelta

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from server import clock
from server.extensions import db, limiter
from server.services import heartbeats

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """The process can serve: the database answers; the scheduler's heartbeat is reported."""
    try:
        db.session.execute(text("SELECT 1"))
        beat_at = heartbeats.last_beat(heartbeats.SCHEDULER)
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    scheduler = scheduler_state(beat_at, clock.now())
    # Only a process that runs the scheduler itself is unready when it stalls: web workers must
    # keep taking replies and webhooks while a separate jobs process is down (that is an alert).
    ready = scheduler == "ok" or current_app.config["SCHEDULER"] != "embedded"
    body = {
        "status": "ok" if ready else "unavailable",
        "database": "ok",
        "scheduler": scheduler,
        "scheduler_beat_at": beat_at.isoformat() if beat_at else None,
        "rate_limits": rate_limit_storage(),  # "degraded" is an alert, not a reason to unready
    }
    return body, 200 if ready else 503


def scheduler_state(beat_at: datetime | None, now: datetime) -> str:
    """ "ok" if the scheduler beat within three ticks, "stale" if longer ago, "missing" if never."""
    if beat_at is None:
        return "missing"
    fresh_for = timedelta(seconds=3 * current_app.config["JOBS_TICK_SECONDS"])
    return "ok" if now - beat_at <= fresh_for else "stale"


def rate_limit_storage() -> str:
    """ "ok" if the shared counters (Redis) answer, "degraded" if not, "in-process" for memory://."""
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return "in-process"
    return "ok" if limiter.storage.check() else "degraded"
