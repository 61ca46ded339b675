"""The overview's check-in figures: check-ins prompted in the last 7 and 30 days by status, and
the median time to reply, per group of patients, from one grouped scan."""

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, case, cast, func, null, select

from server.enums import CheckInStatus
from server.extensions import db
from server.models import CheckIn, Patient


def checkin_figures(clinic_id: int, now: datetime, by) -> dict[Any, dict[str, Counter]]:
    """Per group: "week" and "month" counts by status, "replies" counted by whole minutes."""
    found: dict[Any, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for status, recent, reply_minutes, count, group in db.session.execute(
        _checkins(clinic_id, now, by)
    ):
        found[group]["month"][status] += count
        found[group]["week"][status] += count if recent else 0
        if reply_minutes is not None:
            found[group]["replies"][int(reply_minutes)] += count
    return found


def _checkins(clinic_id: int, now: datetime, by):
    # One scan of the 30 days (an index-only scan on PostgreSQL), grouped so that few rows
    # come back: the median is read from whole-minute buckets, not from every reply.
    minutes = minutes_between(CheckIn.prompted_at, CheckIn.completed_at)
    facts = select(
        CheckIn.status.label("status"),
        (CheckIn.prompted_at >= now - timedelta(days=7)).label("recent"),
        case((CheckIn.status == CheckInStatus.COMPLETED, minutes)).label("minutes"),
    ).where(
        CheckIn.clinic_id == clinic_id,
        CheckIn.prompted_at >= now - timedelta(days=30),
        CheckIn.prompted_at <= now,
    )
    if by is None:
        facts = facts.add_columns(null().label("grp"))
    else:
        facts = facts.join(Patient, Patient.id == CheckIn.patient_id).add_columns(by.label("grp"))
    facts = facts.subquery()
    columns = (facts.c.status, facts.c.recent, facts.c.minutes)
    return select(*columns, func.count(), facts.c.grp).group_by(*columns, facts.c.grp)


def counts(by_status: Counter) -> dict[str, Any]:
    """Sent, completed, expired, awaiting reply and the response rate of some check-ins."""
    completed = by_status[CheckInStatus.COMPLETED]
    expired = by_status[CheckInStatus.EXPIRED]
    closed = completed + expired
    return {
        "sent": sum(by_status.values()),
        "completed": completed,
        "expired": expired,
        "awaiting_reply": by_status[CheckInStatus.PROMPTED],
        # Check-ins still waiting for a reply are left out, so today's prompts don't drag it down.
        "response_rate": round(completed / closed, 3) if closed else None,
    }


def median_hours(replies: Counter) -> float | None:
    """The median of the minutes to reply (the mean of the middle two for an even count)."""
    total = sum(replies.values())
    if not total:
        return None
    ordered = sorted(replies.items())
    middle = _nth(ordered, (total - 1) // 2) + _nth(ordered, total // 2)
    return round(middle / 2 / 60, 2)


def _nth(ordered: list[tuple[int, int]], position: int) -> int:
    for minutes, count in ordered:
        if position < count:
            return minutes
        position -= count
    raise IndexError(position)


def minutes_between(start, end):
    """Whole minutes from start to end, in SQL (exact on both dialects)."""
    if db.engine.dialect.name == "postgresql":
        # date_part is double precision (exact for whole minutes of microsecond timestamps)
        # and the integer groups by hash: extract's numeric made 160k rows sort on disk.
        return cast(func.floor(func.date_part("epoch", end - start) / 60), Integer)
    # SQLite: whole seconds from strftime, integer division: exact, unlike julianday floats.
    seconds = cast(func.strftime("%s", end), Integer) - cast(func.strftime("%s", start), Integer)
    return seconds / 60
