"""HTTP interface: the REST API under /api/v1, Twilio webhooks and health probes."""

from flask import Flask

from server.api.problem import problem_response
from server.errors import DomainError


def register_api(app: Flask) -> None:
    """Register every blueprint and the problem+json handler for domain errors."""
    from server.api import auth, health, patients, sessions
    from server.extensions import api

    for module in (auth, patients, sessions):
        api.register_blueprint(module.blp)
    app.register_blueprint(health.bp)
    app.register_error_handler(DomainError, render_domain_error)


def render_domain_error(error: DomainError):
    return problem_response(error.status, error.detail, error.errors)
