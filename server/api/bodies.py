"""Request bodies: capped in size (413), and JSON that parses (400) before anything reads it."""

from flask import Flask, request
from werkzeug.exceptions import BadRequest


def register_body_checks(app: Flask) -> None:
    """Run before every other hook (rate-limit keys read the body too)."""
    app.before_request_funcs.setdefault(None, []).insert(0, parse_json_body)


def parse_json_body() -> None:
    """Parse a JSON body once: malformed, too deep or non-UTF-8 is a 400, never a 500.

    Reading the body enforces MAX_CONTENT_LENGTH (413) before any byte past it is buffered.
    """
    if not request.is_json or not request.get_data(cache=True):
        return
    try:
        request.get_json()
    except RecursionError:
        raise BadRequest("The JSON body is nested too deeply.") from None
