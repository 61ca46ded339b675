"""Staff sign-in: login, logout, who am I."""

from datetime import timedelta

from flask import current_app, g, request
from flask_smorest import Blueprint

from server import clock
from server.api.schemas.auth import LoginSchema, StaffSchema, TokenSchema
from server.api.schemas.patient_app import PatientProfileSchema
from server.api.security import client_ip, signed_in, staff_required
from server.enums import Role
from server.extensions import db, limiter
from server.models import Clinic
from server.services import staff_auth

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Staff sign-in")


def _login_email() -> str:
    body = request.get_json(silent=True) if request.is_json else request.form
    email = body.get("email") if hasattr(body, "get") else None
    if not email:
        return f"login-ip:{client_ip()}"
    # A lone surrogate cannot be encoded for Redis: escape it so the key stays one account's.
    return "login:" + str(email).strip().lower().encode("utf-8", "backslashreplace").decode()


def login_limits(view):
    """Staff sign-in limits per IP and per account, one budget for the API and the dashboard."""
    per_account = limiter.shared_limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
        scope="staff-login-account",
        key_func=_login_email,
    )
    per_ip = limiter.shared_limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_IP"], scope="staff-login-ip", key_func=client_ip
    )
    return per_ip(per_account(view))


@blp.route("/auth/login", methods=["POST"])
@login_limits
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def login(credentials):
    """Exchange email and password for a bearer token."""
    now, lifetime = clock.now(), timedelta(hours=current_app.config["STAFF_TOKEN_HOURS"])
    token = staff_auth.login(
        credentials["email"], credentials["password"], now, lifetime, client_ip()
    )
    return {"token": token, "expires_at": now + lifetime}


@blp.route("/auth/logout", methods=["POST"])
@staff_required(blp)
@blp.response(204)
def logout():
    """Revoke the token used for this request."""
    staff_auth.logout(g.token, g.staff, clock.now(), client_ip())


# One path, two callers: `role` tells the shapes apart ("patient", or a staff role).
WHO_AM_I = {
    "oneOf": [StaffSchema, PatientProfileSchema],
    "discriminator": {
        "propertyName": "role",
        "mapping": {
            **{role.value: "#/components/schemas/Staff" for role in Role},
            "patient": "#/components/schemas/PatientProfile",
        },
    },
}


@blp.route("/me", tags=["auth", "patient_app"])
@signed_in(blp)
@blp.response(200, description="The staff member and their clinic, or the patient's own profile")
@blp.doc(responses={200: {"content": {"application/json": {"schema": WHO_AM_I}}}})
def me():
    """Who is signed in: a staff member and their clinic, or a patient's own profile."""
    whoever = g.get("patient") or g.staff
    clinic = db.session.get(Clinic, whoever.clinic_id)
    schema = PatientProfileSchema() if "patient" in g else StaffSchema()
    # The clinic is dumped beside the row, not set on it: no attributes bolted onto ORM rows.
    return schema.dump(whoever) | {"clinic": schema.fields["clinic"].schema.dump(clinic)}
