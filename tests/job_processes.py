"""Real `flask jobs tick` processes on the test database, for multi-process tests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
