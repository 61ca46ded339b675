"""Flag list, acknowledge and resolve schemas."""

from marshmallow import Schema, fields, validate

from server.api.schemas.common import (
    NOTE,
    MeasureField,
    ResponseSchema,
    StrictSchema,
    only_if,
    row_id,
    when,
)
from server.api.schemas.examples.clinic import FLAG
from server.enums import FlagRule, FlagStatus, Resolution, Severity
from server.services.flags.triage import hours_between

ACTIVE = "active"  # open or acknowledged: still needs someone


class FlagQuerySchema(Schema):
    status = fields.String(
        load_default=ACTIVE,
        validate=validate.OneOf([ACTIVE, *(s.value for s in FlagStatus)]),
        metadata={"description": "active (open or acknowledged, the default), open, ..."},
    )
    severity = fields.Enum(Severity, by_value=True)
    rule = fields.Enum(FlagRule, by_value=True)
    patient_id = row_id(strict=False)
    owner = fields.String(
        validate=validate.Regexp(r"^(me|[1-9][0-9]{0,8})$", error="a staff id, or 'me'"),
        metadata={"description": "Flags owned by this staff member (an id, or 'me')"},
    )


class FlagPatientSchema(ResponseSchema):
    id = fields.Integer()
    first_name = fields.String()
    external_ref = fields.String(allow_none=True)


class FlagSchema(ResponseSchema):
    OPENAPI = {"example": FLAG}

    id = fields.Integer()
    patient_id = fields.Integer()
    patient = fields.Nested(FlagPatientSchema)
    measure = MeasureField(allow_none=True)
    rule = fields.Enum(FlagRule, by_value=True)
    rule_version = fields.String()
    severity = fields.Enum(Severity, by_value=True)
    reason = fields.String()
    evidence_score_ids = fields.List(fields.Integer())
    status = fields.Enum(FlagStatus, by_value=True)
    opened_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    acknowledged_by_id = fields.Integer(allow_none=True)
    acknowledged_at = fields.AwareDateTime(allow_none=True)
    acknowledge_note = fields.String(allow_none=True)
    resolved_by_id = fields.Integer(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)
    resolution = fields.Enum(Resolution, by_value=True, allow_none=True)
    resolve_note = fields.String(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    snoozed_until = fields.AwareDateTime(allow_none=True)
    snoozed_by_id = fields.Integer(allow_none=True)
    snooze_note = fields.String(allow_none=True)
    first_acknowledged_at = fields.AwareDateTime(allow_none=True)
    hours_to_acknowledge = fields.Method("_to_acknowledge", allow_none=True)
    hours_to_resolve = fields.Method("_to_resolve", allow_none=True)

    def _to_acknowledge(self, flag) -> float | None:
        return hours_between(flag.opened_at, flag.first_acknowledged_at)

    def _to_resolve(self, flag) -> float | None:
        return hours_between(flag.opened_at, flag.resolved_at)


class AcknowledgeSchema(StrictSchema):
    OPENAPI = {"example": {"note": "Called the patient; appointment moved to Friday"}}

    note = NOTE


class AssignSchema(StrictSchema):
    owner_id = row_id(required=True)

    OPENAPI = {"example": {"owner_id": 2}}


class SnoozeSchema(StrictSchema):
    until = fields.AwareDateTime(required=True, metadata={"example": "2026-12-03T14:00:00Z"})
    note = NOTE

    OPENAPI = {"example": {"until": "2026-12-03T14:00:00Z", "note": "Patient away until Thursday"}}


# A note with something in it (not only spaces) is required when the resolution is "other".
NOTE_GIVEN = {"required": ["note"], "properties": {"note": {"type": "string", "pattern": "\\S"}}}


class ResolveSchema(StrictSchema):
    OPENAPI = {
        "allOf": [only_if(when("resolution", Resolution.OTHER.value), NOTE_GIVEN)],
        "example": {"resolution": "contacted_patient", "note": "Pain settled after rest"},
    }

    resolution = fields.Enum(Resolution, by_value=True, required=True)
    note = NOTE
