"""Check-in and check-in policy schemas."""

from marshmallow import Schema, fields, validate

from server.api.schemas.common import MeasureField, MeasureName, ResponseSchema, StrictSchema
from server.enums import CheckInStatus
from server.planning.policy import DISCHARGE, SESSION

# Stored as plain values in a JSON column, so dumped as strings.
MEASURE = MeasureName()


class CheckInSchema(ResponseSchema):
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


class PlannedKindSchema(StrictSchema):
    kind = fields.String(required=True, metadata={"example": "day3"})
    offset_days = fields.Integer(
        required=True,
        strict=True,
        metadata={"description": "Local days after the session (>= 3) or the discharge"},
    )
    measures = fields.List(MeasureField(), required=True)
    on = fields.String(required=True, validate=validate.OneOf([SESSION, DISCHARGE]))


class CheckInPolicySchema(StrictSchema):
    kinds = fields.List(fields.Nested(PlannedKindSchema), required=True)
    window_hours = fields.Integer(
        strict=True, metadata={"description": "How long a prompt can be answered (default 48)"}
    )
    reminder_after_hours = fields.Integer(
        strict=True, metadata={"description": "One reminder this long after an unanswered prompt"}
    )
    max_prompts_per_7_days = fields.Integer(
        strict=True, metadata={"description": "At most 3 (FCC healthcare exemption)"}
    )
