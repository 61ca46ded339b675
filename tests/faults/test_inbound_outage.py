"""Inbound texts when the database fails mid-way: 503 so Twilio retries; a sweep for the rest."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from server.enums import FlagRule, MessageDirection, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Flag, Message, Score
from server.services.conversation import inbound
from server.services.conversation import respond as conversation
from tests.assertions import assert_problem, count
from tests.services.conversation.conftest import reply_of


def connection_lost(*_args):
    """What psycopg raises, wrapped by SQLAlchemy, when PostgreSQL goes away mid-transaction."""
    raise OperationalError("SELECT ...", {}, Exception("server closed the connection unexpectedly"))


@pytest.fixture
def outage(monkeypatch):
    """The database fails after the raw text is committed, while the reply is worked out."""
    working = conversation.respond
    monkeypatch.setattr(conversation, "respond", connection_lost)
    yield
    monkeypatch.setattr(conversation, "respond", working)


def inbound_row() -> Message:
    db.session.expire_all()
    return db.session.scalar(db.select(Message).where(Message.direction == "inbound"))


def test_outage_after_the_text_is_stored_answers_503_with_retry_after_and_no_flag(
    send, patient, clinic, prompted, outage
):
    prompted(patient)
    response = send("7", patient, clinic, sid="SMoutage")
    body = assert_problem(response, 503)
    assert int(response.headers["Retry-After"]) > 0 and "retry" in body["detail"]
    message = inbound_row()
    assert (message.body, message.patient_id, message.processed_at) == ("7", patient.id, None)
    assert count(Flag) == 0 and count(Score) == 0  # not a bug of ours: nothing for staff


def test_twilio_retry_after_an_outage_processes_the_stored_text_once(
    send, patient, clinic, prompted, monkeypatch
):
    prompted(patient)
    working = conversation.respond
    monkeypatch.setattr(conversation, "respond", connection_lost)
    assert send("7", patient, clinic, sid="SMretry").status_code == 503
    monkeypatch.setattr(conversation, "respond", working)
    assert reply_of(send("7", patient, clinic, sid="SMretry")).startswith("Northside PT: Thank")
    assert count(Message, Message.direction == MessageDirection.INBOUND) == 1
    assert db.session.scalar(db.select(Score.value)) == 7 and count(Score) == 1
    assert inbound_row().processed_at is not None


def test_transcript_shows_a_stored_text_not_yet_processed(
    send, patient, clinic, prompted, outage, client, make
):
    prompted(patient)
    send("7", patient, clinic)
    headers = make.staff_token(make.staff(clinic))
    texts = client.get(f"/api/v1/patients/{patient.id}/messages", headers=headers).get_json()
    assert [(t["body"], t["direction"], t["processed_at"]) for t in texts] == [
        ("7", "inbound", None)
    ]


def test_sweep_processes_a_text_left_unprocessed_and_queues_the_reply(
    send, patient, clinic, prompted, outage, clock, monkeypatch
):
    checkin = prompted(patient)
    send("7", patient, clinic, sid="SMswept")
    monkeypatch.setattr(conversation, "respond", _working_respond)
    assert inbound.sweep_unprocessed(clock.now + timedelta(seconds=30)) == {"swept": 0}
    report = inbound.sweep_unprocessed(clock.advance(seconds=61))
    assert report == {"swept": 1}
    assert inbound_row().processed_at == clock.now
    assert db.session.scalar(db.select(Score.check_in_id)) == checkin.id
    queued = db.session.scalar(db.select(Message).where(Message.purpose == MessagePurpose.REPLY))
    assert queued.status == MessageStatus.QUEUED and queued.body.startswith("Northside PT: Thank")
    assert queued.reply_to_id is None and queued.to_number == patient.phone
    # Twilio retrying it now gets an empty answer: the reply already waits in the outbox.
    assert reply_of(send("7", patient, clinic, sid="SMswept")) is None
    assert count(Score) == 1 and count(Message, Message.purpose == MessagePurpose.REPLY) == 1


def test_swept_reply_is_sent_by_the_dispatcher(
    send, patient, clinic, prompted, outage, clock, monkeypatch, run_jobs, sms
):
    prompted(patient)
    send("7", patient, clinic)
    monkeypatch.setattr(conversation, "respond", _working_respond)
    output = run_jobs(clock.advance(minutes=2).isoformat())
    assert "swept 1" in output and "sent 1" in output
    assert [m["To"] for m in sms.messages] == [patient.phone]
    assert sms.messages[0]["Body"].startswith("Northside PT: Thank")


def test_a_bug_of_ours_still_opens_a_review_flag_and_is_not_swept_again(
    send, patient, clinic, prompted, monkeypatch, clock
):
    prompted(patient)
    monkeypatch.setattr(conversation, "respond", _bug)
    assert reply_of(send("about 4 I think", patient, clinic)) is None
    assert db.session.scalar(db.select(Flag.rule)) == FlagRule.REPLY_REVIEW
    assert inbound.sweep_unprocessed(clock.advance(minutes=5)) == {"swept": 0}


def _bug(*_args):
    raise RuntimeError("a bug in the conversation")


_working_respond = conversation.respond
