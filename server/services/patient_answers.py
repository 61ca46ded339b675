"""Answers and scores from the patient app: the same check-ins and scores as SMS, source "app".

An app answer completes the check-in the SMS asked (and withdraws its queued reminders), so
SMS and app stay one record. A POST may carry an Idempotency-Key: its first result is stored in
the same transaction as the scores, and a retry gets that result back, storing nothing twice.
The same key with a different request is a 422 (as the IETF Idempotency-Key draft advises).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.enums import CheckInStatus, Measure, ScoreSource
from server.errors import Conflict, InvalidField, NotFound
from server.extensions import db
from server.models import CheckIn, IdempotencyRecord, Patient, Score
from server.services import audit, scores
from server.services.checkins import state as checkin_state

IDEMPOTENCY_HEADER = "Idempotency-Key"
CREATED = 201
ANSWERABLE = (CheckInStatus.SCHEDULED, CheckInStatus.PROMPTED)
# Patient-facing views of check-ins; cancelled and skipped ones were never asked.
VIEWS = {
    "completed": (CheckInStatus.COMPLETED,),
    "expired": (CheckInStatus.EXPIRED,),
    "all": (*ANSWERABLE, CheckInStatus.COMPLETED, CheckInStatus.EXPIRED),
}


@dataclass(frozen=True)
class Idempotency:
    """An Idempotency-Key and a fingerprint of the request it came with."""

    key: str
    fingerprint: str

    @classmethod
    def of(cls, key: str | None, path: str, payload: dict) -> "Idempotency | None":
        """None without a key; the payload is the parsed body, so spacing does not matter."""
        if key is None:
            return None
        canonical = json.dumps({"path": path, "body": payload}, sort_keys=True, default=str)
        return cls(key, hashlib.sha256(canonical.encode()).hexdigest())


@dataclass(frozen=True)
class Recorded:
    """What one app request stored: the scores, and the check-in they answered, if any."""

    check_in: CheckIn | None
    scores: list[Score]


@dataclass(frozen=True)
class AppRequest:
    """How to answer one POST: its replay key (if any), the response renderer, the caller's IP."""

    idempotency: Idempotency | None
    render: Callable[[Recorded], dict]  # the API schema's dump: stored as the replayed answer
    ip: str | None


def checkins_of(patient_id: int, view: str, now: datetime):
    """Select the patient's check-ins in a view (open, completed, expired, all), newest first."""
    query = select(CheckIn).where(CheckIn.patient_id == patient_id, CheckIn.due_at <= now)
    if view == "open":
        query = query.where(CheckIn.status.in_(ANSWERABLE), CheckIn.window_end > now)
    else:
        query = query.where(CheckIn.status.in_(VIEWS[view]))
    return query.order_by(CheckIn.due_at.desc(), CheckIn.id.desc())


def answer_checkin(
    patient: Patient,
    checkin_id: int,
    answers: dict[Measure, int],
    now: datetime,
    request: AppRequest,
) -> tuple[dict, bool]:
    """Store the answers and complete the check-in; (response body, whether it is a replay)."""
    checkin = db.session.scalar(
        select(CheckIn)
        .where(CheckIn.id == checkin_id, CheckIn.patient_id == patient.id)
        .with_for_update()  # a parallel retry waits here, then finds the stored result
    )
    if checkin is None:
        raise NotFound("No such check-in.")
    if (stored := replay(patient.id, request.idempotency)) is not None:
        return stored, True
    _check_answerable(checkin, answers, now)
    stored_scores = [_add(patient, m, v, now, check_in_id=checkin.id) for m, v in answers.items()]
    for measure in answers:
        checkin_state.record_answer(checkin, measure, now)
    return _finish(patient, Recorded(checkin, stored_scores), "checkin.answer", now, request)


def record_scores(
    patient: Patient, values: dict[Measure, int], now: datetime, request: AppRequest
) -> tuple[dict, bool]:
    """Store scores the patient sent unasked (no check-in); (response body, replayed)."""
    if (stored := replay(patient.id, request.idempotency)) is not None:
        return stored, True
    for measure in values:
        if measure not in patient.measures:
            raise InvalidField(str(measure), "your clinic does not track this for you")
    stored_scores = [_add(patient, measure, value, now) for measure, value in values.items()]
    return _finish(patient, Recorded(None, stored_scores), "score.create", now, request)


def replay(patient_id: int, idempotency: Idempotency | None) -> dict | None:
    """The first response to this key, or None; 422 when the key came with another request."""
    if idempotency is None:
        return None
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.patient_id == patient_id, IdempotencyRecord.key == idempotency.key
        )
    )
    if record is None:
        return None
    if record.request_fingerprint != idempotency.fingerprint:
        raise InvalidField(IDEMPOTENCY_HEADER, "already used for a different request")
    return record.response


def _check_answerable(checkin: CheckIn, answers: dict[Measure, int], now: datetime) -> None:
    if checkin.status not in ANSWERABLE or checkin.window_end <= now:
        raise Conflict("This check-in is closed; send a score with POST /api/v1/me/scores.")
    if checkin.due_at > now:
        raise Conflict("This check-in is not open yet.")
    for measure in answers:
        if measure not in checkin.measures:
            raise InvalidField(str(measure), "this check-in does not ask it")
        if measure in checkin.answered:
            raise Conflict(
                f"{measure} is already answered.", errors={measure: ["already answered"]}
            )
    missing = [m for m in checkin.measures if m not in checkin.answered and m not in answers]
    if missing:
        raise InvalidField(missing[0], "this check-in asks it too")


def _add(patient: Patient, measure: Measure, value: int, now: datetime, **links) -> Score:
    return scores.add_score(patient, measure, value, now, ScoreSource.APP, now, **links)


def _finish(
    patient: Patient, recorded: Recorded, action: str, now: datetime, request: AppRequest
) -> tuple[dict, bool]:
    db.session.flush()
    score_ids = [score.id for score in recorded.scores]
    check_in_id = recorded.check_in.id if recorded.check_in else None
    detail = {"check_in_id": check_in_id, "score_ids": score_ids}
    audit.by_patient(patient, action, now, request.ip, detail)
    body, idempotency = request.render(recorded), request.idempotency
    if idempotency is not None:
        db.session.add(
            IdempotencyRecord(
                patient_id=patient.id,
                key=idempotency.key,
                request_fingerprint=idempotency.fingerprint,
                status_code=CREATED,
                response=body,
                created_at=now,
            )
        )
    return _commit(patient.id, idempotency, body)


def _commit(patient_id: int, idempotency: Idempotency | None, body: dict) -> tuple[dict, bool]:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # A parallel request with the same key committed first: answer with its result.
        stored = replay(patient_id, idempotency)
        if stored is None:
            raise
        return stored, True
    return body, False
