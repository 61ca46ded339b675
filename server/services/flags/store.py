"""Opening and updating flags (at most one active per patient and rule); staff acknowledge and
resolve them."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from server.enums import FlagRule, FlagStatus, Measure, Resolution, Severity
from server.errors import Conflict, InvalidField
from server.extensions import db
from server.models import Flag, Patient, Staff
from server.models.flag import ACTIVE_FLAG
from server.outcomes import Finding
from server.services import audit
from server.services.alerts.recipients import flag_became_urgent
from server.services.clinic_settings import clinic_rules


def active_flag(patient_id: int, rule: FlagRule) -> Flag | None:
    """The patient's open or acknowledged flag for this rule."""
    return db.session.scalar(
        select(Flag).where(
            Flag.patient_id == patient_id, Flag.rule == rule, ACTIVE_FLAG
        )
    )


def raise_finding(patient: Patient, finding: Finding, now: datetime, rule_version=None) -> Flag:
    """Open a flag for what a rule found, or update the active one (caller commits).

    The one way in for every raiser: the score rules (evaluation.py), non_response
    (checkins/reminders.py), reply_review and phone_invalid (their modules here). The flag
    carries the clinic's current rule version unless the caller evaluated with a given one.
    """
    version = rule_version or clinic_rules(patient.clinic_id).version
    flag = active_flag(patient.id, finding.rule) or new_flag(patient, finding.rule, now)
    return record_finding(flag, finding, now, version)


def raise_flag(
    patient: Patient,
    rule: FlagRule,
    severity: Severity,
    reason: str,
    now: datetime,
    *,
    measure: Measure | None = None,
    evidence_score_ids: Sequence[int] = (),
    rule_version: str | None = None,
) -> Flag:
    """raise_finding, with the finding given by its parts (tests, backfills)."""
    finding = Finding(rule, severity, reason, tuple(evidence_score_ids), measure)
    return raise_finding(patient, finding, now, rule_version)


def new_flag(patient: Patient, rule: FlagRule, now: datetime) -> Flag:
    """A new open flag, added to the session; record_finding fills in what was found."""
    flag = Flag(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        rule=rule,
        opened_at=now,
        status=FlagStatus.OPEN,
        owner_id=patient.primary_therapist_id,
        alert_round=0,
    )
    db.session.add(flag)
    return flag


def record_finding(
    flag: Flag, finding: Finding, now: datetime, rule_version: str, *, alert: bool = True
) -> Flag:
    """Set the flag's latest reason and rule version; severity and evidence only ever grow.

    A flag that becomes urgent here alerts its owner (services/alerts), whoever raised it;
    alert=False only for backfills of past data (the demo), which nobody is waiting on.
    """
    severity, was = finding.severity, flag.severity
    flag.severity = max(severity, flag.severity or severity, key=lambda s: Severity(s).rank)
    flag.reason = finding.reason
    flag.measure = finding.measure
    flag.rule_version = rule_version
    evidence = set(flag.evidence_score_ids or []) | set(finding.evidence_score_ids)
    flag.evidence_score_ids = sorted(evidence)
    flag.updated_at = now
    if alert and flag.severity == Severity.URGENT and was != Severity.URGENT:
        flag_became_urgent(flag, now)
    return flag


def acknowledge(staff: Staff, flag: Flag, note: str | None, now: datetime, ip: str | None) -> Flag:
    """Mark an open flag as seen by this staff member; audited, committed."""
    if flag.status != FlagStatus.OPEN:
        raise Conflict(f"This flag is already {flag.status}.")
    flag.status = FlagStatus.ACKNOWLEDGED
    flag.acknowledged_by_id, flag.acknowledged_at, flag.acknowledge_note = staff.id, now, note
    flag.first_acknowledged_at = flag.first_acknowledged_at or now
    _audit(staff, flag, "flag.acknowledge", now, ip)
    db.session.commit()
    return flag


def resolve(
    staff: Staff,
    flag: Flag,
    resolution: Resolution,
    note: str | None,
    now: datetime,
    ip: str | None,
) -> Flag:
    """Close an open or acknowledged flag with a resolution code; audited, committed."""
    if flag.status == FlagStatus.RESOLVED:
        raise Conflict("This flag is already resolved.")
    if resolution == Resolution.OTHER and not (note or "").strip():
        raise InvalidField("note", "say what was done when the resolution is 'other'")
    flag.status = FlagStatus.RESOLVED
    flag.resolved_by_id, flag.resolved_at = staff.id, now
    flag.resolution, flag.resolve_note = resolution, note
    _audit(staff, flag, "flag.resolve", now, ip, resolution=str(resolution))
    db.session.commit()
    return flag


def _audit(staff: Staff, flag: Flag, action: str, now: datetime, ip: str | None, **detail):
    detail = {"flag_id": flag.id, "rule": str(flag.rule), **detail}
    audit.by_staff(staff, action, flag.patient_id, now, ip, detail)
