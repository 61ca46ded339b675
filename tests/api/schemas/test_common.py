"""Text we cannot store (NUL, lone surrogates) is a 422 naming the field, never a 500."""

import pytest

from server.extensions import db
from server.models import Patient
from tests.assertions import assert_problem

NEW = {"first_name": "Rosa", "phone": "(617) 555-0123", "timezone": "America/Chicago"}
UNSTORABLE = ["Ro\x00sa", "Ro\ud800sa"]


@pytest.mark.parametrize("text", UNSTORABLE)
@pytest.mark.parametrize("field", ["first_name", "external_ref"])
def test_enrolment_refuses_unstorable_text_naming_the_field(client, admin_headers, field, text):
    response = client.post("/api/v1/patients", json=NEW | {field: text}, headers=admin_headers)
    assert_problem(response, 422, field)
    assert db.session.scalar(db.select(db.func.count()).select_from(Patient)) == 0


@pytest.mark.parametrize("text", UNSTORABLE)
@pytest.mark.parametrize("field", ["first_name", "external_ref"])
def test_update_refuses_unstorable_text(client, admin_headers, patient, field, text):
    response = client.patch(f"/api/v1/patients/{patient.id}", json={field: text},
                            headers=admin_headers)
    assert_problem(response, 422, field)
    db.session.refresh(patient)
    assert patient.first_name == "Ana"


@pytest.mark.parametrize("field", ["wording_version", "note"])
def test_consent_refuses_nul_in_its_text(client, admin_headers, patient, field):
    event = {"action": "granted", "source": "intake_form", "wording_version": "v1"}
    response = client.post(f"/api/v1/patients/{patient.id}/consent",
                           json=event | {field: "v\x002"}, headers=admin_headers)
    assert_problem(response, 422, field)


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_flag_notes_refuse_nul(client, admin_headers, patient, action):
    score = {"measure": "pain_nprs", "value": 9}
    client.post(f"/api/v1/patients/{patient.id}/scores", json=score, headers=admin_headers)
    flag = client.get("/api/v1/flags", headers=admin_headers).get_json()[0]
    body = {"note": "call\x00back"} | ({"resolution": "other"} if action == "resolve" else {})
    response = client.post(f"/api/v1/flags/{flag['id']}/{action}", json=body,
                           headers=admin_headers)
    assert_problem(response, 422, "note")


@pytest.mark.redis
def test_login_with_a_lone_surrogate_is_a_422_with_the_redis_limiter(client, redis_limits):
    credentials = {"email": "\ud800@x.example", "password": "secret"}
    response = client.post("/api/v1/auth/login", json=credentials)
    assert_problem(response, 422, "email")
    assert redis_limits.keys("*login*"), "the attempt was still counted"


def test_login_with_a_lone_surrogate_is_a_422_in_memory(client, db):
    response = client.post("/api/v1/auth/login",
                           json={"email": "\ud800@x.example", "password": "secret"})
    assert_problem(response, 422, "email")
