"""Staff notifications (the alerts outbox) and each staff member's choice of channels."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.enums import NotificationChannel, NotificationPurpose, NotificationStatus, Severity
from server.models.base import Base, enum_column


class Notification(Base):
    """One email or SMS to one staff member; the rows still queued are the alerts outbox."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_notification_clinic_created", "clinic_id", "created_at"),
        Index("ix_notification_flag_purpose", "flag_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[NotificationChannel] = enum_column(NotificationChannel)
    purpose: Mapped[NotificationPurpose] = enum_column(NotificationPurpose)
    # One notification per purpose, flag round (or digest day), recipient and channel: a second
    # job process planning the same thing hits this constraint instead of notifying twice.
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("flag.id"))  # urgent, escalation
    flag_round: Mapped[int | None]  # the flag's alert_round it was raised for
    flag_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # every flag covered
    severity: Mapped[Severity] = enum_column(Severity)
    # Written when a job process claims it, from the recipient's settings at that moment.
    to_address: Mapped[str | None] = mapped_column(String(254))  # email address or E.164 phone
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)  # no patient data, ever: clinic, count, link
    status: Mapped[NotificationStatus] = enum_column(NotificationStatus)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]  # due time; while "sending", the claim's lease
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(300))
    provider_id: Mapped[str | None] = mapped_column(String(64))  # Twilio SID of a staff SMS
    created_at: Mapped[datetime]  # a digest: the digest time it covers up to


class NotificationPreference(Base):
    """How one staff member wants to hear of urgent flags, and whether they want the digest."""

    __tablename__ = "notification_preference"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    urgent_email: Mapped[bool] = mapped_column(default=True)
    urgent_sms: Mapped[bool] = mapped_column(default=False)
    urgent_sms_at_night: Mapped[bool] = mapped_column(default=False)  # past quiet hours too
    digest: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str | None] = mapped_column(String(16))  # the staff member's own, E.164
    updated_at: Mapped[datetime]
