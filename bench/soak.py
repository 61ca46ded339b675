"""Soak PainLine for some minutes and watch it for leaks and drift, on PostgreSQL.

    .venv/bin/python bench/soak.py --minutes 15 [--texts 5] [--prompts 2] [--reads 4]
        [--workers 4] [--job-processes 2] [--sample 30]
    (BENCH_DATABASE_URL, default painline_bench; a schema of its own, dropped at the end)

gunicorn (--workers) and --job-processes `flask jobs run` processes serve a fresh clinic; a fake
Twilio on loopback takes the texts. Load, per second: --texts signed inbound texts (Twilio's
webhook), --prompts new check-ins due at once (prompted and sent by the job processes), --reads
staff reads (/api/v1/flags and /api/v1/clinic/overview in turn). Every --sample seconds it
prints each process's resident memory, open files and established TCP connections (from /proc);
at the end p50/p99 of each request kind in the first and the last minute, and how they drifted.
Ports 5164 (gunicorn) and 5165 (fake Twilio). The last line is one JSON object.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import insert
from support import ROOT, migrated_app, own_schema
from twilio.request_validator import RequestValidator

sys.path.insert(0, str(ROOT))
from server.extensions import db  # noqa: E402
from server.models import CheckIn, Clinic, Patient, Staff  # noqa: E402
from server.services import tokens  # noqa: E402
from tests.fake_twilio import FakeTwilio  # noqa: E402
from tests.services.conftest import zone_at_noon  # noqa: E402

WEB_PORT, TWILIO_PORT, SENDER = 5164, 5165, "+16175550001"
BASE = f"http://127.0.0.1:{WEB_PORT}"


def main() -> None:
    args = options()
    with own_schema("bench_soak") as url, FakeTwilio().start(port=TWILIO_PORT) as fake:
        app = migrated_app(url)
        clinic_id, token, zone = seed(app)
        env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": "bench-secret",
                            "PUBLIC_BASE_URL": "https://painline.example",
                            "PAINLINE_ENV": "development",  # rate limits in memory
                            "SMS_SEND_RATE": "1000", **fake.environ()}  # fmt: skip
        with served(env, args) as pids:
            timings = load(app, args, clinic_id, token, zone, fake, pids)
        report(timings, pids, len(fake.messages))


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("minutes", 15.0), ("texts", 5.0), ("prompts", 2.0), ("reads", 4.0),
                          ("workers", 4), ("job-processes", 2), ("sample", 30.0)):  # fmt: skip
        parser.add_argument(f"--{name}", type=type(default), default=default)
    return parser.parse_args()


def seed(app) -> tuple[int, str, str]:
    """A clinic and a staff member; their id, a staff token and a time zone where it is noon."""
    now = datetime.now(UTC)
    with app.app_context():
        clinic = Clinic(name="Soak PT", help_phone="+16175550100", timezone="America/New_York",
                        sms_sender=SENDER, created_at=now)  # fmt: skip
        db.session.add(clinic)
        db.session.flush()
        staff = Staff(clinic_id=clinic.id, email="soak@example.org", name="Soak", role="admin",
                      password_hash="-", created_at=now)  # fmt: skip
        db.session.add(staff)
        db.session.flush()
        token = tokens.issue_token(now, timedelta(days=1), staff_id=staff.id)
        db.session.commit()
        return clinic.id, token, zone_at_noon(now)


class served:
    """gunicorn and the job processes for the soak; their pids by name; stopped at the end."""

    def __init__(self, env: dict, args) -> None:
        gunicorn = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers),
                    "--bind", f"127.0.0.1:{WEB_PORT}", "wsgi:app"]  # fmt: skip
        jobs = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT}
        self.processes = [subprocess.Popen(gunicorn, env=env, **quiet)]
        self.processes += [subprocess.Popen(jobs, env=env, **quiet)
                           for _ in range(args.job_processes)]  # fmt: skip

    def __enter__(self) -> dict[str, int]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{BASE}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        master = self.processes[0].pid
        with open(f"/proc/{master}/task/{master}/children") as children:
            workers = [int(pid) for pid in children.read().split()]
        pids = {f"web-worker-{n}": pid for n, pid in enumerate(workers)}
        pids |= {f"jobs-{n}": p.pid for n, p in enumerate(self.processes[1:])}
        return pids | {"web-master": master}

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)


def load(app, args, clinic_id: int, token: str, zone: str, fake, pids) -> list[tuple]:
    """Run the load for --minutes; (seconds since start, kind, milliseconds) per request."""
    timings: list[tuple] = []
    started, stop = time.monotonic(), threading.Event()
    phones: list[str] = []
    sampler = threading.Thread(target=sample, args=(pids, args.sample, started, stop), daemon=True)
    sampler.start()
    with ThreadPoolExecutor(16) as pool:
        tick = 0
        while time.monotonic() - started < args.minutes * 60:
            phones += add_checkins(app, clinic_id, zone, int(args.prompts), len(phones))
            for _ in range(int(args.texts)):
                phone = phones[uuid.uuid4().int % len(phones)]
                pool.submit(timed, timings, started, "inbound", text_request(phone))
            for n in range(int(args.reads)):
                path = ("/api/v1/flags", "/api/v1/clinic/overview")[(tick + n) % 2]
                bearer = {"Authorization": f"Bearer {token}"}
                request = urllib.request.Request(BASE + path, headers=bearer)
                pool.submit(timed, timings, started, path.rsplit("/", 1)[1], request)
            tick += 1
            time.sleep(max(0.0, started + tick - time.monotonic()))
    stop.set()
    sample(pids, 0, started, stop)  # the last sample
    return timings


def add_checkins(app, clinic_id: int, zone: str, count: int, offset: int) -> list[str]:
    """`count` new opted-in patients, each with a check-in due now; their phones."""
    now, phones = datetime.now(UTC), [f"+1303{offset + n:07d}" for n in range(count)]
    patient = {"clinic_id": clinic_id, "first_name": "Ana", "timezone": zone, "language": "en",
               "tracks_headache": False, "care_status": "active", "consent_status": "opted_in",
               "phone_valid": True, "created_at": now}  # fmt: skip
    with app.app_context():
        rows = [patient | {"phone": phone} for phone in phones]
        ids = db.session.scalars(insert(Patient).returning(Patient.id), rows).all()
        db.session.execute(insert(CheckIn), [
            {"clinic_id": clinic_id, "patient_id": pid, "kind": "day3", "measures": ["pain_nprs"],
             "answered": [], "status": "scheduled", "reminder_count": 0, "unusable_replies": 0,
             "due_at": now, "window_end": now + timedelta(hours=48), "created_at": now}
            for pid in ids])  # fmt: skip
        db.session.commit()
    return phones


def text_request(phone: str) -> urllib.request.Request:
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": phone, "To": SENDER,
              "Body": str(uuid.uuid4().int % 11)}  # fmt: skip
    validator = RequestValidator(FakeTwilio().auth_token)
    signature = validator.compute_signature("https://painline.example/sms/inbound", params)
    return urllib.request.Request(f"{BASE}/sms/inbound", urlencode(params).encode(),
                                  {"X-Twilio-Signature": signature})  # fmt: skip


def timed(timings: list, started: float, kind: str, request) -> None:
    begin = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            ok = response.status == 200
    except (urllib.error.URLError, OSError):
        ok = False
    took = (time.monotonic() - begin) * 1000
    timings.append((begin - started, kind if ok else f"{kind}-failed", took))


def sample(pids: dict[str, int], every: float, started: float, stop: threading.Event) -> None:
    """Print RSS (MB), open files and established TCP connections of each process."""
    while True:
        states = tcp_states()
        line = [f"t={time.monotonic() - started:5.0f}s"]
        for name, pid in pids.items():
            rss, fds, tcp = process_figures(pid, states)
            line.append(f"{name} rss={rss:.0f}MB files={fds} tcp={tcp}")
            SAMPLES[name].append((rss, fds, tcp))
        print("  ".join(line), flush=True)
        if every <= 0 or stop.wait(every):
            return


SAMPLES: dict[str, list] = defaultdict(list)


def tcp_states() -> dict[str, str]:
    """Socket inode -> TCP state, from /proc/net/tcp and tcp6."""
    states = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                states[fields[9]] = fields[3]
    return states


def process_figures(pid: int, states: dict[str, str]) -> tuple[float, int, int]:
    try:
        with open(f"/proc/{pid}/status") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except (OSError, StopIteration):
        return 0.0, 0, 0
    sockets = [link[8:-1] for link in links if link.startswith("socket:[")]
    return round(rss / 1024, 1), len(links), sum(states.get(inode) == "01" for inode in sockets)


def report(timings: list[tuple], pids: dict[str, int], sent: int) -> None:
    end = max((t for t, _, _ in timings), default=0)
    latency = {}
    for kind in sorted({k for _, k, _ in timings}):
        first = [ms for t, k, ms in timings if k == kind and t < 60]
        last = [ms for t, k, ms in timings if k == kind and t >= end - 60]
        count = sum(k == kind for _, k, _ in timings)
        latency[kind] = {"count": count, "first_minute": quantiles(first),
                         "last_minute": quantiles(last)}  # fmt: skip
        print(f"{kind:<10} first minute {latency[kind]['first_minute']}  "
              f"last minute {latency[kind]['last_minute']}")  # fmt: skip
    processes = {name: {"first": SAMPLES[name][0], "last": SAMPLES[name][-1]} for name in pids}
    print(json.dumps({"latency_ms": latency, "processes_rss_mb_files_tcp": processes,
                      "texts_sent_to_fake_twilio": sent}))  # fmt: skip


def quantiles(values: list[float]) -> dict[str, float | None]:
    if len(values) < 2:
        return {"p50": None, "p99": None}
    cuts = statistics.quantiles(values, n=100)
    return {"p50": round(statistics.median(values), 1), "p99": round(cuts[98], 1)}


if __name__ == "__main__":
    main()
