"""One planned contact with a patient after a session (or at discharge)."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.enums import CheckInStatus, Measure
from server.models.base import Base, MeasureList, enum_column

if TYPE_CHECKING:
    from server.models.patient import Patient


class CheckIn(Base):
    __tablename__ = "check_in"
    __table_args__ = (
        Index("ix_check_in_status_due", "status", "due_at"),
        Index("ix_check_in_patient_due", "patient_id", "due_at"),
        Index("ix_check_in_clinic_due", "clinic_id", "due_at"),  # the overview's planned count
        Index("ix_check_in_patient_week", "patient_id", "week_of"),  # weekly planning's lookup
        # The clinic overview counts check-ins sent in the last 7 and 30 days (index-only),
        # per therapist too (through the patient).
        Index(
            "ix_check_in_clinic_prompted",
            "clinic_id",
            "prompted_at",
            postgresql_include=["status", "completed_at", "patient_id"],
        ),
        # The overview's weekly chart counts each week's completed and expired check-ins as
        # index ranges (no per-row arithmetic over 12 weeks of check-ins).
        Index("ix_check_in_clinic_status_prompted", "clinic_id", "status", "prompted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("treatment_session.id"))
    kind: Mapped[str] = mapped_column(String(100))  # day3, day7, followup_2w, "day3+day7" ...
    measures: Mapped[list[Measure]] = mapped_column(MeasureList)  # asked in this order
    answered: Mapped[list[Measure]] = mapped_column(MeasureList, default=list)
    due_at: Mapped[datetime]
    window_end: Mapped[datetime]
    status: Mapped[CheckInStatus] = enum_column(CheckInStatus, default=CheckInStatus.SCHEDULED)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    prompted_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    reminder_count: Mapped[int] = mapped_column(default=0)
    unusable_replies: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    # A program's weekly check-in (planning/weekly.py): the local date it was planned for, also
    # set on a session check-in that carries it. One per patient and date unless cancelled.
    week_of: Mapped[date | None]
    patient: Mapped["Patient"] = relationship(lazy="select", viewonly=True)  # their language

    def unanswered(self) -> list[Measure]:
        """The questions still open, in order; PSFS appears once per activity still to ask."""
        left = list(self.answered)
        open_questions = []
        for measure in self.measures:
            if measure in left:
                left.remove(measure)
            else:
                open_questions.append(measure)
        return open_questions

    def next_question(self) -> Measure | None:
        """The first measure not yet answered, or None when all are."""
        return next(iter(self.unanswered()), None)
