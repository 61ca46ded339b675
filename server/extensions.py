"""Extensions, created unbound and init_app-ed by the factory."""

from flask import request
from flask_limiter import Limiter
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


limiter = Limiter(key_func=_client_ip, default_limits=[], headers_enabled=True)
