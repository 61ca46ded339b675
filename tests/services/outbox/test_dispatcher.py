"""The dispatcher sends the outbox through the real twilio SDK to a fake Twilio on loopback."""

import time
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from server.enums import CheckInStatus, ConsentStatus, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Clinic, Message, MessageStatusEvent
from server.services.checkins import prompts
from server.services.outbox import claims as outbox_claims
from server.services.outbox import queue as outbox
from server.services.outbox.dispatcher import Dispatcher, DispatchSettings, gateway_factory
from server.services.outbox.send_rate import SendPacer
from tests.services.conftest import at, outbox_of

PROMPT = MessagePurpose.PROMPT
FIVE_PM = "2026-12-01T22:00:00+00:00"  # 17:00 in New York, three hours before quiet hours


def prompted(scheduled, patient, due):
    """A check-in prompted at `due`, its prompt in the outbox and not yet dispatched."""
    checkin = scheduled(patient, due, status=CheckInStatus.PROMPTED, prompted_at=due)
    clinic = db.session.get(Clinic, patient.clinic_id)
    body = "Northside PT: pain?"
    message = outbox.enqueue(clinic, patient, PROMPT, body, due, check_in_id=checkin.id)
    db.session.commit()
    return checkin, message


def test_prompt_reaches_twilio_with_to_from_body_callback_and_validity(
    sms, run_jobs, patient, scheduled, clock
):
    clock.now = at(FIVE_PM)
    scheduled(patient)

    run_jobs()

    [message] = outbox_of(patient, PROMPT)
    [posted] = sms.messages
    assert (posted["To"], posted["From"]) == (patient.phone, message.from_number)
    assert posted["Body"] == message.body
    assert posted["StatusCallback"] == (
        f"https://painline.example/sms/status?message_id={message.id}"
    )
    assert posted["ValidityPeriod"] == str(3 * 3600)  # gone by 20:00, never delivered at night
    assert "MessagingServiceSid" not in posted


def test_sent_prompt_records_the_twilio_sid_status_and_segments(
    sms, run_jobs, patient, scheduled, clock
):
    scheduled(patient)

    run_jobs()

    [message] = outbox_of(patient, PROMPT)
    assert message.twilio_sid.startswith("SM") and len(message.twilio_sid) == 34
    assert (message.status, message.segments, message.attempts) == (MessageStatus.ACCEPTED, 1, 1)
    assert message.sent_at == clock.now and message.next_attempt_at is None
    events = db.session.scalars(db.select(MessageStatusEvent.status)).all()
    assert events == [MessageStatus.ACCEPTED]


def test_validity_period_is_capped_at_twilios_ten_hours(sms, run_jobs, patient, scheduled, clock):
    clock.set("2026-12-01T14:00:00Z")  # 09:00 in New York: eleven hours before quiet hours
    scheduled(patient)

    run_jobs()

    assert sms.messages[0]["ValidityPeriod"] == "36000"


def test_clinic_with_a_messaging_service_sends_from_it(sms, run_jobs, make, scheduled):
    service = "MG" + "b" * 32
    patient = make.patient(make.clinic(sms_sender=service))
    scheduled(patient)

    run_jobs()

    [posted] = sms.messages
    assert posted["MessagingServiceSid"] == service and "From" not in posted


def test_prompt_of_a_check_in_answered_meanwhile_is_cancelled_not_sent(
    sms, run_jobs, patient, scheduled, clock
):
    checkin, message = prompted(scheduled, patient, clock.now)
    checkin.status = CheckInStatus.COMPLETED  # answered in the app, racing the dispatcher
    db.session.commit()

    run_jobs()

    assert outbox_of(patient)[0].status == MessageStatus.CANCELLED
    assert sms.messages == []


def test_prompt_to_a_patient_who_opted_out_meanwhile_is_cancelled(
    sms, run_jobs, patient, scheduled, clock
):
    prompted(scheduled, patient, clock.now)
    patient.consent_status = ConsentStatus.OPTED_OUT
    db.session.commit()

    run_jobs()

    assert outbox_of(patient)[0].status == MessageStatus.CANCELLED
    assert sms.messages == []


