"""Shared schema pieces."""

from marshmallow import Schema, fields, validate

from server.enums import Measure

NOTE = fields.String(validate=validate.Length(max=500), load_default=None)


MAX_ROW_ID = 2**31 - 1  # PostgreSQL integer


def row_id(*, strict: bool = True, **kwargs) -> fields.Integer:
    """An id field: a positive integer the database can hold (bigger ids are a clear 422).

    strict (JSON bodies) refuses "5" and 5.0; query strings pass strict=False.
    """
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ROW_ID), **kwargs)


class StrictSchema(Schema):
    """Unknown fields are an error (the default), named in the 422."""


class MeasureField(fields.Enum):
    def __init__(self, **kwargs):
        super().__init__(Measure, by_value=True, **kwargs)
