"""Flag triage: who owns a flag, snoozing it until a time, and the clinic's timings."""

from datetime import datetime, timedelta

from server.enums import FlagStatus, NotificationPurpose, Severity
from server.errors import Conflict, InvalidField
from server.extensions import db
from server.models import Flag, Staff
from server.services import audit
from server.services.alerts.recipients import notify_urgent

LONGEST_SNOOZE = timedelta(days=90)


def assign(staff: Staff, flag: Flag, owner_id: int, now: datetime, ip: str | None) -> Flag:
    """Give the flag to another active staff member of the clinic; audited, committed.

    An urgent flag still open alerts its new owner at once.
    """
    owner = db.session.get(Staff, owner_id)
    if owner is None or owner.clinic_id != flag.clinic_id or not owner.active:
        raise InvalidField("owner_id", "not an active staff member of this clinic")
    if flag.status == FlagStatus.RESOLVED:
        raise Conflict("This flag is resolved.")
    previous, flag.owner_id, flag.updated_at = flag.owner_id, owner.id, now
    if flag.severity == Severity.URGENT and flag.status == FlagStatus.OPEN and previous != owner.id:
        notify_urgent(flag, NotificationPurpose.URGENT, now)
    _audit(staff, flag, "flag.assign", now, ip, owner_id=owner.id, previous_owner_id=previous)
    db.session.commit()
    return flag


def snooze(
    staff: Staff, flag: Flag, until: datetime, note: str | None, now: datetime, ip: str | None
) -> Flag:
    """Put the flag aside until `until`, with a note; it reopens and alerts again then."""
    if flag.status == FlagStatus.RESOLVED:
        raise Conflict("This flag is resolved.")
    if not now < until <= now + LONGEST_SNOOZE:
        raise InvalidField("until", "must be in the future, at most 90 days ahead")
    if flag.status == FlagStatus.OPEN:  # snoozing is a decision about it: it was seen
        flag.status = FlagStatus.ACKNOWLEDGED
        flag.acknowledged_by_id, flag.acknowledged_at, flag.acknowledge_note = staff.id, now, note
        flag.first_acknowledged_at = flag.first_acknowledged_at or now
    flag.snoozed_until, flag.snoozed_by_id, flag.snooze_note = until, staff.id, note
    flag.updated_at = now
    _audit(staff, flag, "flag.snooze", now, ip, until=until.isoformat())
    db.session.commit()
    return flag


def hours_between(start: datetime | None, end: datetime | None) -> float | None:
    """Hours from start to end, to two decimals; None while either is missing."""
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 2)


def _audit(staff: Staff, flag: Flag, action: str, now: datetime, ip: str | None, **detail):
    detail = {"flag_id": flag.id, "rule": str(flag.rule), **detail}
    audit.by_staff(staff, action, flag.patient_id, now, ip, detail)
