"""Recording treatment sessions and in-clinic scores."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from server.enums import CareStatus, Measure, ScoreSource
from server.errors import Conflict, InvalidField
from server.extensions import db
from server.models import CheckIn, Patient, Score, Staff, TreatmentSession
from server.services import audit, scores
from server.services.checkins import planning as checkins
from server.services.patients import check_staff_member

# Times a client sends: no later than now plus the clinic PC's clock skew, and no earlier than
# the patient's enrolment minus HISTORY (a first visit recorded after the patient was enrolled).
CLOCK_SKEW = timedelta(minutes=5)
HISTORY = timedelta(days=30)


@dataclass(frozen=True)
class RecordedSession:
    """A session just recorded, with its in-clinic score and the check-ins planned for it."""

    session: TreatmentSession
    in_clinic_score: Score | None
    checkins: list[CheckIn]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)  # the session's own fields, for one response


def record_session(
    staff: Staff, patient: Patient, fields: dict[str, Any], now: datetime, ip: str | None
) -> RecordedSession:
    """Record a session, its optional in-clinic pain score and its check-ins in one transaction."""
    if patient.care_status == CareStatus.DISCHARGED:
        raise Conflict("This patient is discharged; set care_status to active first.")
    session = _new_session(staff, patient, fields, now)
    score = None
    if fields.get("in_clinic_pain") is not None:
        pain, at = fields["in_clinic_pain"], session.occurred_at
        score = scores.add_score(patient, Measure.PAIN, pain, at, ScoreSource.CLINIC, now)
    planned = checkins.plan_after_session(session.id, session.occurred_at, patient, now)
    detail = {"session_id": session.id, "checkin_ids": [c.id for c in planned]}
    audit.by_staff(staff, "session.create", patient.id, now, ip, detail=detail)
    db.session.commit()
    return RecordedSession(session, score, planned)


def _new_session(staff: Staff, patient: Patient, fields: dict[str, Any], now) -> TreatmentSession:
    occurred_at = check_client_time("occurred_at", fields["occurred_at"], patient, now)
    therapist_id = fields.get("therapist_id") or staff.id
    check_staff_member(staff.clinic_id, therapist_id, "therapist_id")
    session = TreatmentSession(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        therapist_id=therapist_id,
        occurred_at=occurred_at,
        regions=fields.get("regions", []),
        created_at=now,
    )
    db.session.add(session)
    db.session.flush()
    return session


def record_clinic_score(
    staff: Staff, patient: Patient, fields: dict[str, Any], now: datetime, ip: str | None
) -> Score:
    """Record a score measured in the clinic."""
    reported_at = check_client_time("reported_at", fields.get("reported_at") or now, patient, now)
    _never_a_silent_baseline(patient, fields["measure"], reported_at, now)
    score = scores.add_score(
        patient, fields["measure"], fields["value"], reported_at, ScoreSource.CLINIC, now
    )
    db.session.flush()
    audit.by_staff(staff, "score.create", patient.id, now, ip, detail={"score_id": score.id})
    db.session.commit()
    return score


def check_client_time(field: str, at: datetime, patient: Patient, now: datetime) -> datetime:
    """Refuse a time in the future (beyond clock skew) or before the patient could be treated."""
    if at > now + CLOCK_SKEW:
        raise InvalidField(field, "cannot be in the future")
    earliest = patient.created_at - HISTORY
    if at < earliest:
        raise InvalidField(
            field, f"cannot be before {earliest:%Y-%m-%d} (30 days before the patient's enrolment)"
        )
    return at


def _never_a_silent_baseline(patient: Patient, measure: Measure, at: datetime, now: datetime):
    """A backdated score earlier than every reading would become the baseline: refuse it."""
    if at >= now - CLOCK_SKEW:
        return
    first = db.session.scalar(
        select(func.min(Score.reported_at)).where(
            Score.patient_id == patient.id, Score.measure == measure
        )
    )
    if first is not None and at < first:
        raise InvalidField(
            "reported_at",
            "earlier than the patient's first reading: it would become the baseline; "
            "record it as the in-clinic pain of a session instead",
        )


def sessions_of(patient_id: int):
    """Select a patient's sessions, newest first (a page of them: `with_details`)."""
    return (
        select(TreatmentSession)
        .where(TreatmentSession.patient_id == patient_id)
        .order_by(TreatmentSession.occurred_at.desc())
    )


def with_details(sessions: list[TreatmentSession]) -> list[RecordedSession]:
    """Each session with its in-clinic score and planned check-ins (two queries for a page)."""
    planned = db.session.scalars(
        select(CheckIn)
        .where(CheckIn.session_id.in_([s.id for s in sessions]))
        .order_by(CheckIn.due_at, CheckIn.id)
    ).all()
    in_clinic = db.session.scalars(
        select(Score).where(
            Score.patient_id.in_({s.patient_id for s in sessions}),
            Score.source == ScoreSource.CLINIC,
            Score.measure == Measure.PAIN,
            Score.reported_at.in_({s.occurred_at for s in sessions}),
        )
    ).all()
    at = {(s.patient_id, s.reported_at): s for s in in_clinic}
    return [
        RecordedSession(
            session,
            at.get((session.patient_id, session.occurred_at)),
            [c for c in planned if c.session_id == session.id],
        )
        for session in sessions
    ]
