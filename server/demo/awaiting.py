"""Demo check-ins that were just prompted and await a reply, so a reply can be tried at once."""

from datetime import datetime, timedelta

from sqlalchemy import select

from server.enums import CareStatus, CheckInStatus, ConsentStatus, Measure
from server.extensions import db
from server.models import CheckIn, Clinic, Patient, TreatmentSession

AWAITING = 2


def prompt_some(clinic: Clinic, now: datetime) -> list[Patient]:
    """Give two opted-in demo patients a pain check-in prompted an hour ago (caller commits)."""
    query = select(Patient).where(
        Patient.clinic_id == clinic.id,
        Patient.consent_status == ConsentStatus.OPTED_IN,
        Patient.care_status == CareStatus.ACTIVE,
    )
    patients = db.session.scalars(query.order_by(Patient.id).limit(AWAITING)).all()
    for patient in patients:
        session_id = db.session.scalar(
            select(TreatmentSession.id)
            .where(TreatmentSession.patient_id == patient.id)
            .order_by(TreatmentSession.occurred_at.desc())
            .limit(1)
        )
        prompted = now - timedelta(hours=1)
        db.session.add(
            CheckIn(
                clinic_id=clinic.id, patient_id=patient.id, session_id=session_id,
                kind="day3", measures=[Measure.PAIN], answered=[], due_at=prompted,
                window_end=prompted + timedelta(hours=48), status=CheckInStatus.PROMPTED,
                prompted_at=prompted, created_at=prompted,
            )
        )
    return patients
