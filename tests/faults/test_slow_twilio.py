"""A trickling or half-answering Twilio: each call is cut at its deadline, nothing counts as sent
without a Message SID, and the text still goes out exactly once."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from server.enums import CheckInStatus, MessagePurpose, MessageStatus
from server.extensions import db
from server.services.checkins import prompts
from server.services.outbox import queue as outbox
from server.services.outbox.dispatcher import Dispatcher, DispatchSettings, gateway_factory
from server.sms.gateway import GatewayError, OutgoingSms, build_gateway
from tests.fake_twilio import FakeTwilio
from tests.services.conftest import outbox_of, zone_at_noon

PATIENT, CLINIC = "+15005550006", "+15005550001"
DEADLINE = 2.0


@pytest.fixture
def fake():
    with FakeTwilio() as fake:
        yield fake


def test_a_trickling_answer_is_cut_at_the_deadline_and_the_pool_still_works(fake):
    gateway = build_gateway("twilio", **fake.gateway_settings(), timeout=DEADLINE)
    fake.trickle_next()
    started = time.monotonic()
    with pytest.raises(GatewayError) as caught:
        gateway.send(OutgoingSms(PATIENT, "Pain today, 0-10?", CLINIC))
    took = time.monotonic() - started
    assert DEADLINE <= took < DEADLINE + 1.0, took  # one byte a second would take minutes
    assert caught.value.retryable and caught.value.http_status is None  # outcome unknown
    assert gateway.send(OutgoingSms(PATIENT, "Pain today, 0-10?", CLINIC)).sid.startswith("SM")


def test_a_201_without_a_message_sid_is_an_unknown_outcome_not_a_send(fake):
    gateway = build_gateway("twilio", **fake.gateway_settings(), timeout=DEADLINE)
    fake.answer_empty_next()
    with pytest.raises(GatewayError) as caught:
        gateway.send(OutgoingSms(PATIENT, "Pain today, 0-10?", CLINIC))
    assert caught.value.retryable and caught.value.http_status is None
    assert len(fake.messages) == 1  # Twilio did take it: only reconciling can tell


@pytest.fixture
def due_prompt(make, clinic, scheduled, clock):
    """A prompt due now, at the real time (the fake Twilio dates its log by the real clock)."""
    clock.now = datetime.now(UTC).replace(microsecond=0)
    patient = make.patient(clinic, timezone=zone_at_noon(clock.now))
    checkin = scheduled(patient, status=CheckInStatus.PROMPTED, prompted_at=clock.now)
    body = "Northside PT: pain today?"
    outbox.enqueue(clinic, patient, MessagePurpose.PROMPT, body, clock.now, check_in_id=checkin.id)
    db.session.commit()
    return patient


def retry_time(clock, row) -> str:
    return (max(clock.now, row.next_attempt_at) + timedelta(seconds=1)).isoformat()


@pytest.mark.parametrize("quirk", ["trickle_next", "answer_empty_next"])
def test_a_cut_or_sidless_send_is_reconciled_and_the_text_goes_out_once(
    sms, run_jobs, due_prompt, clock, quirk
):
    getattr(sms, quirk)()  # the sms fixture's deadline is 1 s
    started = time.monotonic()
    output = run_jobs(clock.now.isoformat())
    assert time.monotonic() - started < 10, "the trickle held the dispatcher"
    [row] = outbox_of(due_prompt, MessagePurpose.PROMPT)
    assert row.status == MessageStatus.SENDING and row.twilio_sid is None, output
    assert "retry 1" in output

    output = run_jobs(retry_time(clock, row))

    [row] = outbox_of(due_prompt, MessagePurpose.PROMPT)
    assert "reconciled sent 1" in output
    assert row.status == MessageStatus.ACCEPTED and row.twilio_sid.startswith("SM")
    assert sms.count_by(due_prompt.phone) == 1 and len(sms.attempts) == 1


def test_one_slow_send_holds_only_itself(
    sms, run_jobs, make, clinic, scheduled, clock, app, monkeypatch
):
    """The other texts of the batch are recorded while the slow one is still on the wire."""
    monkeypatch.setitem(app.config, "TWILIO_TIMEOUT_SECONDS", 8.0)
    patients = [make.patient(clinic, phone=f"+1303555{n:04d}") for n in range(6)]
    for patient in patients:
        checkin = scheduled(patient, status=CheckInStatus.PROMPTED, prompted_at=clock.now)
        outbox.enqueue(clinic, patient, MessagePurpose.PROMPT, "Pain?", clock.now,
                       check_in_id=checkin.id)  # fmt: skip
    db.session.commit()
    sms.delay_next(4.0)  # within the deadline: it succeeds, last
    run_jobs(clock.now.isoformat())
    rows = [outbox_of(patient, MessagePurpose.PROMPT)[0] for patient in patients]
    sent_at = sorted(row.sent_at for row in rows)
    assert {row.status for row in rows} == {MessageStatus.ACCEPTED}
    # The five quick ones were recorded together, before the slow one finished.
    assert sent_at[0] == sent_at[4], sent_at
    assert sent_at[5] - sent_at[4] > timedelta(seconds=1.5), sent_at  # not held for it


def test_a_dispatcher_keeps_one_gateway_and_its_threads_across_runs(
    sms, app, make, clinic, scheduled, clock
):
    settings = DispatchSettings.from_config(app.config)  # 4 sending threads
    built, senders = [], set()

    def make_gateway():
        gateway = gateway_factory(app.config)()
        send = gateway.send
        gateway.send = lambda sms: senders.add(threading.get_ident()) or send(sms)
        built.append(gateway)
        return gateway

    dispatcher = Dispatcher(make_gateway, settings, clock)
    try:
        for _ in range(3):
            for _ in range(8):
                scheduled(make.patient(clinic))
            prompts.prompt_due_checkins(clock.now)
            assert dispatcher.run()["sent"] == 8
    finally:
        dispatcher.close()
    assert len(built) == 1 and len(sms.messages) == 24  # one client, hence one connection pool
    assert len(senders) <= settings.send_threads  # the same threads, not 4 new ones per run
    adapter = built[0].client.http_client.session.get_adapter(sms.url)
    assert (adapter._pool_maxsize, adapter._pool_block) == (settings.send_threads + 1, True)


def test_a_sidless_answer_on_the_last_attempt_is_looked_up_not_failed(
    sms, run_jobs, due_prompt, clock, app, monkeypatch
):
    monkeypatch.setitem(app.config, "SMS_MAX_ATTEMPTS", 1)
    sms.answer_empty_next()
    run_jobs(clock.now.isoformat())
    [row] = outbox_of(due_prompt, MessagePurpose.PROMPT)
    assert row.status == MessageStatus.SENDING  # not "failed": Twilio has it

    output = run_jobs(retry_time(clock, row))

    [row] = outbox_of(due_prompt, MessagePurpose.PROMPT)
    assert "reconciled sent 1" in output and row.status == MessageStatus.ACCEPTED
    assert sms.count_by(due_prompt.phone) == 1
