"""Who is signed in to the dashboard: a staff token kept in the signed session cookie.

The token is the API's own bearer token (same expiry, same revocation), so signing out or an
idle timeout revokes it exactly as POST /auth/logout does.
"""

from datetime import datetime, timedelta
from functools import wraps

from flask import current_app, g, redirect, request, session, url_for

from server import clock
from server.api.security import client_ip
from server.errors import Forbidden
from server.extensions import db
from server.models import AccessToken, Staff
from server.services import staff_auth, tokens

NOT_SIGNED_IN = "not signed in"
TIMED_OUT = "idle"


def start(plain_token: str, now: datetime) -> None:
    """Begin a fresh session (never reuse the one from before sign-in) for this token."""
    session.clear()
    session.update(token=plain_token, seen=now.timestamp())


def signed_in_staff(now: datetime) -> tuple[Staff | None, str | None]:
    """The staff member of this session and their token, else None and why not."""
    plain = session.get("token")
    token = tokens.find_live_token(plain, now) if plain else None
    staff = db.session.get(Staff, token.staff_id) if token and token.staff_id else None
    if staff is None or not staff.active:
        session.clear()
        return None, NOT_SIGNED_IN
    idle = timedelta(minutes=current_app.config["DASHBOARD_IDLE_MINUTES"])
    if now - datetime.fromtimestamp(session.get("seen", 0), now.tzinfo) > idle:
        end(staff, token, now)
        return None, TIMED_OUT
    session["seen"] = now.timestamp()
    g.token = token
    return staff, None


def end(staff: Staff, token: AccessToken, now: datetime) -> None:
    """Revoke the session's token (audited as a logout) and forget the session."""
    staff_auth.logout(token, staff, now, client_ip())
    session.clear()


def staff_page(*roles: str):
    """Serve the view to signed-in staff (of one of `roles`, if given); sets g.staff."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            staff, why = signed_in_staff(clock.now())
            if staff is None:
                return _to_sign_in(why)
            if roles and staff.role not in roles:
                raise Forbidden(f"This page needs the role: {', '.join(roles)}.")
            g.staff = staff
            return view(*args, **kwargs)

        return guarded

    return decorator


def _to_sign_in(why: str):
    target = url_for("web.sign_in", why=why if why == TIMED_OUT else None, next=request.full_path)
    if request.headers.get("HX-Request"):
        return "", 401, {"HX-Redirect": target}
    return redirect(target)
