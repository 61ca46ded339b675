"""Shared schema pieces."""

from marshmallow import Schema, fields, validate

from server.enums import Measure

NOTE = fields.String(validate=validate.Length(max=500), load_default=None)


class StrictSchema(Schema):
    """Unknown fields are an error (the default), named in the 422."""


class MeasureField(fields.Enum):
    def __init__(self, **kwargs):
        super().__init__(Measure, by_value=True, **kwargs)
