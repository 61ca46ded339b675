"""Staff alert choices, clinic alert settings and the notification record."""

from marshmallow import Schema, fields, validate

from server.api.schemas.common import StrictSchema, row_id
from server.api.schemas.examples.clinic import NOTIFICATION
from server.api.schemas.fields import Phone
from server.enums import NotificationChannel, NotificationPurpose, NotificationStatus, Severity


class NotificationChoicesSchema(StrictSchema):
    urgent_email = fields.Boolean(
        metadata={"description": "Urgent flags by email", "example": True}
    )
    urgent_sms = fields.Boolean(
        metadata={"description": "Urgent flags by SMS to `phone`", "example": False}
    )
    urgent_sms_at_night = fields.Boolean(
        metadata={"description": "Urgent SMS also in the clinic's quiet hours", "example": False}
    )
    digest = fields.Boolean(
        metadata={"description": "Daily digest of new warnings and info", "example": True}
    )
    phone = Phone(allow_none=True, metadata={"description": "Your own phone, E.164"})

    OPENAPI = {
        "example": {
            "urgent_email": True,
            "urgent_sms": True,
            "urgent_sms_at_night": False,
            "digest": True,
            "phone": "+16175551234",
        }
    }


class ClinicAlertSettingsSchema(StrictSchema):
    escalation_minutes = fields.Integer(
        strict=True,
        validate=validate.Range(min=15, max=72 * 60),
        metadata={"description": "Minutes before an unacknowledged urgent flag goes to admins",
                  "example": 240},
    )
    digest_hour = fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=23),
        metadata={"description": "Local hour (clinic time zone) of the daily digest", "example": 8},
    )

    OPENAPI = {"example": {"escalation_minutes": 240, "digest_hour": 8}}


class NotificationQuerySchema(Schema):
    status = fields.Enum(NotificationStatus, by_value=True)
    purpose = fields.Enum(NotificationPurpose, by_value=True)
    channel = fields.Enum(NotificationChannel, by_value=True)
    recipient_id = row_id(strict=False)
    flag_id = row_id(strict=False)


class NotificationSchema(Schema):
    OPENAPI = {"example": NOTIFICATION}

    id = fields.Integer()
    recipient_id = fields.Integer()
    channel = fields.Enum(NotificationChannel, by_value=True)
    purpose = fields.Enum(NotificationPurpose, by_value=True)
    flag_ids = fields.List(fields.Integer(), metadata={"description": "The flags it covers"})
    severity = fields.Enum(Severity, by_value=True)
    to_address = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    body = fields.String(allow_none=True)
    status = fields.Enum(NotificationStatus, by_value=True)
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    sent_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
