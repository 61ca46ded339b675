"""Staff accounts an admin creates."""

from marshmallow import fields, validate

from server.api.schemas.common import StrictSchema
from server.enums import Role
from server.services.clinics import MIN_PASSWORD


class StaffCreateSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.Enum(Role, by_value=True, load_default=Role.THERAPIST)
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=MIN_PASSWORD, max=200),
        metadata={"description": "An initial password the staff member changes"},
    )
