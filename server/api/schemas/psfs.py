"""PSFS activity schemas: the activities a patient named, as staff enter them."""

from marshmallow import fields, validate

from server.api.schemas.common import ResponseSchema, StrictSchema
from server.api.schemas.examples.records import PSFS_ACTIVITY
from server.sms.templates import GSM7_BASIC, MAX_ACTIVITY_LABEL

# Plain GSM-7 characters (no extension-table ones, which cost two), no space at either end.
_GSM7 = "".join(c for c in GSM7_BASIC if c not in "\n\r")
_CHARS = "".join("\\" + c if c in "\\]^-[" else c for c in _GSM7)
_EDGE = _CHARS.replace(" ", "")
LABEL = fields.String(
    required=True,
    validate=[
        validate.Length(min=1, max=MAX_ACTIVITY_LABEL),
        validate.Regexp(f"^[{_EDGE}]([{_CHARS}]*[{_EDGE}])?$", error="Plain GSM-7 text only."),
    ],
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
    OPENAPI = {"example": PSFS_ACTIVITY}

    id = fields.Integer(metadata={"example": 3, "description": "Stable: a relabel keeps it"})
    label = fields.String(metadata={"example": "Walking to the shops"})
    created_at = fields.AwareDateTime()
    retired_at = fields.AwareDateTime(allow_none=True)
