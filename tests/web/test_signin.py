"""Dashboard sign-in: the staff-auth service, its limits, the session cookie, CSRF, redirects."""

from server.extensions import db
from server.models import AccessToken
from tests.factories import PASSWORD
from tests.web.conftest import HTTPS, Dashboard


def test_session_cookie_is_httponly_lax_and_secure_behind_https(dashboard, make):
    response = dashboard.sign_in(make.staff(make.clinic()))
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 302
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_the_session_holds_a_staff_token_stored_hashed(dashboard, make):
    dashboard.sign_in(make.staff(make.clinic()))
    token = db.session.scalars(db.select(AccessToken)).one()
    assert token.staff_id is not None and token.revoked_at is None


def test_sign_in_without_the_csrf_token_is_refused(dashboard, make):
    staff = make.staff(make.clinic())
    form = {"email": staff.email, "password": "x"}
    response = dashboard.client.post("/sign-in", data=form, base_url=HTTPS)
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


def test_next_page_is_only_ever_a_path_on_this_site(dashboard, make):
    staff = make.staff(make.clinic())
    form = {"email": staff.email, "password": PASSWORD}
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = dashboard.post(f"/sign-in?next={target}", form)
        assert response.headers["Location"] == "/", target


def test_web_and_api_sign_in_share_one_failure_budget_per_account(app, client, make):
    staff = make.staff(make.clinic())
    for _ in range(10):
        wrong = {"email": staff.email, "password": "wrong"}
        assert client.post("/api/v1/auth/login", json=wrong).status_code == 401
    dashboard = Dashboard(client)
    response = dashboard.sign_in(staff)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers


def test_pages_send_a_signed_out_visitor_to_the_sign_in_form(dashboard):
    response = dashboard.get("/patients?care_status=active")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/patients?care_status%3Dactive"
    htmx = dashboard.get("/patients", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/sign-in")
