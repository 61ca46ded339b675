"""A request id on every request: the caller's X-Request-Id when it is sane, else a new one.

A proxy or a mobile client may send its own id so its logs and ours line up; anything longer
than 64 characters or outside letters, digits, dot, underscore and hyphen is replaced (a header
goes into every log line, so it must not carry spaces, quotes or newlines).
"""

import re
import uuid

from flask import Flask, Response, has_request_context, request

HEADER = "X-Request-Id"
PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
_SANE = re.compile(PATTERN)
ENVIRON_KEY = "painline.request_id"


def current() -> str | None:
    """This request's id (chosen on first use), or None outside a request."""
    if not has_request_context():
        return None
    # Kept in the request's environ, not on `g`: an app context can outlive one request.
    if ENVIRON_KEY not in request.environ:
        offered = request.headers.get(HEADER, "")
        request.environ[ENVIRON_KEY] = offered if _SANE.fullmatch(offered) else uuid.uuid4().hex
    return request.environ[ENVIRON_KEY]


def register_request_ids(app: Flask) -> None:
    """Answer every request with its id, whatever the status."""

    @app.after_request
    def tell_the_caller(response: Response) -> Response:
        response.headers[HEADER] = current()
        return response
