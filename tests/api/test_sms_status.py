"""POST /sms/status: signed by Twilio, idempotent, never moving a status backwards."""

import uuid

import pytest
from sqlalchemy import select

from server.enums import MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Clinic, Message, MessageStatusEvent
from server.services.outbox import queue as outbox
from tests.assertions import assert_problem, count
from tests.services.conftest import twilio_post

TOKEN = "status-test-auth-token"


@pytest.fixture
def signed(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", TOKEN)


@pytest.fixture
def sent(db, patient, clock):
    """A prompt Twilio accepted."""
    clinic = db.session.get(Clinic, patient.clinic_id)
    message = outbox.enqueue(clinic, patient, MessagePurpose.PROMPT, "Clinic: pain?", clock.now)
    message.status, message.twilio_sid = MessageStatus.ACCEPTED, "SM" + uuid.uuid4().hex
    db.session.commit()
    return message


@pytest.fixture
def report(client, signed):
    """Post one status callback for `message`, signed as Twilio signs it."""

    def report(message, status, token=TOKEN, **extra):
        params = {"MessageSid": message.twilio_sid, "MessageStatus": status, **extra}
        return twilio_post(client, f"/sms/status?message_id={message.id}", params, token)

    return report


def history(message) -> list[tuple]:
    query = select(MessageStatusEvent).where(MessageStatusEvent.message_id == message.id)
    return [(e.status, e.error_code) for e in db.session.scalars(query.order_by("id"))]


def status_of(message) -> MessageStatus:
    db.session.expire_all()
    return db.session.get(Message, message.id).status


def test_callbacks_move_the_message_forward_and_keep_its_history(report, sent):
    assert report(sent, "sent").status_code == 204
    assert report(sent, "delivered").status_code == 204

    assert status_of(sent) == MessageStatus.DELIVERED
    assert history(sent) == [(MessageStatus.SENT, None), (MessageStatus.DELIVERED, None)]


def test_repeated_callback_is_recorded_once(report, sent):
    report(sent, "sent")
    report(sent, "sent")

    assert history(sent) == [(MessageStatus.SENT, None)]


def test_late_sent_after_delivered_does_not_move_the_status_back(report, sent):
    report(sent, "delivered")
    report(sent, "sent")

    assert status_of(sent) == MessageStatus.DELIVERED
    assert [s for s, _ in history(sent)] == [MessageStatus.DELIVERED, MessageStatus.SENT]


@pytest.mark.parametrize("code", range(30003, 30009))
def test_carrier_error_codes_are_stored(report, sent, code):
    report(sent, "undelivered", ErrorCode=str(code))

    db.session.expire_all()
    message = db.session.get(Message, sent.id)
    assert (message.status, message.error_code) == (MessageStatus.UNDELIVERED, code)
    assert history(sent) == [(MessageStatus.UNDELIVERED, code)]


def test_callback_that_beats_the_dispatchers_record_stores_the_sid(report, sent):
    sid = sent.twilio_sid
    sent.twilio_sid, sent.status = None, MessageStatus.SENDING
    db.session.commit()

    report(sent, "sent", MessageSid=sid)

    db.session.expire_all()
    message = db.session.get(Message, sent.id)
    assert (message.twilio_sid, message.status) == (sid, MessageStatus.SENT)


def test_forged_callback_is_refused_and_changes_nothing(report, sent):
    response = report(sent, "failed", token="not-our-token")

    assert_problem(response, 403)
    assert status_of(sent) == MessageStatus.ACCEPTED and history(sent) == []


def test_callback_for_an_unknown_message_is_acknowledged_and_ignored(client, signed):
    params = {"MessageSid": "SM" + "f" * 32, "MessageStatus": "delivered"}

    response = twilio_post(client, "/sms/status?message_id=999999", params, TOKEN)

    assert response.status_code == 204
    assert count(MessageStatusEvent) == 0


def test_callback_naming_another_messages_sid_is_ignored(report, sent, patient, clock):
    other = Message(**{c: getattr(sent, c) for c in ("clinic_id", "patient_id", "direction")})
    other.purpose, other.body, other.to_number, other.from_number = "prompt", "x", "+1", "+1"
    other.status, other.created_at = MessageStatus.ACCEPTED, clock.now
    other.twilio_sid = "SM" + uuid.uuid4().hex
    db.session.add(other)
    db.session.commit()

    report(sent, "failed", MessageSid=other.twilio_sid)

    assert status_of(sent) == MessageStatus.ACCEPTED
    assert status_of(other) == MessageStatus.FAILED  # found by its own SID


@pytest.mark.parametrize("missing", ["MessageSid", "MessageStatus"])
def test_callback_without_sid_or_status_names_the_field(client, signed, sent, missing):
    params = {"MessageSid": sent.twilio_sid, "MessageStatus": "sent"}
    del params[missing]

    response = twilio_post(client, f"/sms/status?message_id={sent.id}", params, TOKEN)

    assert_problem(response, 422, missing)
    assert count(MessageStatusEvent) == 0


@pytest.mark.parametrize("message_id", ["²", "①"])  # digits to str.isdigit, not to int()
def test_callback_with_a_non_ascii_digit_message_id_is_found_by_its_sid(
    client, signed, sent, message_id
):
    params = {"MessageSid": sent.twilio_sid, "MessageStatus": "delivered"}

    response = twilio_post(client, f"/sms/status?message_id={message_id}", params, TOKEN)

    assert response.status_code == 204
    assert status_of(sent) == MessageStatus.DELIVERED


@pytest.mark.parametrize("error_code", ["²", "99999999999", "-1", "30a"])
def test_callback_with_an_unreadable_error_code_keeps_the_status_without_a_code(
    report, sent, error_code
):
    response = report(sent, "undelivered", ErrorCode=error_code)

    assert response.status_code == 204
    assert history(sent) == [(MessageStatus.UNDELIVERED, None)]


def test_callback_with_a_nul_in_its_sid_is_acknowledged_and_ignored(client, signed, sent):
    params = {"MessageSid": "SM\x00" + "f" * 31, "MessageStatus": "failed"}

    response = twilio_post(client, "/sms/status", params, TOKEN)

    assert response.status_code == 204
    assert status_of(sent) == MessageStatus.ACCEPTED and history(sent) == []


def test_callback_with_an_overlong_sid_does_not_become_the_messages_sid(report, sent):
    sent.twilio_sid, sent.status = None, MessageStatus.SENDING
    db.session.commit()

    response = report(sent, "sent", MessageSid="SM" + "f" * 100)

    assert response.status_code == 204
    db.session.expire_all()
    message = db.session.get(Message, sent.id)
    assert (message.twilio_sid, message.status) == (None, MessageStatus.SENDING)
