"""Request bodies: a size cap (413) and JSON that parses (400), on every endpoint, never a 500."""

import pytest

from tests.assertions import assert_problem

DEEP = b"[" * 100_000 + b"]" * 100_000
JSON_ENDPOINTS = [
    "/api/v1/auth/login",
    "/api/v1/patient-auth/start",
    "/api/v1/patient-auth/verify",
    "/api/v1/patients",
]


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
def test_deeply_nested_json_is_a_400_not_a_500(client, path, admin_headers):
    response = client.post(path, data=DEEP, content_type="application/json",
                           headers=admin_headers)
    assert_problem(response, 400)


def test_deeply_nested_json_is_a_400_on_a_patch_too(client, admin_headers, patient):
    response = client.patch(f"/api/v1/patients/{patient.id}", data=DEEP,
                            content_type="application/json", headers=admin_headers)
    assert_problem(response, 400)


@pytest.mark.parametrize("body", [b'{"phone": "+1617', b"\xff\xfe\xfa{}", b'{"phone": "\xc3\x28"}'])
def test_malformed_or_non_utf8_json_is_a_400(client, body):
    response = client.post("/api/v1/patient-auth/start", data=body,
                           content_type="application/json")
    assert_problem(response, 400)


def test_a_body_over_the_limit_is_a_413_problem(client):
    body = b'{"phone": "' + b"1" * 1_100_000 + b'"}'
    response = client.post("/api/v1/patient-auth/start", data=body,
                           content_type="application/json")
    assert_problem(response, 413)


def test_the_limit_is_configurable(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100)
    body = b'{"email": "' + b"a" * 120 + b'@x.example", "password": "p"}'
    response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
    assert_problem(response, 413)


def test_webhooks_are_capped_too(client):
    response = client.post("/sms/inbound", data={"Body": "x" * 1_100_000})
    assert_problem(response, 413)


def test_a_body_under_the_limit_still_works(client, admin_headers):
    new = {"first_name": "Rosa", "phone": "(617) 555-0123", "timezone": "America/Chicago"}
    assert client.post("/api/v1/patients", json=new, headers=admin_headers).status_code == 201
