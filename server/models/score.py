"""One reported value of one measure: from SMS, the app or the clinic."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.enums import Measure, ScoreSource
from server.measures import CATALOG
from server.models.base import Base, enum_column

# Each measure's range, from the catalog; a PSFS score always names its activity.
VALUE_IN_RANGE = " OR ".join(
    f"(measure = '{m}' AND value BETWEEN {s.low} AND {s.high})" for m, s in CATALOG.items()
)
ACTIVITY_FOR_PSFS = f"(measure = '{Measure.PSFS}') = (activity_id IS NOT NULL)"


class Score(Base):
    __tablename__ = "score"
    __table_args__ = (
        CheckConstraint(VALUE_IN_RANGE, name="value_in_range"),
        CheckConstraint(ACTIVITY_FOR_PSFS, name="activity_for_psfs"),
        Index("ix_score_patient_measure_time", "patient_id", "measure", "reported_at"),
        Index("ix_score_clinic_time", "clinic_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    measure: Mapped[Measure] = enum_column(Measure)
    value: Mapped[int]
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("psfs_activity.id"), index=True)
    reported_at: Mapped[datetime]
    source: Mapped[ScoreSource] = enum_column(ScoreSource)
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_in.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"))
    raw_text: Mapped[str | None] = mapped_column(Text)
    parser_version: Mapped[str | None] = mapped_column(String(16))
    hours_since_session: Mapped[float | None]
    in_post_needling_window: Mapped[bool] = mapped_column(default=False)
    late: Mapped[bool] = mapped_column(default=False)  # answered after its check-in closed
    created_at: Mapped[datetime]
