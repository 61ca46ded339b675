"""The clinic's flags as staff triage them: one query for the API list and the dashboard inbox."""

from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import contains_eager

from server.enums import FlagStatus, Severity
from server.errors import NotFound
from server.extensions import db
from server.models import Flag, Patient
from server.models.flag import ACTIVE_FLAG

ACTIVE = "active"  # open or acknowledged: still needs someone
URGENT_FIRST = case({s: -s.rank for s in Severity}, value=Flag.severity)


def clinic_flags(clinic_id: int) -> Select:
    """Select the clinic's flags with their patient loaded."""
    return (
        select(Flag)
        .join(Patient, Patient.id == Flag.patient_id)
        .where(Flag.clinic_id == clinic_id)
        .options(contains_eager(Flag.patient))
    )


def triage_order(clinic_id: int, filters: dict[str, Any]) -> Select:
    """The clinic's flags by status (active by default) and filters, urgent first, then oldest."""
    query = clinic_flags(clinic_id)
    status = filters.get("status", ACTIVE)
    if status == ACTIVE:
        query = query.where(ACTIVE_FLAG)
    elif status is not None:  # None: every status
        query = query.where(Flag.status == status)
    for name in ("severity", "rule", "patient_id", "owner_id"):
        if filters.get(name) is not None:
            query = query.where(getattr(Flag, name) == filters[name])
    if filters.get("therapist_id") is not None:
        query = query.where(Patient.primary_therapist_id == filters["therapist_id"])
    return query.order_by(URGENT_FIRST, Flag.opened_at, Flag.id)


def clinic_flag(clinic_id: int, flag_id: int, lock: bool = False) -> Flag:
    """The clinic's flag with this id, or NotFound; locked (PostgreSQL) to change it."""
    query = clinic_flags(clinic_id).where(Flag.id == flag_id)
    # Locked on PostgreSQL so two staff resolving at once get one success and one 409.
    flag = db.session.scalar(query.with_for_update(of=Flag) if lock else query)
    if flag is None:
        raise NotFound("No such flag.")
    return flag


def open_urgent_count(clinic_id: int) -> int:
    """How many urgent flags of the clinic nobody has acknowledged yet."""
    return db.session.scalar(
        select(func.count(Flag.id)).where(
            Flag.clinic_id == clinic_id,
            Flag.status == FlagStatus.OPEN,
            Flag.severity == Severity.URGENT,
        )
    )
