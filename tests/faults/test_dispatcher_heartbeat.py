"""Rows left "sending": reclaimed at once when their dispatcher's heartbeat stopped, left to
their lease while it beats."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from server.config import ConfigError, load_config
from server.enums import CheckInStatus, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Heartbeat
from server.services import heartbeats
from server.services.outbox import queue as outbox
from tests.services.conftest import outbox_of, zone_at_noon

BODY = "Northside PT: pain today?"
LEASE = timedelta(seconds=120)  # SMS_SENDING_TIMEOUT_SECONDS
STALE = timedelta(seconds=30)  # SMS_DISPATCHER_STALE_SECONDS


@pytest.fixture
def held(make, clinic, scheduled, clock):
    """A prompt claimed 40 s ago by dispatcher "dispatcher:other", its lease still running."""

    def held(beat_seconds_ago: float | None):
        clock.now = datetime.now(UTC).replace(microsecond=0)  # the fake Twilio's log is real-time
        patient = make.patient(clinic, timezone=zone_at_noon(clock.now))
        checkin = scheduled(patient, status=CheckInStatus.PROMPTED, prompted_at=clock.now)
        message = outbox.enqueue(
            clinic, patient, MessagePurpose.PROMPT, BODY, clock.now, check_in_id=checkin.id
        )
        claimed = clock.now - timedelta(seconds=40)
        message.status, message.attempts, message.claimed_by = (
            MessageStatus.SENDING,
            1,
            "dispatcher:other",
        )
        message.claimed_at, message.next_attempt_at = claimed, claimed + LEASE
        if beat_seconds_ago is not None:
            beat_at = clock.now - timedelta(seconds=beat_seconds_ago)
            db.session.add(Heartbeat(name="dispatcher:other", beat_at=beat_at))
        db.session.commit()
        return patient

    return held


@pytest.mark.parametrize("beat_seconds_ago", [45, None], ids=["stopped-beating", "gone"])
def test_rows_of_a_dispatcher_that_stopped_beating_are_reconciled_at_once(
    sms, run_jobs, held, clock, beat_seconds_ago
):
    patient = held(beat_seconds_ago)

    output = run_jobs(clock.now.isoformat())  # 80 s before the lease ends

    [row] = outbox_of(patient, MessagePurpose.PROMPT)
    assert "requeued 1" in output and "sent 1" in output, output  # Twilio never had it
    assert row.status == MessageStatus.ACCEPTED and sms.count_by(patient.phone) == 1
    assert row.claimed_by.startswith("dispatcher:") and row.claimed_by != "dispatcher:other"


def test_rows_of_a_dispatcher_still_beating_wait_for_their_lease(sms, run_jobs, held, clock):
    patient = held(beat_seconds_ago=5)

    run_jobs(clock.now.isoformat())

    [row] = outbox_of(patient, MessagePurpose.PROMPT)
    assert row.status == MessageStatus.SENDING and sms.attempts == []
    run_jobs((row.next_attempt_at + timedelta(seconds=1)).isoformat())
    assert outbox_of(patient, MessagePurpose.PROMPT)[0].status == MessageStatus.ACCEPTED


def test_a_dispatcher_forgets_its_heartbeat_when_it_stops(
    sms, run_jobs, held, clock
):
    held(beat_seconds_ago=5)
    run_jobs(clock.now.isoformat())
    db.session.expire_all()
    names = db.session.scalars(db.select(Heartbeat.name)).all()
    assert names == ["dispatcher:other"]  # the tick's own beat is gone with it


def test_heartbeats_of_dispatchers_gone_for_a_day_are_removed(sms, run_jobs, clock, db):
    clock.now = datetime.now(UTC)
    db.session.add(Heartbeat(name="dispatcher:killed", beat_at=clock.now - timedelta(days=2)))
    db.session.add(Heartbeat(name="dispatcher:recent", beat_at=clock.now - timedelta(hours=1)))
    db.session.add(Heartbeat(name="scheduler", beat_at=clock.now - timedelta(days=2)))
    db.session.commit()
    run_jobs(clock.now.isoformat())
    db.session.expire_all()
    names = set(db.session.scalars(db.select(Heartbeat.name)))
    assert names == {"dispatcher:recent", "scheduler"}


def test_staleness_must_outlast_a_send_and_a_dispatch_interval():
    base = {"SECRET_KEY": "k", "PAINLINE_ENV": "development", "TWILIO_TIMEOUT_SECONDS": "10"}
    with pytest.raises(ConfigError, match="SMS_DISPATCHER_STALE_SECONDS must be at least 3 x"):
        load_config(base | {"SMS_DISPATCHER_STALE_SECONDS": "20"})
    assert load_config(base)["SMS_DISPATCHER_STALE_SECONDS"] == STALE.total_seconds()


def test_a_pulse_is_fresh_for_half_its_staleness_then_the_dispatcher_stops_sending(db, clock):
    pulse = heartbeats.Pulse("dispatcher", timedelta(seconds=0.4))
    assert not pulse.fresh()  # never beaten: a dispatcher sends nothing before its first beat
    pulse.beat(clock.now, force=True)
    assert pulse.fresh()
    time.sleep(0.25)
    assert not pulse.fresh()  # others take it for dead at 0.4 s: sends must end by then
    assert heartbeats.last_beat(pulse.name) == clock.now
    pulse.stop()
    assert heartbeats.last_beat(pulse.name) is None
