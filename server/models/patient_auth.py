"""One-time sign-in codes for the patient app, and replay records for idempotent answers."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base


class OneTimeCode(Base):
    __tablename__ = "one_time_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    # The number the code was texted to: verify matches on it, so a code cannot be redeemed
    # with a phone the patient's record has since moved to.
    phone: Mapped[str] = mapped_column(String(16), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 keyed with SECRET_KEY
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]
    superseded: Mapped[bool] = mapped_column(default=False)


class IdempotencyRecord(Base):
    """What the first request carrying an Idempotency-Key stored; a retry gets it back."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("patient_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    key: Mapped[str] = mapped_column(String(100))
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_in.id"))
    score_ids: Mapped[list[int]] = mapped_column(JSON)
    created_at: Mapped[datetime]
