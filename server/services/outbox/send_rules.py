"""Whether an outbox row may go out now: still wanted, patient textable, inside the send window."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from server.enums import CheckInStatus, MessagePurpose
from server.models import CheckIn, Clinic, Message, Patient
from server.planning.local_time import is_allowed, local_date, local_send_time, next_allowed
from server.services.checkins.planning import checkin_block
from server.services.clinic_settings import quiet_hours_of, zone
from server.sms.gateway import MAX_VALIDITY_PERIOD

CHECKIN_PURPOSES = frozenset({MessagePurpose.PROMPT, MessagePurpose.REMINDER})
OTP_VALIDITY = 600  # seconds: a sign-in code arriving after it expired only confuses
MIN_VALIDITY = 300  # seconds: with less left before quiet hours, wait for the next window
SEND, CANCEL, DEFER = "send", "cancel", "defer"


@dataclass(frozen=True)
class Verdict:
    """What to do with a due row: send it (Twilio may hold it `validity` s), cancel or defer."""

    action: str
    validity: int | None = None
    defer_until: datetime | None = None


def judge(
    message: Message,
    checkin: CheckIn | None,
    patient: Patient | None,
    clinic: Clinic | None,
    now: datetime,
) -> Verdict:
    """The verdict for one due row; consent and quiet hours apply to check-in texts only."""
    if message.purpose == MessagePurpose.OTP:
        return Verdict(SEND, validity=OTP_VALIDITY)
    if message.purpose not in CHECKIN_PURPOSES:
        return Verdict(SEND)
    if not _still_wanted(checkin, patient, now):
        return Verdict(CANCEL)
    tz, quiet = zone(patient.timezone), quiet_hours_of(clinic)
    if not is_allowed(now, tz, quiet):
        return Verdict(DEFER, defer_until=next_allowed(now, tz, quiet))
    quiet_from = local_send_time(local_date(now, tz), quiet.end, tz)
    left = (min(quiet_from, checkin.window_end) - now).total_seconds()
    if left >= MIN_VALIDITY:
        # Twilio drops the text rather than deliver it late into the night or a closed check-in.
        return Verdict(SEND, validity=min(int(left), MAX_VALIDITY_PERIOD))
    if quiet_from < checkin.window_end:
        tomorrow = next_allowed(quiet_from + timedelta(seconds=1), tz, quiet)
        return Verdict(DEFER, defer_until=tomorrow)
    return Verdict(CANCEL)  # the check-in closes within minutes: too late to ask


def _still_wanted(checkin: CheckIn | None, patient: Patient | None, now: datetime) -> bool:
    if checkin is None or patient is None:
        return False
    still_open = checkin.status == CheckInStatus.PROMPTED and checkin.window_end > now
    return still_open and checkin_block(patient, checkin) is None
