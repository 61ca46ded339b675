"""Condition program schemas: each program's measures and the cadence each is asked at."""

from marshmallow import fields

from server.api.schemas.common import MeasureField, ResponseSchema
from server.api.schemas.examples.clinic import PROGRAM
from server.programs import Cadence


class ProgramMeasureSchema(ResponseSchema):
    measure = MeasureField(metadata={"example": "psfs"})
    cadence = fields.Enum(Cadence, by_value=True, metadata={"example": "weekly"})


class ProgramSchema(ResponseSchema):
    OPENAPI = {"example": PROGRAM}

    id = fields.String(metadata={"example": "neck_back_pain"})
    label = fields.String(metadata={"example": "Neck and low-back pain"})
    measures = fields.List(fields.Nested(ProgramMeasureSchema))
