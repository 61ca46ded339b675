"""POST /sms/inbound: signatures as Twilio computes them, idempotency, storage before all else."""

import threading

import pytest

from server.enums import FlagRule, MessageDirection, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Flag, Message, Score
from server.services.conversation import respond as conversation
from tests.assertions import assert_problem, count
from tests.services.conversation.conftest import (
    AUTH_TOKEN,
    PUBLIC_BASE_URL,
    new_sid,
    reply_of,
    twilio_signature,
)

INBOUND_URL = PUBLIC_BASE_URL + "/sms/inbound"


def params_for(patient, clinic, body="7", sid=None) -> dict:
    return {
        "MessageSid": sid or new_sid(),
        "From": patient.phone,
        "To": clinic.sms_sender,
        "Body": body,
    }


def test_text_through_a_proxy_is_verified_against_the_public_url(
    client, twilio_token, patient, clinic, prompted
):
    prompted(patient)
    params = params_for(patient, clinic)
    signature = twilio_signature("https://painline.example/sms/inbound?x=1", params)
    response = client.post(
        "http://localhost/sms/inbound?x=1", data=params, headers={"X-Twilio-Signature": signature}
    )
    assert reply_of(response).startswith("Northside PT: Thank you")
    assert db.session.scalar(db.select(Score.value)) == 7


def test_signature_for_the_internal_url_is_refused(client, twilio_token, patient, clinic):
    params = params_for(patient, clinic)
    signature = twilio_signature("http://localhost/sms/inbound?x=1", params)
    response = client.post(
        "/sms/inbound?x=1", data=params, headers={"X-Twilio-Signature": signature}
    )
    assert_problem(response, 403)
    assert count(Message) == 0


@pytest.mark.parametrize(
    ("token", "signed_body"),
    [(None, None), ("someone-elses-token", "9"), (AUTH_TOKEN, "2")],
    ids=["unsigned", "wrong-token", "body-changed-after-signing"],
)
def test_forged_text_is_refused_and_nothing_is_stored(
    client, twilio_token, patient, clinic, prompted, token, signed_body
):
    prompted(patient)
    params = params_for(patient, clinic, body="9")
    headers = {}
    if token:
        signed = params | {"Body": signed_body}
        headers["X-Twilio-Signature"] = twilio_signature(INBOUND_URL, signed, token)
    response = client.post("/sms/inbound", data=params, headers=headers)
    assert_problem(response, 403)
    assert count(Message) == 0 and count(Score) == 0


def test_retried_message_sid_returns_the_first_reply_and_stores_nothing_new(
    send, patient, clinic, prompted
):
    checkin = prompted(patient, measures=("pain_nprs", "headache_days_7d"))
    first = reply_of(send("6", patient, clinic, sid="SMretried"))
    again = reply_of(send("6", patient, clinic, sid="SMretried"))
    assert "how many days" in first and again == first
    assert count(Message, Message.direction == MessageDirection.INBOUND) == 1
    assert count(Message, Message.purpose == MessagePurpose.REPLY) == 1
    assert count(Score) == 1
    db.session.refresh(checkin)
    assert checkin.answered == ["pain_nprs"]


@pytest.mark.postgres
def test_concurrent_deliveries_of_one_message_sid_store_one_text_and_agree(
    app, twilio_token, patient, clinic, prompted
):
    prompted(patient, measures=("pain_nprs", "headache_days_7d"))
    params = params_for(patient, clinic, body="6", sid="SMconcurrent")
    headers = {"X-Twilio-Signature": twilio_signature(INBOUND_URL, params)}
    start, replies = threading.Barrier(4), []

    def deliver():
        start.wait()
        replies.append(
            reply_of(app.test_client().post("/sms/inbound", data=params, headers=headers))
        )

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(replies) == 4 and len(set(replies)) == 1 and "how many days" in replies[0]
    assert count(Message, Message.direction == MessageDirection.INBOUND) == 1
    assert count(Score) == 1 and count(Message, Message.purpose == MessagePurpose.REPLY) == 1


def test_unknown_sender_is_stored_without_a_patient_and_told_nothing(send, clinic, patient):
    response = send("7", clinic=clinic, sender="+12025550199")
    assert reply_of(response) is None
    message = db.session.scalar(db.select(Message))
    assert (message.body, message.patient_id, message.clinic_id) == ("7", None, clinic.id)
    assert message.status == MessageStatus.RECEIVED


