"""Staff accounts an admin manages: create a therapist (or admin), deactivate one at once."""

from datetime import datetime
from typing import Any

from sqlalchemy import update

from server.errors import Conflict, NotFound
from server.extensions import db
from server.models import AccessToken, Staff
from server.services import audit, clinics


def create(admin: Staff, fields: dict[str, Any], now: datetime, ip: str | None) -> Staff:
    """Create a staff member of the admin's clinic with an initial password; audited in the
    same transaction (no account without its audit row)."""
    member = clinics.create_staff(
        admin.clinic_id, fields["email"], fields["name"], fields["role"], fields["password"], now
    )
    detail = {"staff_id": member.id, "role": str(member.role)}
    audit.on_clinic(admin, "staff.create", now, ip, detail)
    db.session.commit()
    return member


def deactivate(admin: Staff, staff_id: int, now: datetime, ip: str | None) -> Staff:
    """Deactivate a colleague: their tokens (API and dashboard sessions) end at once."""
    member = db.session.get(Staff, staff_id)
    if member is None or member.clinic_id != admin.clinic_id:
        raise NotFound("No such staff member.")
    if member.id == admin.id:
        raise Conflict("You cannot deactivate your own account.")
    member.active = False
    db.session.execute(
        update(AccessToken)
        .where(AccessToken.staff_id == member.id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    audit.on_clinic(admin, "staff.deactivate", now, ip, {"staff_id": member.id})
    db.session.commit()
    return member
