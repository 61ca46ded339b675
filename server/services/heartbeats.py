"""Liveness of background processes: the scheduler beats, /readyz reads."""

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models import Heartbeat

SCHEDULER = "scheduler"


def beat(name: str, now: datetime) -> None:
    """Record that the process called `name` is alive at `now`; commits."""
    heartbeat = db.session.get(Heartbeat, name)
    if heartbeat is None:
        db.session.add(Heartbeat(name=name, beat_at=now))
    else:
        heartbeat.beat_at = now
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another process beat first: either beat will do


def forget(name: str) -> None:
    """The process called `name` is stopping: remove its heartbeat; commits."""
    db.session.execute(delete(Heartbeat).where(Heartbeat.name == name))
    db.session.commit()


def last_beat(name: str) -> datetime | None:
    """When the process called `name` last beat, if ever."""
    heartbeat = db.session.get(Heartbeat, name)
    return None if heartbeat is None else heartbeat.beat_at
