"""Check-in and check-in policy schemas."""

from marshmallow import Schema, fields, validate

from server.api.schemas.common import (
    MeasureField,
    MeasureName,
    ResponseSchema,
    StrictSchema,
    only_if,
    when,
)
from server.api.schemas.examples.records import DAY3
from server.enums import CheckInStatus
from server.planning import policy
from server.planning.policy import DISCHARGE, SESSION

# Stored as plain values in a JSON column, so dumped as strings.
MEASURE = MeasureName()


class CheckInSchema(ResponseSchema):
    OPENAPI = {"example": DAY3}

    id = fields.Integer()
    patient_id = fields.Integer()
    session_id = fields.Integer(
        allow_none=True, metadata={"description": "None for a discharge follow-up"}
    )
    kind = fields.String(metadata={"example": "day3", "description": 'merged: "day3+day7"'})
    measures = fields.List(MEASURE, metadata={"description": "Asked in this order"})
    answered = fields.List(MEASURE)
    due_at = fields.AwareDateTime()
    window_end = fields.AwareDateTime()
    status = fields.Enum(CheckInStatus, by_value=True)
    status_reason = fields.String(allow_none=True)
    prompted_at = fields.AwareDateTime(allow_none=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    reminder_count = fields.Integer()


class CheckInQuerySchema(Schema):
    status = fields.Enum(CheckInStatus, by_value=True)


# The planning rules (server/planning/policy.py) check these and name the field as
# kinds[0].offset_days; the spec states the same bounds so a client can check them first.
AFTER_SORENESS = {"properties": {"offset_days": {"minimum": policy.MIN_SESSION_OFFSET_DAYS}}}


class PlannedKindSchema(StrictSchema):
    OPENAPI = {"allOf": [only_if(when("on", SESSION), AFTER_SORENESS)]}

    kind = fields.String(
        required=True,
        metadata={"example": "day3", "pattern": "^[a-z][a-z0-9_]{0,31}$",
                  "description": "Unique within the policy"},
    )  # fmt: skip
    offset_days = fields.Integer(
        required=True,
        strict=True,
        metadata={"description": "Local days after the session (>= 3) or the discharge",
                  "minimum": 0, "maximum": policy.MAX_OFFSET_DAYS, "example": 3},
    )  # fmt: skip
    measures = fields.List(
        MeasureField(), required=True, metadata={"minItems": 1, "uniqueItems": True}
    )
    on = fields.String(
        required=True, validate=validate.OneOf([SESSION, DISCHARGE]), metadata={"example": SESSION}
    )


class CheckInPolicySchema(StrictSchema):
    OPENAPI = {"example": policy.DEFAULT_POLICY.to_mapping()}

    kinds = fields.List(fields.Nested(PlannedKindSchema), required=True)
    window_hours = fields.Integer(
        strict=True,
        metadata={"description": "How long a prompt can be answered (default 48)",
                  "minimum": 1, "maximum": policy.MAX_WINDOW_HOURS},
    )  # fmt: skip
    reminder_after_hours = fields.Integer(
        strict=True,
        metadata={"description": "One reminder this long after an unanswered prompt; "
                  "less than window_hours", "minimum": 1, "maximum": policy.MAX_WINDOW_HOURS - 1},
    )  # fmt: skip
    max_prompts_per_7_days = fields.Integer(
        strict=True,
        metadata={"description": "At most 3 (FCC healthcare exemption)",
                  "minimum": 1, "maximum": policy.LEGAL_MAX_PROMPTS_PER_7_DAYS},
    )  # fmt: skip
