"""Benchmark the outbox dispatcher on PostgreSQL: 1, then 2 processes over 5,000 due check-ins.

    .venv/bin/python bench/dispatch.py        (BENCH_DATABASE_URL, default painline_bench)

A fake Twilio (tests/fake_twilio.py, answering at once) runs in this process and notes when it
accepts each text. Every run seeds CHECKINS patients with one check-in due now, then starts the
dispatcher processes (`flask --app wsgi jobs tick --at <due>`): they turn the check-ins into
prompts, then send them. Messages/s = texts accepted / time from the first to the last accepted
text; the wall time of the whole run (process start and prompts included) and the dispatchers'
CPU per text are printed too, as the box is shared. SMS_SEND_RATE is set very high: every bench
patient is texted from one clinic number, and the per-sender limit (10/s by default) would
otherwise be all this measures. Works in its own schema, dropped at the end. The last line is
one JSON object.
"""

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
from tests.fake_twilio import FakeTwilio  # noqa: E402

CHECKINS = 5000
SCHEMA = "bench_dispatch"
DUE = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10:00 in New York: inside the send window


class TimedFakeTwilio(FakeTwilio):
    """The fake Twilio, noting the moment it accepts each text."""

    def __init__(self) -> None:
        super().__init__()
        self.accepted_at: list[float] = []

    def _create(self, form: dict):
        response = super()._create(form)
        if response.status_code == 201:
            self.accepted_at.append(time.monotonic())
        return response


def main() -> None:
    """Run with 1, then 2 dispatcher processes; print the figures, then one JSON line."""
    print(f"dispatch bench: {CHECKINS} due check-ins, instant fake Twilio, SMS_SEND_RATE=1e6")
    results = {}
    with own_schema(SCHEMA) as url:
        for processes in (1, 2):
            results[processes] = run(url, processes)
            print(describe(processes, results[processes]), flush=True)
    print(
        json.dumps(
            {
                "rate_1proc": results[1]["rate"],
                "rate_2proc": results[2]["rate"],
                "duplicates": sum(r["duplicates"] for r in results.values()),
                "lost": sum(r["lost"] for r in results.values()),
            }
        )
    )


def run(url: str, processes: int) -> dict:
    """One run on fresh tables: seed, start the dispatchers, count what the fake received."""
    phones = seed(url)
    with TimedFakeTwilio() as fake:
        env = os.environ | server_env(url) | fake.environ()
        cpu_before, started = children_cpu(), time.monotonic()
        running = [start(env) for _ in range(processes)]
        outputs = [process.communicate(timeout=540)[0] for process in running]
        wall, cpu = time.monotonic() - started, children_cpu() - cpu_before
        received = Counter(message["To"] for message in fake.messages)
        accepted_at = sorted(fake.accepted_at)
    if any(process.returncode for process in running):
        sys.exit(f"a dispatcher failed: {outputs}")
    return delivery_figures(accepted_at, received, set(phones), wall, cpu)


def seed(url: str) -> list[str]:
    """Fresh tables with one clinic and CHECKINS patients, each with a check-in due at DUE."""
    from tests.services.outbox.seeding import add_due_checkins

    with bench_clinic(url, DUE) as clinic_id:
        phones = add_due_checkins(clinic_id, CHECKINS, DUE, "America/New_York")
    return phones


def server_env(url: str) -> dict[str, str]:
    """Settings of the job processes (the fake peer's are added to these)."""
    return job_env(url, SMS_SEND_RATE="1000000")


def start(env: dict[str, str]) -> subprocess.Popen:
    """One job process: every due job once, as of DUE."""
    return start_tick(env, DUE)


def describe(processes: int, r: dict) -> str:
    """One line of figures for one run."""
    label = "1 process  " if processes == 1 else f"{processes} processes"
    return (
        f"{label}: {r['sent']} texts sent in {r['sending']:.1f} s: {r['rate']} msg/s; "
        f"wall {r['wall']:.1f} s with start-up and prompts; dispatcher CPU "
        f"{r['cpu_ms']:.2f} ms/text; duplicates {r['duplicates']}, lost {r['lost']}"
    )


if __name__ == "__main__":
    main()
