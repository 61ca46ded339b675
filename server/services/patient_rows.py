"""The dashboard's patient list: search, one page of rows and each row's recent figures."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

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
    """Pain of the last 8 weeks, last reply and 30-day response rate, in one round trip."""
    figures = {pid: RowFigures() for pid in patient_ids}
    if not patient_ids:
        return figures
    counts: dict[int, dict] = defaultdict(dict)
    for patient_id, kind, at, value in db.session.execute(
        FIGURES, _figures_params(patient_ids, now)
    ):
        row = figures[patient_id]
        if kind == "pain":
            row.pain.append((at, value))
        elif kind == "reply" and at is not None:
            row.last_reply_at = max(at, row.last_reply_at) if row.last_reply_at else at
        else:
            counts[patient_id][kind] = value
    for patient_id, by_status in counts.items():
        completed = by_status.get(str(CheckInStatus.COMPLETED), 0)
        figures[patient_id].response_rate = completed / sum(by_status.values())
    return figures


def _figures_params(patient_ids: list[int], now: datetime) -> dict:
    return {
        "ids": patient_ids,
        "now": now,
        "pain_since": now - timedelta(days=SPARKLINE_DAYS),
        "response_since": now - timedelta(days=RESPONSE_DAYS),
    }


def _figures_statement():
    """Pain readings, newest reply by text and by answer, and closed check-ins by status:
    (patient_id, kind, at, value) rows of one UNION ALL, built once with bound parameters."""
    ids, now = bindparam("ids", expanding=True), bindparam("now")
    figures = union_all(_pain(ids, now), *_replies(ids), _closed(ids, now)).subquery()
    return select(*figures.c).order_by(figures.c[0], figures.c[2])


def _pain(ids, now):
    return select(Score.patient_id, literal("pain"), Score.reported_at, Score.value).where(
        Score.patient_id.in_(ids),
        Score.measure == Measure.PAIN,
        Score.reported_at > bindparam("pain_since"),
        Score.reported_at <= now,
    )


def _replies(ids):
    """The newest text and the newest answer (by SMS or the app) of each patient."""
    no_value = null().cast(Integer)
    texts = (
        select(Message.patient_id, literal("reply"), func.max(Message.created_at), no_value)
        .where(Message.patient_id.in_(ids), Message.direction == MessageDirection.INBOUND)
        .group_by(Message.patient_id)
    )
    answers = (
        select(Score.patient_id, literal("reply"), func.max(Score.reported_at), no_value)
        .where(Score.patient_id.in_(ids), Score.source != ScoreSource.CLINIC)
        .group_by(Score.patient_id)
    )
    return texts, answers


def _closed(ids, now):
    no_time = null().cast(Score.reported_at.type)
    return (
        select(CheckIn.patient_id, cast(CheckIn.status, String), no_time, func.count())
        .where(
            CheckIn.patient_id.in_(ids),
            CheckIn.status.in_([CheckInStatus.COMPLETED, CheckInStatus.EXPIRED]),
            CheckIn.prompted_at >= bindparam("response_since"),
            CheckIn.prompted_at <= now,
        )
        .group_by(CheckIn.patient_id, CheckIn.status)
    )


# Built once: building and keying the statement cost more than running it (25 rows, ~1 ms).
FIGURES = _figures_statement()
