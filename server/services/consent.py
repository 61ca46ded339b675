"""Consent to be texted: the one path that grants or revokes it, whoever records it.

Keywords (STOP, plain-language opt-outs, START), staff, the patient app and Twilio's 21610
all come here: one consent event, one audit event and, on a revocation, the patient's pending
check-ins cancelled, in the caller's transaction.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select

from server.enums import ActorType, ConsentAction, ConsentSource, ConsentStatus
from server.extensions import db
from server.models import ConsentEvent, Patient
from server.services import audit
from server.services.checkins import state as checkin_state

# Why pending check-ins were cancelled, as the check-in timeline shows it.
CANCEL_REASONS = {
    ConsentSource.KEYWORD: "patient opted out by SMS",
    ConsentSource.TWILIO_21610: "opted out: Twilio refused a text (21610)",
    ConsentSource.APP: "patient opted out in the app",
}
STAFF_CANCEL_REASON = "opted out (recorded by staff)"


def change(
    patient: Patient,
    action: ConsentAction,
    source: ConsentSource,
    now: datetime,
    *,
    actor: audit.Actor,
    ip: str | None = None,
    **evidence: Any,  # wording_version, evidence_message_id, note: stored on the event
) -> ConsentEvent:
    """Record consent granted or revoked, audit it, cancel pending check-ins (caller commits)."""
    event = ConsentEvent(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        action=action,
        source=source,
        occurred_at=now,
        actor_type=actor[0],
        actor_id=actor[1],
        **evidence,
    )
    db.session.add(event)
    granted = action is ConsentAction.GRANTED
    patient.consent_status = ConsentStatus.OPTED_IN if granted else ConsentStatus.OPTED_OUT
    if not granted:
        checkin_state.cancel_pending_checkins(patient.id, _cancel_reason(source, actor))
    detail = {"action": str(action), "source": str(source)}
    audit.on_patient(actor, patient, "patient.consent", now, ip, detail)
    return event


def _cancel_reason(source: ConsentSource, actor: audit.Actor) -> str:
    if actor[0] is ActorType.STAFF:
        return STAFF_CANCEL_REASON
    return CANCEL_REASONS.get(source, STAFF_CANCEL_REASON)


def history(patient_id: int):
    """Select a patient's consent events, oldest first."""
    return (
        select(ConsentEvent)
        .where(ConsentEvent.patient_id == patient_id)
        .order_by(ConsentEvent.occurred_at, ConsentEvent.id)
    )


def record_by_patient(patient: Patient, action: ConsentAction, now: datetime, ip) -> ConsentEvent:
    """The patient opts out (or back in) from the app: as by SMS, one consent path."""
    event = change(
        patient, action, ConsentSource.APP, now, actor=(ActorType.PATIENT, patient.id), ip=ip
    )
    db.session.commit()
    return event
