"""The OpenAPI contract a client generator relies on, applied in one apispec plugin.

Stable operationIds, enums as named `type: string` components (one `Measure`) whose members
all have names (`x-enum-varnames`), nullable nested objects as `allOf` + `nullable`, the
statuses every body can cause (400, 413), the headers every answer carries (errors included),
and schema-level keywords a schema declares in `OPENAPI` (examples among them).
"""

import re
from copy import deepcopy
from enum import Enum

from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields

from server.api.schemas.common import StrictSchema
from server.headers import CSP, HEADERS, HSTS
from server.request_ids import HEADER as REQUEST_ID
from server.request_ids import PATTERN as REQUEST_ID_PATTERN

# Where the view's name does not read well as a client method (default: camelCase view name).
OPERATION_IDS = {
    "auth.me": "getMe",
    "patients.consent_history": "listConsentEvents",
    "patients.discharge": "dischargePatient",
    "patient_app.my_checkins": "listMyCheckIns",
    "patient_app.answer_checkin": "answerCheckIn",
    "patient_app.send_scores": "sendMyScores",
    "patient_app.my_scores": "listMyScores",
    "patient_app.my_trends": "getMyTrends",
    "checkins.list_checkins": "listCheckIns",
    "checkins.get_policy": "getCheckInPolicy",
    "checkins.put_policy": "putCheckInPolicy",
    "flags.acknowledge": "acknowledgeFlag",
    "flags.resolve": "resolveFlag",
    "trends.patient_trends": "getPatientTrends",
    "trends.patient_fhir": "getPatientFhir",
    "clinic.clinic_overview": "getClinicOverview",
    "exports.scores_csv": "exportScoresCsv",
}
BODY_ERRORS = {"400": "BAD_REQUEST", "413": "REQUEST_ENTITY_TOO_LARGE"}
INTEGER_HEADER = {"schema": {"type": "integer"}}
RATE_LIMITED = {name: INTEGER_HEADER for name in (
    "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After")}
# Text a request may carry: no NUL (PostgreSQL cannot store it). Unpaired surrogates (not
# Unicode text at all, RFC 8259 8.2) are refused too; regex engines cannot name them.
STORABLE_TEXT = r"^[^\x00]*$"


def _fixed(value: str, why: str) -> dict:
    return {"description": why, "required": True, "schema": {"type": "string", "enum": [value]}}


# What server/headers.py and server/request_ids.py put on every answer, errors included.
EVERY_RESPONSE = {
    "Cache-Control": _fixed("no-store", "Always no-store: answers carry patient data or tokens"),
    "Content-Security-Policy": _fixed(CSP, "Same-origin scripts and styles only; no framing"),
    "X-Content-Type-Options": _fixed(HEADERS["X-Content-Type-Options"], "No MIME sniffing"),
    "X-Frame-Options": _fixed(HEADERS["X-Frame-Options"], "No framing (older browsers)"),
    "Referrer-Policy": _fixed(HEADERS["Referrer-Policy"], "No Referer leaves the app"),
    "Cross-Origin-Opener-Policy": _fixed(HEADERS["Cross-Origin-Opener-Policy"],
                                         "No shared browsing context with other origins"),
    "Strict-Transport-Security": {
        "description": "Only when the deployment's public origin is https",
        "schema": {"type": "string", "enum": [HSTS]},
    },
    REQUEST_ID: {
        "description": "This request's id, in every log line it caused: the caller's own "
                       "X-Request-Id when it matches the pattern, else a new one",
        "required": True,
        "schema": {"type": "string", "pattern": REQUEST_ID_PATTERN},
    },
}


def operation_id(endpoint: str) -> str:
    """listPatients for patients.list_patients, unless OPERATION_IDS names it."""
    first, *rest = endpoint.rsplit(".", 1)[-1].split("_")
    return OPERATION_IDS.get(endpoint, first + "".join(word.title() for word in rest))


