"""Security headers on every response; nothing dynamic cached; Swagger UI served offline."""

import hashlib
import re
from pathlib import Path

import pytest

from server import headers

STATIC = Path(headers.__file__).parent / "api" / "swagger" / "static"


def assert_secure(response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_patient_data_is_never_cached(client, admin_headers, patient):
    response = client.get(f"/api/v1/patients/{patient.id}", headers=admin_headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert_secure(response)


@pytest.mark.parametrize("path", ["/trends", "/fhir", "/scores", "/messages"])
def test_every_patient_read_is_no_store(client, admin_headers, patient, path):
    response = client.get(f"/api/v1/patients/{patient.id}{path}", headers=admin_headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_tokens_csv_and_errors_are_no_store(client, admin_headers, make, clinic, patient):
    token = client.post("/api/v1/patient-auth/verify", json={"phone": patient.phone,
                                                              "code": "000000"})
    csv = client.get("/api/v1/exports/scores.csv", headers=admin_headers)
    for response in (token, csv, client.get("/api/v1/patients")):
        assert response.headers["Cache-Control"] == "no-store"
        assert_secure(response)


def test_patient_app_answers_are_no_store(client, make, patient):
    response = client.get("/api/v1/me/trends", headers=make.patient_token(patient))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert_secure(response)


def test_no_hsts_when_the_public_origin_is_plain_http(app, monkeypatch):
    from server import create_app

    config = {"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "PAINLINE_ENV": "development",
              "PUBLIC_BASE_URL": "http://127.0.0.1:5000"}
    response = create_app(config).test_client().get("/healthz")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_swagger_ui_is_served_from_the_app_without_inline_script(client):
    page = client.get("/api/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "cdn" not in html and "http" not in html.replace('"/api', "")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/api/docs/static/' in attrs and not body.strip()
                           for attrs, body in scripts)
    for asset in re.findall(r'(?:src|href)="(/api/docs/static/[^"]+)"', html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_vendored_files_match_their_recorded_checksums():
    rows = [line.split() for line in (STATIC / "VERSIONS").read_text().splitlines()
            if line and not line.startswith("#")]
    assert {row[2] for row in rows} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    for name, version, filename, sha256 in rows:
        assert name == "swagger-ui-dist" and version.startswith("5.")
        assert hashlib.sha256((STATIC / filename).read_bytes()).hexdigest() == sha256


# Headers of HTTP itself (framing, content), which no spec declares.
HTTP_HEADERS = {"content-type", "content-length", "date", "server", "connection",
                "transfer-encoding", "vary"}


@pytest.fixture
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def declared(spec, method: str, path: str, status: int) -> set[str]:
    """The headers the spec declares for the operation `path` matches, at `status`."""
    for template, item in spec["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path) and method in item:
            responses = item[method]["responses"]
            response = responses.get(str(status), responses.get("default"))
            assert response is not None, (method, path, status, "status not documented")
            if "$ref" in response:
                response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
            return {name.lower() for name in response.get("headers", {})}
    raise AssertionError(f"{method} {path} is not in the spec")


def test_every_header_a_live_answer_carries_is_declared(client, spec, make, clinic, patient,
                                                        admin_headers, monkeypatch, app):
    monkeypatch.setitem(app.config, "PATIENT_CODE_MIN_SECONDS", 0.0)
    me = make.patient_token(patient)
    url = f"/api/v1/patients/{patient.id}"
    calls = [
        ("post", "/api/v1/auth/login", {"json": {"email": "no@x.example", "password": "p"}}),
        ("get", "/api/v1/me", {"headers": admin_headers}),
        ("get", "/api/v1/patients", {"headers": admin_headers}),
        ("get", url, {"headers": admin_headers}),
        ("get", "/api/v1/patients/999999", {"headers": admin_headers}),
        ("patch", url, {"headers": admin_headers, "json": {}}),
        ("post", f"{url}/sessions", {"headers": admin_headers,
                                     "json": {"occurred_at": "2026-12-01T14:00:00Z"}}),
        ("get", f"{url}/trends", {"headers": admin_headers}),
        ("get", f"{url}/fhir", {"headers": admin_headers}),
        ("get", "/api/v1/exports/scores.csv", {"headers": admin_headers}),
        ("get", "/api/v1/flags", {}),
        ("post", "/api/v1/patient-auth/start", {"json": {"phone": patient.phone}}),
        ("post", "/api/v1/patient-auth/verify", {"json": {"phone": patient.phone,
                                                          "code": "000000"}}),
        ("get", "/api/v1/me/trends", {"headers": me}),
        ("post", "/api/v1/me/scores", {"headers": me | {"Idempotency-Key": "k1"},
                                       "json": {"pain_nprs": 4}}),
        ("post", "/api/v1/me/scores", {"headers": me | {"Idempotency-Key": "k1"},
                                       "json": {"pain_nprs": 4}}),
    ]
    statuses, seen = set(), set()
    for method, path, kwargs in calls:
        response = getattr(client, method)(path, **kwargs)
        statuses.add(response.status_code)
        sent = {name.lower() for name, _value in response.headers.items()} - HTTP_HEADERS
        seen |= sent
        assert "x-request-id" in sent and "content-security-policy" in sent
        missing = sent - declared(spec, method, path, response.status_code)
        assert not missing, (method, path, response.status_code, missing)
    assert {200, 201, 202, 401, 404, 422} <= statuses
    assert {"idempotent-replayed", "x-ratelimit-limit", "retry-after", "cache-control",
            "strict-transport-security", "x-pagination", "content-disposition"} <= seen
