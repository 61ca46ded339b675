"""One activity a patient named for the Patient-Specific Functional Scale (1 to 3 per patient).

The id is stable: relabelling an activity keeps its scores; retiring one stops asking it.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base

MAX_ACTIVITIES = 3


class PsfsActivity(Base):
    __tablename__ = "psfs_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    label: Mapped[str] = mapped_column(String(35))  # texted: GSM-7, no body region/diagnosis
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]
