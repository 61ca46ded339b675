"""A dry-needling treatment session; regions needled never leave the clinic by SMS."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base


class TreatmentSession(Base):
    __tablename__ = "treatment_session"
    __table_args__ = (Index("ix_treatment_session_patient_time", "patient_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    occurred_at: Mapped[datetime]
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
