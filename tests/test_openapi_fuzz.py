"""Schemathesis against /api/openapi.json: no 5xx, and every response matches the spec."""

import pytest

from server.enums import Role
from tests.spec_fuzzing import fuzz, operations


@pytest.fixture
def staff_headers(make):
    """An admin's token; their clinic has one headache patient."""
    clinic = make.clinic()
    patient = make.patient(clinic, tracks_headache=True)
    make.session(patient)
    return make.staff_token(make.staff(clinic, role=Role.ADMIN), hours=24 * 365), patient.id


def test_api_never_fails_and_matches_its_own_schema(app, staff_headers):
    found = operations(app)
    assert len(found) >= 10
    headers, patient_id = staff_headers
    for operation in found:
        fuzz(operation, headers, "patient_id", patient_id)


def test_openapi_document_is_served_with_every_staff_endpoint(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/auth/login", "/api/v1/patients", "/api/v1/patients/{patient_id}",
                 "/api/v1/patients/{patient_id}/sessions", "/api/v1/patients/{patient_id}/scores"):
        assert path in spec["paths"]
    assert "application/problem+json" in spec["components"]["responses"]["UNAUTHORIZED"]["content"]
