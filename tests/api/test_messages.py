"""GET /api/v1/patients/{id}/messages: the transcript, in order, with statuses."""

import json
from datetime import timedelta

from server.enums import MessageStatus
from server.extensions import db
from server.models import AuditEvent, MessageStatusEvent
from server.services.outbox.queue import enqueue
from tests.assertions import assert_problem
from tests.services.conversation.conftest import reply_of


def sent_prompt(clinic, patient, clock, sent_at, *statuses):
    """A prompt the dispatcher sent at `sent_at`, with Twilio's status callbacks after it."""
    prompt = enqueue(
        clinic, patient, "prompt", "Northside PT: pain 0-10?", clock.now - timedelta(days=7)
    )
    prompt.status, prompt.sent_at, prompt.twilio_sid = statuses[-1], sent_at, "SMprompt"
    db.session.flush()
    for minutes, status in enumerate(statuses, start=1):
        occurred = sent_at + timedelta(minutes=minutes)
        db.session.add(
            MessageStatusEvent(message_id=prompt.id, status=status, occurred_at=occurred)
        )
    db.session.commit()
    return prompt


def test_transcript_lists_texts_in_the_order_they_happened_with_statuses(
    client, headers, send, clock, patient, clinic, prompted
):
    prompted(patient)
    sent_prompt(
        clinic,
        patient,
        clock,
        clock.now - timedelta(minutes=30),
        MessageStatus.SENT,
        MessageStatus.DELIVERED,
    )
    thanks = reply_of(send("7", patient, clinic))
    response = client.get(f"/api/v1/patients/{patient.id}/messages", headers=headers)
    assert response.status_code == 200
    rows = response.get_json()
    assert [(m["direction"], m["purpose"], m["body"]) for m in rows] == [
        ("outbound", "prompt", "Northside PT: pain 0-10?"),
        ("inbound", "inbound", "7"),
        ("outbound", "reply", thanks),
    ]
    assert [h["status"] for h in rows[0]["status_history"]] == ["sent", "delivered"]
    assert [m["status"] for m in rows] == ["delivered", "received", "sent"]
    assert rows[2]["reply_to_id"] == rows[1]["id"]


def test_transcript_is_paginated_and_shows_only_this_patient(
    client, headers, send, make, patient, clinic
):
    other = make.patient(clinic)
    for text in ("ok", "thanks", "bye"):
        send(text, patient, clinic)
    send("hello", other, clinic)
    response = client.get(
        f"/api/v1/patients/{patient.id}/messages?page=2&page_size=2", headers=headers
    )
    assert [m["body"] for m in response.get_json()] == ["bye"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 3


def test_sign_in_codes_are_hidden_from_staff(client, headers, clock, patient, clinic):
    enqueue(clinic, patient, "otp", "Northside PT: Your sign-in code is 123456.", clock.now)
    db.session.commit()
    body = client.get(f"/api/v1/patients/{patient.id}/messages", headers=headers).get_json()
    assert body[0]["body"] == "[sign-in code hidden]"


def test_reading_a_transcript_is_audited(client, headers, patient):
    client.get(f"/api/v1/patients/{patient.id}/messages", headers=headers)
    event = db.session.scalar(db.select(AuditEvent))
    assert (event.action, event.target_type, event.target_id) == (
        "message.list",
        "patient",
        patient.id,
    )


def test_bad_page_size_is_422_naming_it(client, headers, patient):
    response = client.get(f"/api/v1/patients/{patient.id}/messages?page_size=0", headers=headers)
    assert_problem(response, 422, "page_size")


def test_transcript_checks_tokens_roles_and_clinic(client, make, clock, headers, patient):
    stranger = make.patient(make.clinic())
    path = f"/api/v1/patients/{patient.id}/messages"
    assert_problem(client.get(f"/api/v1/patients/{stranger.id}/messages", headers=headers), 404)
    assert_problem(client.get(path), 401)
    assert_problem(client.get(path, headers=make.patient_token(patient)), 403)
    expired = make.staff_token(make.staff(make.clinic()), hours=1)
    clock.advance(hours=2)
    assert_problem(client.get(path, headers=expired), 401)
