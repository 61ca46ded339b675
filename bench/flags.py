"""Benchmark the flag inbox and the clinic overview as resolved flags pile up, on PostgreSQL.

    .venv/bin/python bench/flags.py [--resolved 0,10000] [--samples 60]
    (BENCH_DATABASE_URL, default painline_bench; a schema of its own, dropped at the end)

For each count of resolved flags: a fresh schema, one clinic of 500 patients with 40 active
flags and that many resolved ones (bulk-inserted, then VACUUM ANALYZE as autovacuum would),
then GET /api/v1/flags (active, first page) and GET /api/v1/clinic/overview timed in-process
through Flask's test client, one request at a time. The flag list should stay flat: its query
reads only the active flags, however many resolved ones the clinic has. --generic runs with
plan_cache_mode=force_generic_plan: what PostgreSQL may choose for statements psycopg prepares
(after 5 runs on a connection), where a parameter cannot match a partial index's predicate.
The last line is JSON.
"""

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import psycopg
from sqlalchemy import insert
from support import ROOT, migrated_app, own_schema

sys.path.insert(0, str(ROOT))
from server.extensions import db  # noqa: E402
from server.models import Clinic, Flag, Patient, Staff  # noqa: E402
from server.services import tokens  # noqa: E402

SCHEMA, PATIENTS, ACTIVE, WARMUP = "bench_flags", 500, 40, 5
PATHS = {"flags": "/api/v1/flags", "overview": "/api/v1/clinic/overview"}
RULES = ("pain_rise", "pain_jump", "pain_severe", "non_response")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolved", default="0,10000", help="comma-separated flag counts")
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--generic", action="store_true", help="force generic plans")
    args = parser.parse_args()
    results = {}
    for resolved in (int(n) for n in args.resolved.split(",")):
        with own_schema(SCHEMA) as url:
            if args.generic:
                url += quote(" -cplan_cache_mode=force_generic_plan")
            app = migrated_app(url)
            headers = seed(app, resolved)
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute("VACUUM ANALYZE flag, patient")
            results[resolved] = {name: timed(app, path, headers, args.samples)
                                 for name, path in PATHS.items()}  # fmt: skip
        for name, figures in results[resolved].items():
            print(f"{resolved:>6} resolved flags  {name:<9} p50 {figures['p50_ms']:6.1f} ms  "
                  f"p99 {figures['p99_ms']:6.1f} ms", flush=True)  # fmt: skip
    print(json.dumps({"generic_plans": args.generic, "resolved_flags": results}))


def seed(app, resolved: int) -> dict[str, str]:
    """One clinic, its patients and flags; the headers of a staff token."""
    now = datetime.now(UTC)
    with app.app_context():
        clinic = Clinic(name="Bench PT", help_phone="+16175550100", timezone="America/New_York",
                        sms_sender="+16175550001", created_at=now)  # fmt: skip
        db.session.add(clinic)
        db.session.flush()
        staff = Staff(clinic_id=clinic.id, email="bench@example.org", name="Bench", role="admin",
                      password_hash="-", created_at=now)  # fmt: skip
        db.session.add(staff)
        patients = [
            {"clinic_id": clinic.id, "first_name": "Ana", "phone": f"+1303{n:07d}",
             "timezone": "America/New_York", "language": "en", "tracks_headache": False,
             "care_status": "active", "consent_status": "opted_in", "phone_valid": True,
             "created_at": now}  # fmt: skip
            for n in range(PATIENTS)
        ]
        ids = db.session.scalars(insert(Patient).returning(Patient.id), patients).all()
        rows = [flag(clinic.id, ids[n % PATIENTS], RULES[n % 4], "open", now)
                for n in range(ACTIVE)]  # fmt: skip
        rows += [flag(clinic.id, ids[n % PATIENTS], RULES[n % 4], "resolved", now - timedelta(
            minutes=n)) for n in range(resolved)]  # fmt: skip
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Flag), rows[start : start + 5000])
        token = tokens.issue_token(now, timedelta(hours=2), staff_id=staff.id)
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def flag(clinic_id: int, patient_id: int, rule: str, status: str, opened) -> dict:
    return {
        "clinic_id": clinic_id, "patient_id": patient_id, "rule": rule, "rule_version": "v1",
        "severity": "warning", "reason": "bench", "evidence_score_ids": [], "status": status,
        "opened_at": opened, "updated_at": opened,
        "resolved_at": opened if status == "resolved" else None,
        "resolution": "false_alarm" if status == "resolved" else None,
    }  # fmt: skip


def timed(app, path: str, headers: dict, samples: int) -> dict:
    """p50 and p99 of `samples` sequential requests, after a warm-up."""
    client, took = app.test_client(), []
    for n in range(WARMUP + samples):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            sys.exit(f"{path}: {response.status_code} {response.get_data(as_text=True)[:200]}")
        if n >= WARMUP:
            took.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(took, n=100)
    return {"p50_ms": round(statistics.median(took), 1), "p99_ms": round(cuts[98], 1)}


if __name__ == "__main__":
    main()
