"""Keywords and plain-language opt-outs: consent events, cancelled check-ins, HELP."""

from datetime import timedelta

import pytest

from server.enums import (
    ActorType,
    CheckInStatus,
    ConsentAction,
    ConsentSource,
    ConsentStatus,
    MessageStatus,
)
from server.extensions import db
from server.models import ConsentEvent, Message, Score
from server.services.outbox.queue import enqueue
from tests.assertions import count
from tests.services.conversation.conftest import reply_of


def consent_actions() -> list[ConsentAction]:
    return db.session.scalars(db.select(ConsentEvent.action).order_by(ConsentEvent.id)).all()


def test_stop_records_the_opt_out_and_cancels_every_pending_checkin(
    send, clock, patient, clinic, prompted
):
    open_one = prompted(patient)
    planned = prompted(
        patient,
        status=CheckInStatus.SCHEDULED,
        prompted_at=None,
        due_at=clock.now + timedelta(days=4),
    )
    queued = enqueue(
        clinic,
        patient,
        "prompt",
        "Northside PT: ...",
        clock.now,
        send_at=planned.due_at,
        check_in_id=planned.id,
    )
    db.session.commit()
    assert reply_of(send("STOP", patient, clinic)) is None  # Twilio has confirmed already
    event = db.session.scalar(db.select(ConsentEvent))
    inbound = db.session.scalar(db.select(Message).where(Message.body == "STOP"))
    assert (event.action, event.source) == (ConsentAction.REVOKED, ConsentSource.KEYWORD)
    assert (event.actor_type, event.actor_id) == (ActorType.PATIENT, patient.id)
    assert event.evidence_message_id == inbound.id
    for row in (patient, open_one, planned, queued):
        db.session.refresh(row)
    assert patient.consent_status == ConsentStatus.OPTED_OUT
    assert open_one.status == planned.status == CheckInStatus.CANCELLED
    assert open_one.status_reason == "patient opted out by SMS"
    assert queued.status == MessageStatus.CANCELLED


@pytest.mark.parametrize("text", ["please stop texting me", "unsubscribe me please", "BAJA"])
def test_opt_out_twilio_does_not_recognise_is_confirmed_once_by_painline(
    send, patient, clinic, text
):
    answer = reply_of(send(text, patient, clinic))
    assert answer.startswith("Northside PT: ") and "START" in answer
    assert consent_actions() == [ConsentAction.REVOKED]


def test_stop_is_confirmed_by_painline_when_twilio_handling_is_off(send, patient, clinic):
    clinic.twilio_opt_out_handling = False
    db.session.commit()
    assert "You will get no more messages" in reply_of(send("stop", patient, clinic))


@pytest.mark.parametrize("word", ["START", "unstop", "Yes"])
def test_opted_out_patient_opts_back_in_by_keyword_without_a_second_confirmation(
    send, make, clinic, word
):
    patient = make.patient(clinic, consent_status=ConsentStatus.OPTED_OUT)
    assert reply_of(send(word, patient, clinic)) is None
    db.session.refresh(patient)
    assert patient.consent_status == ConsentStatus.OPTED_IN
    assert consent_actions() == [ConsentAction.GRANTED]


def test_opt_in_is_confirmed_by_painline_when_twilio_handling_is_off(send, make):
    clinic = make.clinic(name="Northside PT", twilio_opt_out_handling=False)
    patient = make.patient(clinic, consent_status=ConsentStatus.OPTED_OUT)
    assert "check-in questions again" in reply_of(send("START", patient, clinic))


def test_yes_from_an_opted_in_patient_is_an_unusable_answer_not_consent(
    send, patient, clinic, prompted
):
    prompted(patient)
    assert "one whole number" in reply_of(send("YES", patient, clinic))
    assert consent_actions() == []


def test_help_answers_with_the_clinic_name_help_phone_and_how_to_stop(
    send, patient, clinic, prompted
):
    checkin = prompted(patient)
    answer = reply_of(send("help", patient, clinic))
    assert answer.startswith("Northside PT: ") and "+16175550100" in answer and "STOP" in answer
    assert consent_actions() == []
    db.session.refresh(checkin)
    assert checkin.status == CheckInStatus.PROMPTED  # the question is still open


def test_opted_out_patient_gets_help_but_no_other_reply(send, make, clinic):
    patient = make.patient(clinic, consent_status=ConsentStatus.OPTED_OUT)
    assert reply_of(send("pain 4", patient, clinic)) is None
    assert db.session.scalar(db.select(Score.value)) == 4  # the score is still kept
    assert "+16175550100" in reply_of(send("INFO", patient, clinic))
    assert count(Message, Message.direction == "outbound") == 1
