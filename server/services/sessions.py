"""Recording treatment sessions and in-clinic scores."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from server.enums import CareStatus, Measure, ScoreSource
from server.errors import Conflict, InvalidField
from server.extensions import db
from server.models import CheckIn, Patient, Score, Staff, TreatmentSession
from server.services import audit, scores
from server.services.checkins import planning as checkins
from server.services.patients import check_staff_member

MAX_FUTURE = timedelta(hours=1)  # clock skew between the clinic PC and us


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
    occurred_at = fields["occurred_at"]
    if occurred_at > now + MAX_FUTURE:
        raise InvalidField("occurred_at", "a session cannot be recorded in the future")
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
    reported_at = fields.get("reported_at") or now
    if reported_at > now + MAX_FUTURE:
        raise InvalidField("reported_at", "a score cannot be recorded in the future")
    score = scores.add_score(
        patient, fields["measure"], fields["value"], reported_at, ScoreSource.CLINIC, now
    )
    db.session.flush()
    audit.by_staff(staff, "score.create", patient.id, now, ip, detail={"score_id": score.id})
    db.session.commit()
    return score
