"""The spec a client is generated from: named, typed, required, and exactly as strict as we are."""

import jsonschema_rs
import pytest

from server.api.schemas.common import ResponseSchema
from server.enums import Measure
from tests.assertions import assert_problem


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation


def walk(node, skip_not: bool = False):
    """Every dict in the document (outside `not` clauses, which only validate, if asked)."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if not (skip_not and key == "not"):
                yield from walk(value, skip_not)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value, skip_not)


def test_every_operation_has_a_stable_unique_operation_id(spec):
    ids = {(path, method): op.get("operationId") for path, method, op in operations(spec)}
    assert all(ids.values()) and len(set(ids.values())) == len(ids)
    assert ids[("/api/v1/patients", "get")] == "listPatients"
    assert ids[("/api/v1/me/checkins/{checkin_id}/answers", "post")] == "answerCheckIn"


def test_enums_are_named_string_components_with_one_measure(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Measure"] == {"type": "string", "enum": [m.value for m in Measure]}
    enums = [node for node in walk(spec, skip_not=True) if "enum" in node]
    assert len(enums) > 30 and all(node.get("type") == "string" for node in enums)
    measure_lists = [n for n in enums if set(n["enum"]) == {m.value for m in Measure}]
    assert measure_lists == [schemas["Measure"]], "one Measure, referenced everywhere"


def test_nullable_nested_objects_are_all_of_plus_nullable(spec):
    assert not [n for n in walk(spec) if "anyOf" in n]
    baseline = spec["components"]["schemas"]["MeasureTrend"]["properties"]["baseline"]
    assert baseline == {"allOf": [{"$ref": "#/components/schemas/Reading"}], "nullable": True}
    progress = spec["components"]["schemas"]["MyMeasureProgress"]["properties"]["latest"]
    assert progress == {"allOf": [{"$ref": "#/components/schemas/MyReading"}], "nullable": True}


def test_every_field_of_an_answer_is_required(spec):
    schemas = spec["components"]["schemas"]
    assert "token" in schemas["Token"]["required"]
    answers = [name for name, s in schemas.items() if "properties" in s and name in RESPONSES]
    for name in answers:
        assert sorted(schemas[name]["required"]) == sorted(schemas[name]["properties"]), name


RESPONSES = {c.__name__.removesuffix("Schema") for c in ResponseSchema.__subclasses__()} | {
    "PatientListItem", "SeriesPoint"}


def test_phones_emails_and_answers_are_constrained(spec):
    schemas = spec["components"]["schemas"]
    for name in ("Patient", "PatientCreate", "SignInStart"):
        assert schemas[name]["properties"]["phone"]["pattern"] == r"^\+[1-9][0-9]{6,14}$"
    assert schemas["Login"]["properties"]["email"]["format"] == "email"
    assert schemas["Staff"]["properties"]["email"]["format"] == "email"
    assert schemas["Answers"]["minProperties"] == 1
    assert set(schemas["Answers"]["properties"]) == {m.value for m in Measure}
    assert schemas["PatientUpdate"]["minProperties"] == 1


def test_headers_and_statuses_the_server_sends_are_declared(spec):
    answer = spec["paths"]["/api/v1/me/checkins/{checkin_id}/answers"]["post"]["responses"]
    assert "Idempotent-Replayed" in answer["201"]["headers"]
    assert "Retry-After" in spec["components"]["responses"]["TOO_MANY_REQUESTS"]["headers"]
    login = spec["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert {"X-RateLimit-Limit", "Cache-Control"} <= set(login["200"]["headers"])
    for path, method, operation in operations(spec):
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= set(operation["responses"]), (path, method)
            body = operation["requestBody"]["content"]["application/json"]
            schema = body["schema"]
            named = spec["components"]["schemas"].get(schema.get("$ref", "").rsplit("/", 1)[-1])
            assert "example" in body or (named and "example" in named), (path, method)


def validator(spec, component: str):
    return jsonschema_rs.Draft4Validator(
        {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    )


# (component, rejected by the server and the spec, the nearest accepted by both)
STRICT_CASES = [
    ("PatientCreate", {"measures": ["headache_days_7d"]}, {"measures": ["headache_days_7d",
                                                                        "pain_nprs"]}),
    ("ScoreCreate", {"measure": "headache_days_7d", "value": 8},
     {"measure": "headache_days_7d", "value": 7}),
    ("ConsentCreate", {"action": "granted", "source": "intake_form"},
     {"action": "revoked", "source": "intake_form"}),
    ("ConsentCreate", {"action": "granted", "source": "keyword", "wording_version": "v1"},
     {"action": "granted", "source": "app", "wording_version": "v1"}),
    ("Resolve", {"resolution": "other"}, {"resolution": "other", "note": "Moved clinic"}),
    ("Resolve", {"resolution": "other", "note": "  "}, {"resolution": "false_alarm"}),
    ("PlannedKind", {"kind": "day2", "offset_days": 2, "measures": ["pain_nprs"], "on": "session"},
     {"kind": "day2", "offset_days": 2, "measures": ["pain_nprs"], "on": "discharge"}),
    ("PatientUpdate", {}, {"first_name": "Rosa"}),
]
NEW = {"first_name": "Rosa", "phone": "+16175550123", "timezone": "America/New_York"}


@pytest.mark.parametrize(("component", "rejected", "accepted"), STRICT_CASES)
def test_the_spec_refuses_what_the_server_refuses(spec, component, rejected, accepted):
    base = NEW if component == "PatientCreate" else {}
    assert not validator(spec, component).is_valid(base | rejected)
    assert validator(spec, component).is_valid(base | accepted)


def test_the_server_refuses_what_the_spec_refuses(client, admin_headers, patient, make):
    url = f"/api/v1/patients/{patient.id}"
    assert_problem(client.patch(url, json={}, headers=admin_headers), 422)
    assert_problem(client.post("/api/v1/patients", json=NEW | {"measures": ["headache_days_7d"]},
                               headers=admin_headers), 422, "measures")
    assert_problem(client.post(f"{url}/scores", json={"measure": "headache_days_7d", "value": 8},
                               headers=admin_headers), 422, "value")
    assert_problem(client.post(f"{url}/consent", json={"action": "granted", "source": "app"},
                               headers=admin_headers), 422, "wording_version")


def test_the_spec_examples_are_accepted(client, spec, admin_headers, patient):
    schemas = spec["components"]["schemas"]
    url = f"/api/v1/patients/{patient.id}"
    for path, component in [("/sessions", "SessionCreate"), ("/scores", "ScoreCreate"),
                            ("/consent", "ConsentCreate")]:
        response = client.post(url + path, json=schemas[component]["example"],
                               headers=admin_headers)
        assert response.status_code == 201, (component, response.get_json())
    created = client.post("/api/v1/patients", json=schemas["PatientCreate"]["example"],
                          headers=admin_headers)
    assert created.status_code == 201, created.get_json()


def json_schema(node):
    """The OpenAPI 3.0 schema as JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if not node.get("nullable"):
        return converted
    if "type" in converted:
        converted["type"] = [converted["type"], "null"]
        if "enum" in converted:
            converted["enum"] = [*converted["enum"], None]
        return converted
    return {"anyOf": [converted, {"type": "null"}]}


