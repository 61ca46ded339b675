"""The clinic: PainLine's tenant."""

from datetime import datetime, time
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base


class Clinic(Base):
    __tablename__ = "clinic"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))  # first words of every SMS
    help_phone: Mapped[str] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64))
    quiet_start: Mapped[time] = mapped_column(default=time(9, 0))  # earliest local send time
    quiet_end: Mapped[time] = mapped_column(default=time(20, 0))  # latest local send time
    send_hour: Mapped[time] = mapped_column(default=time(10, 0))
    # Twilio phone number (E.164) or Messaging Service SID; inbound `To` finds the clinic by it.
    sms_sender: Mapped[str | None] = mapped_column(String(40), unique=True)
    twilio_opt_out_handling: Mapped[bool] = mapped_column(default=True)
    checkin_policy: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # None = default policy
    rule_overrides: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # None = rule set v1
    # The clinic's changes to the condition programs, by program id (Program.to_mapping).
    programs: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # None = the defaults
    # Alerts: an urgent flag still unacknowledged this long goes to the admins; the digest of
    # new warnings and info flags leaves at this local hour.
    escalation_minutes: Mapped[int] = mapped_column(default=240)
    digest_hour: Mapped[int] = mapped_column(default=8)
    created_at: Mapped[datetime]
