"""Creating clinics and staff accounts (operators, via the CLI)."""

from datetime import datetime
from zoneinfo import available_timezones

from sqlalchemy import select

from server.enums import Role
from server.errors import Conflict, InvalidField, NotFound
from server.extensions import db
from server.models import Clinic, Staff
from server.phones import normalise_phone
from server.services.staff_auth import hash_password

MIN_PASSWORD = 10


def create_clinic(name: str, help_phone: str, tz: str, sender: str | None, now: datetime) -> Clinic:
    """Create a clinic; its name must fit the first words of every SMS."""
    from server.sms.templates import MAX_CLINIC_NAME, is_gsm7

    name = name.strip()
    if not name or len(name) > MAX_CLINIC_NAME or not is_gsm7(name):
        raise InvalidField("name", f"1-{MAX_CLINIC_NAME} plain (GSM-7) characters")
    if tz not in available_timezones():
        raise InvalidField("timezone", f"{tz!r} is not an IANA time zone")
    try:
        help_phone = normalise_phone(help_phone)
        sender = normalise_phone(sender) if sender and not sender.startswith("MG") else sender
    except ValueError:
        raise InvalidField("phone", "not a valid phone number") from None
    clinic = Clinic(
        name=name, help_phone=help_phone, timezone=tz, sms_sender=sender, created_at=now
    )
    db.session.add(clinic)
    db.session.commit()
    return clinic


def create_staff(
    clinic_id: int, email: str, name: str, role: Role, password: str, now: datetime
) -> Staff:
    """Add a staff member with an argon2-hashed password; the caller commits (with its audit)."""
    if db.session.get(Clinic, clinic_id) is None:
        raise NotFound(f"No clinic with id {clinic_id}.")
    email = email.strip().lower()
    if "@" not in email:
        raise InvalidField("email", "not an email address")
    if len(password) < MIN_PASSWORD:
        raise InvalidField("password", f"at least {MIN_PASSWORD} characters")
    if db.session.scalar(select(Staff.id).where(Staff.email == email)) is not None:
        raise Conflict(f"A staff member with email {email} exists.")
    staff = Staff(
        clinic_id=clinic_id,
        email=email,
        name=name,
        role=role,
        password_hash=hash_password(password),
        created_at=now,
    )
    db.session.add(staff)
    db.session.flush()
    return staff
