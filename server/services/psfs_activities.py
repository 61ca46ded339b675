"""PSFS activities: named by staff with the patient, asked one per SMS, scored by stable id."""

from datetime import datetime

from sqlalchemy import or_, select

from server.enums import CheckInStatus, Measure
from server.errors import Conflict, InvalidField
from server.extensions import db
from server.models import CheckIn, Patient, PsfsActivity
from server.models.psfs_activity import MAX_ACTIVITIES
from server.services import audit
from server.sms.privacy import privacy_problem
from server.sms.templates import MAX_ACTIVITY_LABEL, is_gsm7


def active(patient_id: int, as_of: datetime | None = None) -> list[PsfsActivity]:
    """The patient's activities asked (`as_of`: those not yet retired then), in naming order."""
    retired = PsfsActivity.retired_at
    still = retired.is_(None) if as_of is None else or_(retired.is_(None), retired > as_of)
    query = select(PsfsActivity).where(PsfsActivity.patient_id == patient_id, still)
    return list(db.session.scalars(query.order_by(PsfsActivity.id)))


def expand(measures: list[Measure], patient_id: int) -> list[Measure]:
    """`measures` with PSFS asked once per active activity (not at all without one)."""
    if Measure.PSFS not in measures:
        return list(measures)
    count = len(active(patient_id))
    return [
        m for measure in measures for m in [measure] * (count if measure == Measure.PSFS else 1)
    ]


def asked_in(checkin: CheckIn, patient_id: int) -> list[PsfsActivity]:
    """The activities a check-in asks about, in order: those not retired when it was sent.

    A sent check-in keeps its questions, so an activity retired after it was sent must not shift
    which activity an answer is credited to. One named since comes last, after those asked.
    """
    return active(patient_id, as_of=checkin.prompted_at)


def asked(checkin: CheckIn, patient_id: int, measure: Measure) -> dict[str, int]:
    """{"activity_id": ...} for the PSFS question being answered now, else {}."""
    if measure != Measure.PSFS:
        return {}
    activities = asked_in(checkin, patient_id)
    if not activities:
        return {}
    done = checkin.answered.count(Measure.PSFS)
    return {"activity_id": activities[min(done, len(activities) - 1)].id}


def next_label(checkin: CheckIn, patient_id: int) -> str:
    """The label of the activity the check-in's next question asks about ("" when not PSFS)."""
    found = asked(checkin, patient_id, checkin.next_question())
    return db.session.get(PsfsActivity, found["activity_id"]).label if found else ""


def add(patient: Patient, label: str, actor, now: datetime, ip: str | None) -> PsfsActivity:
    """Name a new activity for the patient (at most three asked at once); commits."""
    if len(active(patient.id)) >= MAX_ACTIVITIES:
        raise InvalidField("label", f"a patient has at most {MAX_ACTIVITIES} activities")
    label = checked_label(label)
    activity = PsfsActivity(
        clinic_id=patient.clinic_id, patient_id=patient.id, label=label, created_at=now
    )
    db.session.add(activity)
    db.session.flush()
    audit.by_staff(actor, "psfs_activity.create", patient.id, now, ip, {"activity_id": activity.id})
    db.session.commit()
    return activity


def relabel(activity: PsfsActivity, label: str, actor, now: datetime, ip: str | None) -> None:
    """Rename an activity; its id, and so its scores, stay; commits."""
    activity.label = checked_label(label)
    audit.by_staff(
        actor, "psfs_activity.update", activity.patient_id, now, ip, {"activity_id": activity.id}
    )
    db.session.commit()


def retire(activity: PsfsActivity, actor, now: datetime, ip: str | None) -> None:
    """Stop asking an activity; it and its scores stay in the history; commits.

    The patient's scheduled check-ins ask PSFS once per activity still asked (not at all
    without one); those already sent keep their questions.
    """
    if activity.retired_at is not None:
        raise Conflict("This activity is already retired.")
    activity.retired_at = now
    db.session.flush()
    scheduled = db.session.scalars(
        select(CheckIn).where(
            CheckIn.patient_id == activity.patient_id,
            CheckIn.status == CheckInStatus.SCHEDULED,
        )
    )
    for checkin in scheduled:
        if Measure.PSFS in checkin.measures:
            measures = list(dict.fromkeys(checkin.measures))
            checkin.measures = expand(measures, activity.patient_id)
            if not checkin.measures:
                checkin.status = CheckInStatus.CANCELLED
                checkin.status_reason = "its only question was a retired PSFS activity"
    detail = {"activity_id": activity.id}
    audit.by_staff(actor, "psfs_activity.retire", activity.patient_id, now, ip, detail)
    db.session.commit()


def checked_label(label: str) -> str:
    """A label fit to text: GSM-7, at most 35 characters, no body region or diagnosis."""
    label = " ".join(str(label).split())
    if not label:
        raise InvalidField("label", "must not be empty")
    if len(label) > MAX_ACTIVITY_LABEL or not is_gsm7(label):
        limit = f"must be at most {MAX_ACTIVITY_LABEL} plain (GSM-7) characters"
        raise InvalidField("label", limit)
    found = privacy_problem(label)
    if found:
        texted = f"is texted to the patient: leave out {found!r} (no body region or diagnosis)"
        raise InvalidField("label", texted)
    return label
