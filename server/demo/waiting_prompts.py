"""Demo patients whose check-in was just prompted, so a newcomer can answer one at once."""

from datetime import datetime, timedelta

from sqlalchemy import select

from server.enums import (
    CheckInStatus,
    MessageDirection,
    MessagePurpose,
    MessageStatus,
)
from server.extensions import db
from server.models import CheckIn, Clinic, Message, Patient, TreatmentSession
from server.models.patient import TEXTABLE
from server.services import psfs_activities
from server.services.clinic_settings import policy_of
from server.sms.templates import question

ASKED_MINUTES_AGO = 20


def leave_prompts_waiting(clinic: Clinic, now: datetime, count: int = 2) -> list[int]:
    """Give `count` textable patients a prompted check-in (its question sent) awaiting a reply."""
    patients = db.session.scalars(
        select(Patient)
        .where(Patient.clinic_id == clinic.id, TEXTABLE)
        .order_by(Patient.id)
        .limit(count)
    ).all()
    asked = now - timedelta(minutes=ASKED_MINUTES_AGO)
    window = timedelta(hours=policy_of(clinic).window_hours)
    for patient in patients:
        checkin = _prompted_checkin(patient, asked, asked + window)
        db.session.add(_sent_question(clinic, patient, checkin, asked))
    db.session.commit()
    return [p.id for p in patients]


def _prompted_checkin(patient: Patient, asked: datetime, window_end: datetime) -> CheckIn:
    last_session = db.session.scalar(
        select(TreatmentSession.id)
        .where(TreatmentSession.patient_id == patient.id)
        .order_by(TreatmentSession.occurred_at.desc())
        .limit(1)
    )
    checkin = CheckIn(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        session_id=last_session,
        kind="day3",
        measures=patient.measures,
        due_at=asked,
        window_end=window_end,
        status=CheckInStatus.PROMPTED,
        prompted_at=asked,
        created_at=asked,
    )
    db.session.add(checkin)
    db.session.flush()
    return checkin


def _sent_question(clinic: Clinic, patient: Patient, checkin: CheckIn, asked: datetime) -> Message:
    return Message(
        clinic_id=clinic.id,
        patient_id=patient.id,
        check_in_id=checkin.id,
        direction=MessageDirection.OUTBOUND,
        purpose=MessagePurpose.PROMPT,
        body=question(checkin.next_question(), patient.language, clinic.name, _activity(checkin)),
        to_number=patient.phone,
        from_number=clinic.sms_sender or "",
        status=MessageStatus.DELIVERED,
        segments=1,
        sent_at=asked,
        created_at=asked,
    )


def _activity(checkin: CheckIn) -> str:
    return psfs_activities.next_label(checkin, checkin.patient_id)
