"""Dashboard error pages: the API's domain errors, CSRF refusals and rate limits, as HTML."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import TooManyRequests

from server.errors import DomainError, InvalidField
from server.web import bp, csrf


@bp.before_request
def check_csrf():
    """Every state-changing dashboard request carries the session's CSRF token."""
    csrf.protect()


def as_problem(error: ValidationError | DomainError) -> DomainError:
    """The error as the API answers it: the domain error, or a 422 naming the first bad field."""
    if isinstance(error, ValidationError):
        field, messages = next(iter(error.messages.items()))
        return InvalidField(field, " ".join(messages))
    return error


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    return _page(error.status, error.title, error.detail)


@bp.errorhandler(CSRFError)
def csrf_refused(error: CSRFError):
    return _page(400, "Form expired", "Reload the page and try again. " + error.description)


@bp.errorhandler(TooManyRequests)
def too_many(error: TooManyRequests):
    detail = "Too many sign-in attempts. Wait a few minutes, then try again."
    return _page(429, "Too many attempts", detail, dict(error.get_headers()))


def _page(status: int, title: str, detail: str, headers=None):
    template = "_error_row.html" if request.headers.get("HX-Request") else "error.html"
    body = render_template(template, status=status, title=title, detail=detail)
    return body, status, {k: v for k, v in (headers or {}).items() if k != "Content-Type"}
