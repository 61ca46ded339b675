"""Rows left "sending" by a crashed dispatcher are looked up at Twilio before any retry."""

from datetime import UTC, datetime, timedelta

import pytest

from server.enums import CheckInStatus, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import Clinic
from server.services.outbox import queue as outbox
from server.sms.gateway import OutgoingSms
from server.sms.twilio_gateway import TwilioGateway
from tests.services.conftest import outbox_of, zone_at_noon

BODY = "Northside PT: pain today?"
LEASE = timedelta(seconds=120)  # SMS_SENDING_TIMEOUT_SECONDS


@pytest.fixture
def stuck(make, clinic, scheduled, clock):
    """A prompt claimed a minute ago by a dispatcher that then died: "sending", lease running."""
    # The fake Twilio dates its log by the real clock, so this test works at the real time.
    clock.now = datetime.now(UTC).replace(microsecond=0)
    patient = make.patient(clinic, timezone=zone_at_noon(clock.now))
    checkin = scheduled(patient, status=CheckInStatus.PROMPTED, prompted_at=clock.now)
    message = outbox.enqueue(
        clinic, patient, MessagePurpose.PROMPT, BODY, clock.now, check_in_id=checkin.id
    )
    message.status, message.attempts = MessageStatus.SENDING, 1
    message.claimed_at, message.next_attempt_at = clock.now, clock.now + LEASE
    db.session.commit()
    return patient, message


def send_as_the_crashed_dispatcher(sms, patient, message) -> str:
    """What the dead process did before dying: Twilio accepted the text."""
    gateway = TwilioGateway(**sms.gateway_settings())
    clinic = db.session.get(Clinic, patient.clinic_id)
    return gateway.send(OutgoingSms(patient.phone, BODY, clinic.sms_sender)).sid


def after_lease(clock) -> str:
    return (clock.now + LEASE).isoformat()


def test_stuck_row_that_twilio_has_is_recorded_not_resent(sms, run_jobs, stuck, clock):
    patient, message = stuck
    sid = send_as_the_crashed_dispatcher(sms, patient, message)

    run_jobs(after_lease(clock))

    [row] = outbox_of(patient, MessagePurpose.PROMPT)
    assert (row.status, row.twilio_sid) == (MessageStatus.ACCEPTED, sid)
    assert len(sms.attempts) == 1


def test_stuck_row_that_twilio_never_got_is_sent_once(sms, run_jobs, stuck, clock):
    patient, _ = stuck

    run_jobs(after_lease(clock))

    [row] = outbox_of(patient, MessagePurpose.PROMPT)
    assert (row.status, row.attempts) == (MessageStatus.ACCEPTED, 2)
    assert sms.count_by(patient.phone) == 1


def test_row_still_within_its_lease_is_left_alone(sms, run_jobs, stuck, clock):
    patient, _ = stuck

    run_jobs((clock.now + LEASE - timedelta(seconds=1)).isoformat())

    assert outbox_of(patient, MessagePurpose.PROMPT)[0].status == MessageStatus.SENDING
    assert sms.attempts == []


def test_stuck_row_waits_while_twilios_log_is_unreachable(sms, run_jobs, stuck, clock):
    patient, _ = stuck
    sms.fail_next(1, status=503, code=None, kind="list")

    run_jobs(after_lease(clock))

    [row] = outbox_of(patient, MessagePurpose.PROMPT)
    assert row.status == MessageStatus.SENDING  # never sent blind
    assert row.next_attempt_at > clock.now + LEASE
    assert sms.attempts == []
