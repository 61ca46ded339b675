"""The overview's charts and funnel: weekly response rate, pain change and planned check-ins."""

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, literal, select

from server.enums import CareStatus, CheckInStatus
from server.extensions import db
from server.models import CheckIn, Patient
from server.services.overview_checkins import minutes_between

WEEK_MINUTES = 7 * 24 * 60
CLOSED = (CheckInStatus.COMPLETED, CheckInStatus.EXPIRED)


def weekly_response_rate(clinic_id: int, now: datetime, weeks: int = 12) -> list[dict]:
    """Completed / (completed + expired) of the check-ins prompted in each of the last weeks,
    oldest first (weeks_ago 0 is the 7 days up to now)."""
    facts = (
        select(_weeks_ago(now).label("ago"), CheckIn.status.label("status"))
        .where(
            CheckIn.clinic_id == clinic_id,
            CheckIn.prompted_at > now - timedelta(weeks=weeks),
            CheckIn.prompted_at <= now,
            CheckIn.status.in_(CLOSED),
        )
        .subquery()
    )
    counts = Counter()
    for ago, status, count in db.session.execute(
        select(facts.c.ago, facts.c.status, func.count()).group_by(facts.c.ago, facts.c.status)
    ):
        counts[int(ago), status] += count
    return [_week(ago, counts, now) for ago in range(weeks - 1, -1, -1)]


def _weeks_ago(now: datetime):
    since = literal(now, CheckIn.prompted_at.type)
    if db.engine.dialect.name == "postgresql":
        # floor(seconds / week): the whole weeks of whole minutes // week minutes, one division.
        seconds = func.date_part("epoch", since - CheckIn.prompted_at)
        return func.floor(seconds / (WEEK_MINUTES * 60))
    return minutes_between(CheckIn.prompted_at, since) / WEEK_MINUTES  # SQLite: integer division


def _week(ago: int, counts: Counter, now: datetime) -> dict:
    completed = counts[ago, CheckInStatus.COMPLETED]
    closed = completed + counts[ago, CheckInStatus.EXPIRED]
    return {
        "week_ending": (now - timedelta(weeks=ago)).date().isoformat(),
        "closed": closed,
        "rate": round(completed / closed, 3) if closed else None,
    }


def pain_change_distribution(clinic_id: int) -> dict[int, int]:
    """Active patients by their pain change from baseline in points (negative is better)."""
    rows = db.session.execute(
        select(Patient.pain_change, func.count())
        .where(
            Patient.clinic_id == clinic_id,
            Patient.care_status == CareStatus.ACTIVE,
            Patient.pain_change.is_not(None),
        )
        .group_by(Patient.pain_change)
    )
    return dict(sorted((int(change), count) for change, count in rows))


def planned_last_30_days(clinic_id: int, now: datetime) -> int:
    """Check-ins that fell due in the last 30 days, whatever became of them (the funnel's top)."""
    return db.session.scalar(
        select(func.count()).where(
            CheckIn.clinic_id == clinic_id,
            CheckIn.due_at > now - timedelta(days=30),
            CheckIn.due_at <= now,
        )
    )
