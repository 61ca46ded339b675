"""Real `flask jobs tick` processes on the test database, for multi-process tests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CRASHED = 75  # the exit status of a process made to die mid-send
TICK = [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "tick", "--at"]


def process_environment(app, **settings: str) -> dict[str, str]:
    """A PainLine process's environment on the test app's database, plus `settings`."""
    return {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret-key",
        "PAINLINE_ENV": "development",
        "PUBLIC_BASE_URL": "https://painline.example",
        **settings,
    }


def start(command: list[str], env: dict) -> subprocess.Popen:
    """Start one process in the repository root, its output captured."""
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def dies_after_send(sender: type) -> type:
    """`sender` (a real SMS gateway or mailer class) in a process that dies as soon as the
    provider has accepted its first send: no commit, no cleanup, as a kill -9 would leave it."""

    class DiesAfterSend(sender):
        def send(self, outgoing):
            super().send(outgoing)
            os._exit(CRASHED)  # no exception handlers run either

    return DiesAfterSend
