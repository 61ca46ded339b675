"""A regression or attention flag for staff; at most one active per patient and rule."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, literal, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.enums import FlagRule, FlagStatus, Measure, Resolution, Severity
from server.models.base import Base, enum_column
from server.models.patient import Patient

_ACTIVE = text("status <> 'resolved'")


class Flag(Base):
    __tablename__ = "flag"
    __table_args__ = (
        Index(
            "uq_flag_patient_rule_active",
            "patient_id",
            "rule",
            unique=True,
            postgresql_where=_ACTIVE,
            sqlite_where=_ACTIVE,
        ),
        Index("ix_flag_clinic_status", "clinic_id", "status"),
        Index("ix_flag_snoozed_until", "snoozed_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    measure: Mapped[Measure | None] = enum_column(Measure)
    rule: Mapped[FlagRule] = enum_column(FlagRule)
    rule_version: Mapped[str] = mapped_column(String(40))
    severity: Mapped[Severity] = enum_column(Severity)
    reason: Mapped[str] = mapped_column(Text)
    evidence_score_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[FlagStatus] = enum_column(FlagStatus, default=FlagStatus.OPEN)
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    acknowledged_at: Mapped[datetime | None]
    acknowledge_note: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[Resolution | None] = enum_column(Resolution)
    resolve_note: Mapped[str | None] = mapped_column(Text)
    # Triage: who is on it (default the primary therapist), snoozes, and the clinic's timings.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    first_acknowledged_at: Mapped[datetime | None]  # time to acknowledge survives a reopen
    snoozed_until: Mapped[datetime | None]
    snoozed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    snooze_note: Mapped[str | None] = mapped_column(Text)
    # Each reopening (a snooze ending, a rise to urgent) starts a new round of alerts.
    alert_round: Mapped[int] = mapped_column(default=0)
    round_started_at: Mapped[datetime | None]  # None: the first round, since opened_at
    # Loaded only on purpose (the flag list joins it), never lazily one flag at a time.
    patient: Mapped[Patient] = relationship(lazy="raise", viewonly=True)


# Not resolved: the partial indexes' own predicate with the value inline, not a parameter, so
# PostgreSQL uses them in prepared (generic) plans too: active flags are read, never the
# resolved ones piling up behind them.
ACTIVE_FLAG = Flag.status != literal(FlagStatus.RESOLVED.value, literal_execute=True)
