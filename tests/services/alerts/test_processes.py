"""Real job processes: one killed between the SMTP server's acceptance and its commit, and two
at once over a few hundred due alerts (PostgreSQL)."""

import re
import sys
from collections import Counter
from datetime import timedelta

import pytest

from server.enums import NotificationStatus
from server.services.alerts.records import RESENT
from tests.job_processes import CRASHED, TICK, process_environment, start
from tests.services.alerts.conftest import notifications
from tests.services.alerts.seeding import add_due_alerts

LEASE = timedelta(seconds=120)  # NOTIFY_SENDING_TIMEOUT_SECONDS


def environment(app, smtp) -> dict[str, str]:
    """A PainLine process on the test database, mailing through the loopback SMTP server."""
    return process_environment(app, **smtp.environ())


run = start


@pytest.mark.slow
def test_a_process_killed_after_smtp_accepted_resends_the_same_message_id_once(
    app, smtp, patient, pain, clock
):
    pain(patient, 9)
    env = environment(app, smtp)

    crashing_notifier = "tests.services.alerts.crashing_notifier"
    crashing = [sys.executable, "-m", crashing_notifier, clock.now.isoformat()]
    crashed = run(crashing, env)
    crashed.communicate(timeout=60)

    assert crashed.returncode == CRASHED
    assert len(smtp.messages) == 1
    [row] = notifications()
    assert row.status == NotificationStatus.SENDING  # accepted by the server, never recorded
    early = run([*TICK, (clock.now + LEASE / 2).isoformat()], env)
    assert "alerts: nothing due" in early.communicate(timeout=60)[0]  # the lease still holds
    restarted = run([*TICK, (clock.now + LEASE + timedelta(seconds=30)).isoformat()], env)
    output = restarted.communicate(timeout=60)[0]

    assert restarted.returncode == 0, output
    assert "alerts: resent 1" in output
    first, second = smtp.messages
    message_id = f"<notification-{row.id}@painline.example>"
    assert first["Message-ID"] == second["Message-ID"] == message_id
    assert first.get_content() == second.get_content()
    [row] = notifications()
    assert (row.status, row.attempts, row.error) == (NotificationStatus.SENT, 2, RESENT)
    rerun = run([*TICK, (clock.now + 2 * LEASE).isoformat()], env)
    rerun.communicate(timeout=60)
    assert len(smtp.messages) == 2  # never a third time


@pytest.mark.postgres
@pytest.mark.slow
def test_two_job_processes_send_each_of_300_alerts_exactly_once(app, smtp, make, clinic, clock):
    ids = add_due_alerts(clinic.id, 300, clock.now)
    env = environment(app, smtp)

    processes = [run([*TICK, clock.now.isoformat()], env) for _ in range(2)]
    outputs = [process.communicate(timeout=300)[0] for process in processes]

    assert [p.returncode for p in processes] == [0, 0], outputs
    received = Counter(smtp.message_ids())
    assert set(received) == {f"<notification-{i}@painline.example>" for i in ids}
    assert set(received.values()) == {1}, "an alert was emailed twice"
    sent = [int(re.search(r"alerts: .*\bsent (\d+)", out)[1]) for out in outputs]
    assert sum(sent) == 300 and min(sent) > 0, outputs  # both worked, neither repeated
    assert {row.status for row in notifications()} == {NotificationStatus.SENT}
