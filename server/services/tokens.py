"""Bearer tokens: random, shown once, stored as SHA-256, expiring and revocable."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from server.extensions import db
from server.models import AccessToken


def hash_secret(secret: str) -> str:
    """SHA-256 hex of a high-entropy secret (tokens): enough, since they cannot be guessed."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(now: datetime, lifetime: timedelta, *, staff_id=None, patient_id=None) -> str:
    """Add a token row (caller commits) and return the plain token, which is never stored."""
    plain = secrets.token_urlsafe(32)
    db.session.add(
        AccessToken(
            token_hash=hash_secret(plain),
            staff_id=staff_id,
            patient_id=patient_id,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return plain


def find_live_token(plain: str, now: datetime) -> AccessToken | None:
    """The unexpired, unrevoked token for this secret, if any."""
    token = db.session.scalar(
        select(AccessToken).where(AccessToken.token_hash == hash_secret(plain))
    )
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    return token


def revoke_token(token: AccessToken, now: datetime) -> None:
    """Revoke a token (caller commits)."""
    token.revoked_at = now


def revoke_patient_tokens(patient_id: int, now: datetime) -> None:
    """Revoke every live app token of a patient (caller commits)."""
    db.session.execute(
        update(AccessToken)
        .where(AccessToken.patient_id == patient_id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
