"""HTTP interface: the REST API under /api/v1, Twilio webhooks and health probes."""

import contextlib
import logging

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from server import outages
from server.errors import DomainError
from server.problem import problem_response

logger = logging.getLogger(__name__)


def register_api(app: Flask) -> None:
    """Register every blueprint and the problem+json handler for domain errors."""
    from server.api import (
        auth,
        checkins,
        docs,
        health,
        messages,
        patient_app,
        patients,
        psfs_activities,
        sessions,
        sms_inbound,
        sms_status,
    )
    from server.extensions import api

    _register_row_ids(app, api)
    for module in (auth, patients, sessions, psfs_activities, messages, patient_app, checkins):
        api.register_blueprint(module.blp)
    from server.api import alerts, clinic, exports, flags, trends

    for module in (flags, trends, clinic, exports, alerts):
        api.register_blueprint(module.blp)
    for module in (docs, health, sms_inbound, sms_status):
        app.register_blueprint(module.bp)
    app.register_error_handler(DomainError, render_domain_error)
    for error in outages.OUTAGE_ERRORS:
        app.register_error_handler(error, render_database_outage)


def _register_row_ids(app: Flask, api) -> None:
    """`<int:...>` in every URL is a row id: 1 to RowId.MAX, in the routes and in OpenAPI."""
    app.url_map.converters["int"] = RowId
    api.register_converter(
        RowId, lambda _converter: {"type": "integer", "minimum": 1, "maximum": RowId.MAX}
    )


class RowId(IntegerConverter):
    """Path ids: positive and within PostgreSQL's integer, so a huge id is a 404, not a 500."""

    MAX = 2**31 - 1

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", self.MAX)
        super().__init__(url_map, *args, **kwargs)


def render_domain_error(error: DomainError):
    return problem_response(error.status, error.detail, error.errors)


def render_database_outage(error: Exception):
    """503 with Retry-After (Twilio and clients try again); one log line, not a traceback."""
    from server.extensions import db

    with contextlib.suppress(Exception):  # the connection is gone: nothing to roll back
        db.session.rollback()
    logger.warning(
        "database unavailable: %s %s: %s", request.method, request.path, outages.one_line(error)
    )
    seconds = outages.RETRY_AFTER_SECONDS
    detail = "The database is unavailable; retry later."
    return problem_response(503, detail, headers={"Retry-After": str(seconds)})
