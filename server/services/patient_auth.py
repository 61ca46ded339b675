"""Patient app sign-in: a one-time code by SMS, exchanged for a patient bearer token.

A phone number is unique per clinic only, so it may belong to patients of several clinics.
`start` then texts one code per matching patient, each from that clinic's sender and naming the
clinic; `verify` signs in the patient whose code was entered, so the person chooses the clinic by
choosing the text. Neither answer reveals whether a phone is known: unknown phones, opted-out
patients and invalid numbers get the same response and run the same statements, texting nothing.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from server.enums import ActorType, ConsentStatus, MessagePurpose
from server.errors import Unauthorized
from server.extensions import db
from server.models import AccessToken, Clinic, OneTimeCode, Patient
from server.services import audit, tokens
from server.services.outbox import queue as outbox
from server.sms.templates import Template, render

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5  # guesses per code, the right one included
SIGN_IN_FAILED = "The code is wrong or has expired. Ask for a new code."


def hash_code(secret: str, phone: str, code: str) -> str:
    """HMAC-SHA256 keyed with SECRET_KEY: a leaked table of 6-digit codes cannot be brute-forced."""
    return hmac.new(secret.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _live(now: datetime) -> tuple:
    return (
        OneTimeCode.used_at.is_(None),
        OneTimeCode.superseded.is_(False),
        OneTimeCode.expires_at > now,
        OneTimeCode.attempts < MAX_ATTEMPTS,
    )


def start(phone: str, now: datetime, *, secret: str, ip: str | None) -> None:
    """Queue a new code for each patient with this phone who can get texts (the outbox sends)."""
    recipients = db.session.execute(
        select(Patient, Clinic)
        .join(Clinic, Clinic.id == Patient.clinic_id)
        .where(
            Patient.phone == phone,
            Patient.phone_valid.is_(True),
            Patient.consent_status != ConsentStatus.OPTED_OUT,
        )
    ).all()
    # A new code supersedes the old. Run for unknown phones too: the same statements either way.
    db.session.execute(
        update(OneTimeCode).where(OneTimeCode.phone == phone, *_live(now)).values(superseded=True)
    )
    for patient, clinic in recipients:
        _send_code(patient, clinic, now, secret, ip)
    if not recipients:
        audit.record(ActorType.SYSTEM, None, "patient_auth.no_code", now, clinic_id=None, ip=ip)
    db.session.commit()


def _send_code(patient: Patient, clinic: Clinic, now: datetime, secret: str, ip: str | None):
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    db.session.add(
        OneTimeCode(
            patient_id=patient.id,
            phone=patient.phone,
            code_hash=hash_code(secret, patient.phone, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    )
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    body = render(
        Template.OTP_CODE, patient.language, clinic_name=clinic.name, code=code, minutes=minutes
    )
    audit.by_patient(patient, "patient_auth.code_sent", now, ip)
    outbox.enqueue(clinic, patient, MessagePurpose.OTP, body, now)


def verify(
    phone: str, code: str, now: datetime, *, secret: str, lifetime: timedelta, ip: str | None
) -> str:
    """Exchange a live code for a patient token (caller gets the plain token); else 401."""
    spent = _spend_attempt(phone, now)
    entered = hash_code(secret, phone, code)
    match = next((row for row in spent if hmac.compare_digest(row.code_hash, entered)), None)
    if match is None or not _redeem(match.id, now):
        audit.record(
            ActorType.SYSTEM, None, "patient_auth.sign_in_failed", now, clinic_id=None, ip=ip
        )
        db.session.commit()
        raise Unauthorized(SIGN_IN_FAILED)
    patient = db.session.get(Patient, match.patient_id)
    plain = tokens.issue_token(now, lifetime, patient_id=patient.id)
    audit.by_patient(patient, "patient_auth.sign_in", now, ip)
    db.session.commit()
    return plain


def _spend_attempt(phone: str, now: datetime) -> list:
    """Count one try on every live code for this phone; (id, patient_id, code_hash) of each.

    The attempt is spent before the code is checked, in one statement, so parallel guesses
    cannot get past the cap.
    """
    live = (
        select(OneTimeCode.id)
        .join(Patient, Patient.id == OneTimeCode.patient_id)
        .where(OneTimeCode.phone == phone, Patient.phone == phone, *_live(now))
    )
    return db.session.execute(
        update(OneTimeCode)
        .where(OneTimeCode.id.in_(live))
        .values(attempts=OneTimeCode.attempts + 1)
        .returning(OneTimeCode.id, OneTimeCode.patient_id, OneTimeCode.code_hash)
        .execution_options(synchronize_session=False)
    ).all()


def _redeem(code_id: int, now: datetime) -> bool:
    """Mark the code used, unless a parallel request with the same code got there first."""
    used = db.session.execute(
        update(OneTimeCode)
        .where(OneTimeCode.id == code_id, OneTimeCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return used.rowcount == 1


def logout(token: AccessToken, patient: Patient, now: datetime, ip: str | None) -> None:
    """Revoke the patient's token."""
    tokens.revoke_token(token, now)
    audit.by_patient(patient, "patient_auth.logout", now, ip)
    db.session.commit()
