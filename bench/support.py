"""What every benchmark needs: the PostgreSQL database from BENCH_DATABASE_URL, created if
missing, and a schema of the benchmark's own in it, migrated, and dropped at the end.

    with own_schema("bench_dispatch") as url:   # url: DATABASE_URL for PainLine processes
        app = migrated_app(url)
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/painline_bench"


def database_url() -> str:
    """BENCH_DATABASE_URL, or the local painline_bench database; PostgreSQL only."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgresql://", "postgres://")):
        sys.exit("BENCH_DATABASE_URL must point at PostgreSQL")
    return url


def ensure_database(url: str) -> None:
    """Create the benchmark database if it is missing."""
    base, name = url.split("?")[0].rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def own_schema(schema: str):
    """A fresh schema in the benchmark database; yields a URL whose search_path is that schema."""
    url = database_url()
    ensure_database(url)
    drop = f"DROP SCHEMA IF EXISTS {schema} CASCADE"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    search_path = quote(f"-csearch_path={schema}")
    try:
        yield f"{url}{separator}application_name={schema}&options={search_path}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(drop)


def migrated_app(url: str, **config: str):
    """A PainLine app on `url` with the schema migrated (environment-style `config` on top)."""
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from server import create_app

    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench-secret", "PAINLINE_ENV": "development", **config}
    )
    with app.app_context():
        upgrade()
    return app


TICK = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "tick", "--at"]


def job_env(url: str, **settings: str) -> dict[str, str]:
    """Settings of a bench job process on `url` (a fake peer's are added by the caller)."""
    return {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-secret",
        "PAINLINE_ENV": "development",
        "PUBLIC_BASE_URL": "https://painline.example",
        "SCHEDULER": "off",
        **settings,
    }


def start_tick(env: dict[str, str], due) -> subprocess.Popen:
    """One job process: every due job once, as of `due`."""
    command = [*TICK, due.isoformat()]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def children_cpu() -> float:
    """CPU seconds used by the finished child processes so far."""
    times = os.times()
    return times.children_user + times.children_system


@contextmanager
def bench_clinic(url: str, created_at):
    """Emptied, migrated tables with one New York clinic; yields its id inside the app context."""
    from sqlalchemy import text

    from server.extensions import db
    from server.models import Clinic

    app = migrated_app(url)
    with app.app_context():
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        clinic = Clinic(
            name="Bench PT",
            help_phone="+16175550100",
            timezone="America/New_York",
            sms_sender="+16175550000",
            created_at=created_at,
        )
        db.session.add(clinic)
        db.session.commit()
        yield clinic.id
        db.engine.dispose()


def delivery_figures(accepted_at: list[float], received, expected: set, wall: float, cpu: float):
    """What a send benchmark prints: rate between the first and last acceptance, CPU per item,
    and every expected recipient counted (`received`: a Counter by recipient or message id)."""
    accepted_at = sorted(accepted_at)
    sending = accepted_at[-1] - accepted_at[0] if len(accepted_at) > 1 else float("nan")
    return {
        "rate": round(len(accepted_at) / sending, 1),
        "sending": sending,
        "wall": wall,
        "cpu_ms": cpu * 1000 / max(len(accepted_at), 1),
        "sent": len(accepted_at),
        "duplicates": sum(n - 1 for n in received.values()),
        "lost": len(expected - set(received)),
    }
