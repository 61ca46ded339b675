"""Bearer-token guards for staff and patient endpoints, declared in the OpenAPI document."""

from collections.abc import Callable
from functools import wraps

from flask import g, request
from flask_smorest import Blueprint

from server import clock
from server.errors import Forbidden, Unauthorized
from server.extensions import db
from server.models import AccessToken, Patient, Staff
from server.services import tokens

STAFF_SECURITY = [{"staffToken": []}]
PATIENT_SECURITY = [{"patientToken": []}]


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("A bearer token is required.")
    return value.strip()


def _authenticate() -> AccessToken:
    token = tokens.find_live_token(_bearer(), clock.now())
    if token is None:
        raise Unauthorized("The token is invalid, expired or revoked.")
    g.token = token
    return token


def _document(blp: Blueprint, func: Callable, security: list) -> Callable:
    func = blp.doc(security=security)(func)
    func = blp.alt_response(401, response="UNAUTHORIZED")(func)
    return blp.alt_response(403, response="FORBIDDEN")(func)


def _guard(blp: Blueprint, security: list, admit: Callable[[AccessToken], None]) -> Callable:
    """A decorator: a live token, then `admit` (which sets g.staff or g.patient, or raises)."""

    def decorator(func: Callable) -> Callable:
        @wraps(func)
        def guarded(*args, **kwargs):
            admit(_authenticate())
            return func(*args, **kwargs)

        return _document(blp, guarded, security)

    return decorator


def staff_required(blp: Blueprint, *roles: str) -> Callable:
    """Allow a live staff token (of one of `roles`, if given); sets g.staff."""

    def admit(token: AccessToken) -> None:
        staff = db.session.get(Staff, token.staff_id) if token.staff_id else None
        if staff is None or not staff.active:
            raise Forbidden("This endpoint is for clinic staff.")
        if roles and staff.role not in roles:
            raise Forbidden(f"This action needs the role: {', '.join(roles)}.")
        g.staff = staff

    return _guard(blp, STAFF_SECURITY, admit)


def patient_required(blp: Blueprint) -> Callable:
    """Allow a live patient token; sets g.patient."""

    def admit(token: AccessToken) -> None:
        patient = db.session.get(Patient, token.patient_id) if token.patient_id else None
        if patient is None:
            raise Forbidden("This endpoint is for patients signed in to the app.")
        g.patient = patient

    return _guard(blp, PATIENT_SECURITY, admit)


def signed_in(blp: Blueprint) -> Callable:
    """Allow a live staff or patient token; sets g.staff or g.patient (for GET /me)."""

    def admit(token: AccessToken) -> None:
        if token.patient_id is not None:
            g.patient = db.session.get(Patient, token.patient_id)
        else:
            g.staff = db.session.get(Staff, token.staff_id)
            if g.staff is None or not g.staff.active:
                raise Forbidden("This staff account is not active.")

    return _guard(blp, STAFF_SECURITY + PATIENT_SECURITY, admit)


def client_ip() -> str | None:
    """The caller's address as seen by this process (ProxyFix in production sets it right)."""
    return request.remote_addr or "unknown"
