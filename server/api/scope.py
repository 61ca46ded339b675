"""Clinic scoping: another clinic's record is a 404, never a 403 that confirms it exists."""

from flask import g

from server import clock
from server.api.security import client_ip
from server.errors import NotFound
from server.extensions import db
from server.models import Patient
from server.services import audit


def clinic_patient(patient_id: int) -> Patient:
    """The caller's clinic's patient with this id, or 404."""
    patient = db.session.get(Patient, patient_id)
    if patient is None or patient.clinic_id != g.staff.clinic_id:
        raise NotFound("No such patient.")
    return patient


def audit_read(action: str, patient_id: int | None = None, **detail) -> None:
    """Audit the current staff member's read of patient data."""
    audit.staff_read(
        g.staff, action, clock.now(), patient_id=patient_id, ip=client_ip(), detail=detail or None
    )
