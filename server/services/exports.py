"""The clinic's scores as CSV, streamed row batch by row batch so memory stays flat."""

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select

from server.extensions import db
from server.models import Patient, Score

BATCH = 2000
COLUMNS = (
    ("score_id", Score.id),
    ("patient_id", Score.patient_id),
    ("external_ref", Patient.external_ref),
    ("measure", Score.measure),
    ("value", Score.value),
    ("reported_at", Score.reported_at),
    ("source", Score.source),
    ("hours_since_session", Score.hours_since_session),
    ("in_post_needling_window", Score.in_post_needling_window),
    ("late", Score.late),
    ("check_in_id", Score.check_in_id),
    ("activity_id", Score.activity_id),  # the PSFS activity (its label may change; the id not)
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def scores_csv(clinic_id: int, patient_id: int | None = None) -> Iterator[str]:
    """The header row, then every score of the clinic (or one patient) oldest first, as CSV."""
    query = (
        select(*(column for _, column in COLUMNS))
        .join(Patient, Patient.id == Score.patient_id)
        .where(Score.clinic_id == clinic_id)
        .order_by(Score.reported_at, Score.id)
        # A server-side cursor on PostgreSQL: rows arrive BATCH at a time, never all at once.
        .execution_options(yield_per=BATCH)
    )
    if patient_id is not None:
        query = query.where(Score.patient_id == patient_id)
    yield _lines([[name for name, _ in COLUMNS]])
    result = db.session.execute(query)
    for rows in result.partitions():
        yield _lines(_cells(row) for row in rows)


def _lines(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _cells(row) -> list:
    return [_cell(value) for value in row]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
