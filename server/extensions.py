"""Extensions, created unbound and init_app-ed by the factory."""

import flask_limiter
from flask import Flask, request
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from server.models import Base, UTCDateTime
from server.problem import ProblemApi

db = SQLAlchemy(model_class=Base)


def render_column_type(kind: str, obj, _context):
    """Migrations spell UTCDateTime as the plain column type, so they import nothing of ours."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# batch mode: SQLite cannot ALTER most things; compare_type: catch type drift in the model test.
migrate = Migrate(render_as_batch=True, compare_type=True, render_item=render_column_type)
api = ProblemApi()


def _client_ip() -> str:
    return get_remote_address() if request else "cli"


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter, told on each init_app what to do while its storage (Redis) is down."""

    def init_app(self, app: Flask) -> None:
        """RATELIMIT_STORAGE_DOWN: "memory" counts in this process meanwhile; "open" lets
        requests through (each logs a warning); both re-try the storage and return to it."""
        down = app.config.get("RATELIMIT_STORAGE_DOWN", "memory")
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", STORAGE_TIMEOUTS)
        self._in_memory_fallback_enabled = down == "memory"
        self._swallow_errors = down == "open"
        self._storage_dead = False
        super().init_app(app)


# A Redis that does not answer must not hold a sign-in for long.
STORAGE_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
limiter = Limiter(key_func=_client_ip, default_limits=[], headers_enabled=True)
