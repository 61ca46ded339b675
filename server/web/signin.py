"""Sign in and sign out of the dashboard with the staff-auth service the API uses."""

from datetime import timedelta

from flask import current_app, g, redirect, render_template, request, url_for

from server import clock
from server.api.auth import login_limits
from server.api.security import client_ip
from server.errors import Unauthorized
from server.services import staff_auth
from server.web import bp, session
from server.web.session import staff_page


@bp.get("/sign-in")
def sign_in():
    """The sign-in form (says so when the last session timed out)."""
    timed_out = request.args.get("why") == session.TIMED_OUT
    return render_template("signin.html", timed_out=timed_out, next=_next_page())


@bp.post("/sign-in")
@login_limits
def sign_in_post():
    """Check email and password; start a session holding a fresh staff token."""
    now, form = clock.now(), request.form
    lifetime = timedelta(hours=current_app.config["STAFF_TOKEN_HOURS"])
    try:
        token = staff_auth.login(
            form.get("email", ""), form.get("password", ""), now, lifetime, client_ip()
        )
    except Unauthorized as error:
        page = render_template("signin.html", error=error.detail, next=_next_page())
        return page, 401
    session.start(token, now)
    return redirect(_next_page())


@bp.post("/sign-out")
@staff_page()
def sign_out():
    """Revoke this session's token and go back to the sign-in form."""
    session.end(g.staff, g.token, clock.now())
    return redirect(url_for("web.sign_in"))


def _next_page() -> str:
    # Only a path on this site: an absolute or protocol-relative URL would be an open redirect.
    target = request.values.get("next") or ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("web.inbox")
    return target