class ContractPlugin(BasePlugin):
    """Rewrites what apispec generates into what openapi-python-client types precisely."""

    def init_spec(self, spec):
        self.spec = spec
        converter = next(p for p in spec.plugins if isinstance(p, MarshmallowPlugin)).converter
        plugin = self

        def named_enums_and_nullable_refs(_converter, field, ret, **_):
            return plugin.field_property(field, ret)

        converter.add_attribute_function(named_enums_and_nullable_refs)

    def field_property(self, field, ret: dict) -> dict:
        """A named enum $ref, or allOf + nullable for a nullable reference (edits `ret`)."""
        enum = getattr(field, "enum", None)
        if isinstance(enum, type) and issubclass(enum, Enum):
            for key in ("type", "enum", "nullable", "anyOf"):
                ret.pop(key, None)
            return self._reference(self._enum_ref(enum), field.allow_none, ret)
        if isinstance(field, fields.Nested) and "anyOf" in ret:
            ref = next(item for item in ret.pop("anyOf") if "$ref" in item)
            return {"allOf": [ref], "nullable": True}
        extra = {}
        if isinstance(field, fields.String) and "pattern" not in ret and _in_request(field):
            extra["pattern"] = STORABLE_TEXT
        return extra | enum_var_names(ret.get("enum") or [])

    def _enum_ref(self, enum: type[Enum]) -> dict:
        name = enum.__name__
        if name not in self.spec.components.schemas:
            values = [member.value for member in enum]
            named = {"type": "string", "enum": values} | enum_var_names(values)
            self.spec.components.schema(name, named)
        return {"$ref": f"#/components/schemas/{name}"}

    @staticmethod
    def _reference(ref: dict, nullable: bool, ret: dict) -> dict:
        if nullable:
            return {"allOf": [ref], "nullable": True}
        return {"allOf": [ref]} if ret else ref  # $ref allows no sibling keywords

    def schema_helper(self, name, definition, **kwargs):
        schema = kwargs.get("schema")
        return dict(getattr(schema, "OPENAPI", {}))

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        for method, operation in (operations or {}).items():
            if rule is not None:
                suffix = method.title() if len(operations) > 1 else ""
                operation.setdefault("operationId", operation_id(rule.endpoint) + suffix)
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                for status, name in BODY_ERRORS.items():
                    if int(status) not in responses:
                        responses.setdefault(status, name)
            self._declare_headers(responses)

    def response_helper(self, response, **kwargs):
        """The shared error answers (components) carry every response's headers too."""
        return {"headers": EVERY_RESPONSE | (response or {}).get("headers", {})}

    def _declare_headers(self, responses: dict) -> None:
        """Every answer's headers; on a rate-limited operation, the limiter's on every status
        (flask-limiter adds them to errors too), so its shared error answers are copied inline."""
        limited = bool({"429", 429} & set(responses))
        for status, response in list(responses.items()):
            if limited and isinstance(response, str):
                response = responses[status] = self._copy_of(response)
            if not isinstance(response, dict) or "$ref" in response:
                continue  # a component: response_helper declared its headers
            headers = response.setdefault("headers", {})
            for name, header in (EVERY_RESPONSE | (RATE_LIMITED if limited else {})).items():
                headers.setdefault(name, header)

    def _copy_of(self, name: str) -> dict:
        self.spec.components.get_ref("response", name)  # registers a lazy component
        return deepcopy(self.spec.components.responses[name])


def enum_var_names(values: list) -> dict:
    """Member names for values a generator cannot name (it would write VALUE_1 for "-created").

    openapi-python-client reads `x-enum-varnames`: "-created" is CREATED_DESC, "created" stays
    CREATED, the name it had.
    """
    if all(not isinstance(value, str) or value[:1].isalpha() for value in values):
        return {}
    return {"x-enum-varnames": [_var_name(value) for value in values if value is not None]}


def _var_name(value: str) -> str:
    descending = value.startswith("-")
    words = re.sub(r"[^0-9A-Za-z]+", "_", value).strip("_").upper() or "EMPTY"
    if words[0].isdigit():
        words = "N" + words
    return words + "_DESC" if descending else words


def _in_request(field) -> bool:
    """Whether the field belongs to a request body schema (StrictSchema), even inside a list."""
    while field is not None and not isinstance(field, Schema):
        field = getattr(field, "parent", None)
    return isinstance(field, StrictSchema)
