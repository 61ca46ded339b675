"""The dashboard's patient list: search, one page of rows and each row's recent figures."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select

from server.enums import CheckInStatus, Measure, MessageDirection, ScoreSource
from server.extensions import db
from server.models import CheckIn, Message, Patient, Score
from server.services.patient_list import patients_with_outcomes

SPARKLINE_DAYS = 56
RESPONSE_DAYS = 30


@dataclass
class RowFigures:
    """What a list row shows beside the stored outcome columns."""

    pain: list[tuple[datetime, int]] = field(default_factory=list)  # last 8 weeks, oldest first
    last_reply_at: datetime | None = None  # newest text or score from the patient (SMS or app)
    response_rate: float | None = None  # completed / (completed + expired), last 30 days


@dataclass
class PatientPage:
    patients: list[Patient]
    total: int
    figures: dict[int, RowFigures]


def search(query: Select, text: str) -> Select:
    """Narrow a patient select to a first name or EMR id containing `text` (any case)."""
    pattern = f"%{text.strip().lower()}%"
    return query.where(
        or_(
            func.lower(Patient.first_name).like(pattern),
            func.lower(Patient.external_ref).like(pattern),
        )
    )


def patient_page(
    clinic_id: int, filters: dict[str, Any], text: str, page: int, per_page: int, now: datetime
) -> PatientPage:
    """One page of the clinic's patients, filtered, searched and sorted, with row figures."""
    query = patients_with_outcomes(clinic_id, filters)
    if text.strip():
        query = search(query, text)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    patients = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return PatientPage(list(patients), total, row_figures([p.id for p in patients], now))


def row_figures(patient_ids: list[int], now: datetime) -> dict[int, RowFigures]:
    """Pain of the last 8 weeks, last reply and 30-day response rate, four queries in all."""
    figures = {pid: RowFigures() for pid in patient_ids}
    pain = (
        select(Score.patient_id, Score.reported_at, Score.value)
        .where(Score.patient_id.in_(patient_ids), Score.measure == Measure.PAIN)
        .where(Score.reported_at > now - timedelta(days=SPARKLINE_DAYS), Score.reported_at <= now)
        .order_by(Score.patient_id, Score.reported_at, Score.id)
    )
    for row in db.session.execute(pain):
        figures[row.patient_id].pain.append((row.reported_at, row.value))
    for patient_id, last in _last_replies(patient_ids):
        current = figures[patient_id].last_reply_at
        figures[patient_id].last_reply_at = max(last, current) if current else last
    for patient_id, rate in _response_rates(patient_ids, now).items():
        figures[patient_id].response_rate = rate
    return figures


def _last_replies(patient_ids: list[int]):
    texts = (
        select(Message.patient_id, func.max(Message.created_at))
        .where(Message.patient_id.in_(patient_ids), Message.direction == MessageDirection.INBOUND)
        .group_by(Message.patient_id)
    )
    answers = (
        select(Score.patient_id, func.max(Score.reported_at))
        .where(Score.patient_id.in_(patient_ids), Score.source != ScoreSource.CLINIC)
        .group_by(Score.patient_id)
    )
    return [*db.session.execute(texts), *db.session.execute(answers)]


def _response_rates(patient_ids: list[int], now: datetime) -> dict[int, float | None]:
    counts: dict[int, dict] = defaultdict(dict)
    query = (
        select(CheckIn.patient_id, CheckIn.status, func.count())
        .where(CheckIn.patient_id.in_(patient_ids))
        .where(CheckIn.status.in_([CheckInStatus.COMPLETED, CheckInStatus.EXPIRED]))
        .where(
            CheckIn.prompted_at >= now - timedelta(days=RESPONSE_DAYS), CheckIn.prompted_at <= now
        )
        .group_by(CheckIn.patient_id, CheckIn.status)
    )
    for patient_id, status, count in db.session.execute(query):
        counts[patient_id][status] = count
    return {pid: c.get(CheckInStatus.COMPLETED, 0) / sum(c.values()) for pid, c in counts.items()}
