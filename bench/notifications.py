"""Benchmark the alerts outbox on PostgreSQL: 2 job processes over due alert emails.

    .venv/bin/python bench/notifications.py [--alerts N]   (default 2000; BENCH_DATABASE_URL)

A real SMTP server (aiosmtpd, tests/smtp_server.py) runs on loopback in this process and notes
when it accepts each email. Every run seeds N staff members with one digest email due now, then
starts the job processes (`flask --app wsgi jobs tick --at <due>`). Notifications/s = emails
accepted / time from the first to the last accepted; duplicates are Message-IDs accepted more
than once (each notification has its own), lost are notifications never accepted. Works in its
own schema, dropped at the end. The last line is one JSON object.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime

from support import (
    ROOT,
    bench_clinic,
    children_cpu,
    delivery_figures,
    job_env,
    own_schema,
    start_tick,
)

sys.path.insert(0, str(ROOT))
from tests.smtp_server import SmtpServer  # noqa: E402

SCHEMA = "bench_notifications"
PROCESSES = 2
DUE = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


class TimedSmtpServer(SmtpServer):
    """The loopback SMTP server, noting the moment it accepts each email."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted_at: list[float] = []
        handler = self.controller.handler
        accept = handler.handle_DATA

        async def timed(server, session, envelope):
            answer = await accept(server, session, envelope)
            self.accepted_at.append(time.monotonic())
            return answer

        handler.handle_DATA = timed


def main() -> None:
    """Seed, run PROCESSES job processes, print the figures, then one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=2000)
    count = parser.parse_args().alerts
    print(f"notifications bench: {count} due alert emails, {PROCESSES} job processes, aiosmtpd")
    with own_schema(SCHEMA) as url:
        result = run(url, count)
    print(
        f"{result['sent']} emails accepted in {result['sending']:.1f} s: {result['rate']} "
        f"notifications/s; wall {result['wall']:.1f} s with start-up; job CPU "
        f"{result['cpu_ms']:.2f} ms/email; duplicates {result['duplicates']}, "
        f"lost {result['lost']}"
    )
    keys = ("rate", "sent", "duplicates", "lost")
    print(json.dumps({"processes": PROCESSES} | {k: result[k] for k in keys}))


def run(url: str, count: int) -> dict:
    """Seed fresh tables, start the job processes, count what the SMTP server accepted."""
    ids = seed(url, count)
    with TimedSmtpServer() as smtp:
        env = os.environ | server_env(url) | smtp.environ()
        cpu_before, started = children_cpu(), time.monotonic()
        running = [start(env) for _ in range(PROCESSES)]
        outputs = [process.communicate(timeout=540)[0] for process in running]
        wall, cpu = time.monotonic() - started, children_cpu() - cpu_before
        received = Counter(smtp.message_ids())
        accepted_at = sorted(smtp.accepted_at)
    if any(process.returncode for process in running):
        sys.exit(f"a job process failed: {outputs}")
    expected = {f"<notification-{i}@painline.example>" for i in ids}
    return delivery_figures(accepted_at, received, expected, wall, cpu)


def seed(url: str, count: int) -> list[int]:
    """Fresh tables with one clinic and `count` due alert emails; their ids."""
    from tests.services.alerts.seeding import add_due_alerts

    with bench_clinic(url, DUE) as clinic_id:
        ids = add_due_alerts(clinic_id, count, DUE)
    return ids


def server_env(url: str) -> dict[str, str]:
    """Settings of the job processes (the fake peer's are added to these)."""
    return job_env(url)


def start(env: dict[str, str]) -> subprocess.Popen:
    """One job process: every due job once, as of DUE."""
    return start_tick(env, DUE)


if __name__ == "__main__":
    main()
