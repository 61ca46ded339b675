"""PSFS activity schemas: the activities a patient named, as staff enter them."""

from marshmallow import fields, validate

from server.api.schemas.common import ResponseSchema, StrictSchema

LABEL = fields.String(
    required=True,
    validate=validate.Length(min=1, max=35),
    metadata={
        "example": "Walking to the shops",
        "description": "Texted to the patient: at most 35 plain (GSM-7) characters, "
        "no body region or diagnosis",
    },
)


class PsfsActivityCreateSchema(StrictSchema):
    OPENAPI = {"example": {"label": "Walking to the shops"}}

    label = LABEL


class PsfsActivityUpdateSchema(StrictSchema):
    OPENAPI = {"example": {"label": "Walking 30 minutes"}}

    label = LABEL


class PsfsActivitySchema(ResponseSchema):
    id = fields.Integer(metadata={"example": 3, "description": "Stable: a relabel keeps it"})
    label = fields.String(metadata={"example": "Walking to the shops"})
    created_at = fields.AwareDateTime()
    retired_at = fields.AwareDateTime(allow_none=True)
