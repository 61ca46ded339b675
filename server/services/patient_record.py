"""Everything the patient page shows, read in a handful of queries: the record of one patient."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from server.enums import FlagStatus, ScoreSource
from server.extensions import db
from server.models import CheckIn, Flag, Message, Patient, Score
from server.outcomes import RuleSet
from server.services import clinic_settings, flag_inbox, trends
from server.services.checkins import planning as checkins

TIMELINE_ROWS = 100
TRANSCRIPT_ROWS = 200


@dataclass
class PatientRecord:
    patient: Patient
    trends: trends.PatientTrends
    rules: RuleSet
    unsolicited: set[int]  # score ids sent by the patient with no check-in open
    active_flags: list[Flag]
    past_flags: list[Flag]
    checkins: list[CheckIn]
    messages: list[Message]


def transcript(patient_id: int):
    """Select a patient's messages in the order they happened (sent, else created)."""
    return (
        select(Message)
        .where(Message.patient_id == patient_id)
        .options(selectinload(Message.status_history))
        .order_by(func.coalesce(Message.sent_at, Message.created_at), Message.id)
    )


def record_of(patient: Patient, now: datetime) -> PatientRecord:
    """The patient's trends, flags, check-in timeline and latest texts."""
    clinic_id, patient_id = patient.clinic_id, patient.id
    every_status = {"status": None, "patient_id": patient_id}
    flags = db.session.scalars(flag_inbox.triage_order(clinic_id, every_status)).all()
    newest = (
        transcript(patient_id)
        .order_by(None)
        .order_by(func.coalesce(Message.sent_at, Message.created_at).desc(), Message.id.desc())
    )
    return PatientRecord(
        patient=patient,
        trends=trends.patient_trends(patient, now),
        rules=clinic_settings.clinic_rules(clinic_id),
        unsolicited=_unsolicited(patient_id),
        active_flags=[f for f in flags if f.status != FlagStatus.RESOLVED],
        past_flags=[f for f in flags if f.status == FlagStatus.RESOLVED],
        checkins=list(db.session.scalars(checkins.checkins_of(patient_id).limit(TIMELINE_ROWS))),
        messages=list(reversed(db.session.scalars(newest.limit(TRANSCRIPT_ROWS)).all())),
    )


def _unsolicited(patient_id: int) -> set[int]:
    query = select(Score.id).where(
        Score.patient_id == patient_id,
        Score.check_in_id.is_(None),
        Score.source != ScoreSource.CLINIC,
    )
    return set(db.session.scalars(query))
