"""The audit trail: who read or changed what, when, from where."""

from datetime import datetime
from typing import Any

from server.enums import ActorType
from server.extensions import db
from server.models import AuditEvent


def record(
    actor_type: ActorType,
    actor_id: int | None,
    action: str,
    now: datetime,
    *,
    clinic_id: int | None,
    target: tuple[str, int | None] | None = None,
    ip: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add one audit event to the current transaction (caller commits)."""
    target_type, target_id = target or (None, None)
    db.session.add(
        AuditEvent(
            clinic_id=clinic_id,
            actor_type=actor_type,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            occurred_at=now,
            ip=ip,
            detail=detail,
        )
    )


Actor = tuple[ActorType, int | None]  # who: staff, patient or system, and their id


def by_staff(
    staff, action: str, patient_id: int | None, now: datetime, ip: str | None, detail=None
) -> None:
    """Add a staff member's read or change of a patient's record (caller commits)."""
    target = ("patient", patient_id) if patient_id is not None else None
    _add((ActorType.STAFF, staff.id), staff.clinic_id, target, action, now, ip, detail)


def on_clinic(staff, action: str, now: datetime, ip: str | None, detail=None) -> None:
    """Add an admin's change to the clinic's settings (caller commits)."""
    target = ("clinic", staff.clinic_id)
    _add((ActorType.STAFF, staff.id), staff.clinic_id, target, action, now, ip, detail)


def on_patient(
    actor: Actor, patient, action: str, now: datetime, ip: str | None, detail=None
) -> None:
    """Add anyone's action on a patient's record: staff, the patient or the system."""
    _add(actor, patient.clinic_id, ("patient", patient.id), action, now, ip, detail)


def by_patient(patient, action: str, now: datetime, ip: str | None, detail=None) -> None:
    """Add a patient's own action on their record (caller commits)."""
    on_patient((ActorType.PATIENT, patient.id), patient, action, now, ip, detail)


def _add(actor: Actor, clinic_id, target, action: str, now: datetime, ip, detail) -> None:
    record(*actor, action, now, clinic_id=clinic_id, target=target, ip=ip, detail=detail)


def staff_read(
    staff,
    action: str,
    now: datetime,
    *,
    patient_id: int | None = None,
    ip: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Audit and commit one staff read of patient data."""
    by_staff(staff, action, patient_id, now, ip, detail)
    db.session.commit()
