"""Each program patient's weekly check-in, planned by the jobs tick a week ahead.

The one home of weekly planning: every tick plans the next weekly check-in of each active,
consented patient whose program asks something weekly and who has none planned from
yesterday on; a program change plans it at once. A patient paused, opted out or discharged is
not planned (and what was planned is skipped or cancelled by the usual rules). A planned row
carries `week_of`, the local date it was planned for, so re-planning never adds a second one.
"""

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, or_, select

from server.enums import CheckInStatus
from server.extensions import db
from server.models import CheckIn, Clinic, Patient, TreatmentSession
from server.models.patient import TEXTABLE
from server.planning.local_time import local_date
from server.planning.questions import weekly_measures
from server.planning.weekly import next_weekly_date, plan_week, week_number, weekly_context
from server.programs import PROGRAMS, has_weekly
from server.services.checkins.planning import planning_args, store, texting_block
from server.services.clinic_settings import programs_of

BATCH = 200


def plan_weekly_checkins(now: datetime) -> Counter:
    """Plan the next weekly check-in of every patient who needs one; one commit per batch."""
    report, after = Counter(), 0
    while patients := db.session.scalars(_needing_one(now, after)).all():
        clinics = {p.clinic_id: db.session.get(Clinic, p.clinic_id) for p in patients}
        for patient in patients:
            report[plan_next_week(patient, clinics[patient.clinic_id], now)] += 1
        after = patients[-1].id
        db.session.commit()
    report.pop(None, None)
    return +report


def plan_next_week(patient: Patient, clinic: Clinic, now: datetime) -> str | None:
    """Plan the patient's next weekly check-in unless planned already (caller commits)."""
    if texting_block(patient) is not None:
        return None
    program = programs_of(clinic)[patient.program]
    patient_context, existing, *settings = planning_args(clinic, patient, now)
    context = weekly_context(patient_context, *settings, now)
    day = next_weekly_date(program.weekday.number, context)
    if _planned(patient.id, day):
        return None
    measures = weekly_measures(patient_context, week_number(day, _start(patient, context.tz)))
    if not measures:
        return None
    store(plan_week(day, measures, context, existing), patient, None, now, now, week_of=day)
    return "weekly planned"


def _planned(patient_id: int, day: date) -> bool:
    query = select(CheckIn.id).where(
        CheckIn.patient_id == patient_id,
        CheckIn.week_of == day,
        CheckIn.status != CheckInStatus.CANCELLED,
    )
    return db.session.scalar(query.limit(1)) is not None


def _start(patient: Patient, tz) -> date:
    """The program's start: the first session's local date, else the enrolment's."""
    first = db.session.scalar(
        select(TreatmentSession.occurred_at)
        .where(TreatmentSession.patient_id == patient.id)
        .order_by(TreatmentSession.occurred_at)
        .limit(1)
    )
    return local_date(first or patient.created_at, tz)


def _needing_one(now: datetime, after: int):
    """Active, consented program patients with no weekly check-in planned from yesterday on."""
    # Yesterday in UTC: a local date is at most a day behind it.
    recent = exists().where(
        CheckIn.patient_id == Patient.id,
        CheckIn.week_of >= now.date() - timedelta(days=1),
        CheckIn.status != CheckInStatus.CANCELLED,
    )
    return (
        select(Patient)
        .where(
            Patient.id > after,
            TEXTABLE,
            _with_weekly_program(),
            ~recent,
        )
        .order_by(Patient.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=Patient)
    )


def _with_weekly_program():
    """Patients whose program (as their clinic has it) asks something weekly."""
    changed = db.session.scalars(select(Clinic).where(Clinic.programs.is_not(None))).all()
    default = [key for key, program in PROGRAMS.items() if has_weekly(program)]
    ids = [clinic.id for clinic in changed]
    return or_(
        and_(Patient.clinic_id.not_in(ids), Patient.program.in_(default)),
        *(
            and_(
                Patient.clinic_id == clinic.id,
                Patient.program.in_([k for k, p in programs_of(clinic).items() if has_weekly(p)]),
            )
            for clinic in changed
        ),
    )
