"""A patient of one clinic: who is texted, in which language and time zone."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from server.enums import CareStatus, ConsentStatus, Language, Measure
from server.models.base import Base, enum_column
from server.outcomes import McidCategory
from server.programs import measures_of

if TYPE_CHECKING:
    from server.models.clinic import Clinic


class Patient(Base):
    __tablename__ = "patient"
    __table_args__ = (
        UniqueConstraint("clinic_id", "phone"),
        UniqueConstraint("clinic_id", "external_ref"),
        Index("ix_patient_clinic_care_status", "clinic_id", "care_status"),
        Index("ix_patient_phone", "phone"),  # app sign-in finds a phone across clinics
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    external_ref: Mapped[str | None] = mapped_column(String(64))  # EMR id
    first_name: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(16))  # E.164
    phone_valid: Mapped[bool] = mapped_column(default=True)  # False after Twilio 21211/21614
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[Language] = enum_column(Language, default=Language.EN)
    tracks_headache: Mapped[bool] = mapped_column(default=False)
    # A condition program (server/programs.py); None: today's pain (+ headache days) default.
    program: Mapped[str | None] = mapped_column(String(32))
    returning_to_sport: Mapped[bool] = mapped_column(default=False)  # sane_low_return
    primary_therapist_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    care_status: Mapped[CareStatus] = enum_column(CareStatus, default=CareStatus.ACTIVE)
    # Cache of the latest consent event, written in the same transaction as the event.
    consent_status: Mapped[ConsentStatus] = enum_column(
        ConsentStatus, default=ConsentStatus.PENDING
    )
    created_at: Mapped[datetime]
    discharged_at: Mapped[datetime | None]
    # Trend figures, refreshed in the transaction of every new score (services/flag_evaluation)
    # so the patient list can sort and filter by them without reading every patient's scores.
    latest_pain: Mapped[int | None]
    latest_pain_at: Mapped[datetime | None]
    pain_change: Mapped[int | None]  # points from baseline; negative is better
    pain_change_percent: Mapped[float | None]
    pain_mcid: Mapped[McidCategory | None] = enum_column(McidCategory)
    headache_responder: Mapped[bool | None]
    # Each measure's MCID category (measure name -> category), for the overview's shares.
    # None is stored as SQL NULL, not JSON null, so `IS NOT NULL` finds the patients with some.
    mcid_by_measure: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))
    # Filled only by queries that ask for it (the patient list): with_expression(...).
    open_flags: Mapped[int | None] = query_expression()
    clinic: Mapped["Clinic"] = relationship(lazy="select", viewonly=True)  # its programs

    @property
    def measures(self) -> list[Measure]:
        """What this patient is asked: their program's measures (as the clinic has changed
        them), else pain (+ headache days)."""
        changes = self.clinic.programs if self.program else None
        return measures_of(self.program, self.tracks_headache, changes)


# In active care, opted in to texts, on a phone that takes them: who may be sent a check-in.
TEXTABLE = and_(
    Patient.care_status == CareStatus.ACTIVE,
    Patient.consent_status == ConsentStatus.OPTED_IN,
    Patient.phone_valid.is_(True),
)
