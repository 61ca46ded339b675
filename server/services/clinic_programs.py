"""A clinic's condition programs: read them, and change one (admins), re-planning its patients'
check-ins still to come."""

from datetime import datetime
from typing import Any

from sqlalchemy import select

from server.errors import InvalidField, NotFound
from server.extensions import db
from server.models import Clinic, Patient, Staff
from server.programs import PROGRAMS, Program, ProgramError
from server.services import audit
from server.services.checkins import planning, weekly
from server.services.clinic_settings import programs_of


def described(program: Program) -> dict[str, Any]:
    """A program as the API shows it."""
    measures = [{"measure": m, "cadence": c} for m, c in program.measures]
    return {
        "id": program.id,
        "label": program.label,
        "measures": measures,
        "weekday": program.weekday,
    }


def clinic_programs(clinic_id: int) -> list[dict[str, Any]]:
    """The clinic's programs: the defaults with its changes."""
    return [described(p) for p in programs_of(db.session.get(Clinic, clinic_id)).values()]


def change_program(staff: Staff, key: str, data: dict[str, Any], now: datetime, ip) -> dict:
    """Replace one of the clinic's programs (admins; checked by the API); its patients'
    scheduled check-ins are re-asked and their weekly check-in re-planned."""
    if key not in PROGRAMS:
        raise NotFound("No such program.")
    clinic = db.session.get(Clinic, staff.clinic_id)
    mapping = {
        "measures": [
            {"measure": str(m["measure"]), "cadence": str(m["cadence"])} for m in data["measures"]
        ],
        "weekday": str(data["weekday"]),
    }
    try:
        program = PROGRAMS[key].with_mapping(mapping)
    except ProgramError as error:
        raise InvalidField(error.field, error.message) from None
    before = programs_of(clinic)[key]
    clinic.programs = {**(clinic.programs or {}), key: program.to_mapping()}
    replanned = _replan(clinic, key, now)
    detail = {"program": key, "from": before.to_mapping(), "to": program.to_mapping()}
    audit.on_clinic(staff, "clinic.program.update", now, ip, detail | {"patients": replanned})
    db.session.commit()
    return described(program)


def _replan(clinic: Clinic, key: str, now: datetime) -> int:
    """Re-ask each patient's scheduled check-ins by the changed program; plan the next weekly."""
    patients = db.session.scalars(
        select(Patient).where(Patient.clinic_id == clinic.id, Patient.program == key)
    ).all()
    for patient in patients:
        planning.replan_pending(patient, now)
        weekly.plan_next_week(patient, clinic, now)
    return len(patients)
