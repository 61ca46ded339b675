"""Twilio refusals: retries with capped backoff, opt-outs (21610), invalid numbers (21211/21614)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.enums import (
    CheckInStatus,
    ConsentSource,
    ConsentStatus,
    FlagRule,
    MessagePurpose,
    MessageStatus,
    Severity,
)
from server.extensions import db
from server.models import ConsentEvent, Flag, Patient
from server.services.backoff import backoff
from server.services.outbox.dispatcher import DispatchSettings
from tests.services.conftest import checkins_of, outbox_of, zone_at_noon

PROMPT = MessagePurpose.PROMPT


def later(clock, **delta) -> str:
    return (clock.now + timedelta(**delta)).isoformat()


def test_rate_limited_send_is_retried_after_the_backoff(sms, run_jobs, patient, scheduled, clock):
    scheduled(patient)
    sms.fail_next(1, status=429, code=20429)

    run_jobs()

    [message] = outbox_of(patient, PROMPT)
    assert (message.status, message.attempts, message.error_code) == (
        MessageStatus.QUEUED,
        1,
        20429,
    )
    assert message.next_attempt_at == clock.now + timedelta(seconds=30)
    run_jobs(later(clock, seconds=29))
    assert sms.messages == []
    run_jobs(later(clock, seconds=30))
    [message] = outbox_of(patient, PROMPT)
    assert (message.status, message.attempts) == (MessageStatus.ACCEPTED, 2)
    assert len(sms.messages) == 1


def test_backoff_doubles_from_the_base_and_stops_at_the_cap(app):
    settings = DispatchSettings.from_config(app.config)
    waits = [backoff(n, settings).total_seconds() for n in range(1, 9)]
    assert waits == [30, 60, 120, 240, 480, 960, 1800, 1800]


def test_server_errors_fail_the_message_after_the_last_attempt(
    sms, run_jobs, app, patient, scheduled, clock, monkeypatch
):
    monkeypatch.setitem(app.config, "SMS_MAX_ATTEMPTS", 2)
    scheduled(patient)
    sms.fail_next(2, status=500, code=None)

    run_jobs()
    [message] = outbox_of(patient, PROMPT)
    # A 5xx may hide a created message: the row stays "sending", to be looked up first.
    assert (message.status, message.attempts) == (MessageStatus.SENDING, 1)
    run_jobs(later(clock, seconds=30))

    [message] = outbox_of(patient, PROMPT)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 2)
    assert len(sms.attempts) == 2 and sms.messages == []


def test_twilio_timeout_after_it_created_the_text_is_reconciled_not_resent(
    sms, run_jobs, make, clinic, scheduled, clock
):
    # The fake Twilio dates its log by the real clock: work at the real time, where it is noon.
    clock.now = datetime.now(UTC).replace(microsecond=0)
    patient = make.patient(clinic, timezone=zone_at_noon(clock.now))
    scheduled(patient)
    sms.delay_next(3.0)  # Twilio accepts the text but answers after our 1 s timeout

    run_jobs()
    assert outbox_of(patient, PROMPT)[0].status == MessageStatus.SENDING
    run_jobs(later(clock, seconds=30))

    [message] = outbox_of(patient, PROMPT)
    assert message.status == MessageStatus.ACCEPTED
    assert len(sms.attempts) == 1  # looked up in Twilio's log, never sent twice


def test_opted_out_recipient_records_a_consent_event_and_cancels_pending_check_ins(
    sms, run_jobs, patient, scheduled, clock
):
    open_one = scheduled(patient)
    later_one = scheduled(patient, clock.now + timedelta(days=4), kind="day7")
    sms.fail_for(patient.phone, status=400, code=21610)

    run_jobs()
    run_jobs(later(clock, hours=5))

    [message] = outbox_of(patient, PROMPT)
    assert (message.status, message.error_code) == (MessageStatus.FAILED, 21610)
    assert len(sms.attempts) == 1  # never retried, and the reminder was withdrawn
    assert db.session.get(Patient, patient.id).consent_status == ConsentStatus.OPTED_OUT
    event = db.session.scalars(select(ConsentEvent)).one()
    assert (event.source, event.action, event.evidence_message_id) == (
        ConsentSource.TWILIO_21610,
        "revoked",
        message.id,
    )
    stored = {c.id: c.status for c in checkins_of(patient)}
    assert stored == {open_one.id: CheckInStatus.CANCELLED, later_one.id: CheckInStatus.CANCELLED}


@pytest.mark.parametrize("code", [21211, 21614])
def test_invalid_number_marks_the_phone_invalid_and_opens_an_info_flag(
    sms, run_jobs, patient, scheduled, clock, code
):
    scheduled(patient)
    sms.fail_for(patient.phone, status=400, code=code)

    run_jobs()

    [message] = outbox_of(patient, PROMPT)
    assert (message.status, message.error_code) == (MessageStatus.FAILED, code)
    assert db.session.get(Patient, patient.id).phone_valid is False
    flag = db.session.scalars(select(Flag)).one()
    assert (flag.rule, flag.severity) == (FlagRule.PHONE_INVALID, Severity.INFO)
    assert f"Twilio error {code}" in flag.reason
    scheduled(patient, clock.now + timedelta(days=1), kind="day7")
    run_jobs(later(clock, days=1))
    assert checkins_of(patient)[-1].status_reason == "phone_invalid"
    assert len(sms.attempts) == 1


def test_other_refusals_fail_at_once(sms, run_jobs, patient, scheduled):
    scheduled(patient)
    sms.fail_for(patient.phone, status=400, code=21408)  # region not enabled: retrying won't help

    run_jobs()

    [message] = outbox_of(patient, PROMPT)
    assert (message.status, message.error_code, message.attempts) == (
        MessageStatus.FAILED,
        21408,
        1,
    )
