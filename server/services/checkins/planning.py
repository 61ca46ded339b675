"""Planning check-ins after a session or a discharge (the clinic's settings: clinic_settings)."""

from datetime import datetime, timedelta

from sqlalchemy import select

from server.enums import CareStatus, CheckInStatus, ConsentStatus, Measure
from server.extensions import db
from server.models import CheckIn, Clinic, Patient
from server.planning.plan import ExistingCheckIn, PatientContext, Plan, plan_discharge, plan_session
from server.planning.policy import DISCHARGE, SESSION
from server.planning.questions import fill, measures_by_kind
from server.services import psfs_activities
from server.services.checkins import state as checkin_state
from server.services.clinic_settings import (
    clinic_rules,
    policy_of,
    programs_of,
    quiet_hours_of,
    zone,
)

DISCHARGED = "discharged"
PROGRAM_CHANGED = "program changed: this check-in has nothing left to ask"
PROGRAM_REPLANNED = "program changed: the weekly check-in is planned again by the new program"
# The caps look back one rolling week from the new prompts, which all come after the event.
HISTORY = timedelta(days=8)
KIND_LENGTH = 100


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
    # Discharge stops session and weekly check-ins, not the follow-ups measuring the outcome.
    follow_up = checkin.session_id is None and checkin.week_of is None
    return None if reason == DISCHARGED and follow_up else reason


def plan_after_session(session_id: int, at: datetime, patient: Patient, now) -> list[CheckIn]:
    """Store the check-ins of a session just recorded (caller commits)."""
    clinic = db.session.get(Clinic, patient.clinic_id)
    args = planning_args(clinic, patient, at)
    soreness = timedelta(hours=clinic_rules(clinic.id).post_needling_hours)
    return store(plan_session(at, *args, now, soreness), patient, session_id, at, now)


def plan_after_discharge(patient: Patient, now: datetime) -> list[CheckIn]:
    """Store the follow-ups of a discharge just recorded (caller commits)."""
    clinic = db.session.get(Clinic, patient.clinic_id)
    args = planning_args(clinic, patient, now)
    return store(plan_discharge(now, *args, now), patient, None, now, now)


def replan_pending(patient: Patient, now: datetime) -> int:
    """Re-ask the patient's scheduled check-ins by their (new) program; caller commits.

    Each keeps its kind and due time and asks what that kind asks now; one left with nothing
    to ask is cancelled with why. Prompted check-ins keep the questions already sent. The
    program's own weekly check-ins are cancelled: the caller plans the next one again
    (services/checkins/weekly.py), on the program's weekday and with its measures.
    """
    clinic = db.session.get(Clinic, patient.clinic_id)
    pending = db.session.scalars(
        select(CheckIn).where(
            CheckIn.patient_id == patient.id, CheckIn.status == CheckInStatus.SCHEDULED
        )
    ).all()
    for checkin in pending:
        if is_weekly(checkin):
            checkin.status, checkin.status_reason = CheckInStatus.CANCELLED, PROGRAM_REPLANNED
            continue
        context, *_ = planning_args(clinic, patient, checkin.due_at)
        on = SESSION if checkin.session_id is not None else DISCHARGE
        by_kind = {k.kind: m for k, m in measures_by_kind(policy_of(clinic), on, context)}
        wanted = [
            m for m in Measure if any(m in by_kind.get(k, ()) for k in checkin.kind.split("+"))
        ]
        measures, _ = fill((), wanted, context)
        checkin.measures = psfs_activities.expand(list(measures), patient.id)
        if not checkin.measures:
            checkin.status, checkin.status_reason = CheckInStatus.CANCELLED, PROGRAM_CHANGED
        checkin.week_of = None  # a session check-in carrying a weekly one carries it no more
    return len(pending)


def is_weekly(checkin: CheckIn) -> bool:
    """A program's own weekly check-in (not a session's check-in that carries one)."""
    return checkin.week_of is not None and checkin.session_id is None


def planning_args(clinic: Clinic, patient: Patient, at: datetime) -> tuple:
    """The patient as planning sees them, their check-ins from a week before `at`, the clinic's
    policy, send hour and quiet hours."""
    block = texting_block(patient)
    context = PatientContext(
        zone(patient.timezone),
        tuple(patient.measures),
        block is None,
        block,
        cadences=programs_of(clinic)[patient.program].measures if patient.program else None,
        activities=len(psfs_activities.active(patient.id)),
    )
    existing = db.session.scalars(
        select(CheckIn).where(CheckIn.patient_id == patient.id, CheckIn.due_at >= at - HISTORY)
    ).all()
    rows = [
        ExistingCheckIn(
            c.id, c.session_id, c.kind, tuple(c.measures), c.due_at, c.status, is_weekly(c)
        )
        for c in existing
    ]
    return context, rows, policy_of(clinic), clinic.send_hour, quiet_hours_of(clinic)


def store(plan: Plan, patient: Patient, session_id, event_at, now, week_of=None) -> list[CheckIn]:
    """Store a plan: cancel, widen, add; a weekly plan (`week_of`) marks what it widened."""
    for checkin_id, reason in plan.cancel:
        checkin = db.session.get(CheckIn, checkin_id)
        checkin.status, checkin.status_reason = CheckInStatus.CANCELLED, reason
        checkin_state.cancel_queued_messages(checkin_id)
    widened = []
    for checkin_id, measures in plan.merge_into:
        checkin = db.session.get(CheckIn, checkin_id)
        checkin.measures = psfs_activities.expand(list(measures), patient.id)
        if week_of is not None:
            checkin.week_of = checkin.week_of or week_of
        elif checkin.due_at > event_at:  # it now carries this event's check-in: it belongs to it
            checkin.session_id = session_id
        widened.append(checkin)
    for checkin_id, kinds in plan.kinds_into:  # so that a re-plan knows what it carries
        checkin = db.session.get(CheckIn, checkin_id)
        checkin.kind = "+".join(dict.fromkeys([*checkin.kind.split("+"), *kinds]))[:KIND_LENGTH]
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
        measures=psfs_activities.expand(list(planned.measures), patient.id),
        answered=[],
        due_at=planned.due_at,
        window_end=planned.window_end,
        status=planned.status,
        status_reason=planned.skip_reason,
        created_at=now,
        week_of=planned.week_of,
    )


def checkins_of(patient_id: int, *statuses: CheckInStatus, due_by: datetime | None = None):
    """Select a patient's check-ins (in these statuses, due by `due_by`), latest due first."""
    query = select(CheckIn).where(CheckIn.patient_id == patient_id)
    if statuses:
        query = query.where(CheckIn.status.in_(statuses))
    if due_by is not None:
        query = query.where(CheckIn.due_at <= due_by)
    return query.order_by(CheckIn.due_at.desc(), CheckIn.id.desc())
