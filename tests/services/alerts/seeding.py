"""Many due alerts at once, inserted directly (for the process tests and the benchmark)."""

from datetime import datetime

from sqlalchemy import insert, select

from server.enums import NotificationChannel, NotificationPurpose, NotificationStatus, Role
from server.extensions import db
from server.models import Notification, Staff


def add_due_alerts(clinic_id: int, count: int, now: datetime) -> list[int]:
    """`count` queued digest emails, one per new therapist of the clinic; their ids."""
    staff = [
        {"clinic_id": clinic_id, "email": f"alerts-{clinic_id}-{n}@example.org",
         "name": f"Therapist {n}", "password_hash": "-", "role": Role.THERAPIST,
         "active": True, "created_at": now}
        for n in range(count)
    ]
    db.session.execute(insert(Staff), staff)
    emails = [row["email"] for row in staff]
    staff_ids = db.session.scalars(select(Staff.id).where(Staff.email.in_(emails))).all()
    rows = [
        {"clinic_id": clinic_id, "recipient_id": staff_id, "channel": NotificationChannel.EMAIL,
         "purpose": NotificationPurpose.DIGEST, "dedupe_key": f"bench:{staff_id}",
         "flag_ids": [], "severity": "warning", "status": NotificationStatus.QUEUED,
         "attempts": 0, "next_attempt_at": now, "created_at": now}
        for staff_id in staff_ids
    ]
    db.session.execute(insert(Notification), rows)
    db.session.commit()
    keys = [row["dedupe_key"] for row in rows]
    query = select(Notification.id).where(Notification.dedupe_key.in_(keys))
    return db.session.scalars(query.order_by(Notification.id)).all()
