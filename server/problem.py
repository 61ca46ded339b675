"""RFC 9457 problem+json for every error, and its place in the OpenAPI document."""

import http

from flask import Response, json
from flask_smorest import Api
from flask_smorest.pagination import PaginationMetadataSchema
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER = {"description": "Seconds until a retry can succeed", "schema": {"type": "integer"}}


class ProblemSchema(Schema):
    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Field name -> messages (validation errors only)"},
    )


def problem_response(status: int, detail: str = "", errors=None, headers=None) -> Response:
    """Render one problem document."""
    body = {"type": "about:blank", "title": http.HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body), status, headers=headers, mimetype=PROBLEM_JSON)


def flatten_validation_messages(messages: dict) -> dict[str, list[str]]:
    """webargs nests errors by location ({"json": {"phone": [...]}}): name the field only."""
    flat: dict[str, list[str]] = {}
    for location, fields_ in messages.items():
        if not isinstance(fields_, dict):
            flat[location] = fields_ if isinstance(fields_, list) else [str(fields_)]
            continue
        for name, errs in fields_.items():
            key = name if name not in flat else f"{location}.{name}"
            flat[key] = errs if isinstance(errs, list) else [json.dumps(errs)]
    return flat


class ProblemApi(Api):
    """flask-smorest's Api, rendering errors as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        errors = data.get("errors")
        if errors is None and "messages" in data:
            errors = flatten_validation_messages(data["messages"])
        detail = data.get("message") or error.description or ""
        if errors and error.code == 422:
            detail = "Invalid fields: " + ", ".join(sorted(errors))
        headers = dict(error.get_headers()) if error.code in (405, 429) else {}
        headers.pop("Content-Type", None)
        headers.update(data.get("headers") or {})
        return problem_response(error.code or 500, detail, errors, headers)

    def _register_pagination_header(self):
        # X-Pagination carries a JSON object: say so with `content`, not an object `schema`
        # (which OpenAPI would read as the comma-separated "simple" style).
        header = {
            "description": "Pagination metadata, a JSON object",
            "content": {"application/json": {"schema": PaginationMetadataSchema}},
        }
        self.spec.components.header("PAGINATION", header, lazy=True)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            if status == http.HTTPStatus.TOO_MANY_REQUESTS:
                response["headers"] = {"Retry-After": RETRY_AFTER}
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