def test_sign_in_code_is_sent_at_night_without_check_in_rules(sms, run_jobs, make, clinic, clock):
    patient = make.patient(clinic, consent_status=ConsentStatus.PENDING)
    clock.set("2026-12-02T07:00:00Z")  # 02:00 in New York: a patient signing in to the app
    outbox.enqueue(clinic, patient, MessagePurpose.OTP, "Northside PT: code 123456", clock.now)
    db.session.commit()

    run_jobs()

    [posted] = sms.messages
    assert posted["ValidityPeriod"] == "600"  # a code that arrives after it expired only confuses
    assert outbox_of(patient)[0].status == MessageStatus.ACCEPTED


def test_queued_prompt_found_due_at_night_is_deferred_to_the_morning(
    sms, run_jobs, patient, scheduled, clock
):
    clock.set("2026-12-02T03:00:00Z")  # 22:00 in New York
    prompted(scheduled, patient, clock.now)

    run_jobs()

    [message] = outbox_of(patient)
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
    assert message.next_attempt_at == at("2026-12-02T14:00:00+00:00")  # 09:00
    assert sms.messages == []


def test_console_gateway_marks_messages_sent(run_jobs, patient, scheduled):
    scheduled(patient)

    run_jobs()

    [message] = outbox_of(patient, PROMPT)
    assert message.status == MessageStatus.SENT and message.twilio_sid.startswith("SM")


def test_send_rate_spaces_the_texts_of_one_sender(
    sms, run_jobs, app, make, clinic, scheduled, monkeypatch
):
    monkeypatch.setitem(app.config, "SMS_SEND_RATE", 10.0)
    for _ in range(6):
        scheduled(make.patient(clinic))

    started = time.monotonic()
    run_jobs()

    assert len(sms.messages) == 6
    assert time.monotonic() - started >= 0.5  # 6 texts at 10 a second: 5 gaps of 0.1 s


def test_send_pacer_keeps_each_sender_to_its_rate():
    waits = []
    pacer = SendPacer(rate=4.0, sleep=waits.append)

    for sender in ("+1617", "+1617", "+1212", "+1617"):
        pacer.wait(sender)

    assert len(waits) == 2  # the second and third sends from +1617 wait; +1212 does not
    assert all(0.2 < w <= 0.5 for w in waits)
    assert sum(waits) >= 0.5 - 0.01


def test_a_sent_prompt_is_never_sent_again_by_later_ticks(sms, run_jobs, patient, scheduled):
    scheduled(patient)
    run_jobs()

    run_jobs(str((outbox_of(patient, PROMPT)[0].sent_at + timedelta(hours=1)).isoformat()))

    assert len(sms.messages) == 1


def test_dispatcher_told_to_stop_gives_back_the_claims_it_has_not_sent(
    sms, app, make, clinic, scheduled, clock
):
    for _ in range(3):
        scheduled(make.patient(clinic))
    prompts.prompt_due_checkins(clock.now)
    settings = replace(DispatchSettings.from_config(app.config), send_threads=1)

    def stop_after_one() -> bool:  # as SIGTERM would, once the first text has gone
        return len(sms.messages) >= 1

    dispatcher = Dispatcher(gateway_factory(app.config), settings, clock, stop_after_one)

    report = dispatcher.run()

    assert (report["sent"], report["released"]) == (1, 2)
    db.session.expire_all()
    rows = db.session.scalars(select(Message).where(Message.purpose == PROMPT)).all()
    left = [(m.status, m.attempts, m.next_attempt_at) for m in rows if m.twilio_sid is None]
    assert left == [(MessageStatus.QUEUED, 0, clock.now)] * 2  # for the next dispatcher


def test_a_sign_in_code_is_claimed_before_a_backlog_of_earlier_texts(app, db, make, clock):
    clinic = make.clinic()
    patient = make.patient(clinic)
    for minutes in (30, 20, 10):
        outbox.enqueue(
            clinic,
            patient,
            MessagePurpose.REPLY,
            "older",
            clock.now,
            send_at=clock.now - timedelta(minutes=minutes),
        )
    code = outbox.enqueue(clinic, patient, MessagePurpose.OTP, "code", clock.now)
    db.session.commit()
    settings = replace(DispatchSettings.from_config(app.config), batch_size=1)
    claims, _, _ = outbox_claims.claim_due(clock.now, settings)
    assert [c.message_id for c in claims] == [code.id]
