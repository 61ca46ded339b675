"""The clinic's vocabulary: every status and code PainLine stores, as StrEnums.

Pure module (no Flask, no database) so models, clinical logic and the SMS parser share it.
"""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    THERAPIST = "therapist"


class Language(StrEnum):
    EN = "en"
    ES = "es"


class CareStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DISCHARGED = "discharged"


class ConsentStatus(StrEnum):
    PENDING = "pending"
    OPTED_IN = "opted_in"
    OPTED_OUT = "opted_out"


class ConsentAction(StrEnum):
    GRANTED = "granted"
    REVOKED = "revoked"


class ConsentSource(StrEnum):
    INTAKE_FORM = "intake_form"
    KEYWORD = "keyword"
    TWILIO_21610 = "twilio_21610"
    APP = "app"
    STAFF = "staff"


class Measure(StrEnum):
    PAIN = "pain_nprs"
    HEADACHE_DAYS = "headache_days_7d"
    HEADACHE_INTENSITY = "headache_intensity"
    ACUTE_MED_DAYS = "acute_med_days_7d"
    PSFS = "psfs"
    ACTIVITY_INTERFERENCE = "activity_interference"
    SLEEP_INTERFERENCE = "sleep_interference"
    PGIC = "pgic"
    SANE = "sane"

    @property
    def min_value(self) -> int:
        """Lowest valid answer, from the measure catalog (0, or 1 for PGIC)."""
        from server.measures import spec  # the catalog is built on this enum

        return spec(self).low

    @property
    def max_value(self) -> int:
        """Highest valid answer, from the measure catalog (NPRS 0-10, headache days 0-7)."""
        from server.measures import spec  # the catalog is built on this enum

        return spec(self).high


class CheckInStatus(StrEnum):
    SCHEDULED = "scheduled"
    PROMPTED = "prompted"
    COMPLETED = "completed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


class MessageDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MessagePurpose(StrEnum):
    PROMPT = "prompt"
    REMINDER = "reminder"
    REPROMPT = "reprompt"
    REPLY = "reply"
    KEYWORD = "keyword"
    OTP = "otp"
    INBOUND = "inbound"


class MessageStatus(StrEnum):
    """Outbox and Twilio delivery states. `rank` orders them so status never moves backwards."""

    QUEUED = "queued"  # in our outbox, waiting for its send time
    SENDING = "sending"  # claimed by a dispatcher, API call may be in flight
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    RECEIVED = "received"  # inbound
    CANCELLED = "cancelled"  # never sent (check-in closed or patient opted out first)

    @property
    def rank(self) -> int:
        return _STATUS_RANK[self]


_STATUS_RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.ACCEPTED: 2,
    MessageStatus.SCHEDULED: 2,
    MessageStatus.SENT: 3,
    MessageStatus.DELIVERED: 4,
    MessageStatus.UNDELIVERED: 4,
    MessageStatus.FAILED: 4,
    MessageStatus.RECEIVED: 4,
    MessageStatus.CANCELLED: 4,
}


class ScoreSource(StrEnum):
    SMS = "sms"
    APP = "app"
    CLINIC = "clinic"


class FlagRule(StrEnum):
    PAIN_RISE = "pain_rise"
    PAIN_JUMP = "pain_jump"
    PAIN_SEVERE = "pain_severe"
    HEADACHE_RISE = "headache_rise"
    FUNCTION_DROP = "function_drop"
    MEDICATION_OVERUSE_RISK = "medication_overuse_risk"
    SANE_LOW_RETURN = "sane_low_return"
    NON_RESPONSE = "non_response"
    REPLY_REVIEW = "reply_review"
    PHONE_INVALID = "phone_invalid"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "urgent": 2}[self.value]


class FlagStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Resolution(StrEnum):
    CONTACTED_PATIENT = "contacted_patient"
    PLAN_CHANGED = "plan_changed"
    FALSE_ALARM = "false_alarm"
    OTHER = "other"


class ActorType(StrEnum):
    STAFF = "staff"
    PATIENT = "patient"
    SYSTEM = "system"


class NotificationChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class NotificationPurpose(StrEnum):
    URGENT = "urgent"  # an urgent flag, to its owner (or the admins) at once
    ESCALATION = "escalation"  # still unacknowledged after the clinic's delay, to the admins
    DIGEST = "digest"  # the day's new warnings and info flags, one per staff member


class NotificationStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a job process; the send may be in flight
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"  # not needed any more: the flag was acknowledged before it went
