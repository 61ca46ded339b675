"""Staff sign-in with argon2 passwords and bearer tokens."""

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from server.enums import ActorType
from server.errors import Unauthorized
from server.extensions import db
from server.models import AccessToken, Staff
from server.services import audit, tokens

_hasher = PasswordHasher()
# Verified when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("painline-timing-equaliser")
LOGIN_FAILED = "Email or password is incorrect."


def hash_password(password: str) -> str:
    """argon2id hash of a password."""
    return _hasher.hash(password)


def login(email: str, password: str, now: datetime, lifetime: timedelta, ip: str | None) -> str:
    """Check the password and issue a staff token; one error for unknown email or bad password."""
    staff = db.session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
    if not _password_matches(staff, password) or not staff.active:
        raise Unauthorized(LOGIN_FAILED)
    if _hasher.check_needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    plain = tokens.issue_token(now, lifetime, staff_id=staff.id)
    audit.record(ActorType.STAFF, staff.id, "auth.login", now, clinic_id=staff.clinic_id, ip=ip)
    db.session.commit()
    return plain


def _password_matches(staff: Staff | None, password: str) -> bool:
    try:
        return _hasher.verify(staff.password_hash if staff else _DUMMY_HASH, password) and bool(
            staff
        )
    except (VerificationError, InvalidHashError):
        return False


def logout(token: AccessToken, staff: Staff, now: datetime, ip: str | None) -> None:
    """Revoke the caller's token."""
    tokens.revoke_token(token, now)
    audit.record(ActorType.STAFF, staff.id, "auth.logout", now, clinic_id=staff.clinic_id, ip=ip)
    db.session.commit()
