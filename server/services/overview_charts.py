"""The overview's charts and funnel: weekly response rate, pain change and planned check-ins."""

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select

from server.enums import CareStatus, CheckInStatus
from server.extensions import db
from server.models import CheckIn, Patient

CLOSED = (CheckInStatus.COMPLETED, CheckInStatus.EXPIRED)


def weekly_response_rate(clinic_id: int, now: datetime, weeks: int = 12) -> list[dict]:
    """Completed / (completed + expired) of the check-ins prompted in each of the last weeks,
    oldest first (weeks_ago 0 is the 7 days up to now)."""
    # Each week's count of each status is an index range (clinic, status, prompted_at): one
    # statement of counts, no per-row arithmetic over 12 weeks of check-ins.
    ranges = [(ago, status) for ago in range(weeks) for status in CLOSED]
    counted = db.session.execute(
        select(*(_prompted_in_week(clinic_id, now, ago, status) for ago, status in ranges))
    ).one()
    counts = Counter(dict(zip(ranges, counted, strict=True)))
    return [_week(ago, counts, now) for ago in range(weeks - 1, -1, -1)]


def _prompted_in_week(clinic_id: int, now: datetime, ago: int, status: CheckInStatus):
    """Check-ins of the status prompted `ago` whole weeks before now: in (end - 7 days, end]."""
    end = now - timedelta(weeks=ago)
    return (
        select(func.count())
        .where(
            CheckIn.clinic_id == clinic_id,
            CheckIn.status == status,
            CheckIn.prompted_at > end - timedelta(weeks=1),
            CheckIn.prompted_at <= end,
        )
        .scalar_subquery()
    )


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
