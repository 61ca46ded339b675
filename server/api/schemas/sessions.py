"""Treatment session and score schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.api.schemas.checkins import CheckInSchema
from server.api.schemas.common import (
    EnumSubset,
    MeasureField,
    ResponseSchema,
    StrictSchema,
    only_if,
    row_id,
    when,
)
from server.api.schemas.examples.records import IN_CLINIC_SCORE, SESSION
from server.api.schemas.fields import Instant
from server.enums import Measure, ScoreSource
from server.measures import CATALOG

REGION = fields.String(validate=validate.Length(min=1, max=60))


class SessionCreateSchema(StrictSchema):
    OPENAPI = {"example": {"occurred_at": "2026-11-24T15:00:00Z", "in_clinic_pain": 6,
                           "regions": ["upper trapezius"]}}

    occurred_at = Instant(
        required=True,
        metadata={"example": "2026-11-24T15:00:00Z",
                  "description": "At most 5 minutes ahead of the server's clock, and no earlier "
                  "than 30 days before the patient's enrolment"},
    )  # fmt: skip
    therapist_id = row_id(load_default=None)
    regions = fields.List(
        REGION,
        load_default=list,
        validate=validate.Length(max=30),
        metadata={"description": "Regions needled; never sent by SMS"},
    )
    in_clinic_pain = fields.Integer(
        load_default=None,
        strict=True,
        validate=validate.Range(min=0, max=10),
        metadata={"description": "NPRS 0-10 taken before needling"},
    )


class ScoreSchema(ResponseSchema):
    OPENAPI = {"example": IN_CLINIC_SCORE}

    id = fields.Integer()
    measure = MeasureField()
    value = fields.Integer()
    reported_at = fields.AwareDateTime()
    source = fields.Enum(ScoreSource, by_value=True)
    check_in_id = fields.Integer(allow_none=True)
    message_id = fields.Integer(allow_none=True)
    raw_text = fields.String(allow_none=True)
    parser_version = fields.String(allow_none=True)
    hours_since_session = fields.Float(allow_none=True)
    in_post_needling_window = fields.Boolean()
    late = fields.Boolean()


class SessionSchema(ResponseSchema):
    OPENAPI = {"example": SESSION}

    id = fields.Integer()
    patient_id = fields.Integer()
    therapist_id = fields.Integer(allow_none=True)
    occurred_at = fields.AwareDateTime()
    regions = fields.List(fields.String())
    in_clinic_score = fields.Nested(ScoreSchema, allow_none=True)
    checkins = fields.List(
        fields.Nested(CheckInSchema),
        dump_default=list,
        metadata={"description": "Check-ins planned from this session"},
    )


# A PSFS score belongs to an activity: it is answered in its check-in, not recorded here.
CLINIC_MEASURES = [m for m, entry in CATALOG.items() if not entry.per_activity]


class ScoreCreateSchema(StrictSchema):
    # Each measure's own range, from the measure catalog.
    OPENAPI = {
        "allOf": [
            only_if(
                when("measure", m.value),
                {"properties": {"value": {"minimum": m.min_value, "maximum": m.max_value}}},
            )
            for m in CLINIC_MEASURES
        ],
        "example": {"measure": "pain_nprs", "value": 4, "reported_at": "2026-11-24T15:00:00Z"},
    }

    measure = EnumSubset(Measure, CLINIC_MEASURES, "ClinicScoreMeasure", required=True)
    value = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(
            min=min(m.min_value for m in Measure), max=max(m.max_value for m in Measure)
        ),
        metadata={"description": "In the measure's range (pain 0-10, PGIC 1-7, SANE 0-100)"},
    )
    reported_at = Instant(
        load_default=None,
        metadata={"description": "Default now; within 5 minutes ahead and 30 days before "
                  "enrolment; never earlier than the patient's first reading"},
    )  # fmt: skip

    @validates_schema
    def _in_range(self, data, **_):
        measure, value = data.get("measure"), data.get("value")
        if measure is None or value is None:
            return
        low, high = Measure(measure).min_value, Measure(measure).max_value
        if not low <= value <= high:
            raise ValidationError(f"Must be from {low} to {high}.", "value")


class ScoreQuerySchema(Schema):
    measure = MeasureField()
