"""What the jobs tick adds to the alerts outbox: reopened snoozes, escalations, digests."""

from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select

from server.enums import FlagStatus, NotificationPurpose, Role, Severity
from server.extensions import db
from server.models import Clinic, Flag, Notification, Staff
from server.models.flag import ACTIVE_FLAG
from server.planning.local_time import local_date, local_send_time
from server.services.alerts.recipients import (
    add_once,
    audit_reopening,
    digest_row,
    notify_urgent,
    preferences_of,
)
from server.services.row_claims import win_rows

ROUND_START = func.coalesce(Flag.round_started_at, Flag.opened_at)
DIGEST_LOOKBACK = timedelta(days=7)  # the longest a missed digest is caught up


def plan_due(now: datetime) -> Counter:
    """Reopen flags whose snooze ended, escalate unacknowledged urgent flags, queue digests."""
    report = Counter(reopened=reopen_snoozed(now))
    for clinic in db.session.scalars(select(Clinic).order_by(Clinic.id)).all():
        report["escalated"] += escalate(clinic, now)
        report["digests"] += queue_digests(clinic, now)
        db.session.commit()
    return +report


def reopen_snoozed(now: datetime) -> int:
    """Snoozes that ended: the flag is open again, in a new round of alerts; commits."""
    due = select(Flag).where(Flag.snoozed_until <= now, Flag.status == FlagStatus.ACKNOWLEDGED)
    rows = db.session.scalars(due.with_for_update(skip_locked=True)).all()
    won = win_rows(
        Flag, rows, FlagStatus.ACKNOWLEDGED, "snoozed_until",
        status=FlagStatus.OPEN, snoozed_until=None, acknowledged_by_id=None,
        acknowledged_at=None, acknowledge_note=None, alert_round=Flag.alert_round + 1,
        round_started_at=now,
    )
    for flag in rows:
        if flag.id not in won:
            continue
        db.session.refresh(flag)
        audit_reopening(flag, "snooze ended", now)
        if flag.severity == Severity.URGENT:
            notify_urgent(flag, NotificationPurpose.URGENT, now)
    db.session.commit()
    return len(won)


def escalate(clinic: Clinic, now: datetime) -> int:
    """Urgent flags open past the clinic's delay in this round go, once, to its admins."""
    already = exists().where(
        Notification.flag_id == Flag.id,
        Notification.purpose == NotificationPurpose.ESCALATION,
        Notification.flag_round == Flag.alert_round,
    )
    late = select(Flag).where(
        Flag.clinic_id == clinic.id,
        Flag.severity == Severity.URGENT,
        Flag.status == FlagStatus.OPEN,
        now - timedelta(minutes=clinic.escalation_minutes) >= ROUND_START,
        ~already,
    )
    flags = db.session.scalars(late.order_by(Flag.id)).all()
    return sum(notify_urgent(f, NotificationPurpose.ESCALATION, now) > 0 for f in flags)


def queue_digests(clinic: Clinic, now: datetime) -> int:
    """At the clinic's digest hour: each staff member's new warnings and info, if any."""
    zone = ZoneInfo(clinic.timezone)
    slot = local_send_time(local_date(now, zone), time(clinic.digest_hour), zone)
    if now < slot:
        return 0
    staff = _digest_readers(clinic.id)
    covered = _last_digests(clinic.id, slot)
    new = _new_flags(clinic.id, slot)
    rows = []
    for person in staff:
        since = covered.get(person.id, slot - DIGEST_LOOKBACK)
        if since >= slot:
            continue  # today's digest is queued (or was sent) already
        mine = new[person.id] + (new[None] if person.role == Role.ADMIN else [])
        fresh = [f for f in mine if since < raised_at(f) <= slot]
        if fresh:
            rows.append(digest_row(clinic.id, person.id, fresh, slot))
    return add_once(rows)


def _digest_readers(clinic_id: int) -> list[Staff]:
    query = select(Staff).where(Staff.clinic_id == clinic_id, Staff.active.is_(True))
    people = db.session.scalars(query.order_by(Staff.id)).all()
    choices = preferences_of(p.id for p in people)
    return [p for p in people if choices[p.id].digest]


def _last_digests(clinic_id: int, slot: datetime) -> dict[int, datetime]:
    """Up to when each staff member's digests have covered (their latest digest's time)."""
    query = (
        select(Notification.recipient_id, func.max(Notification.created_at))
        .where(
            Notification.clinic_id == clinic_id,
            Notification.purpose == NotificationPurpose.DIGEST,
            Notification.created_at > slot - DIGEST_LOOKBACK,
        )
        .group_by(Notification.recipient_id)
    )
    return dict(db.session.execute(query).all())


def raised_at(flag: Flag) -> datetime:
    """When the flag's current round began: opened, or reopened."""
    return flag.round_started_at or flag.opened_at


def _new_flags(clinic_id: int, slot: datetime) -> dict[int | None, list[Flag]]:
    """Active warnings and info (not snoozed) raised in the lookback, by owner."""
    query = select(Flag).where(
        Flag.clinic_id == clinic_id,
        Flag.severity != Severity.URGENT,
        ACTIVE_FLAG,
        Flag.snoozed_until.is_(None),
        slot - DIGEST_LOOKBACK < ROUND_START,
    )
    found: dict[int | None, list[Flag]] = defaultdict(list)
    for flag in db.session.scalars(query):
        found[flag.owner_id].append(flag)
    return found
