"""The clinic's send window, send hour and help phone (admins)."""

from marshmallow import ValidationError, fields, validates_schema

from server.api.schemas.common import StrictSchema
from server.api.schemas.fields import Phone
from server.planning.local_time import QuietHours


class ClinicHoursSchema(StrictSchema):
    quiet_start = fields.Time(
        required=True, metadata={"description": "Earliest local send time (08:00 or later)"}
    )
    quiet_end = fields.Time(
        required=True, metadata={"description": "Latest local send time (21:00 or earlier)"}
    )
    send_hour = fields.Time(
        required=True, metadata={"description": "When planned check-ins are sent, local time"}
    )
    help_phone = Phone(required=True, metadata={"description": "Named in the HELP reply"})

    @validates_schema(skip_on_field_errors=False)
    def _inside_the_window(self, data, **_):
        start, end, send = data.get("quiet_start"), data.get("quiet_end"), data.get("send_hour")
        if start is None or end is None:
            return
        try:
            QuietHours(start, end)
        except ValueError as error:
            raise ValidationError(str(error), "quiet_start") from None
        if send is not None and not start <= send <= end:
            raise ValidationError("Must be inside the send window.", "send_hour")
