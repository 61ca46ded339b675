"""Test factories: plain functions that add committed rows with sensible defaults."""

from datetime import timedelta
from functools import cache
from itertools import count

from server.enums import CareStatus, CheckInStatus, ConsentStatus, Language, Role
from server.extensions import db
from server.models import (
    CheckIn,
    Clinic,
    Message,
    Patient,
    PsfsActivity,
    Score,
    Staff,
    TreatmentSession,
)
from server.services import tokens
from server.services.staff_auth import hash_password

PASSWORD = "correct horse battery"
_serial = count(1)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run


class Factories:
    def __init__(self, clock):
        self.clock = clock

    def clinic(self, **fields) -> Clinic:
        n = next(_serial)
        values = {
            "name": f"Clinic {n}",
            "help_phone": "+16175550100",
            "timezone": "America/New_York",
            "sms_sender": f"+1617555{n % 10000:04d}",
            "created_at": self.clock(),
        }
        return _save(Clinic(**(values | fields)))

    def staff(self, clinic: Clinic, role: Role = Role.THERAPIST, **fields) -> Staff:
        n = next(_serial)
        values = {
            "clinic_id": clinic.id,
            "email": f"staff{n}@example.org",
            "name": f"Staff {n}",
            "role": role,
            "password_hash": _password_hash(),
            "created_at": self.clock(),
        }
        return _save(Staff(**(values | fields)))

    def patient(self, clinic: Clinic, **fields) -> Patient:
        n = next(_serial)
        values = {
            "clinic_id": clinic.id,
            "first_name": "Ana",
            "phone": f"+1202555{n % 10000:04d}",
            "timezone": "America/New_York",
            "language": Language.EN,
            "tracks_headache": False,
            "care_status": CareStatus.ACTIVE,
            "consent_status": ConsentStatus.OPTED_IN,
            "created_at": self.clock(),
        }
        return _save(Patient(**(values | fields)))

    def session(self, patient: Patient, **fields) -> TreatmentSession:
        values = {
            "clinic_id": patient.clinic_id,
            "patient_id": patient.id,
            "occurred_at": self.clock() - timedelta(days=1),
            "regions": ["neck"],
            "created_at": self.clock(),
        }
        return _save(TreatmentSession(**(values | fields)))

    def score(self, patient: Patient, **fields) -> Score:
        values = {
            "clinic_id": patient.clinic_id,
            "patient_id": patient.id,
            "measure": "pain_nprs",
            "value": 5,
            "reported_at": self.clock(),
            "source": "sms",
            "created_at": self.clock(),
        }
        return _save(Score(**(values | fields)))

    def checkin(self, patient: Patient, due=None, *, prompted: bool = False, **fields) -> CheckIn:
        """A day-3 check-in of pain due at `due` (default: now), open for 48 hours from then.

        `prompted=True`: texted at `due` and waiting for the reply.
        """
        due = due or self.clock()
        values = {
            "clinic_id": patient.clinic_id,
            "patient_id": patient.id,
            "kind": "day3",
            "measures": ["pain_nprs"],
            "answered": [],
            "due_at": due,
            "window_end": due + timedelta(hours=48),
            "status": CheckInStatus.PROMPTED if prompted else CheckInStatus.SCHEDULED,
            "prompted_at": due if prompted else None,
            "created_at": self.clock(),
        }
        return _save(CheckIn(**(values | fields)))

    def psfs_activity(self, patient: Patient, label: str = "Walking to the shops") -> PsfsActivity:
        values = {"clinic_id": patient.clinic_id, "patient_id": patient.id, "label": label}
        return _save(PsfsActivity(**values, created_at=self.clock()))

    def message(self, patient: Patient, **fields) -> Message:
        """A text the patient sent (inbound by default), as the webhook stores it."""
        values = {
            "clinic_id": patient.clinic_id,
            "patient_id": patient.id,
            "direction": "inbound",
            "purpose": "inbound",
            "body": "8",
            "status": "received",
            "to_number": "+16175550199",
            "from_number": patient.phone,
            "created_at": self.clock(),
        }
        return _save(Message(**(values | fields)))

    def staff_token(self, staff: Staff, hours: int = 12) -> dict[str, str]:
        """Authorization headers for a fresh token of this staff member."""
        plain = tokens.issue_token(self.clock(), timedelta(hours=hours), staff_id=staff.id)
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    def patient_token(self, patient: Patient, days: int = 30) -> dict[str, str]:
        plain = tokens.issue_token(self.clock(), timedelta(days=days), patient_id=patient.id)
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}


def _save(row):
    db.session.add(row)
    db.session.commit()
    return row
