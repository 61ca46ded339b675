"""Benchmark POST /sms/inbound under gunicorn against a bare Flask endpoint, on PostgreSQL.

    .venv/bin/python bench/webhook.py        (BENCH_DATABASE_URL, default painline_bench)

Both servers run with the same gunicorn settings on loopback; a second process drives them
with signed inbound replies, each a valid answer to its own patient's open check-in. Two
measurements: maximum throughput (closed loop, CONCURRENCY requests in flight) and latency at a
fixed offered load of RATE requests/s (open loop, timed from each request's scheduled start).
CPU per request (server workers plus their PostgreSQL backends) is reported too, as the box
is shared and wall-clock figures depend on who else is busy. Works in its own PostgreSQL
schema (bench/support.py), dropped at the end. The last line is one JSON object.
"""

import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from flask import Flask, Response
from support import ROOT, migrated_app, own_schema
from twilio.request_validator import RequestValidator

SCHEMA = "bench_webhook"
TOKEN = "bench-twilio-auth-token"
PUBLIC_BASE_URL = "https://painline.example"
CLINIC_NUMBER = "+16175550000"
# gunicorn's own advice: (2 x cores) + 1 sync workers; the same for both servers.
GUNICORN = ["--workers", str(2 * (os.cpu_count() or 1) + 1), "--worker-class", "sync"]
CONCURRENCY, MAX_SECONDS, RATE, RATE_SECONDS = 8, 8.0, 100, 20
WARM, MOST = 50, 4000  # texts for the warm-up and for the maximum-throughput run
PATIENTS = WARM + MOST + RATE * RATE_SECONDS  # one open check-in each, answered once
FIXED_TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Bench PT: Thank you, '
    "we have your answers.</Message></Response>"
)

bare_app = Flask("bare")  # the floor: what gunicorn + Flask cost with no work at all


@bare_app.post("/sms/inbound")
def bare_inbound() -> Response:
    return Response(FIXED_TWIML, mimetype="text/xml")


def main() -> None:
    with ExitStack() as stack:
        url = stack.enter_context(own_schema(SCHEMA))  # application_name is SCHEMA too
        phones = seed(url, PATIENTS)
        app = stack.enter_context(gunicorn("wsgi:app", server_env(url)))
        bare = stack.enter_context(gunicorn("webhook:bare_app", {}, "--pythonpath", "bench"))
        driver = stack.enter_context(multiprocessing.get_context("spawn").Pool(1))
        figures = measure(driver, app, bare, phones, url)
        stored = stored_rows(url)
    report(figures, stored)


def server_env(url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-secret",
        "PAINLINE_ENV": "development",
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "SMS_BACKEND": "console",
        "SCHEDULER": "off",
    }


def seed(url: str, count: int) -> list[str]:
    """Migrate, then add one clinic and `count` patients, each with an open pain check-in."""
    app = migrated_app(url, **server_env(url))  # puts the project on sys.path
    from server.extensions import db

    with app.app_context():
        phones = insert_patients(db, count, datetime.now(UTC))
        db.session.commit()
        db.engine.dispose()
    return phones


def insert_patients(db, count: int, now: datetime) -> list[str]:
    """Patients needled a week ago (in-clinic 6, day-3 reply 5), asked for their day-7 pain."""
    from sqlalchemy import insert

    from server.models import Clinic, Patient

    clinic = {"name": "Bench PT", "help_phone": "+16175550100", "sms_sender": CLINIC_NUMBER}
    clinic_id = db.session.scalar(
        insert(Clinic).returning(Clinic.id),
        [clinic | {"timezone": "America/New_York", "created_at": now}],
    )
    phones = [f"+1303{n:07d}" for n in range(count)]
    patient = {
        "clinic_id": clinic_id,
        "first_name": "Pat",
        "timezone": "America/New_York",
        "consent_status": "opted_in",
        "created_at": now,
    }
    ids = db.session.scalars(
        insert(Patient).returning(Patient.id, sort_by_parameter_order=True),
        [patient | {"phone": phone} for phone in phones],
    ).all()
    insert_history(db, [{"clinic_id": clinic_id, "patient_id": i, "created_at": now} for i in ids])
    return phones


