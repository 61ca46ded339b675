"""The patient app's consent change: the same opt-out (or opt-in) as replying STOP (START)."""

from marshmallow import Schema, fields

from server.api.schemas.common import StrictSchema
from server.api.schemas.examples.patient_app import APP_CONSENT_EVENT
from server.enums import ConsentAction, ConsentSource


class AppConsentSchema(StrictSchema):
    action = fields.Enum(
        ConsentAction, by_value=True, required=True, metadata={"example": "revoked"}
    )


class AppConsentEventSchema(Schema):
    OPENAPI = {"example": APP_CONSENT_EVENT}

    action = fields.Enum(ConsentAction, by_value=True, metadata={"example": "revoked"})
    source = fields.Enum(ConsentSource, by_value=True, metadata={"example": "app"})
    occurred_at = fields.AwareDateTime(metadata={"example": "2026-12-01T15:00:00+00:00"})