def test_text_to_a_number_no_clinic_uses_is_stored_without_a_clinic(send, patient):
    assert reply_of(send("7", patient, to="+16175559999")) is None
    message = db.session.scalar(db.select(Message))
    assert (message.clinic_id, message.patient_id, message.body) == (None, None, "7")


def test_clinic_sending_through_a_messaging_service_finds_its_patient(send, make, prompted):
    service = "MG" + "b" * 32
    clinic = make.clinic(sms_sender=service)
    patient = make.patient(clinic)
    prompted(patient)
    # Twilio sends one of the service's pool numbers as To, and the service's SID alongside.
    reply = reply_of(send("3", patient, to="+16175550142", MessagingServiceSid=service))
    assert reply.startswith(f"{clinic.name}: Thank you")
    assert db.session.scalar(db.select(Score.patient_id)) == patient.id


@pytest.mark.parametrize("missing", ["MessageSid", "From", "To"])
def test_text_missing_a_field_is_422_naming_it_and_nothing_is_stored(
    client, twilio_token, patient, clinic, missing
):
    params = params_for(patient, clinic)
    del params[missing]
    signature = twilio_signature(INBOUND_URL, params)
    response = client.post("/sms/inbound", data=params, headers={"X-Twilio-Signature": signature})
    assert_problem(response, 422, missing)
    assert count(Message) == 0


def test_processing_failure_keeps_the_text_opens_a_review_flag_and_answers_200(
    send, patient, clinic, prompted, monkeypatch
):
    prompted(patient)

    def broken(*_args):
        raise RuntimeError("a bug in the conversation")

    working = conversation.respond
    monkeypatch.setattr(conversation, "respond", broken)
    assert reply_of(send("about 4 I think", patient, clinic, sid="SMbroken")) is None
    message = db.session.scalar(db.select(Message))
    assert (message.body, message.patient_id) == ("about 4 I think", patient.id)
    flag = db.session.scalar(db.select(Flag))
    assert flag.rule == FlagRule.REPLY_REVIEW and "about 4 I think" in flag.reason
    assert count(Score) == 0
    # Twilio retrying it finds the outcome decided: staff review it, nothing is redone.
    monkeypatch.setattr(conversation, "respond", working)
    assert reply_of(send("about 4 I think", patient, clinic, sid="SMbroken")) is None
    assert count(Message) == 1 and count(Flag) == 1 and count(Score) == 0


def test_text_with_a_nul_character_is_stored_without_it_and_answered(
    send, patient, clinic, prompted
):
    prompted(patient)
    # PostgreSQL text cannot hold NUL: kept, the text would be lost and Twilio answered 500.
    assert reply_of(send("7\x00", patient, clinic)).startswith("Northside PT: Thank you")
    message = db.session.scalar(db.select(Message).order_by(Message.id))
    assert (message.body, message.patient_id) == ("7", patient.id)
    assert db.session.scalar(db.select(Score.value)) == 7


def test_reply_is_logged_as_a_sent_message_answering_the_text(send, patient, clinic, prompted):
    checkin = prompted(patient)
    body = reply_of(send("7", patient, clinic))
    inbound, outbound = db.session.scalars(db.select(Message).order_by(Message.id)).all()
    assert (outbound.body, outbound.status, outbound.purpose) == (
        body,
        MessageStatus.SENT,
        MessagePurpose.REPLY,
    )
    assert outbound.reply_to_id == inbound.id and outbound.check_in_id == checkin.id
    assert (outbound.to_number, outbound.from_number) == (patient.phone, clinic.sms_sender)
    assert inbound.processed_at is not None and inbound.check_in_id == checkin.id


def test_console_backend_without_a_token_accepts_unsigned_texts(
    app, client, patient, clinic, prompted, monkeypatch
):
    monkeypatch.setitem(app.config, "TWILIO_AUTH_TOKEN", "")
    monkeypatch.setitem(app.config, "SMS_BACKEND", "console")
    prompted(patient)
    response = client.post("/sms/inbound", data=params_for(patient, clinic))
    assert reply_of(response).startswith("Northside PT: Thank you")


def test_an_answer_is_stored_and_answered_in_a_handful_of_queries(
    send, patient, clinic, prompted, query_counter
):
    prompted(patient, measures=("pain_nprs", "headache_days_7d"))
    assert patient.phone and clinic.sms_sender  # loaded before counting
    with query_counter() as queries:
        assert "how many days" in reply_of(send("6", patient, clinic))
    # Store the text; lock it; clinic, patient, check-in, last session; four writes; and the
    # patient's flags re-evaluated with the new score (a few reads and writes of their own).
    assert queries.value <= 16, queries.value
