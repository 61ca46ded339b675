"""The clinic's send window, send hour and help phone (admins; checked by the caller)."""

from datetime import datetime, time
from typing import Any

from server.extensions import db
from server.models import Clinic, Staff
from server.services import audit

FIELDS = ("quiet_start", "quiet_end", "send_hour", "help_phone")


def hours_of(clinic: Clinic) -> dict[str, time | str]:
    """The clinic's current send window, send hour and help phone."""
    return {name: getattr(clinic, name) for name in FIELDS}


def update_hours(staff: Staff, fields: dict[str, Any], now: datetime, ip: str | None) -> Clinic:
    """Change the send window, send hour and help phone; plans made from now on use them."""
    clinic = db.session.get(Clinic, staff.clinic_id)
    before = {k: str(v) for k, v in hours_of(clinic).items()}
    for name in FIELDS:
        setattr(clinic, name, fields[name])
    after = {k: str(v) for k, v in hours_of(clinic).items()}
    audit.on_clinic(staff, "clinic.hours.update", now, ip, {"from": before, "to": after})
    db.session.commit()
    return clinic
