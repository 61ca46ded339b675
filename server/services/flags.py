"""Opening and updating flags: at most one active flag per patient and rule."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from server.enums import FlagRule, FlagStatus, Measure, Severity
from server.extensions import db
from server.models import Flag, Patient

RULES_VERSION = "v1"


def active_flag(patient_id: int, rule: FlagRule) -> Flag | None:
    """The patient's open or acknowledged flag for this rule."""
    return db.session.scalar(
        select(Flag).where(
            Flag.patient_id == patient_id, Flag.rule == rule, Flag.status != FlagStatus.RESOLVED
        )
    )


def raise_flag(
    patient: Patient,
    rule: FlagRule,
    severity: Severity,
    reason: str,
    now: datetime,
    *,
    measure: Measure | None = None,
    evidence_score_ids: Sequence[int] = (),
    rule_version: str = RULES_VERSION,
) -> Flag:
    """Open a flag, or update the active one with the new reason and evidence (caller commits)."""
    flag = active_flag(patient.id, rule)
    if flag is None:
        flag = Flag(clinic_id=patient.clinic_id, patient_id=patient.id, rule=rule, opened_at=now)
        db.session.add(flag)
    flag.severity = max(severity, flag.severity or severity, key=lambda s: Severity(s).rank)
    flag.reason = reason
    flag.measure = measure
    flag.rule_version = rule_version
    flag.evidence_score_ids = sorted(set(flag.evidence_score_ids or []) | set(evidence_score_ids))
    flag.updated_at = now
    return flag
