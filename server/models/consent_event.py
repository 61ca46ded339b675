"""Append-only SMS consent log; the patient's current consent is the latest event."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.enums import ActorType, ConsentAction, ConsentSource
from server.models.base import Base, enum_column


class ConsentEvent(Base):
    __tablename__ = "consent_event"
    __table_args__ = (Index("ix_consent_event_patient_time", "patient_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    action: Mapped[ConsentAction] = enum_column(ConsentAction)
    source: Mapped[ConsentSource] = enum_column(ConsentSource)
    wording_version: Mapped[str | None] = mapped_column(String(32))
    occurred_at: Mapped[datetime]
    actor_type: Mapped[ActorType] = enum_column(ActorType)
    actor_id: Mapped[int | None]
    evidence_message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    note: Mapped[str | None] = mapped_column(String(500))
