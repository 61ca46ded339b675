"""Benchmark the dashboard pages against the JSON API calls that return the same data.

    .venv/bin/python bench/dashboard.py                       (20,000 patients)
    BENCH_PATIENTS=300 .venv/bin/python bench/dashboard.py    (a quick check)
    BENCH_PAIRS=overview .venv/bin/python bench/dashboard.py  (only these pairs, comma-separated)

A fresh schema in BENCH_DATABASE_URL (PostgreSQL) is seeded by seed-demo's code with weeks=16
(about 50 scores per patient, flags evaluated) and vacuumed. Server time is measured in-process
through Flask's test client (the WSGI app's own time: routing, queries, audit commits, rendering
or serialising; no network), one request at a time, the admin signed in (a session for pages, a
bearer token for the API). Each pair:

  inbox     GET /                  vs GET /api/v1/flags?page_size=100
  patients  GET /patients          vs GET /api/v1/patients?page_size=25
  patient   GET /patients/<id>     vs the five reads the page shows (patient, trends, flags,
                                      check-ins, messages), their times summed per sample

  overview  GET /overview          vs GET /api/v1/clinic/overview (the page adds the same
                                      figures per therapist, the funnel and two charts), as
                                      served: the figures are reused for up to a minute
  overview_recomputed                 the same with OVERVIEW_MAX_AGE_SECONDS=0: every request
                                      computes the figures (the cost a miss pays)

A different patient each sample, the same sequence for page and API. The last line is one
JSON object: <pair>_p50_ms and <pair>_ratio.
"""

import json
import os
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime

import psycopg
from support import ROOT, migrated_app, own_schema

sys.path.insert(0, str(ROOT))
from server.demo import seed as demo  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import Patient  # noqa: E402

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "20000"))
WEEKS, SAMPLES, WARMUP = 16, 40, 5
SCHEMA = "bench_dashboard"
PATIENT_READS = ("", "/trends", "/checkins", "/messages")
PAIRS = {
    "inbox": (lambda _p: "/", lambda _p: ["/api/v1/flags?page_size=100"]),
    "patients": (lambda _p: "/patients", lambda _p: ["/api/v1/patients?page_size=25"]),
    "patient": (
        lambda p: f"/patients/{p}",
        lambda p: (
            [f"/api/v1/patients/{p}{r}" for r in PATIENT_READS]
            + [f"/api/v1/flags?status=resolved&patient_id={p}", f"/api/v1/flags?patient_id={p}"]
        ),
    ),
    "overview": (lambda _p: "/overview", lambda _p: ["/api/v1/clinic/overview"]),
    "overview_recomputed": (lambda _p: "/overview", lambda _p: ["/api/v1/clinic/overview"]),
}
CHOSEN = os.environ.get("BENCH_PAIRS", ",".join(PAIRS)).split(",")


def main() -> None:
    if unknown := set(CHOSEN) - set(PAIRS):
        sys.exit(f"BENCH_PAIRS: no pair {', '.join(sorted(unknown))} (pairs: {', '.join(PAIRS)})")
    with own_schema(SCHEMA) as url:
        started = time.monotonic()
        app = migrated_app(url, SCHEDULER="off", LOGIN_LIMIT_PER_IP="1000 per minute")
        patient_ids = seed(app, url)
        print(f"{PATIENTS} patients seeded in {time.monotonic() - started:.0f} s", flush=True)
        figures = measure(app, patient_ids)
    report(figures)


def seed(app, url: str) -> list[int]:
    with app.app_context():
        demo.seed(PATIENTS, datetime.now(UTC), weeks=WEEKS, echo=lambda _line: None)
        ids = db.session.scalars(db.select(Patient.id)).all()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE patient, score, check_in, flag, treatment_session")
    return ids


def measure(app, patient_ids: list[int]) -> dict:
    """p50 of each page and of its API counterpart over the same patients."""
    page_client, api_client = app.test_client(), app.test_client()
    sign_in(page_client)
    token = api_token(api_client)
    figures = {}
    for name in CHOSEN:
        # The overview's figures are reused for a minute per clinic (server/figure_cache.py):
        # `overview` times what is served, `overview_recomputed` the figures computed each time.
        app.config["OVERVIEW_MAX_AGE_SECONDS"] = 0 if name == "overview_recomputed" else 60
        page, api = PAIRS[name]
        chosen = random.Random(name).choices(patient_ids, k=WARMUP + SAMPLES)
        page_times = timings(chosen, lambda p, page=page: [page(p)], page_client, {})
        api_times = timings(chosen, api, api_client, {"Authorization": f"Bearer {token}"})
        figures[name] = {"page": page_times, "api": api_times}
    return figures


def sign_in(client) -> None:
    form = client.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = client.post(
        "/sign-in",
        data={"email": demo.DEMO_ADMIN, "password": demo.DEMO_PASSWORD, "csrf_token": csrf},
    )
    if answer.status_code != 302:
        sys.exit(f"dashboard sign-in failed: {answer.status_code}")


def api_token(client) -> str:
    body = {"email": demo.DEMO_ADMIN, "password": demo.DEMO_PASSWORD}
    answer = client.post("/api/v1/auth/login", json=body)
    if answer.status_code != 200:
        sys.exit(f"API sign-in failed: {answer.status_code}")
    return answer.get_json()["token"]


def timings(patient_ids: list[int], paths, client, headers: dict) -> float:
    """Median over the samples of the summed server time of the paths for one patient."""
    samples = []
    for n, patient_id in enumerate(patient_ids):
        elapsed = 0.0
        for path in paths(patient_id):
            started = time.perf_counter()
            answer = client.get(path, headers=headers)
            elapsed += time.perf_counter() - started
            if answer.status_code != 200:
                sys.exit(f"GET {path} failed: {answer.status_code}")
        if n >= WARMUP:
            samples.append(elapsed * 1000)
    return statistics.median(samples)


def report(figures: dict) -> None:
    summary = {}
    for name, pair in figures.items():
        ratio = pair["page"] / pair["api"]
        print(
            f"{name:<19} page p50 {pair['page']:7.1f} ms   API p50 {pair['api']:7.1f} ms   "
            f"ratio {ratio:.2f}"
        )
        summary[f"{name}_p50_ms"] = round(pair["page"], 1)
        summary[f"{name}_ratio"] = round(ratio, 2)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
