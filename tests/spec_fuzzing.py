"""Schemathesis' strategies against /api/openapi.json: no 5xx, every response as documented.

Its own pytest plugin does not load under pytest 9, so the tests drive its strategies here.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def operations(app, tag: str | None = None) -> list:
    """The spec's operations (of one tag, if given); logout last: it revokes the token."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    if tag is not None:
        schema = schema.include(tag=tag)
    found = [result.ok() for result in schema.get_all_operations()]
    found.sort(key=lambda operation: operation.path.endswith("/logout"))
    return found


def fuzz(operation, headers: dict, path_parameter: str, real_id: int) -> None:
    """Call `operation` with 30 generated requests and check each answer against the spec."""

    @given(case=operation.as_strategy(), aim_at_real=st.booleans())
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case, aim_at_real):
        # Random ids are 404s; half the cases aim at a real row to reach the handlers.
        if aim_at_real and path_parameter in (case.path_parameters or {}):
            case.path_parameters[path_parameter] = real_id
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
