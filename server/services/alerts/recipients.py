"""Who hears of a flag, by which channels: rows added to the alerts outbox (caller commits)."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.enums import (
    ActorType,
    FlagStatus,
    NotificationChannel,
    NotificationPurpose,
    NotificationStatus,
    Role,
)
from server.extensions import db
from server.models import Flag, Notification, NotificationPreference, Staff
from server.services import audit

EMAIL, SMS = NotificationChannel.EMAIL, NotificationChannel.SMS


def flag_became_urgent(flag: Flag, now: datetime) -> int:
    """A flag is urgent now: reopen it if someone had put it aside, and alert its owner."""
    if flag.status == FlagStatus.ACKNOWLEDGED:
        # A new urgent finding needs a fresh acknowledgement, even on a flag seen or snoozed.
        flag.status = FlagStatus.OPEN
        flag.acknowledged_by_id = flag.acknowledged_at = flag.acknowledge_note = None
        flag.snoozed_until = flag.snoozed_by_id = flag.snooze_note = None
        flag.alert_round += 1
        flag.round_started_at = now
        audit_reopening(flag, "rose to urgent", now)
    return notify_urgent(flag, NotificationPurpose.URGENT, now)


def audit_reopening(flag: Flag, reason: str, now: datetime) -> None:
    """The system reopened a flag staff had put aside (caller commits)."""
    audit.record(
        ActorType.SYSTEM, None, "flag.reopen", now, clinic_id=flag.clinic_id,
        target=("patient", flag.patient_id), detail={"flag_id": flag.id, "reason": reason},
    )


def notify_urgent(flag: Flag, purpose: NotificationPurpose, now: datetime) -> int:
    """Queue an urgent flag's alert for its owner (admins if none), or escalate it to admins."""
    db.session.flush()  # a new flag needs its id
    people = [] if purpose == NotificationPurpose.ESCALATION else owner_of(flag)
    people = people or admins_of(flag.clinic_id)
    rows = [
        _row(flag.clinic_id, person.id, channel, purpose, now, flag=flag)
        for person, channels in urgent_channels(people).items()
        for channel in channels
    ]
    return add_once(rows)


def owner_of(flag: Flag) -> list[Staff]:
    """The flag's owner, if they can still sign in."""
    owner = db.session.get(Staff, flag.owner_id) if flag.owner_id else None
    return [owner] if owner is not None and owner.active else []


def admins_of(clinic_id: int) -> list[Staff]:
    """The clinic's active admins."""
    query = select(Staff).where(
        Staff.clinic_id == clinic_id, Staff.role == Role.ADMIN, Staff.active.is_(True)
    )
    return db.session.scalars(query.order_by(Staff.id)).all()


def preferences_of(staff_ids: Iterable[int]) -> dict[int, NotificationPreference]:
    """Each staff member's stored choices; the defaults for those who never chose."""
    ids = set(staff_ids)
    query = select(NotificationPreference).where(NotificationPreference.staff_id.in_(ids))
    stored = {p.staff_id: p for p in db.session.scalars(query)}
    return {i: stored.get(i) or default_preference(i) for i in ids}


def default_preference(staff_id: int) -> NotificationPreference:
    """Urgent flags by email, the daily digest on, no SMS: what a new staff member gets."""
    return NotificationPreference(
        staff_id=staff_id, urgent_email=True, urgent_sms=False, urgent_sms_at_night=False,
        digest=True, phone=None,
    )


def urgent_channels(people: Sequence[Staff]) -> dict[Staff, list[NotificationChannel]]:
    """The channels each person chose for urgent flags (SMS only with a phone on file)."""
    chosen = preferences_of(p.id for p in people)
    result = {}
    for person in people:
        preference = chosen[person.id]
        channels = [EMAIL] if preference.urgent_email else []
        if preference.urgent_sms and preference.phone:
            channels.append(SMS)
        result[person] = channels or [EMAIL]  # an urgent flag always reaches them somehow
    return result


def _row(clinic_id, staff_id, channel, purpose, now, *, flag=None, flag_ids=(), severity=None):
    covered = [flag.id] if flag is not None else list(flag_ids)
    round_ = flag.alert_round if flag is not None else None
    scope = f"{flag.id}.{round_}" if flag is not None else now.strftime("%Y%m%dT%H%M")
    return Notification(
        clinic_id=clinic_id,
        recipient_id=staff_id,
        channel=channel,
        purpose=purpose,
        dedupe_key=f"{purpose}:{scope}:{staff_id}:{channel}",
        flag_id=flag.id if flag is not None else None,
        flag_round=round_,
        flag_ids=covered,
        severity=flag.severity if flag is not None else severity,
        status=NotificationStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


def digest_row(clinic_id: int, staff_id: int, flags: Sequence[Flag], covers_until: datetime):
    """A digest of these flags for one person, covering flags raised up to `covers_until`."""
    worst = max((f.severity for f in flags), key=lambda s: s.rank)
    return _row(
        clinic_id, staff_id, EMAIL, NotificationPurpose.DIGEST, covers_until,
        flag_ids=sorted(f.id for f in flags), severity=worst,
    )


def add_once(rows: Sequence[Notification]) -> int:
    """Add each row unless its dedupe key exists (another job process queued it first)."""
    added = 0
    for row in rows:
        try:
            with db.session.begin_nested():
                db.session.add(row)
            added += 1
        except IntegrityError:
            continue
    return added