def insert_history(db, rows: list[dict]) -> None:
    """Each patient's session, two scores and the day-7 check-in prompted an hour ago."""
    from sqlalchemy import insert

    from server.models import CheckIn, Score, TreatmentSession

    now = rows[0]["created_at"]
    session_at, day3, asked = (now - timedelta(days=d) for d in (7, 4, 1 / 24))
    db.session.execute(insert(TreatmentSession), [r | {"occurred_at": session_at} for r in rows])
    for value, source, at in ((6, "clinic", session_at), (5, "sms", day3)):
        score = {"measure": "pain_nprs", "value": value, "source": source, "reported_at": at}
        db.session.execute(insert(Score), [r | score for r in rows])
    checkin = {
        "kind": "day7",
        "measures": ["pain_nprs"],
        "answered": [],
        "due_at": asked,
        "prompted_at": asked,
        "window_end": now + timedelta(hours=48),
        "status": "prompted",
    }
    db.session.execute(insert(CheckIn), [r | checkin for r in rows])


@contextmanager
def gunicorn(target: str, env: dict[str, str], *extra: str):
    """Serve `target` on a free loopback port; yields (port, master pid), stops it after."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(ROOT / ".venv/bin/gunicorn"), *GUNICORN, "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, *extra, target], cwd=ROOT, env=os.environ | env)
    try:
        wait_for(port, server)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            time.sleep(1.0)  # let every worker boot
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"gunicorn on port {port} did not start")


def measure(driver, app, bare, phones: list[str], url: str) -> dict:
    """Warm both servers, then maximum throughput of each, then latency at RATE requests/s."""
    warm, most, fixed = phones[:WARM], phones[WARM : WARM + MOST], phones[WARM + MOST :]
    runs = {
        "app_warm": (app, warm, "closed", 4, 5.0),
        "bare_warm": (bare, warm, "closed", 4, 5.0),
        "app_max": (app, most, "closed", CONCURRENCY, MAX_SECONDS),
        "bare_max": (bare, phones, "closed", CONCURRENCY, MAX_SECONDS),
        "app_fixed": (app, fixed, "open", RATE, RATE_SECONDS),
        "bare_fixed": (bare, fixed, "open", RATE, RATE_SECONDS),
    }
    figures = {}
    for name, ((port, master), texts, mode, level, seconds) in runs.items():
        before = cpu_seconds(server_pids(master, url))
        figures[name] = driver.apply(drive, (port, texts, mode, level, seconds))
        after = cpu_seconds(server_pids(master, url))
        used = sum(after[pid] - before.get(pid, 0.0) for pid in after)
        figures[name]["cpu_ms"] = used * 1000 / max(figures[name]["done"], 1)
    return figures


def server_pids(master: int, url: str) -> list[int]:
    """The server's gunicorn workers and the PostgreSQL backends they opened."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    with psycopg.connect(url, autocommit=True) as conn:
        query = (
            "SELECT pid FROM pg_stat_activity"
            " WHERE application_name = %s AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in conn.execute(query, (SCHEMA,))]
    return [int(pid) for pid in children] + backends


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU each process has used so far (Linux /proc)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def drive(port: int, phones: list[str], mode: str, level: float, seconds: float) -> dict:
    """In the driver process: signed requests built up front, then a closed or open loop."""
    requests = [signed_request(port, phone, n) for n, phone in enumerate(phones)]
    if mode == "closed":
        return asyncio.run(closed_loop(port, requests, int(level), seconds))
    return asyncio.run(open_loop(port, requests, level))


def signed_request(port: int, phone: str, n: int) -> bytes:
    """One inbound reply, signed for the public URL exactly as Twilio signs it."""
    sid = f"SM{time.time_ns():020d}{n:012d}"
    params = {
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": phone,
        "To": CLINIC_NUMBER,
        "Body": str(n % 11),
        "NumMedia": "0",
    }
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC_BASE_URL + "/sms/inbound", params)
    body = urlencode(params).encode()
    head = (
        f"POST /sms/inbound HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        f"X-Twilio-Signature: {signature}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def post(port: int, request: bytes) -> bool:
    """Send one request; True when it answered 200 with the thank-you in TwiML."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    response = await reader.read()
    writer.close()
    return response.startswith(b"HTTP/1.1 200") and b"Thank you" in response


async def closed_loop(port: int, requests: list[bytes], concurrency: int, seconds: float) -> dict:
    """As fast as the server answers, `concurrency` requests in flight, for `seconds`."""
    pending, results = iter(requests), []
    start = time.perf_counter()

    async def client():
        for request in pending:
            if time.perf_counter() - start > seconds:
                return
            sent = time.perf_counter()
            results.append((await post(port, request), time.perf_counter() - sent))

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return summary(results, time.perf_counter() - start)


async def open_loop(port: int, requests: list[bytes], rate: float) -> dict:
    """Request n starts at n/rate s whatever came before; latency counts from that moment."""
    start = time.perf_counter()

    async def one(n: int, request: bytes):
        due = start + n / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        ok = await post(port, request)
        return ok, time.perf_counter() - due

    results = await asyncio.gather(*(one(n, r) for n, r in enumerate(requests)))
    return summary(results, time.perf_counter() - start)


def summary(results: list[tuple[bool, float]], elapsed: float) -> dict:
    latencies = sorted(seconds * 1000 for _ok, seconds in results)
    return {
        "done": len(results),
        "errors": sum(not ok for ok, _ in results),
        "rps": len(results) / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def stored_rows(url: str) -> dict[str, int]:
    """What the app wrote, to check against the answers it acknowledged."""
    queries = {
        "texts": "SELECT count(*) FROM message WHERE direction = 'inbound'",
        "replies": "SELECT count(*) FROM message WHERE purpose = 'reply'",
        "scores": "SELECT count(*) FROM score WHERE message_id IS NOT NULL",
        "review_flags": "SELECT count(*) FROM flag WHERE rule = 'reply_review'",
    }
    with psycopg.connect(url) as conn:
        return {name: conn.execute(query).fetchone()[0] for name, query in queries.items()}


def report(f: dict, stored: dict[str, int]) -> None:
    app_max, bare_max, app_fixed, bare_fixed = (
        f[k] for k in ("app_max", "bare_max", "app_fixed", "bare_fixed")
    )
    ratio = app_max["rps"] / bare_max["rps"]
    print(f"webhook bench: gunicorn {' '.join(GUNICORN)}, PostgreSQL, driver in a second process")
    print(
        f"max throughput (closed loop, {CONCURRENCY} in flight, {MAX_SECONDS:.0f} s): "
        f"app {app_max['rps']:.1f} req/s, bare Flask {bare_max['rps']:.1f} req/s, "
        f"ratio {ratio:.3f}"
    )
    print(
        f"latency at a fixed {RATE} req/s offered for {RATE_SECONDS} s (open loop, from each "
        f"request's scheduled start): app p50 {app_fixed['p50_ms']:.1f} ms p99 "
        f"{app_fixed['p99_ms']:.1f} ms (achieved {app_fixed['rps']:.1f} req/s); "
        f"bare p50 {bare_fixed['p50_ms']:.1f} ms p99 {bare_fixed['p99_ms']:.1f} ms"
    )
    print(
        f"CPU per request (workers + their PostgreSQL backends): app {app_max['cpu_ms']:.1f} "
        f"ms, bare {bare_max['cpu_ms']:.2f} ms; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    thanked = sum(f[k]["done"] - f[k]["errors"] for k in ("app_warm", "app_max", "app_fixed"))
    errors = sum(run["errors"] for run in f.values())
    print(f"errors: {errors}; app thank-yous: {thanked}; stored: {stored}")
    figures = {
        "rps_app": app_max["rps"],
        "rps_bare": bare_max["rps"],
        "ratio": ratio,
        "p50_ms": app_fixed["p50_ms"],
        "p99_ms": app_fixed["p99_ms"],
    }
    print(json.dumps({name: round(value, 3) for name, value in figures.items()}))


if __name__ == "__main__":
    main()
