"""Custom fields: E.164 phone numbers, IANA time zones and client times, validated at the edge."""

from datetime import UTC
from functools import cache
from zoneinfo import available_timezones

from marshmallow import ValidationError, fields

from server.phones import normalise_phone

E164 = {"pattern": r"^\+[1-9][0-9]{6,14}$", "format": "e164", "example": "+16175551234"}


class Phone(fields.String):
    """A phone number, stored and returned in E.164 (+15551234567)."""

    def __init__(self, **kwargs):
        # The server also reads US national numbers; the contract asks clients for E.164.
        meta = E164 | {"description": "E.164; it must also be a number that can be dialled"}
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
        meta = {"example": "America/New_York", "description": "IANA time zone name",
                "format": "iana-timezone"}
        super().__init__(metadata=meta | kwargs.pop("metadata", {}), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in _zones():
            raise ValidationError("Not a known IANA time zone (e.g. America/New_York).")
        return text


class Instant(fields.AwareDateTime):
    """A time with its UTC offset (naive times are refused), loaded as UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+05:00 is before year 1 in UTC
            raise ValidationError("Not a valid time.") from None