def response_example(spec, media: dict):
    """The example of one response: on the media type, on its schema, or on what it lists."""
    schemas, schema = spec["components"]["schemas"], media["schema"]

    def example_of(node):
        named = schemas.get(node.get("$ref", "").rsplit("/", 1)[-1], {})
        found = node.get("example", named.get("example"))
        if found is None and node.get("type") == "array":
            item = example_of(node["items"])
            found = None if item is None else [item]
        return found

    if "example" in media:
        return [media["example"]]
    if "oneOf" in schema:
        return [example_of(choice) for choice in schema["oneOf"]]
    return [example_of(schema)]


def json_answers(spec):
    for path, method, operation in operations(spec):
        for status, response in operation["responses"].items():
            for kind, media in response.get("content", {}).items() if status[0] == "2" else ():
                if kind == "application/json" or kind.endswith("+json"):
                    yield f"{method.upper()} {path} {status}", media


AWARE_UTC = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)$"


def test_every_answer_has_an_example_that_its_schema_accepts(spec):
    components = json_schema(spec["components"])
    checked = 0
    for operation, media in json_answers(spec):
        for example in response_example(spec, media):
            assert example is not None, f"{operation}: no example"
            validator = jsonschema_rs.Draft4Validator(
                {**json_schema(media["schema"]), "components": components}, validate_formats=True
            )
            errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(example)]
            assert not errors, (operation, errors[:3])
            checked += 1
    assert checked >= 45


def test_examples_use_aware_utc_times_and_e164_phones(spec):
    import re

    answers = [example for _, media in json_answers(spec)
               for example in response_example(spec, media)]
    found = {"time": 0, "phone": 0}
    for node in walk(answers):
        for key, value in node.items():
            if key.endswith(("_at", "_until")) and isinstance(value, str):
                assert re.match(AWARE_UTC, value), (key, value)
                found["time"] += 1
            if key.endswith(("phone", "_number")) and value is not None:
                assert re.match(r"^\+[1-9][0-9]{6,14}$", value), (key, value)
                found["phone"] += 1
    assert found["time"] > 20 and found["phone"] > 3
