"""The app team generates its client from /api/openapi.json: all endpoints, tagged, examples."""

import pytest

from tests.spec_fuzzing import fuzz, operations

TAG = "patient_app"
PATIENT_OPERATIONS = [
    ("post", "/api/v1/patient-auth/start"),
    ("post", "/api/v1/patient-auth/verify"),
    ("post", "/api/v1/patient-auth/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/me/checkins"),
    ("post", "/api/v1/me/checkins/{checkin_id}/answers"),
    ("post", "/api/v1/me/scores"),
    ("get", "/api/v1/me/scores"),
    ("get", "/api/v1/me/trends"),
    ("post", "/api/v1/me/consent"),
]


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def reference(schema: dict) -> str | None:
    """The component a property points at: directly, as array items, or wrapped (allOf)."""
    candidates = [schema, schema.get("items", {}), *schema.get("allOf", [])]
    return next((c["$ref"] for c in candidates if "$ref" in c), None)


def resolve(spec: dict, schema: dict) -> dict:
    ref = reference(schema)
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def properties_lacking_examples(spec: dict, schema: dict, seen: set) -> list[str]:
    schema = resolve(spec, schema)
    missing = []
    for name, prop in schema.get("properties", {}).items():
        nested = reference(prop)
        if nested and nested not in seen:
            seen.add(nested)
            missing += properties_lacking_examples(spec, prop, seen)
        elif not nested and "example" not in prop:
            missing.append(name)
    return missing


@pytest.mark.parametrize("method, path", PATIENT_OPERATIONS)
def test_patient_operation_is_documented_under_its_own_tag(spec, method, path):
    operation = spec["paths"][path][method]
    assert TAG in operation["tags"]
    assert operation["summary"]
    assert {"patientToken"} <= {name for s in operation.get("security", []) for name in s} or (
        "patient-auth/start" in path or "patient-auth/verify" in path
    )


@pytest.mark.parametrize("method, path", PATIENT_OPERATIONS)
def test_patient_schemas_carry_examples_on_every_field(spec, method, path):
    operation = spec["paths"][path][method]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schemas = [body["schema"]] if body else []
    for status, response in operation["responses"].items():
        if status.startswith("2") and "content" in response:
            schema = response["content"]["application/json"]["schema"]
            # GET /me also answers staff; the app only ever sees the patient shape.
            schemas += [
                s for s in schema.get("oneOf", [schema]) if not s.get("$ref", "").endswith("/Staff")
            ]
    for schema in schemas:
        assert properties_lacking_examples(spec, schema, set()) == [], (path, schema)
    if body:
        assert "example" in body


def test_the_tag_is_described_for_the_app_team(spec):
    [tag] = [t for t in spec["tags"] if t["name"] == TAG]
    assert "sign in" in tag["description"]


def test_me_documents_both_shapes_told_apart_by_role(spec):
    schema = spec["paths"]["/api/v1/me"]["get"]["responses"]["200"]["content"]["application/json"]
    one_of = [s["$ref"] for s in schema["schema"]["oneOf"]]
    assert one_of == ["#/components/schemas/Staff", "#/components/schemas/PatientProfile"]
    assert schema["schema"]["discriminator"]["propertyName"] == "role"
    assert spec["components"]["schemas"]["PatientProfile"]["properties"]["role"]["enum"] == [
        "patient"
    ]
    security = spec["paths"]["/api/v1/me"]["get"]["security"]
    assert security == [{"staffToken": []}, {"patientToken": []}]


def test_answers_document_the_idempotency_key_header(spec):
    operation = spec["paths"]["/api/v1/me/checkins/{checkin_id}/answers"]["post"]
    [header] = [p for p in operation["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and "example" in header["schema"]
    assert {"404", "409", "422"} <= set(operation["responses"])


@pytest.mark.parametrize("path", ["/api/v1/patient-auth/start", "/api/v1/patient-auth/verify"])
def test_sign_in_documents_the_rate_limit(spec, path):
    assert "429" in spec["paths"][path]["post"]["responses"]


@pytest.fixture
def signed_in_patient(make, add_checkin):
    """A headache patient's token, and the id of their open check-in."""
    patient = make.patient(make.clinic(), tracks_headache=True)
    return make.patient_token(patient), add_checkin(patient).id


def test_patient_app_never_fails_and_answers_as_documented(app, signed_in_patient):
    found = operations(app, tag=TAG)
    assert len(found) == len(PATIENT_OPERATIONS)
    headers, checkin_id = signed_in_patient
    for operation in found:
        fuzz(operation, headers, "checkin_id", checkin_id)
