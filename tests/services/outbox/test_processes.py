"""Real dispatcher processes: two at once, and one killed between Twilio and its commit."""

import re
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.enums import CheckInStatus, MessagePurpose, MessageStatus
from server.extensions import db
from server.models import CheckIn, Message
from tests.job_processes import CRASHED, TICK, process_environment, start
from tests.services.conftest import zone_at_noon
from tests.services.outbox.seeding import add_due_checkins

LEASE = timedelta(seconds=120)  # SMS_SENDING_TIMEOUT_SECONDS


def environment(app, fake) -> dict[str, str]:
    """A PainLine process on the test database, sending to the fake Twilio, unthrottled."""
    # One test sender: the per-sender rate would otherwise be what the test measures.
    return process_environment(app, SMS_SEND_RATE="100000", **fake.environ())


def prompts() -> list[Message]:
    db.session.expire_all()
    query = select(Message).where(Message.purpose == MessagePurpose.PROMPT)
    return db.session.scalars(query).all()


@pytest.mark.postgres
@pytest.mark.slow
def test_two_dispatcher_processes_text_each_of_2000_patients_exactly_once(
    app, sms, make, clinic, clock
):
    phones = add_due_checkins(clinic.id, 2000, clock.now, "America/New_York")
    env, instant = environment(app, sms), clock.now.isoformat()

    processes = [start([*TICK, instant], env) for _ in range(2)]
    outputs = [process.communicate(timeout=300)[0] for process in processes]

    assert [p.returncode for p in processes] == [0, 0], outputs
    received = Counter(message["To"] for message in sms.messages)
    assert set(received) == set(phones)
    assert set(received.values()) == {1}, "a patient got two prompts for one check-in"
    sent = [int(re.search(r"\bsent (\d+)", out)[1]) for out in outputs]
    assert sum(sent) == 2000, outputs  # every claim was one process's alone
    rows = prompts()
    assert len({m.twilio_sid for m in rows}) == 2000
    assert {m.status for m in rows} == {MessageStatus.ACCEPTED}
    statuses = db.session.scalars(select(CheckIn.status)).all()
    assert set(statuses) == {CheckInStatus.PROMPTED}


@pytest.mark.slow
def test_dispatcher_killed_between_twilio_and_its_commit_loses_and_repeats_nothing(
    app, sms, make, clinic, clock
):
    # The fake Twilio dates its log by the real clock, which reconciliation looks up by.
    clock.now = datetime.now(UTC).replace(microsecond=0)
    phones = add_due_checkins(clinic.id, 5, clock.now, zone_at_noon(clock.now))
    env = environment(app, sms)

    crashing = "tests.services.outbox.crashing_dispatcher"
    crashed = start([sys.executable, "-m", crashing, clock.now.isoformat()], env)
    crashed.communicate(timeout=60)

    assert crashed.returncode == CRASHED
    # 1, or more if other sending threads were quicker than the kill. Requests already on the
    # wire when the process died are still being recorded by the fake: let it settle first.
    at_crash = settled_count(sms)
    assert 1 <= at_crash <= 5
    assert {m.status for m in prompts()} == {MessageStatus.SENDING}  # claimed, unrecorded
    after_lease = clock.now + LEASE + timedelta(seconds=30)  # the claim came a moment after
    restarted = start([*TICK, after_lease.isoformat()], env)
    output = restarted.communicate(timeout=60)[0]

    assert restarted.returncode == 0, output
    assert sorted(message["To"] for message in sms.messages) == sorted(phones), output
    rows = prompts()
    assert {m.status for m in rows} == {MessageStatus.ACCEPTED}
    assert len({m.twilio_sid for m in rows}) == 5
    assert f"reconciled sent {at_crash}" in output  # found in Twilio's log, not sent again
    assert re.search(rf"(^|, )sent {5 - at_crash}\b", output) or at_crash == 5


def settled_count(sms, quiet: float = 0.5) -> int:
    """How many texts the fake Twilio holds once nothing new has arrived for `quiet` seconds."""
    count, since = len(sms.messages), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.05)
        if len(sms.messages) != count:
            count, since = len(sms.messages), time.monotonic()
    return count
