"""Condition program schemas: each program's measures, the cadence each is asked at, and the
local weekday of its weekly check-in; an admin's change to one program."""

from marshmallow import fields, validate

from server.api.schemas.common import MeasureField, ResponseSchema, StrictSchema, example
from server.api.schemas.examples.clinic import PROGRAM
from server.enums import Measure
from server.programs import Cadence, Weekday

_WEEKDAY = "Local weekday of the weekly check-in (the patient's time zone, the clinic's send hour)"


class ProgramMeasureSchema(ResponseSchema):
    measure = MeasureField(metadata={"example": "psfs"})
    cadence = fields.Enum(Cadence, by_value=True, metadata={"example": "weekly"})


class ProgramSchema(ResponseSchema):
    OPENAPI = {"example": PROGRAM}

    id = fields.String(metadata={"example": "neck_back_pain"})
    label = fields.String(metadata={"example": "Neck and low-back pain"})
    measures = fields.List(fields.Nested(ProgramMeasureSchema))
    weekday = fields.Enum(Weekday, by_value=True, metadata=example("friday", _WEEKDAY))


class ProgramMeasureInputSchema(StrictSchema):
    measure = MeasureField(required=True, metadata={"example": "psfs"})
    cadence = fields.Enum(Cadence, by_value=True, required=True, metadata={"example": "weekly"})


class ProgramChangeSchema(StrictSchema):
    """A clinic's version of one program: its measures in the order asked, and its weekday."""

    measures = fields.List(
        fields.Nested(ProgramMeasureInputSchema),
        required=True,
        validate=validate.Length(min=1, max=len(Measure)),
        metadata={"description": "At least one; each measure once"},
    )
    weekday = fields.Enum(
        Weekday, by_value=True, required=True, metadata=example("friday", _WEEKDAY)
    )

    OPENAPI = {
        "example": {
            "measures": [
                {"measure": "pain_nprs", "cadence": "after_session"},
                {"measure": "psfs", "cadence": "weekly"},
                {"measure": "pgic", "cadence": "discharge_and_4_weekly"},
            ],
            "weekday": "monday",
        }
    }
