"""Append-only audit trail: every staff read of patient data and every write."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.enums import ActorType
from server.models.base import Base, enum_column


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_clinic_time", "clinic_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id"))
    actor_type: Mapped[ActorType] = enum_column(ActorType)
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))  # e.g. patient.read, flag.resolve
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None]
    occurred_at: Mapped[datetime]
    ip: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
