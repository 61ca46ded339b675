"""The clinic's patient list with outcomes: latest pain, change, MCID and open flags."""

from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import with_expression

from server.models import Flag, Patient
from server.models.flag import ACTIVE_FLAG

OPEN_FLAGS = (
    select(func.count(Flag.id))
    .where(Flag.patient_id == Patient.id, ACTIVE_FLAG)
    .correlate(Patient)
    .scalar_subquery()
)
SORTS = {
    "created": Patient.id,
    "change": Patient.pain_change,
    "latest_pain": Patient.latest_pain,
    "open_flags": OPEN_FLAGS,
}
SORT_CHOICES = [f"{sign}{name}" for name in SORTS for sign in ("", "-")]


def patients_with_outcomes(clinic_id: int, filters: dict[str, Any]) -> Select:
    """Select the clinic's patients with their open flag count, filtered and sorted."""
    query = select(Patient).where(Patient.clinic_id == clinic_id)
    for name, column in (
        ("care_status", Patient.care_status),
        ("consent_status", Patient.consent_status),
        ("therapist_id", Patient.primary_therapist_id),
        ("mcid", Patient.pain_mcid),
    ):
        if name in filters:
            query = query.where(column == filters[name])
    if "flagged" in filters:
        flagged = exists().where(Flag.patient_id == Patient.id, ACTIVE_FLAG)
        query = query.where(flagged if filters["flagged"] else ~flagged)
    order = _order(filters.get("sort", "-created"))
    return query.order_by(*order).options(with_expression(Patient.open_flags, OPEN_FLAGS))


def _order(sort: str) -> tuple:
    column = SORTS[sort.removeprefix("-")]
    direction = column.desc() if sort.startswith("-") else column.asc()
    # Patients with no figure yet come last either way; the id keeps pages stable on ties.
    return direction.nulls_last(), Patient.id.desc()
