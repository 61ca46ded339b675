"""Answering check-ins from the app: one record with SMS, validated, idempotent."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.enums import CheckInStatus, Language, Measure, MessageStatus
from server.extensions import db
from server.measures import spec
from server.models import AuditEvent, IdempotencyRecord, Score
from server.services.checkins import state as checkin_state
from tests.assertions import assert_problem


def answers_url(checkin) -> str:
    return f"/api/v1/me/checkins/{checkin.id}/answers"


def score_count() -> int:
    return db.session.scalar(select(func.count(Score.id)))


def test_open_checkins_are_the_ones_answerable_now(client, clock, headers, patient, add_checkin):
    open_now = add_checkin(patient)
    due_unsent = add_checkin(patient, status=CheckInStatus.SCHEDULED, prompted_at=None)
    add_checkin(patient, due_at=clock.now + timedelta(days=2))  # not due yet
    add_checkin(patient, window_end=clock.now)  # window just closed
    add_checkin(patient, status=CheckInStatus.COMPLETED)
    add_checkin(patient, status=CheckInStatus.CANCELLED)
    body = client.get("/api/v1/me/checkins?status=open", headers=headers).get_json()
    assert sorted(c["id"] for c in body) == sorted([open_now.id, due_unsent.id])
    assert body[0]["questions"] == [
        {
            "measure": "pain_nprs", "label": "Pain (0-10)", "min": 0, "max": 10,
            "better": "lower", "min_means": "no pain", "max_means": "worst imaginable",
            "answered": False,
        },
        {
            "measure": "headache_days_7d", "label": "Headache days (last 7)", "min": 0, "max": 7,
            "better": "lower", "min_means": "no headache days", "max_means": "every day",
            "answered": False,
        },
    ]  # fmt: skip
    assert body[0]["answer_by"] == "2026-12-03T14:00:00+00:00"


def test_a_spanish_speaking_patient_reads_the_questions_in_spanish(
    client, db, headers, patient, add_checkin
):
    patient.language = Language.ES
    db.session.commit()
    add_checkin(patient, measures=("pain_nprs", "pgic"))
    [checkin] = client.get("/api/v1/me/checkins", headers=headers).get_json()
    pain, pgic = (spec(Measure.PAIN), spec(Measure.PGIC))
    assert [(q["label"], q["min_means"], q["max_means"]) for q in checkin["questions"]] == [
        ("Dolor (0-10)", "sin dolor", "el peor imaginable"),
        (pgic.label[Language.ES], *pgic.anchors[Language.ES]),
    ]
    assert pain.label[Language.EN] != pain.label[Language.ES]


def test_checkin_history_shows_completed_and_expired_never_cancelled(
    client, headers, patient, add_checkin
):
    done = add_checkin(patient, status=CheckInStatus.COMPLETED)
    missed = add_checkin(patient, status=CheckInStatus.EXPIRED)
    add_checkin(patient, status=CheckInStatus.SKIPPED)
    listed = client.get("/api/v1/me/checkins?status=all", headers=headers).get_json()
    assert {c["id"] for c in listed} == {done.id, missed.id}
    completed = client.get("/api/v1/me/checkins?status=completed", headers=headers).get_json()
    assert [c["id"] for c in completed] == [done.id]


def test_answer_stores_app_scores_completes_the_checkin_and_cancels_its_reminder(
    client, headers, patient, add_checkin, queue_reminder
):
    checkin = add_checkin(patient)
    reminder = queue_reminder(patient, checkin)
    response = client.post(
        answers_url(checkin), json={"pain_nprs": 0, "headache_days_7d": 2}, headers=headers
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["check_in"]["status"] == "completed"
    assert {(s["measure"], s["value"], s["source"]) for s in body["scores"]} == {
        ("pain_nprs", 0, "app"),
        ("headache_days_7d", 2, "app"),
    }
    db.session.refresh(checkin)
    db.session.refresh(reminder)
    assert checkin.status == CheckInStatus.COMPLETED and checkin.completed_at is not None
    assert reminder.status == MessageStatus.CANCELLED
    assert all(s.check_in_id == checkin.id for s in db.session.scalars(select(Score)))


def test_after_an_app_answer_the_sms_side_finds_no_open_checkin(
    client, clock, headers, patient, add_checkin
):
    checkin = add_checkin(patient, measures=["pain_nprs"])
    client.post(answers_url(checkin), json={"pain_nprs": 3}, headers=headers)
    # A later SMS reply therefore cannot answer (overwrite) it: it is stored as late.
    assert checkin_state.open_checkin(patient.id, clock.now) is None


def test_answer_to_a_partly_texted_checkin_needs_only_the_rest(
    client, headers, patient, add_checkin
):
    checkin = add_checkin(patient, answered=["pain_nprs"])
    response = client.post(answers_url(checkin), json={"headache_days_7d": 1}, headers=headers)
    assert response.get_json()["check_in"]["status"] == "completed"
    again = client.post(answers_url(checkin), json={"pain_nprs": 5}, headers=headers)
    assert_problem(again, 409)


def test_answering_an_already_answered_question_is_409_naming_it(
    client, headers, patient, add_checkin
):
    checkin = add_checkin(patient, answered=["pain_nprs"])
    response = client.post(
        answers_url(checkin), json={"pain_nprs": 5, "headache_days_7d": 1}, headers=headers
    )
    assert_problem(response, 409, "pain_nprs")
    assert score_count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"status": CheckInStatus.COMPLETED},
        {"status": CheckInStatus.EXPIRED},
        {"status": CheckInStatus.CANCELLED},
        {"window_end_hours": 0},
        {"due_hours": 1},
    ],
    ids=["completed", "expired", "cancelled", "window-passed", "not-yet-due"],
)
def test_answering_a_checkin_that_is_not_open_is_409(
    client, clock, headers, patient, add_checkin, fields
):
    if "window_end_hours" in fields:
        fields = {"window_end": clock.now + timedelta(hours=fields.pop("window_end_hours"))}
    if "due_hours" in fields:
        fields = {"due_at": clock.now + timedelta(hours=fields.pop("due_hours"))}
    checkin = add_checkin(patient, **fields)
    response = client.post(
        answers_url(checkin), json={"pain_nprs": 4, "headache_days_7d": 2}, headers=headers
    )
    assert_problem(response, 409)
    assert score_count() == 0


def test_another_patients_checkin_is_404(client, make, clinic, headers, add_checkin):
    neighbour = make.patient(clinic, tracks_headache=True)
    theirs = add_checkin(neighbour)
    payload = {"pain_nprs": 4, "headache_days_7d": 2}
    assert_problem(client.post(answers_url(theirs), json=payload, headers=headers), 404)
    missing = client.post("/api/v1/me/checkins/999999/answers", json=payload, headers=headers)
    assert_problem(missing, 404)
    assert score_count() == 0


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"pain_nprs": 11, "headache_days_7d": 2}, "pain_nprs"),
        ({"pain_nprs": -1, "headache_days_7d": 2}, "pain_nprs"),
        ({"pain_nprs": 4, "headache_days_7d": 8}, "headache_days_7d"),
        ({"pain_nprs": "4", "headache_days_7d": 2}, "pain_nprs"),
        ({"pain_nprs": 4.5, "headache_days_7d": 2}, "pain_nprs"),
        ({"pain_nprs": None, "headache_days_7d": 2}, "pain_nprs"),
        ({"pain_nprs": 4, "headache_days_7d": 2, "mood": 3}, "mood"),
        ({}, "pain_nprs"),
        ({"pain_nprs": 4}, "headache_days_7d"),  # the check-in asks both
    ],
)
def test_bad_answers_are_422_naming_the_field_and_store_nothing(
    client, headers, patient, add_checkin, payload, field
):
    checkin = add_checkin(patient)
    assert_problem(client.post(answers_url(checkin), json=payload, headers=headers), 422, field)
    assert score_count() == 0
    db.session.refresh(checkin)
    assert checkin.status == CheckInStatus.PROMPTED and checkin.answered == []


def test_answer_to_a_question_the_checkin_does_not_ask_is_422(
    client, headers, patient, add_checkin
):
    checkin = add_checkin(patient, measures=["pain_nprs"])
    response = client.post(
        answers_url(checkin), json={"pain_nprs": 4, "headache_days_7d": 2}, headers=headers
    )
    assert_problem(response, 422, "headache_days_7d")
    assert score_count() == 0


def test_a_retry_with_the_same_idempotency_key_returns_the_first_result(
    client, headers, patient, add_checkin
):
    checkin = add_checkin(patient)
    retry = headers | {"Idempotency-Key": "answer-7f3a"}
    payload = {"pain_nprs": 4, "headache_days_7d": 2}
    first = client.post(answers_url(checkin), json=payload, headers=retry)
    second = client.post(answers_url(checkin), json=payload, headers=retry)
    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert score_count() == 2
    answers = select(func.count(AuditEvent.id)).where(AuditEvent.action == "checkin.answer")
    assert db.session.scalar(answers) == 1


def test_the_same_key_with_a_different_body_is_422_and_stores_nothing(
    client, headers, patient, add_checkin
):
    checkin = add_checkin(patient)
    retry = headers | {"Idempotency-Key": "answer-7f3a"}
    client.post(answers_url(checkin), json={"pain_nprs": 4, "headache_days_7d": 2}, headers=retry)
    changed = {"pain_nprs": 5, "headache_days_7d": 2}
    assert_problem(
        client.post(answers_url(checkin), json=changed, headers=retry), 422, "Idempotency-Key"
    )
    assert score_count() == 2


def test_idempotency_keys_belong_to_one_patient(
    client, make, clinic, headers, patient, add_checkin
):
    neighbour = make.patient(clinic)
    theirs = add_checkin(neighbour, measures=["pain_nprs"])
    key = {"Idempotency-Key": "shared-key"}
    client.post(
        answers_url(theirs), json={"pain_nprs": 1}, headers=make.patient_token(neighbour) | key
    )
    mine = add_checkin(patient, measures=["pain_nprs"])
    response = client.post(answers_url(mine), json={"pain_nprs": 6}, headers=headers | key)
    assert response.status_code == 201 and response.get_json()["scores"][0]["value"] == 6
    assert db.session.scalar(select(func.count(IdempotencyRecord.id))) == 2


def test_an_empty_idempotency_key_is_422(client, headers, patient, add_checkin):
    checkin = add_checkin(patient, measures=["pain_nprs"])
    response = client.post(
        answers_url(checkin), json={"pain_nprs": 1}, headers=headers | {"Idempotency-Key": ""}
    )
    assert_problem(response, 422, "Idempotency-Key")
    assert score_count() == 0


def test_app_answers_are_audited_as_the_patient(client, headers, patient, add_checkin):
    checkin = add_checkin(patient, measures=["pain_nprs"])
    client.post(answers_url(checkin), json={"pain_nprs": 2}, headers=headers)
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.actor_type, event.actor_id, event.action) == (
        "patient",
        patient.id,
        "checkin.answer",
    )
    assert event.detail["check_in_id"] == checkin.id


@pytest.mark.postgres
@pytest.mark.parametrize("endpoint", ["answers", "scores"])
def test_parallel_retries_with_one_key_store_once_and_agree(
    app, make, patient, add_checkin, endpoint
):
    # Answers wait on the check-in's row lock; scores meet at the key's unique constraint.
    url = answers_url(add_checkin(patient)) if endpoint == "answers" else "/api/v1/me/scores"
    headers = make.patient_token(patient) | {"Idempotency-Key": "double-tap"}
    payload = {"pain_nprs": 4, "headache_days_7d": 2}
    start, responses = threading.Barrier(4), []

    def send():
        start.wait()
        response = app.test_client().post(url, json=payload, headers=headers)
        responses.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in responses] == [201] * 4
    assert all(body == responses[0][1] for _, body in responses)
    assert score_count() == 2
    assert db.session.scalar(select(func.count(IdempotencyRecord.id))) == 1
