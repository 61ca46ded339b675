"""Every SMS in and out. Outbound rows waiting to be sent are the outbox."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.enums import MessageDirection, MessagePurpose, MessageStatus
from server.models.base import Base, enum_column

_UNPROCESSED = text("direction = 'inbound' AND processed_at IS NULL")


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (
        # The dispatcher's claim query: due rows in the outbox.
        Index("ix_message_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_message_patient_created", "patient_id", "created_at"),
        # The inbound sweep: texts stored but never processed (a handful, if any).
        Index(
            "ix_message_unprocessed",
            "created_at",
            postgresql_where=_UNPROCESSED,
            sqlite_where=_UNPROCESSED,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id"))  # None: unknown To
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"))  # None: unknown From
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_in.id"), index=True)
    direction: Mapped[MessageDirection] = enum_column(MessageDirection)
    purpose: Mapped[MessagePurpose] = enum_column(MessagePurpose)
    body: Mapped[str] = mapped_column(Text)
    to_number: Mapped[str] = mapped_column(String(40))
    from_number: Mapped[str] = mapped_column(String(40))
    twilio_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[MessageStatus] = enum_column(MessageStatus)
    error_code: Mapped[int | None]
    segments: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    # The dispatcher holding a "sending" row (its heartbeat name): reclaimed early if it died.
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # Inbound: when its reply was decided (None: stored, not yet processed), so a retried
    # MessageSid returns the first outcome. Outbound TwiML reply: the message it answers.
    processed_at: Mapped[datetime | None]
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"), unique=True)
    # Read-only, loaded on request (selectinload): the status webhook writes the events.
    status_history: Mapped[list["MessageStatusEvent"]] = relationship(
        order_by="MessageStatusEvent.occurred_at, MessageStatusEvent.id",
        lazy="raise",
        viewonly=True,
    )


class MessageStatusEvent(Base):
    """Delivery status history; unique per (message, status) so Twilio retries are no-ops."""

    __tablename__ = "message_status_event"
    __table_args__ = (UniqueConstraint("message_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"))
    status: Mapped[MessageStatus] = enum_column(MessageStatus)
    error_code: Mapped[int | None]
    occurred_at: Mapped[datetime]
