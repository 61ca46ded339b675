"""Planning check-ins after a session or a discharge, and the clinic's check-in policy."""

import logging
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.enums import ActorType, CareStatus, CheckInStatus, ConsentStatus, Measure
from server.errors import InvalidField
from server.extensions import db
from server.models import CheckIn, Clinic, Patient, Staff
from server.planning.local_time import LEGAL_EARLIEST, LEGAL_LATEST, QuietHours
from server.planning.plan import ExistingCheckIn, PatientContext, Plan, plan_discharge, plan_session
from server.planning.policy import DEFAULT_POLICY, CheckInPolicy, PolicyError
from server.services import audit
from server.services.checkins import state as checkin_state

logger = logging.getLogger(__name__)
DISCHARGED = "discharged"
# The caps look back one rolling week from the new prompts, which all come after the event.
HISTORY = timedelta(days=8)
KIND_LENGTH = 100


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone of that name (cached: looked up for every message sent)."""
    return ZoneInfo(name)


def policy_of(clinic: Clinic) -> CheckInPolicy:
    """The clinic's check-in policy, or the default one."""
    if not clinic.checkin_policy:
        return DEFAULT_POLICY
    try:
        return CheckInPolicy.from_mapping(clinic.checkin_policy)
    except PolicyError:
        logger.error("clinic %s has an invalid check-in policy: using the default", clinic.id)
        return DEFAULT_POLICY


def quiet_hours_of(clinic: Clinic) -> QuietHours:
    """The clinic's send window, never wider than the legal 08:00-21:00."""
    start, end = max(clinic.quiet_start, LEGAL_EARLIEST), min(clinic.quiet_end, LEGAL_LATEST)
    try:
        return QuietHours(start, end)
    except ValueError:
        return QuietHours()


def texting_block(patient: Patient) -> str | None:
    """Why this patient cannot be texted now, or None when they can."""
    if patient.consent_status == ConsentStatus.OPTED_OUT:
        return "opted_out"
    if patient.consent_status != ConsentStatus.OPTED_IN:
        return "no_consent"
    if not patient.phone_valid:
        return "phone_invalid"
    if patient.care_status == CareStatus.PAUSED:
        return "paused"
    return DISCHARGED if patient.care_status == CareStatus.DISCHARGED else None


def checkin_block(patient: Patient, checkin: CheckIn) -> str | None:
    """Why this check-in cannot be sent to this patient now, or None when it can."""
    reason = texting_block(patient)
    # Discharge stops session check-ins, not the follow-ups (no session) measuring the outcome.
    return None if reason == DISCHARGED and checkin.session_id is None else reason


def plan_after_session(session_id: int, at: datetime, patient: Patient, now) -> list[CheckIn]:
    """Store the check-ins of a session just recorded (caller commits)."""
    clinic = db.session.get(Clinic, patient.clinic_id)
    args = _planning_args(clinic, patient, at)
    return _store(plan_session(at, *args, now), patient, session_id, at, now)


def plan_after_discharge(patient: Patient, now: datetime) -> list[CheckIn]:
    """Store the follow-ups of a discharge just recorded (caller commits)."""
    clinic = db.session.get(Clinic, patient.clinic_id)
    args = _planning_args(clinic, patient, now)
    return _store(plan_discharge(now, *args, now), patient, None, now, now)


def _planning_args(clinic: Clinic, patient: Patient, at: datetime) -> tuple:
    block = texting_block(patient)
    context = PatientContext(zone(patient.timezone), tuple(patient.measures), block is None, block)
    existing = db.session.scalars(
        select(CheckIn).where(CheckIn.patient_id == patient.id, CheckIn.due_at >= at - HISTORY)
    ).all()
    rows = [
        ExistingCheckIn(c.id, c.session_id, c.kind, _measures(c), c.due_at, c.status)
        for c in existing
    ]
    return context, rows, policy_of(clinic), clinic.send_hour, quiet_hours_of(clinic)


def _measures(checkin: CheckIn) -> tuple[Measure, ...]:
    return tuple(Measure(m) for m in checkin.measures)


def _store(plan: Plan, patient: Patient, session_id, event_at, now) -> list[CheckIn]:
    for checkin_id, reason in plan.cancel:
        checkin = db.session.get(CheckIn, checkin_id)
        checkin.status, checkin.status_reason = CheckInStatus.CANCELLED, reason
        checkin_state.cancel_queued_messages(checkin_id)
    widened = []
    for checkin_id, measures in plan.merge_into:
        checkin = db.session.get(CheckIn, checkin_id)
        checkin.measures = [str(m) for m in measures]
        if checkin.due_at > event_at:  # it now carries this event's check-in: it belongs to it
            checkin.session_id = session_id
        widened.append(checkin)
    new = [_new_row(planned, patient, session_id, now) for planned in plan.new]
    db.session.add_all(new)
    db.session.flush()
    return sorted([*new, *widened], key=lambda c: (c.due_at, c.id))


def _new_row(planned, patient: Patient, session_id: int | None, now: datetime) -> CheckIn:
    return CheckIn(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        session_id=session_id,
        kind="+".join((planned.kind, *planned.merged_kinds))[:KIND_LENGTH],
        measures=[str(m) for m in planned.measures],
        answered=[],
        due_at=planned.due_at,
        window_end=planned.window_end,
        status=planned.status,
        status_reason=planned.skip_reason,
        created_at=now,
    )


def checkins_of(patient_id: int, status: CheckInStatus | None = None):
    """Select a patient's check-ins, latest due first."""
    query = select(CheckIn).where(CheckIn.patient_id == patient_id)
    if status is not None:
        query = query.where(CheckIn.status == status)
    return query.order_by(CheckIn.due_at.desc(), CheckIn.id.desc())


def update_policy(
    staff: Staff, data: dict[str, Any], now: datetime, ip: str | None
) -> CheckInPolicy:
    """Replace the staff member's clinic's check-in policy (admins; checked by the API)."""
    try:
        policy = CheckInPolicy.from_mapping(data)
    except PolicyError as error:
        raise InvalidField(error.field, error.message) from None
    clinic = db.session.get(Clinic, staff.clinic_id)
    clinic.checkin_policy = policy.to_mapping()
    audit.record(
        ActorType.STAFF,
        staff.id,
        "clinic.checkin_policy.update",
        now,
        clinic_id=clinic.id,
        target=("clinic", clinic.id),
        ip=ip,
    )
    db.session.commit()
    return policy
