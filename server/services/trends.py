"""A patient's trends: each measure's series, baseline, change, MCID category, best and mean.

Readings are built here for the clinical rules too, so flags and trends see the same window.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from server.enums import Measure
from server.extensions import db
from server.models import Patient, Score, TreatmentSession
from server.outcomes import (
    Reading,
    RuleSet,
    TrendSummary,
    summarize,
    within_post_needling_window,
)
from server.services.clinic_settings import clinic_rules

_READING_COLUMNS = (
    Score.id,
    Score.patient_id,
    Score.measure,
    Score.value,
    Score.reported_at,
    Score.source,
    Score.hours_since_session,
    Score.late,
    Score.activity_id,
)


@dataclass(frozen=True)
class PatientTrends:
    """What the trends screen shows: session markers and one summary per measure."""

    patient_id: int
    rule_version: str
    sessions: list[TreatmentSession]
    measures: list[TrendSummary]


def readings_of(patient_id: int, rules: RuleSet) -> list[Reading]:
    """The patient's scores as readings, oldest first."""
    return readings_by_patient([patient_id], rules).get(patient_id, [])


def readings_by_patient(patient_ids: Iterable[int], rules: RuleSet) -> dict[int, list[Reading]]:
    """Readings of several patients in one query, by patient id, oldest first."""
    query = (
        select(*_READING_COLUMNS)
        .where(Score.patient_id.in_(list(patient_ids)))
        .order_by(Score.patient_id, Score.reported_at, Score.id)
    )
    found: dict[int, list[Reading]] = defaultdict(list)
    for row in db.session.execute(query):
        found[row.patient_id].append(_reading(row, rules))
    return found


def _reading(row, rules: RuleSet) -> Reading:
    # The window is recomputed with the clinic's threshold, not read from the stored 72 h mark.
    return Reading(
        score_id=row.id,
        measure=row.measure,
        value=row.value,
        reported_at=row.reported_at,
        source=row.source,
        hours_since_session=row.hours_since_session,
        in_post_needling_window=within_post_needling_window(
            row.hours_since_session, rules.post_needling_hours
        ),
        late=row.late,
        activity_id=row.activity_id,
    )


def patient_trends(patient: Patient, now: datetime) -> PatientTrends:
    """Sessions and, for each measure asked (or ever answered), the trend up to now."""
    rules = clinic_rules(patient.clinic_id)
    readings = readings_of(patient.id, rules)
    answered = {r.measure for r in readings}
    measures = [m for m in Measure if m in patient.measures or m in answered]
    sessions = db.session.scalars(
        select(TreatmentSession)
        .where(TreatmentSession.patient_id == patient.id, TreatmentSession.occurred_at <= now)
        .order_by(TreatmentSession.occurred_at)
    ).all()
    return PatientTrends(
        patient_id=patient.id,
        rule_version=rules.version,
        sessions=list(sessions),
        measures=[summarize(readings, m, now, rules) for m in measures],
    )
