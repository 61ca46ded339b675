"""Custom fields: E.164 phone numbers and IANA time zones, validated at the edge."""

from functools import cache
from zoneinfo import available_timezones

from marshmallow import ValidationError, fields

from server.phones import normalise_phone


class Phone(fields.String):
    """A phone number, stored and returned in E.164 (+15551234567)."""

    def __init__(self, **kwargs):
        meta = {"example": "+16175551234", "description": "E.164, or a US national number"}
        super().__init__(metadata=meta | kwargs.pop("metadata", {}), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 32:
            raise ValidationError("Not a valid phone number.")
        try:
            return normalise_phone(text)
        except ValueError:
            raise ValidationError("Not a valid phone number.") from None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


class TimeZone(fields.String):
    """An IANA time zone name such as America/New_York."""

    def __init__(self, **kwargs):
        meta = {"example": "America/New_York", "description": "IANA time zone name"}
        super().__init__(metadata=meta | kwargs.pop("metadata", {}), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in _zones():
            raise ValidationError("Not a known IANA time zone (e.g. America/New_York).")
        return text
