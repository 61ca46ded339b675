"""Answers and scores from the patient app: the same check-ins and scores as SMS, source "app".

An app answer completes the check-in the SMS asked (and withdraws its queued reminders), so
SMS and app stay one record. A request may carry an idempotency key (services/idempotency.py):
a retry gets back the check-in and scores the first one stored, storing nothing twice.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.enums import CheckInStatus, Measure, ScoreSource
from server.errors import Conflict, InvalidField, NotFound
from server.extensions import db
from server.models import CheckIn, Patient, Score
from server.services import audit, idempotency, psfs_activities, rows, scores
from server.services.checkins import state as checkin_state
from server.services.checkins.planning import checkins_of
from server.services.idempotency import IdempotencyKey

ANSWERABLE = (CheckInStatus.SCHEDULED, CheckInStatus.PROMPTED)
# Patient-facing views of check-ins; cancelled and skipped ones were never asked.
VIEWS = {
    "completed": (CheckInStatus.COMPLETED,),
    "expired": (CheckInStatus.EXPIRED,),
    "all": (*ANSWERABLE, CheckInStatus.COMPLETED, CheckInStatus.EXPIRED),
}


@dataclass(frozen=True)
class Recorded:
    """What one app request stored: the scores, the check-in they answered (if any), and
    whether this is a retry handed back what the first request with its key stored."""

    check_in: CheckIn | None
    scores: list[Score]
    replayed: bool = False


def checkins_in_view(patient_id: int, view: str, now: datetime):
    """Select the patient's check-ins in a view (open, completed, expired, all), newest first."""
    if view != "open":
        return checkins_of(patient_id, *VIEWS[view], due_by=now)
    return checkins_of(patient_id, *ANSWERABLE, due_by=now).where(CheckIn.window_end > now)


def answer_checkin(
    patient: Patient,
    checkin_id: int,
    answers: dict[Measure, int | list[int]],
    now: datetime,
    *,
    key: IdempotencyKey | None = None,
    ip: str | None = None,
) -> Recorded:
    """Store the answers and complete the check-in (or hand back what the key's first try did)."""
    checkin = db.session.scalar(
        select(CheckIn)
        .where(CheckIn.id == checkin_id, CheckIn.patient_id == patient.id)
        .with_for_update()  # a parallel retry waits here, then finds the stored result
    )
    if checkin is None:
        raise NotFound("No such check-in.")
    if (first := replay(patient.id, key)) is not None:
        return first
    _check_answerable(checkin, answers, now)
    stored_scores = []
    for measure, given in answers.items():
        # PSFS: one value per activity the check-in asks, in order; every other measure one.
        for value in given if isinstance(given, list) else [given]:
            activity = psfs_activities.asked(checkin, patient.id, measure)
            stored_scores.append(
                _add(patient, measure, value, now, check_in_id=checkin.id, **activity)
            )
            checkin_state.record_answer(checkin, measure, now)
    return _finish(patient, Recorded(checkin, stored_scores), "checkin.answer", now, key, ip)


def record_scores(
    patient: Patient,
    values: dict[Measure, int],
    now: datetime,
    *,
    key: IdempotencyKey | None = None,
    ip: str | None = None,
) -> Recorded:
    """Store scores the patient sent unasked, not tied to a check-in (or the key's first try)."""
    if (first := replay(patient.id, key)) is not None:
        return first
    for measure in values:
        if measure not in patient.measures:
            raise InvalidField(str(measure), "your clinic does not track this for you")
        if measure == Measure.PSFS:  # which activity it scores is the check-in's question
            raise InvalidField(str(measure), "answer it in its check-in")
    stored_scores = [_add(patient, measure, value, now) for measure, value in values.items()]
    return _finish(patient, Recorded(None, stored_scores), "score.create", now, key, ip)


def replay(patient_id: int, key: IdempotencyKey | None) -> Recorded | None:
    """What the first request with this key stored, marked replayed; None if there was none."""
    if (record := idempotency.stored_for(patient_id, key)) is None:
        return None
    check_in = db.session.get(CheckIn, record.check_in_id) if record.check_in_id else None
    stored_scores = rows.by_id(Score, record.score_ids)
    return Recorded(check_in, [stored_scores[i] for i in record.score_ids], replayed=True)


def _check_answerable(checkin: CheckIn, answers: dict[Measure, int], now: datetime) -> None:
    if checkin.status not in ANSWERABLE or checkin.window_end <= now:
        raise Conflict("This check-in is closed; send a score with POST /api/v1/me/scores.")
    if checkin.due_at > now:
        raise Conflict("This check-in is not open yet.")
    open_questions = checkin.unanswered()
    for measure, given in answers.items():
        if measure not in checkin.measures:
            raise InvalidField(str(measure), "this check-in does not ask it")
        if measure not in open_questions:
            raise Conflict(
                f"{measure} is already answered.", errors={measure: ["already answered"]}
            )
        asked = open_questions.count(measure)
        count = len(given) if isinstance(given, list) else 1
        if count != asked:
            raise InvalidField(str(measure), f"answer each of its {asked} questions, in order")
    missing = [m for m in open_questions if m not in answers]
    if missing:
        raise InvalidField(missing[0], "this check-in asks it too")


def _add(patient: Patient, measure: Measure, value: int, now: datetime, **links) -> Score:
    return scores.add_score(patient, measure, value, now, ScoreSource.APP, now, **links)


def _finish(
    patient: Patient,
    recorded: Recorded,
    action: str,
    now: datetime,
    key: IdempotencyKey | None,
    ip: str | None,
) -> Recorded:
    db.session.flush()
    score_ids = [score.id for score in recorded.scores]
    check_in_id = recorded.check_in.id if recorded.check_in else None
    audit.by_patient(patient, action, now, ip, {"check_in_id": check_in_id, "score_ids": score_ids})
    idempotency.remember(patient.id, key, check_in_id, score_ids, now)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # A parallel request with the same key committed first: hand back its result.
        if (first := replay(patient.id, key)) is None:
            raise
        return first
    return recorded
