"""The clinic at a glance: caseload, check-ins and replies, improvement, open flags."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import Integer, case, cast, func, select

from server.enums import CareStatus, CheckInStatus, Severity
from server.extensions import db
from server.models import CheckIn, Flag, Patient
from server.models.flag import ACTIVE_FLAG
from server.outcomes import McidCategory
from server.services.clinic_settings import clinic_rules


@dataclass(frozen=True)
class Improvement:
    """How many active patients could be compared with baseline, and how many improved."""

    patients_compared: int
    improved: int

    @property
    def share(self) -> float | None:
        return _share(self.improved, self.patients_compared)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def clinic_overview(clinic_id: int, now: datetime) -> dict[str, Any]:
    """Active patients, check-ins and response, reply time, improvement and open flags."""
    pain, headache, active = _outcomes(clinic_id)
    checkins, median_hours = _checkin_figures(clinic_id, now)
    return {
        "as_of": now,
        "rule_version": clinic_rules(clinic_id).version,
        "active_patients": active,
        "checkins": checkins,
        "median_hours_to_reply": median_hours,
        "pain_much_better": pain,
        "headache_responders": headache,
        "open_flags": _open_flags(clinic_id),
        **_urgent_flag_timings(clinic_id, now),
    }


def _outcomes(clinic_id: int) -> tuple[Improvement, Improvement, int]:
    rows = db.session.execute(
        select(Patient.pain_mcid, Patient.headache_responder, func.count())
        .where(Patient.clinic_id == clinic_id, Patient.care_status == CareStatus.ACTIVE)
        .group_by(Patient.pain_mcid, Patient.headache_responder)
    ).all()
    pain = Improvement(
        sum(n for mcid, _, n in rows if mcid is not None),
        sum(n for mcid, _, n in rows if mcid == McidCategory.MUCH_BETTER),
    )
    headache = Improvement(
        sum(n for _, responder, n in rows if responder is not None),
        sum(n for _, responder, n in rows if responder),
    )
    return pain, headache, sum(n for *_, n in rows)


def _checkin_figures(clinic_id: int, now: datetime) -> tuple[dict, float | None]:
    """Check-ins prompted in the last 7 and 30 days by status, and the median reply time."""
    week_counts, month_counts, replies = Counter(), Counter(), Counter()
    for status, recent, reply_minutes, count in db.session.execute(_checkins(clinic_id, now)):
        month_counts[status] += count
        week_counts[status] += count if recent else 0
        if reply_minutes is not None:
            replies[int(reply_minutes)] += count
    periods = {"last_7_days": _counts(week_counts), "last_30_days": _counts(month_counts)}
    return periods, _median_hours(replies)


def _checkins(clinic_id: int, now: datetime):
    # One scan of the 30 days (an index-only scan on PostgreSQL), grouped so that few rows
    # come back: the median is read from whole-minute buckets, not from every reply.
    minutes = _minutes_between(CheckIn.prompted_at, CheckIn.completed_at)
    facts = (
        select(
            CheckIn.status.label("status"),
            (CheckIn.prompted_at >= now - timedelta(days=7)).label("recent"),
            case((CheckIn.status == CheckInStatus.COMPLETED, minutes)).label("minutes"),
        )
        .where(
            CheckIn.clinic_id == clinic_id,
            CheckIn.prompted_at >= now - timedelta(days=30),
            CheckIn.prompted_at <= now,
        )
        .subquery()
    )
    columns = (facts.c.status, facts.c.recent, facts.c.minutes)
    return select(*columns, func.count()).group_by(*columns)


def _counts(by_status: Counter) -> dict[str, Any]:
    completed = by_status[CheckInStatus.COMPLETED]
    expired = by_status[CheckInStatus.EXPIRED]
    return {
        "sent": sum(by_status.values()),
        "completed": completed,
        "expired": expired,
        "awaiting_reply": by_status[CheckInStatus.PROMPTED],
        # Check-ins still waiting for a reply are left out, so today's prompts don't drag it down.
        "response_rate": _share(completed, completed + expired),
    }


def _median_hours(replies: Counter) -> float | None:
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


def _minutes_between(start, end):
    if db.engine.dialect.name == "postgresql":
        return func.floor(func.extract("epoch", end - start) / 60)
    # SQLite: whole seconds from strftime, integer division: exact, unlike julianday floats.
    seconds = cast(func.strftime("%s", end), Integer) - cast(func.strftime("%s", start), Integer)
    return seconds / 60


def _open_flags(clinic_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Flag.severity, func.count())
        .where(Flag.clinic_id == clinic_id, ACTIVE_FLAG)
        .group_by(Flag.severity)
    ).all()
    counts = dict(rows)
    return {str(severity): counts.get(severity, 0) for severity in Severity}


def _urgent_flag_timings(clinic_id: int, now: datetime) -> dict[str, Any]:
    """Median hours to acknowledge urgent flags opened in 30 days; urgent flags open > 48 h."""
    urgent = (Flag.clinic_id == clinic_id, Flag.severity == Severity.URGENT)
    acknowledged = db.session.execute(
        select(Flag.opened_at, Flag.first_acknowledged_at).where(
            *urgent, Flag.opened_at >= now - timedelta(days=30), Flag.first_acknowledged_at <= now
        )
    ).all()
    waits = [(seen - opened).total_seconds() / 3600 for opened, seen in acknowledged]
    overdue = db.session.scalar(
        select(func.count()).where(
            *urgent, ACTIVE_FLAG, Flag.opened_at < now - timedelta(hours=48)
        )
    )
    return {
        "median_hours_to_acknowledge_urgent": round(median(waits), 2) if waits else None,
        "urgent_open_over_48h": overdue,
    }
