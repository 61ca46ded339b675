"""Staff sign-in: login, logout, /me, token expiry, rate limits."""

from server.enums import Role
from server.extensions import db
from server.models import AccessToken, AuditEvent
from tests.assertions import assert_problem
from tests.factories import PASSWORD


def test_login_returns_a_token_that_is_stored_only_as_a_hash(client, make):
    staff = make.staff(make.clinic())
    response = client.post("/api/v1/auth/login", json={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 200
    token = response.get_json()["token"]
    stored = db.session.scalars(db.select(AccessToken)).one()
    assert stored.token_hash != token and len(stored.token_hash) == 64
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.get_json()["email"] == staff.email


def test_login_email_is_case_insensitive(client, make):
    make.staff(make.clinic(), email="maria@example.org")
    response = client.post(
        "/api/v1/auth/login", json={"email": "Maria@Example.ORG", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_unknown_email_and_wrong_password_get_the_same_error(client, make):
    staff = make.staff(make.clinic())
    wrong = client.post("/api/v1/auth/login", json={"email": staff.email, "password": "nope"})
    unknown = client.post(
        "/api/v1/auth/login", json={"email": "ghost@example.org", "password": PASSWORD}
    )
    assert assert_problem(wrong, 401) == assert_problem(unknown, 401)
    assert db.session.scalar(db.select(db.func.count(AccessToken.id))) == 0


def test_inactive_staff_cannot_sign_in(client, make):
    staff = make.staff(make.clinic(), active=False)
    response = client.post("/api/v1/auth/login", json={"email": staff.email, "password": PASSWORD})
    assert_problem(response, 401)


def test_login_with_missing_or_malformed_fields_names_them(client, db):
    response = client.post("/api/v1/auth/login", json={"email": "not-an-email"})
    body = assert_problem(response, 422, "email")
    assert "password" in body["errors"]


def test_login_with_a_non_json_body_is_a_clear_422(client, db):
    response = client.post("/api/v1/auth/login", data="email=x", content_type="text/plain")
    assert response.status_code in (415, 422)
    assert response.mimetype == "application/problem+json"


def test_login_is_rate_limited_per_account(client, make):
    staff = make.staff(make.clinic())
    for _ in range(10):
        client.post("/api/v1/auth/login", json={"email": staff.email, "password": "wrong"})
    response = client.post("/api/v1/auth/login", json={"email": staff.email, "password": PASSWORD})
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_login_is_rate_limited_per_ip(client, make):
    clinic = make.clinic()
    people = [make.staff(clinic) for _ in range(31)]
    statuses = [
        client.post("/api/v1/auth/login", json={"email": p.email, "password": "wrong"}).status_code
        for p in people
    ]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


def test_logout_revokes_the_token(client, make):
    headers = make.staff_token(make.staff(make.clinic()))
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_logout_without_a_token_is_401(client, db):
    assert_problem(client.post("/api/v1/auth/logout"), 401)


def test_expired_token_is_401(client, make, clock):
    headers = make.staff_token(make.staff(make.clinic()), hours=1)
    clock.advance(hours=1, seconds=1)
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_malformed_authorization_header_is_401(client, db):
    for value in ("Bearer", "Basic abc", "Bearer not-a-token", "token"):
        assert_problem(client.get("/api/v1/me", headers={"Authorization": value}), 401)


def test_me_shows_role_and_clinic(client, make):
    clinic = make.clinic(name="Northside PT")
    headers = make.staff_token(make.staff(clinic, role=Role.ADMIN))
    body = client.get("/api/v1/me", headers=headers).get_json()
    assert body["role"] == "admin"
    assert body["clinic"]["name"] == "Northside PT"


def test_login_and_logout_are_audited(client, make):
    staff = make.staff(make.clinic())
    token = client.post(
        "/api/v1/auth/login", json={"email": staff.email, "password": PASSWORD}
    ).get_json()["token"]
    client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["auth.login", "auth.logout"]
