"""The scheduler: `jobs tick`, `jobs run` (SIGTERM, heartbeat), /readyz, embedded mode."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from server import create_app
from server.extensions import db
from server.jobs.scheduler import is_serving_process, start_embedded
from server.models import Heartbeat
from server.services import heartbeats
from tests.services.conftest import at

ROOT = Path(__file__).resolve().parents[2]


def test_tick_runs_every_due_job_as_of_the_given_instant(app, run_jobs, patient, scheduled):
    scheduled(patient, at("2026-12-05T15:00:00+00:00"))

    nothing = "checkins: nothing due\noutbox: nothing due\nalerts: nothing due\n"
    assert run_jobs("2026-12-05T14:59:59Z") == nothing
    output = run_jobs("2026-12-05T15:00:00Z")

    assert output == "checkins: prompted 1\noutbox: sent 1\nalerts: nothing due\n"


@pytest.mark.parametrize(
    ("value", "message"),
    [("yesterday", "is not an ISO-8601 instant"), ("2026-12-01T15:00:00", "give a zone")],
)
def test_tick_refuses_an_instant_it_cannot_place(app, db, value, message):
    result = app.test_cli_runner().invoke(args=["jobs", "tick", "--at", value])
    assert result.exit_code == 2
    assert message in result.output


def environment(app, **extra) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret-key",
        "PAINLINE_ENV": "development",
        **extra,
    }


@pytest.mark.slow
def test_jobs_run_beats_and_stops_cleanly_on_sigterm(app, db):
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"]
    env = environment(app, JOBS_TICK_SECONDS="1")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: heartbeats.last_beat(heartbeats.SCHEDULER), 30)
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0, errors
    assert "scheduler stopped" in errors


def _wait_for(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # see the other process's commits
        if found := condition():
            return found
        time.sleep(0.1)
    return None


def beat(clock, seconds_ago: int) -> None:
    heartbeats.beat(heartbeats.SCHEDULER, clock.now - timedelta(seconds=seconds_ago))


def test_readyz_reports_a_fresh_heartbeat(client, clock):
    beat(clock, 45)  # three ticks of 15 s

    body = client.get("/readyz").get_json()

    assert body["scheduler"] == "ok"
    assert body["scheduler_beat_at"] == (clock.now - timedelta(seconds=45)).isoformat()


def test_readyz_stays_ready_for_web_workers_when_the_scheduler_process_is_stale(client, clock):
    beat(clock, 46)

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json()["scheduler"] == "stale"


def test_readyz_without_any_heartbeat_reports_it_missing(client):
    assert client.get("/readyz").get_json()["scheduler"] == "missing"


def test_readyz_is_unavailable_when_its_own_embedded_scheduler_stalls(
    app, client, clock, monkeypatch
):
    monkeypatch.setitem(app.config, "SCHEDULER", "embedded")
    beat(clock, 46)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def serving_in(name: str, *args: str) -> bool:
    """is_serving_process() as seen from inside a CLI command called `name`."""
    seen = []

    @click.command(name)
    @click.option("--reload/--no-reload", default=None)
    def command(reload):
        seen.append(is_serving_process())

    CliRunner().invoke(command, list(args), catch_exceptions=False)
    return seen[0]


def test_only_the_serving_process_runs_the_embedded_scheduler(monkeypatch):
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    assert is_serving_process()  # imported by a WSGI server
    assert serving_in("run", "--no-reload")
    assert not serving_in("upgrade")  # flask db upgrade, seed-demo, jobs tick ...
    assert not serving_in("run", "--reload")  # the reloader's parent only watches files
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    assert serving_in("run", "--reload")  # the child the reloader started serves


def test_no_embedded_scheduler_unless_configured(app):
    assert app.config["SCHEDULER"] == "off"
    assert start_embedded(app) is None


@pytest.mark.slow
def test_embedded_scheduler_ticks_in_the_background(app, db):
    config = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "k",
              "PAINLINE_ENV": "development"}
    served = create_app(config | {"SCHEDULER": "embedded"})
    scheduler = served.extensions["scheduler"]
    try:
        assert _wait_for(lambda: db.session.get(Heartbeat, heartbeats.SCHEDULER), 15)
    finally:
        scheduler.shutdown(wait=True)
