"""The domain model. Models never commit: services own the transaction."""

from server.models.access_token import AccessToken
from server.models.audit_event import AuditEvent
from server.models.base import Base, UTCDateTime
from server.models.check_in import CheckIn
from server.models.clinic import Clinic
from server.models.consent_event import ConsentEvent
from server.models.flag import Flag
from server.models.heartbeat import Heartbeat
from server.models.message import Message, MessageStatusEvent
from server.models.notification import Notification, NotificationPreference
from server.models.patient import Patient
from server.models.patient_auth import IdempotencyRecord, OneTimeCode
from server.models.psfs_activity import PsfsActivity
from server.models.score import Score
from server.models.staff import Staff
from server.models.treatment_session import TreatmentSession

__all__ = [
    "AccessToken",
    "AuditEvent",
    "Base",
    "CheckIn",
    "Clinic",
    "ConsentEvent",
    "Flag",
    "Heartbeat",
    "IdempotencyRecord",
    "Message",
    "MessageStatusEvent",
    "Notification",
    "NotificationPreference",
    "OneTimeCode",
    "Patient",
    "PsfsActivity",
    "Score",
    "Staff",
    "TreatmentSession",
    "UTCDateTime",
]
