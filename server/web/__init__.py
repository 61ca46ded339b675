"""The clinic dashboard: server-rendered pages over the same services as the API."""

from flask import Blueprint, Flask
from flask_wtf.csrf import CSRFProtect

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)
csrf = CSRFProtect()


def register_web(app: Flask) -> None:
    """Session cookie settings, CSRF (dashboard only: the API uses bearer tokens) and the pages."""
    https = app.config["PUBLIC_BASE_URL"].startswith("https://")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in the dashboard's before_request only
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session (idle timeout)
        WTF_CSRF_HEADERS=["X-CSRFToken"],
    )
    csrf.init_app(app)
    from server.web import (  # noqa: F401
        enrol,
        errors,
        inbox,
        overview,
        patient_forms,
        patient_page,
        patients,
        settings,
        signin,
        simulator,
    )

    app.register_blueprint(bp)
