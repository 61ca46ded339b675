"""Demo patients in condition programs, so every new chart and flag shows after `make run`.

A migraine patient heading into medication overuse, a post-operative patient whose function
(PSFS) improves, a fibromyalgia patient sleeping badly, a neck/back patient losing function
and an athlete returning to sport below the SANE threshold. Weekly sessions, five weeks.
"""

from datetime import datetime, timedelta

from server.enums import CareStatus, CheckInStatus, ConsentStatus, Language, Measure, ScoreSource
from server.extensions import db
from server.models import CheckIn, Clinic, Patient, PsfsActivity, Score, Staff, TreatmentSession
from server.programs import PROGRAMS, Cadence

WEEKS = 5
M = Measure
# name, program, returning to sport, weekly values per measure (PSFS: one list per activity).
SHOWCASE = (
    ("Mia", "migraine", False,
     {M.HEADACHE_DAYS: [4, 4, 3, 4, 3], M.ACUTE_MED_DAYS: [2, 3, 3, 3, 3]}),
    ("Pedro", "post_operative", False,
     {M.PAIN: [6, 5, 4, 3, 3],
      M.PSFS: {"Walking to the bus stop": [2, 4, 5, 7, 8], "Climbing stairs": [1, 3, 4, 5, 7]}}),
    ("Fiona", "fibromyalgia", False,
     {M.PAIN: [6, 6, 5, 6, 6], M.SLEEP_INTERFERENCE: [7, 8, 8, 7, 8],
      M.ACTIVITY_INTERFERENCE: [6, 6, 6, 5, 6], M.PGIC: [4]}),
    ("Nadia", "neck_back_pain", False,
     {M.PAIN: [5, 4, 4, 5, 6], M.ACTIVITY_INTERFERENCE: [5, 4, 4, 5, 6],
      M.PSFS: {"Working at the computer": [5, 6, 6, 4, 3]}, M.PGIC: [5]}),
    ("Andre", "athlete", True, {M.SANE: [60, 70, 80, 85, 88], M.PAIN: [4, 3, 2, 2, 1]}),
)  # fmt: skip


def seed_program_patients(clinic: Clinic, therapist: Staff, now: datetime) -> list[Patient]:
    """Add the showcase patients with their sessions, check-ins and scores (caller commits)."""
    first = (now - timedelta(weeks=WEEKS)).replace(hour=15, minute=0, second=0, microsecond=0)
    patients = []
    for n, (name, program, sport, values) in enumerate(SHOWCASE):
        patient = _patient(clinic, therapist, n, name, program, sport, first)
        activities = _activities(patient, values, first)
        for week in range(WEEKS):
            _week(patient, therapist, first + timedelta(weeks=week), week, values, activities)
        patients.append(patient)
    db.session.flush()
    return patients


def _patient(clinic, therapist, n, name, program, sport, first) -> Patient:
    patient = Patient(
        clinic_id=clinic.id, external_ref=f"EMR-P{n + 1}", first_name=name,
        phone=f"+1617555{9000 + n:04d}", timezone=clinic.timezone, language=Language.EN,
        program=program, returning_to_sport=sport, primary_therapist_id=therapist.id,
        care_status=CareStatus.ACTIVE, consent_status=ConsentStatus.OPTED_IN,
        created_at=first - timedelta(hours=1),
    )  # fmt: skip
    db.session.add(patient)
    db.session.flush()
    return patient


def _activities(patient: Patient, values: dict, first: datetime) -> dict[str, PsfsActivity]:
    labels = values.get(Measure.PSFS, {})
    made = {
        label: PsfsActivity(
            clinic_id=patient.clinic_id, patient_id=patient.id, label=label, created_at=first
        )
        for label in labels
    }
    db.session.add_all(made.values())
    db.session.flush()
    return made


def _week(patient, therapist, session_at, week, values, activities) -> None:
    session = TreatmentSession(
        clinic_id=patient.clinic_id, patient_id=patient.id, therapist_id=therapist.id,
        occurred_at=session_at, regions=["upper trapezius"], created_at=session_at,
    )  # fmt: skip
    db.session.add(session)
    db.session.flush()
    cadence = dict(PROGRAMS[patient.program].measures)
    # After-session measures on day 3, weekly ones (and PGIC on the 4-weekly) on day 6.
    for days, wanted in ((3, {Cadence.AFTER_SESSION}), (6, {Cadence.WEEKLY})):
        asked = [m for m in values if cadence[m] in wanted]
        if week == 3 and days == 6:
            asked += [m for m in values if cadence[m] is Cadence.DISCHARGE_AND_4_WEEKLY]
        if asked:
            _answered(
                patient, session, session_at + timedelta(days=days), asked, week, values, activities
            )


def _answered(patient, session, at, measures, week, values, activities) -> None:
    checkin = CheckIn(
        clinic_id=patient.clinic_id, patient_id=patient.id, session_id=session.id,
        kind="day3" if at - session.occurred_at < timedelta(days=5) else "day7",
        measures=[], answered=[], due_at=at, window_end=at + timedelta(hours=48),
        status=CheckInStatus.COMPLETED, prompted_at=at, completed_at=at + timedelta(minutes=20),
        created_at=session.occurred_at,
    )  # fmt: skip
    db.session.add(checkin)
    db.session.flush()
    asked = []
    for measure in measures:
        series = values[measure]
        if measure == Measure.PSFS:
            for label, weekly in series.items():
                asked.append(measure)
                _score(patient, checkin, measure, weekly[week], at, session, activities[label].id)
        else:
            asked.append(measure)
            _score(patient, checkin, measure, series[min(week, len(series) - 1)], at, session)
    checkin.measures = checkin.answered = asked


def _score(patient, checkin, measure, value, at, session, activity_id=None) -> None:
    reported = at + timedelta(minutes=20)
    score = Score(
        clinic_id=patient.clinic_id, patient_id=patient.id, measure=measure, value=value,
        reported_at=reported, source=ScoreSource.SMS, check_in_id=checkin.id,
        activity_id=activity_id, raw_text=str(value), parser_version="1.1", late=False,
        created_at=reported,
        hours_since_session=round((reported - session.occurred_at).total_seconds() / 3600, 2),
        in_post_needling_window=False,
    )  # fmt: skip
    db.session.add(score)
