"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import sys

from server import create_app
from server.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"PainLine cannot start: {error}")
