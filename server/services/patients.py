"""Enrolling patients, changing their details, consent and discharge."""

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from server.enums import ActorType, CareStatus
from server.errors import Conflict, InvalidField
from server.extensions import db
from server.models import Clinic, ConsentEvent, Patient, Staff
from server.services import audit, consent, tokens
from server.services.checkins import planning as checkins
from server.services.checkins import weekly


def enrol(
    staff: Staff, fields: dict[str, Any], now: datetime, ip: str | None, consent_fields=None
) -> Patient:
    """Create a patient in the staff member's clinic (with the consent they gave, if any)."""
    check_staff_member(staff.clinic_id, fields.get("primary_therapist_id"), "primary_therapist_id")
    patient = Patient(clinic_id=staff.clinic_id, created_at=now, **fields)
    db.session.add(patient)
    _flush_unique(patient)
    audit.by_staff(staff, "patient.create", patient.id, now, ip)
    if consent_fields:
        _consent_by_staff(staff, patient, consent_fields, now, ip)
    db.session.commit()
    return patient


def update(staff: Staff, patient: Patient, fields: dict[str, Any], now, ip) -> Patient:
    """Change a patient's details; care status can pause or reactivate, not discharge."""
    if "primary_therapist_id" in fields:
        check_staff_member(staff.clinic_id, fields["primary_therapist_id"], "primary_therapist_id")
    if fields.get("care_status") == CareStatus.DISCHARGED:
        raise InvalidField("care_status", "use POST /patients/{id}/discharge to discharge")
    if fields.get("phone", patient.phone) != patient.phone:
        patient.phone_valid = True  # a new number deserves a new try after 21211/21614
        # Whoever signed in to the app with the old number must not keep reading this record.
        tokens.revoke_patient_tokens(patient.id, now)
    program_before = patient.program
    for name, value in fields.items():
        setattr(patient, name, value)
    _flush_unique(patient)
    detail = {"fields": sorted(fields)}
    if patient.program != program_before:  # a new program re-asks the check-ins still to come
        detail |= {"program_from": program_before, "program_to": patient.program}
        detail["replanned"] = checkins.replan_pending(patient, now)
        if patient.program is not None:
            weekly.plan_next_week(patient, db.session.get(Clinic, patient.clinic_id), now)
    audit.by_staff(staff, "patient.update", patient.id, now, ip, detail=detail)
    db.session.commit()
    return patient


def check_staff_member(clinic_id: int, staff_id: int | None, field: str) -> None:
    """Raise a 422 on `field` unless staff_id is None or a staff member of this clinic."""
    if staff_id is None:
        return
    member = db.session.get(Staff, staff_id)
    if member is None or member.clinic_id != clinic_id:
        raise InvalidField(field, "no such staff member in this clinic")


def _flush_unique(patient: Patient) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        field = "external_ref" if "external_ref" in str(error.orig) else "phone"
        raise Conflict(
            f"Another patient in this clinic has this {field}.",
            errors={field: ["already used by another patient in this clinic"]},
        ) from None


def record_consent(staff: Staff, patient: Patient, fields: dict[str, Any], now, ip) -> ConsentEvent:
    """Staff record consent given or revoked (intake form, phone call, ...)."""
    event = _consent_by_staff(staff, patient, fields, now, ip)
    db.session.commit()
    return event


def _consent_by_staff(staff: Staff, patient: Patient, fields: dict[str, Any], now, ip):
    return consent.change(
        patient,
        fields["action"],
        fields["source"],
        now,
        actor=(ActorType.STAFF, staff.id),
        ip=ip,
        wording_version=fields.get("wording_version"),
        note=fields.get("note"),
    )


def discharge(staff: Staff, patient: Patient, now: datetime, ip: str | None) -> Patient:
    """Discharge a patient from care and plan their follow-up check-ins."""
    if patient.care_status == CareStatus.DISCHARGED:
        raise Conflict("This patient is already discharged.")
    patient.care_status = CareStatus.DISCHARGED
    patient.discharged_at = now
    checkins.plan_after_discharge(patient, now)
    audit.by_staff(staff, "patient.discharge", patient.id, now, ip)
    db.session.commit()
    return patient
