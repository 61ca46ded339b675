"""HTTP interface: the REST API under /api/v1, Twilio webhooks and health probes."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from server.errors import DomainError
from server.problem import problem_response


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
        sessions,
        sms_inbound,
        sms_status,
    )
    from server.extensions import api

    app.url_map.converters["int"] = RowId
    api.register_converter(
        RowId, lambda _converter: {"type": "integer", "minimum": 1, "maximum": RowId.MAX}
    )
    for module in (auth, patients, sessions, messages, patient_app, checkins):
        api.register_blueprint(module.blp)
    from server.api import alerts, clinic, exports, flags, trends

    for module in (flags, trends, clinic, exports, alerts):
        api.register_blueprint(module.blp)
    for module in (docs, health, sms_inbound, sms_status):
        app.register_blueprint(module.bp)
    app.register_error_handler(DomainError, render_domain_error)


class RowId(IntegerConverter):
    """Path ids: positive and within PostgreSQL's integer, so a huge id is a 404, not a 500."""

    MAX = 2**31 - 1

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", self.MAX)
        super().__init__(url_map, *args, **kwargs)


def render_domain_error(error: DomainError):
    return problem_response(error.status, error.detail, error.errors)
