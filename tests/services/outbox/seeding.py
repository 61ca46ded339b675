"""Many opted-in patients with one check-in due each, inserted in bulk (tests and benchmarks)."""

from datetime import datetime, timedelta

from sqlalchemy import insert

from server.extensions import db
from server.models import CheckIn, Patient

PATIENT = {
    "first_name": "Ana",
    "phone_valid": True,
    "language": "en",
    "tracks_headache": False,
    "care_status": "active",
    "consent_status": "opted_in",
}
CHECKIN = {
    "kind": "day3",
    "measures": ["pain_nprs"],
    "answered": [],
    "status": "scheduled",
    "reminder_count": 0,
    "unusable_replies": 0,
}


def add_due_checkins(clinic_id: int, count: int, due: datetime, timezone: str) -> list[str]:
    """Add `count` patients, each with a pain check-in due at `due`; commits; returns phones."""
    phones = [f"+1303{n:07d}" for n in range(count)]
    common = {"clinic_id": clinic_id, "created_at": due}
    patients = [PATIENT | common | {"phone": phone, "timezone": timezone} for phone in phones]
    ids = db.session.scalars(insert(Patient).returning(Patient.id), patients).all()
    window = {"due_at": due, "window_end": due + timedelta(hours=48)}
    checkins = [CHECKIN | common | window | {"patient_id": patient_id} for patient_id in ids]
    db.session.execute(insert(CheckIn), checkins)
    db.session.commit()
    return phones
