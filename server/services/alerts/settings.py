"""Each staff member's alert choices, the clinic's alert settings, and the notification record."""

from datetime import datetime
from typing import Any

from sqlalchemy import select

from server.enums import ActorType
from server.errors import InvalidField
from server.extensions import db
from server.models import Clinic, Notification, NotificationPreference, Staff
from server.services import audit
from server.services.alerts.recipients import default_preference

CHOICES = ("urgent_email", "urgent_sms", "urgent_sms_at_night", "digest", "phone")
CLINIC_SETTINGS = ("escalation_minutes", "digest_hour")


def preference_of(staff: Staff) -> NotificationPreference:
    """The staff member's stored choices, or the defaults."""
    return db.session.get(NotificationPreference, staff.id) or default_preference(staff.id)


def choose(staff: Staff, changes: dict[str, Any], now: datetime, ip: str | None):
    """Change the staff member's own alert choices; audited, committed."""
    current = preference_of(staff)
    chosen = {name: changes.get(name, getattr(current, name)) for name in CHOICES}
    if not (chosen["urgent_email"] or chosen["urgent_sms"]):
        raise InvalidField("urgent_email", "choose email or SMS (or both) for urgent flags")
    if chosen["urgent_sms"] and not chosen["phone"]:
        raise InvalidField("phone", "a phone number is needed for urgent flags by SMS")
    preference = db.session.merge(
        NotificationPreference(staff_id=staff.id, updated_at=now, **chosen)
    )
    _audit(staff, "staff.notifications.update", now, ip, ("staff", staff.id), changes)
    db.session.commit()
    return preference


def update_clinic(staff: Staff, changes: dict[str, Any], now: datetime, ip: str | None) -> Clinic:
    """Change the escalation delay or digest hour of the admin's clinic; audited, committed."""
    clinic = db.session.get(Clinic, staff.clinic_id)
    for name in CLINIC_SETTINGS:
        if name in changes:
            setattr(clinic, name, changes[name])
    _audit(staff, "clinic.alert_settings.update", now, ip, ("clinic", clinic.id), changes)
    db.session.commit()
    return clinic


def notification_record(clinic_id: int, filters: dict[str, Any]):
    """The clinic's notifications, newest first (a select, for the paginated list)."""
    query = select(Notification).where(Notification.clinic_id == clinic_id)
    for name in ("status", "purpose", "channel", "recipient_id", "flag_id"):
        if name in filters:
            query = query.where(getattr(Notification, name) == filters[name])
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def _audit(staff: Staff, action: str, now: datetime, ip, target, changes: dict) -> None:
    # Which settings changed, never the phone number itself.
    detail = {"changed": sorted(changes)}
    audit.record(
        ActorType.STAFF, staff.id, action, now, clinic_id=staff.clinic_id, target=target,
        ip=ip, detail=detail,
    )
