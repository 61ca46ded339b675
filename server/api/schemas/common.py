"""Shared schema pieces."""

import re
from enum import Enum, StrEnum

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from server.enums import Measure

NOTE = fields.String(validate=validate.Length(max=500), load_default=None)


MAX_ROW_ID = 2**31 - 1  # PostgreSQL integer


def row_id(*, strict: bool = True, **kwargs) -> fields.Integer:
    """An id field: a positive integer the database can hold (bigger ids are a clear 422).

    strict (JSON bodies) refuses "5" and 5.0; query strings pass strict=False.
    """
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ROW_ID), **kwargs)


# NUL cannot be stored by PostgreSQL; a lone surrogate cannot be encoded as UTF-8 at all.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Must not contain NUL or unpaired surrogate characters."


def _unstorable(value) -> bool:
    if isinstance(value, str):
        return bool(UNSTORABLE.search(value))
    if isinstance(value, list | tuple):
        return any(_unstorable(item) for item in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    return False


class StrictSchema(Schema):
    """Unknown fields are an error (the default), named in the 422; so is text we cannot store."""

    @pre_load
    def _storable_text(self, data, **_):
        if isinstance(data, dict):
            bad = sorted(str(name) for name, value in data.items() if _unstorable(value))
            if bad:
                raise ValidationError({name: [UNSTORABLE_MESSAGE] for name in bad})
        return data


def example(value, description: str = "") -> dict:
    """Field metadata: an example (and a description) for the generated client's docs."""
    return {"example": value, "description": description} if description else {"example": value}


def only_if(condition: dict, requirement: dict) -> dict:
    """"If `condition` then `requirement`" in OpenAPI 3.0, which has no if/then: not (c and not r).

    Validators (schemathesis) enforce it; client generators ignore `not` and keep plain types.
    """
    return {"not": {"allOf": [condition, {"not": requirement}]}}


def when(field: str, *values: str) -> dict:
    """The condition "`field` is present and one of `values`"."""
    return {"required": [field], "properties": {field: {"enum": list(values)}}}


class MeasureField(fields.Enum):
    """A measure name, in the spec as the one `Measure` component (every measure we have)."""

    def __init__(self, **kwargs):
        super().__init__(Measure, by_value=True, **kwargs)


class EnumSubset(fields.Enum):
    """Only some members of `enum` (a named enum `name` in the spec); loads the original member."""

    def __init__(self, enum: type[Enum], members, name: str, **kwargs):
        self.original = enum
        subset = StrEnum(name, {member.name: member.value for member in members})
        super().__init__(subset, by_value=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return self.original(super()._deserialize(value, attr, data, **kwargs).value)


class MeasureName(fields.String):
    """A measure stored as its plain name (JSON columns): dumped as is, documented as `Measure`."""

    enum = Measure


class ResponseSchema(Schema):
    """An answer: every field is always present (null when empty), so the spec requires each.

    Generated clients then type them as values, not optionals (`required` only affects load).
    """

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = True
