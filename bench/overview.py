"""Benchmark the dashboard reads on PostgreSQL at 2,000 and 20,000 patients (~50 scores each).

    .venv/bin/python bench/overview.py        (BENCH_DATABASE_URL, default painline_bench)

Each size gets a fresh schema, seeded by seed-demo's code with weeks=16 (COPY on PostgreSQL:
16 weekly sessions, an in-clinic score each and two check-ins after each, about 50 scores per
patient; flags and list figures evaluated) and vacuumed, then served by gunicorn (1 worker). Timed
from the client, one request at a time: the patient list (50 rows, sorted by -change), the
clinic overview, a patient's trends and FHIR bundle (a different patient each request). Then the
CSV export of every score is streamed and read to the end while the worker's memory is watched.

Memory is the worker's resident set (VmHWM, its peak, reset through /proc/<pid>/clear_refs just
before the export; VmRSS sampled every 10 ms as a cross-check) minus its resident set when idle
after the timed requests. RSS, not tracemalloc: tracemalloc sees only Python objects, while a
non-streaming cursor would hold the whole result in libpq's C memory, which RSS does count.
The box is shared with other engineers: timings are noisy. The last line is one JSON object.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg
from support import ROOT, migrated_app, own_schema

sys.path.insert(0, str(ROOT))
from server.demo import seed as demo  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import Patient  # noqa: E402

SIZES = (2000, 20000)
WEEKS = 16
SAMPLES, WARMUP = 40, 5
SCHEMA = "bench_overview"
ENDPOINTS = ("list", "overview", "trends", "fhir")


def main() -> None:
    results = {}
    for size in SIZES:
        with own_schema(SCHEMA) as url:
            started = time.monotonic()
            patient_ids = seed(url, size)
            settle(url)
            print(f"{size} patients seeded in {time.monotonic() - started:.0f} s", flush=True)
            env = {"DATABASE_URL": url, "SECRET_KEY": "bench-secret", "SCHEDULER": "off",
                   "PAINLINE_ENV": "development"}
            with gunicorn(env) as (port, worker):
                results[size] = measure(port, worker, patient_ids)
        report_size(size, results[size])
    report(results)


def seed(url: str, size: int) -> list[int]:
    """Migrate and seed the demo clinic; the patient ids."""
    app = migrated_app(url)
    with app.app_context():
        demo.seed(size, datetime.now(UTC), weeks=WEEKS, echo=lambda _line: None)
        return db.session.scalars(db.select(Patient.id)).all()


def settle(url: str) -> None:
    """VACUUM ANALYZE the bulk-loaded tables, as autovacuum soon would in production.

    Right after a million-row COPY the planner has no statistics and no page is marked
    all-visible, so index-only scans would still read the heap: not the steady state.
    """
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE patient, score, check_in, flag, treatment_session")


@contextmanager
def gunicorn(env: dict[str, str]):
    """Serve wsgi:app with one sync worker on a free loopback port; yields (port, worker pid)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(ROOT / ".venv/bin/gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=os.environ | env)
    try:
        yield port, wait_for_worker(port, server)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for_worker(port: int, server: subprocess.Popen) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            with open(f"/proc/{server.pid}/task/{server.pid}/children") as children:
                return int(children.read().split()[0])
        except (OSError, IndexError, ValueError):
            time.sleep(0.1)
    sys.exit(f"gunicorn on port {port} did not start")


def measure(port: int, worker: int, patient_ids: list[int]) -> dict:
    """p50/p95 per endpoint, then the CSV export's memory peak over idle."""
    token = sign_in(port)
    rng = random.Random(6)
    paths = {
        "list": lambda: "/api/v1/patients?sort=-change&page_size=50",
        "overview": lambda: "/api/v1/clinic/overview",
        "trends": lambda: f"/api/v1/patients/{rng.choice(patient_ids)}/trends",
        "fhir": lambda: f"/api/v1/patients/{rng.choice(patient_ids)}/fhir",
    }
    figures = {name: timings(port, token, path) for name, path in paths.items()}
    figures["csv"] = export_memory(port, token, worker)
    return figures


def sign_in(port: int) -> str:
    body = json.dumps({"email": demo.DEMO_ADMIN, "password": demo.DEMO_PASSWORD})
    status, data = request(port, "POST", "/api/v1/auth/login", body=body)
    if status != 200:
        sys.exit(f"sign-in failed: {status} {data[:200]!r}")
    return json.loads(data)["token"]


def request(port: int, method: str, path: str, token: str = "", body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Content-Type": "application/json"} if body else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def timings(port: int, token: str, path) -> dict:
    samples = []
    for n in range(WARMUP + SAMPLES):
        started = time.perf_counter()
        status, data = request(port, "GET", path(), token)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            sys.exit(f"GET failed: {status} {data[:300]!r}")
        if n >= WARMUP:
            samples.append(elapsed)
    cuts = statistics.quantiles(samples, n=20)
    return {"p50": statistics.median(samples), "p95": cuts[18]}


def export_memory(port: int, token: str, worker: int) -> dict:
    """Stream the whole CSV export, reading it to the end; the worker's RSS peak over idle."""
    idle = status_kb(worker, "VmRSS")
    with open(f"/proc/{worker}/clear_refs", "w") as refs:
        refs.write("5")  # reset VmHWM to the current RSS
    sampled, done = [idle], threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(worker, sampled, done))
    sampler.start()
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": f"Bearer {token}"}
    connection.request("GET", "/api/v1/exports/scores.csv", headers=headers)
    response = connection.getresponse()
    lines = size = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        lines += chunk.count(b"\n")
    connection.close()
    done.set()
    sampler.join()
    peak = max(status_kb(worker, "VmHWM"), max(sampled))
    return {
        "status": response.status,
        "rows": lines - 1,
        "mb": size / 1e6,
        "seconds": time.monotonic() - started,
        "idle_mb": idle / 1024,
        "peak_mb_over_idle": (peak - idle) / 1024,
    }


def sample_rss(worker: int, sampled: list[int], done: threading.Event) -> None:
    while not done.wait(0.01):
        sampled.append(status_kb(worker, "VmRSS"))


def status_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1])


def report_size(size: int, figures: dict) -> None:
    for name in ENDPOINTS:
        print(
            f"{size:>6} patients  {name:<9} p50 {figures[name]['p50']:7.1f} ms"
            f"  p95 {figures[name]['p95']:7.1f} ms"
        )
    csv = figures["csv"]
    print(
        f"{size:>6} patients  csv       {csv['rows']} rows, {csv['mb']:.0f} MB in "
        f"{csv['seconds']:.1f} s; worker idle {csv['idle_mb']:.0f} MB, peak "
        f"+{csv['peak_mb_over_idle']:.1f} MB (HTTP {csv['status']})",
        flush=True,
    )


def report(results: dict) -> None:
    small, large = (results[size] for size in SIZES)
    ratios = {name: large[name]["p50"] / small[name]["p50"] for name in ENDPOINTS}
    print("20k/2k p50 ratio: " + ", ".join(f"{n} {r:.2f}" for n, r in ratios.items()))
    print(
        json.dumps(
            {
                "list_p50_ms": round(large["list"]["p50"], 1),
                "list_ratio": round(ratios["list"], 2),
                "overview_p50_ms": round(large["overview"]["p50"], 1),
                "trends_p50_ms": round(large["trends"]["p50"], 1),
                "fhir_p50_ms": round(large["fhir"]["p50"], 1),
                "csv_peak_mb_over_idle": round(large["csv"]["peak_mb_over_idle"], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
