"""Storing scores, from any source, with their timing relative to the last session."""

from datetime import datetime

from sqlalchemy import select

from server.enums import Measure, ScoreSource
from server.errors import InvalidField
from server.extensions import db
from server.models import Patient, Score, TreatmentSession
from server.outcomes import within_post_needling_window
from server.services.clinic_settings import clinic_rules
from server.services.flags import evaluation as flag_evaluation


def last_session_before(
    patient_id: int, at: datetime, inclusive: bool = True
) -> TreatmentSession | None:
    """The patient's most recent session at (if inclusive) or before `at`."""
    started = TreatmentSession.occurred_at <= at if inclusive else TreatmentSession.occurred_at < at
    return db.session.scalar(
        select(TreatmentSession)
        .where(TreatmentSession.patient_id == patient_id, started)
        .order_by(TreatmentSession.occurred_at.desc())
        .limit(1)
    )


def add_score(
    patient: Patient,
    measure: Measure,
    value: int,
    reported_at: datetime,
    source: ScoreSource,
    now: datetime,
    **links,
) -> Score:
    """Add a score (caller commits); the patient's flags are re-evaluated in that transaction."""
    _check_value(patient, measure, value, links)
    hours = _hours_since_session(patient.id, reported_at, source)
    window = clinic_rules(patient.clinic_id).post_needling_hours
    score = Score(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        measure=measure,
        value=value,
        reported_at=reported_at,
        source=source,
        hours_since_session=round(hours, 2) if hours is not None else None,
        in_post_needling_window=within_post_needling_window(hours, window),
        created_at=now,
        **links,
    )
    db.session.add(score)
    db.session.flush()  # the rules cite the new score's id as evidence
    flag_evaluation.evaluate_patient(patient, now, trigger_id=score.id)
    return score


def _check_value(patient: Patient, measure: Measure, value: int, links: dict) -> None:
    low, high = measure.min_value, measure.max_value
    if not low <= value <= high:
        raise InvalidField("value", f"must be a whole number from {low} to {high}")
    # A check-in's question is answered even if the program changed since; pain is always
    # accepted (the in-clinic score taken at a session).
    by_checkin = links.get("check_in_id") is not None
    asked = by_checkin or measure in patient.measures or measure is Measure.PAIN
    if not asked:
        raise InvalidField("measure", f"this patient is not tracked for {measure}")
    if (measure is Measure.PSFS) != (links.get("activity_id") is not None):
        raise InvalidField("activity_id", "a PSFS score names its activity, no other score does")


def _hours_since_session(patient_id: int, reported_at: datetime, source: ScoreSource):
    # An in-clinic score is taken before that day's needling, so it belongs to the earlier one.
    session = last_session_before(patient_id, reported_at, inclusive=source != ScoreSource.CLINIC)
    return (reported_at - session.occurred_at).total_seconds() / 3600 if session else None


def scores_of(patient_id: int, measure: Measure | None = None):
    """Select a patient's scores, oldest first."""
    query = select(Score).where(Score.patient_id == patient_id)
    if measure is not None:
        query = query.where(Score.measure == measure)
    return query.order_by(Score.reported_at, Score.id)
