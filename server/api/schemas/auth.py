"""Sign-in schemas."""

from marshmallow import fields, validate

from server.api.schemas.common import ResponseSchema, StrictSchema
from server.api.schemas.examples.clinic import STAFF, TOKEN
from server.enums import Role


class LoginSchema(StrictSchema):
    OPENAPI = {"example": {"email": "maria@northside.example", "password": "northside-demo"}}

    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(
        required=True, validate=validate.Length(min=1, max=200), load_only=True
    )


class TokenSchema(ResponseSchema):
    OPENAPI = {"example": TOKEN}

    token = fields.String(metadata={"description": "Send as Authorization: Bearer <token>"})
    expires_at = fields.AwareDateTime()


class ClinicSummarySchema(ResponseSchema):
    id = fields.Integer()
    name = fields.String()
    timezone = fields.String()


class StaffSchema(ResponseSchema):
    OPENAPI = {"example": STAFF}

    id = fields.Integer()
    email = fields.Email()
    name = fields.String()
    role = fields.Enum(Role, by_value=True)
    clinic = fields.Nested(ClinicSummarySchema)
