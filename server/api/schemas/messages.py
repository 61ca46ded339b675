"""SMS transcript schemas."""

from marshmallow import fields

from server.api.schemas.common import ResponseSchema
from server.api.schemas.examples.records import PROMPT
from server.enums import MessageDirection, MessagePurpose, MessageStatus

HIDDEN_CODE = "[sign-in code hidden]"


class MessageBody(fields.String):
    """The text as sent or received; sign-in codes stay with the patient, never shown to staff."""

    def _serialize(self, value, attr, obj, **kwargs):
        if obj.purpose == MessagePurpose.OTP:
            return HIDDEN_CODE
        return super()._serialize(value, attr, obj, **kwargs)


class StatusChangeSchema(ResponseSchema):
    status = fields.Enum(MessageStatus, by_value=True)
    error_code = fields.Integer(allow_none=True)
    occurred_at = fields.AwareDateTime()


class MessageSchema(ResponseSchema):
    OPENAPI = {"example": PROMPT}

    id = fields.Integer()
    direction = fields.Enum(MessageDirection, by_value=True)
    purpose = fields.Enum(MessagePurpose, by_value=True)
    body = MessageBody()
    from_number = fields.String()
    to_number = fields.String()
    status = fields.Enum(MessageStatus, by_value=True)
    error_code = fields.Integer(allow_none=True, metadata={"description": "Twilio error code"})
    segments = fields.Integer(allow_none=True)
    attempts = fields.Integer()
    check_in_id = fields.Integer(allow_none=True)
    reply_to_id = fields.Integer(
        allow_none=True, metadata={"description": "The inbound text this reply answers"}
    )
    created_at = fields.AwareDateTime()
    processed_at = fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "Inbound: when PainLine acted on it; null: stored, not yet"},
    )
    sent_at = fields.AwareDateTime(allow_none=True)
    status_history = fields.List(
        fields.Nested(StatusChangeSchema),
        metadata={"description": "Delivery statuses reported by Twilio, oldest first"},
    )
