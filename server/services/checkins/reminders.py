"""The one reminder after an unanswered prompt, expiry when the window closes, non-response."""

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select, update

from server.enums import CheckInStatus, MessagePurpose
from server.extensions import db
from server.models import CheckIn, Clinic, Message, Patient
from server.outcomes import evaluate_non_response
from server.planning.local_time import next_allowed
from server.planning.policy import CheckInPolicy
from server.services import clinic_settings
from server.services.checkins import state as checkin_state
from server.services.clinic_settings import quiet_hours_of, zone
from server.services.flags import store as flags
from server.services.outbox import queue as outbox
from server.sms.templates import Template, render

BATCH = 200
# A reminder this close to the end of the window would leave no time to answer.
LAST_REMINDER_BEFORE_END = timedelta(hours=1)
NO_REPLY = "no reply within the window"
HISTORY = 50  # check-ins looked at for a run of expired ones


def plan_reminder(
    checkin: CheckIn,
    patient: Patient,
    clinic: Clinic,
    prompted_at: datetime,
    window_end: datetime,
    policy: CheckInPolicy,
) -> Message | None:
    """Queue the check-in's reminder, out of quiet hours (caller commits).

    The dispatcher sends it only if the check-in is still unanswered then; an answer cancels it.
    """
    due = prompted_at + timedelta(hours=policy.reminder_after_hours)
    send_at = next_allowed(due, zone(patient.timezone), quiet_hours_of(clinic))
    if send_at > window_end - LAST_REMINDER_BEFORE_END:
        return None
    body = render(
        Template.REMINDER, patient.language, clinic_name=clinic.name, first_name=patient.first_name
    )
    purpose = MessagePurpose.REMINDER
    return outbox.enqueue(
        clinic, patient, purpose, body, prompted_at, send_at=send_at, check_in_id=checkin.id
    )


def expire_unanswered(now: datetime) -> Counter:
    """Expire prompted check-ins whose window has closed; flag runs of expired ones."""
    report = Counter()
    while rows := db.session.scalars(_overdue(now)).all():
        expired = [row for row in rows if _expire(row)]
        report["expired"] += len(expired)
        for patient_id in {row.patient_id for row in expired}:
            report["non_response flagged"] += _check_non_response(patient_id, now)
        db.session.commit()
    return report


def _overdue(now: datetime):
    return (
        select(CheckIn)
        .where(CheckIn.status == CheckInStatus.PROMPTED, CheckIn.window_end <= now)
        .order_by(CheckIn.window_end, CheckIn.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )


def _expire(row: CheckIn) -> bool:
    result = db.session.execute(
        update(CheckIn)
        .where(
            CheckIn.id == row.id,
            CheckIn.status == CheckInStatus.PROMPTED,
            CheckIn.window_end == row.window_end,
        )
        .values(status=CheckInStatus.EXPIRED, status_reason=NO_REPLY)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    checkin_state.cancel_queued_messages(row.id)
    return True


def _check_non_response(patient_id: int, now: datetime) -> int:
    """Open or update the patient's non-response flag when the rules say so; 1 if they did."""
    latest = db.session.execute(
        select(CheckIn.status, CheckIn.prompted_at)
        .where(CheckIn.patient_id == patient_id)
        .order_by(CheckIn.due_at.desc(), CheckIn.id.desc())
        .limit(HISTORY)
    ).all()
    # A check-in that expired before it was ever sent is no missed reply.
    statuses = ["skipped" if s == CheckInStatus.EXPIRED and p is None else s for s, p in latest]
    patient = db.session.get(Patient, patient_id)
    rules = clinic_settings.clinic_rules(patient.clinic_id)
    finding = evaluate_non_response(statuses, rules)
    if finding is None:
        return 0
    flags.raise_finding(patient, finding, now, rules.version)
    return 1
