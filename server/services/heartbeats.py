"""Liveness of background processes: the scheduler beats, /readyz reads; each dispatcher
beats its own pulse, which tells the others whether the rows it holds are still in hand."""

import math
import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from server.extensions import db
from server.models import Heartbeat

SCHEDULER = "scheduler"
PRUNE_EVERY = 3600.0  # seconds between removals of day-old heartbeats of processes gone


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


def forget_silent(prefix: str, before: datetime) -> int:
    """Remove the heartbeats whose names start with `prefix` and that last beat before `before`
    (processes long gone, e.g. killed); commits; how many."""
    gone = delete(Heartbeat).where(Heartbeat.name.startswith(prefix), Heartbeat.beat_at < before)
    removed = db.session.execute(gone).rowcount
    db.session.commit()
    return removed


def last_beat(name: str) -> datetime | None:
    """When the process called `name` last beat, if ever."""
    heartbeat = db.session.get(Heartbeat, name)
    return None if heartbeat is None else heartbeat.beat_at


class Pulse:
    """One process's own heartbeat, named `kind:<random>`: beaten at most every sixth of
    `stale_after`; fresh while the last recorded beat is younger than half of it."""

    def __init__(self, kind: str, stale_after: timedelta) -> None:
        self.prefix, self.stale_after = f"{kind}:", stale_after.total_seconds()
        self.name = f"{self.prefix}{uuid.uuid4().hex[:12]}"
        self._beat_at = self._pruned_at = -math.inf  # time.monotonic() of the last ones

    def beat(self, now: datetime, force: bool = False) -> None:
        """Beat if due (or `force`); a failure to record it only lets the pulse go stale."""
        started = time.monotonic()
        if not force and started - self._beat_at < self.stale_after / 6:
            return
        try:
            beat(self.name, now)
            if started - self._pruned_at > PRUNE_EVERY:
                forget_silent(self.prefix, now - timedelta(days=1))
                self._pruned_at = started
        except SQLAlchemyError:
            db.session.rollback()
            if force:
                raise
            return
        self._beat_at = started

    def fresh(self) -> bool:
        """True while others cannot yet take this process for dead."""
        return time.monotonic() - self._beat_at < self.stale_after / 2

    def stop(self) -> None:
        """The process is stopping: others may take over what it held at once."""
        try:
            forget(self.name)
        except SQLAlchemyError:
            db.session.rollback()  # the database is away: the heartbeat will simply go stale
