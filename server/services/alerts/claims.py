"""Claiming due notifications, so any number of job processes send each one once.

The same mechanics as the patient outbox (services/row_claims.py): rows are read FOR UPDATE
SKIP LOCKED on PostgreSQL, and every change is a conditional UPDATE that only the first
process wins. A claim writes a lease (next_attempt_at) that its later writes check.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, select, update

from server.enums import FlagStatus, NotificationChannel, NotificationPurpose
from server.enums import NotificationStatus as Status
from server.extensions import db
from server.mail import OutgoingEmail
from server.models import Clinic, Flag, Notification, Staff
from server.planning.local_time import QuietHours, is_allowed, next_allowed
from server.services.alerts import wording
from server.services.alerts.recipients import preferences_of
from server.services.row_claims import win_rows
from server.services.rows import by_id
from server.sms.gateway import OutgoingSms


@dataclass(frozen=True)
class Claim:
    """A notification this process holds until `lease`, ready to send on its channel."""

    notification_id: int
    lease: datetime
    since: datetime  # when the first send attempt began (a stuck SMS is looked up from there)
    email: OutgoingEmail | None = None
    sms: OutgoingSms | None = None
    resend: bool = False  # a send was interrupted: the same email goes again


@dataclass(frozen=True)
class Verdict:
    cancel: str | None = None  # why it is not needed any more
    defer_until: datetime | None = None


def claim_due(now: datetime, settings) -> tuple[list[Claim], int, int]:
    """Claim due notifications, cancelling or deferring those that may not go now; commits."""
    rows = db.session.scalars(_due(Status.QUEUED, now, settings.batch_size)).all()
    context = _Context(rows)
    to_send, cancelled, deferred = [], 0, 0
    for row in rows:
        verdict = context.judge(row, now)
        if verdict.cancel:
            cancelled += _swap(row, Status.QUEUED, status=Status.CANCELLED, error=verdict.cancel)
        elif verdict.defer_until:
            deferred += _swap(row, Status.QUEUED, next_attempt_at=verdict.defer_until)
        else:
            to_send.append(row)
    lease = now + settings.sending_timeout
    values = {"attempts": Notification.attempts + 1, "claimed_at": now, "next_attempt_at": lease}
    values["status"] = Status.SENDING
    won = win_rows(Notification, to_send, Status.QUEUED, "next_attempt_at", **values)
    claims = [context.claim(row, lease, now, settings) for row in to_send if row.id in won]
    db.session.commit()
    return claims, cancelled, deferred


def claim_stuck(now: datetime, settings) -> tuple[list[Claim], int]:
    """Claim notifications left "sending" past their lease (a crash) to finish them; commits."""
    rows = db.session.scalars(_due(Status.SENDING, now, settings.batch_size)).all()
    context, lease, cancelled, stuck = _Context(rows), now + settings.sending_timeout, 0, []
    for row in rows:
        reason = context.judge(row, now).cancel
        if reason:  # perhaps sent before the crash, perhaps not: no longer needed either way
            cancelled += _swap(row, Status.SENDING, status=Status.CANCELLED, error=reason)
        else:
            stuck.append(row)
    values = {"attempts": Notification.attempts + 1, "next_attempt_at": lease}
    won = win_rows(Notification, stuck, Status.SENDING, "next_attempt_at", **values)
    claims = [
        context.claim(row, lease, row.claimed_at or now, settings, resend=True)
        for row in stuck
        if row.id in won
    ]
    db.session.commit()
    return claims, cancelled


def holding(claim: Claim):
    """An UPDATE of the notification only while this claim still holds it."""
    return (
        update(Notification)
        .where(
            Notification.id == claim.notification_id,
            Notification.status == Status.SENDING,
            Notification.next_attempt_at == claim.lease,
        )
        .execution_options(synchronize_session=False)
    )


def _due(status: Status, now: datetime, limit: int):
    digest_last = case((Notification.purpose == NotificationPurpose.DIGEST, 1), else_=0)
    return (
        select(Notification)
        .where(Notification.status == status, Notification.next_attempt_at <= now)
        .order_by(digest_last, Notification.next_attempt_at, Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def _swap(row: Notification, expected: Status, **values) -> int:
    return len(win_rows(Notification, [row], expected, "next_attempt_at", **values))


class _Context:
    """The flags, recipients, their choices and clinics of a batch, in four queries."""

    def __init__(self, rows: list[Notification]) -> None:
        self.flags = by_id(Flag, {r.flag_id for r in rows})
        self.staff = by_id(Staff, {r.recipient_id for r in rows})
        self.clinics = by_id(Clinic, {r.clinic_id for r in rows})
        self.choices = preferences_of(self.staff) if rows else {}

    def judge(self, row: Notification, now: datetime) -> Verdict:
        """Whether the notification is still needed, and whether it may go now."""
        person, choice = self.staff[row.recipient_id], self.choices[row.recipient_id]
        if not person.active:
            return Verdict(cancel="the recipient's account is inactive")
        if row.purpose == NotificationPurpose.DIGEST:
            return Verdict(cancel=None if choice.digest else "digest turned off")
        flag = self.flags[row.flag_id]
        if flag.status != FlagStatus.OPEN or flag.alert_round != row.flag_round:
            return Verdict(cancel=f"flag {flag.status} before the alert was sent")
        if row.channel == NotificationChannel.SMS:
            return self._judge_sms(row, now)
        return Verdict()

    def _judge_sms(self, row: Notification, now: datetime) -> Verdict:
        choice, clinic = self.choices[row.recipient_id], self.clinics[row.clinic_id]
        if not (choice.urgent_sms and choice.phone and clinic.sms_sender):
            return Verdict(cancel="no staff SMS: turned off, or no phone or clinic sender")
        if choice.urgent_sms_at_night:
            return Verdict()
        zone, quiet = ZoneInfo(clinic.timezone), QuietHours(clinic.quiet_start, clinic.quiet_end)
        if is_allowed(now, zone, quiet):
            return Verdict()
        return Verdict(defer_until=next_allowed(now, zone, quiet))

    def claim(self, row, lease, since, settings, resend: bool = False) -> Claim:
        """The claim, with the text rendered now and written on the row (the record)."""
        clinic, base = self.clinics[row.clinic_id], settings.public_base_url
        if resend and row.body is not None:  # exactly what the interrupted attempt sent
            return _as_claim(row, clinic, lease, since, base, resend)
        if row.channel == NotificationChannel.SMS:
            row.to_address = self.choices[row.recipient_id].phone
            row.subject = "SMS"
            row.body = wording.sms_wording(row.purpose, clinic.name, row.flag_ids[0], base)
        else:
            hours = clinic.escalation_minutes / 60
            text = wording.email_wording(
                row.purpose, clinic.name, row.flag_ids, row.severity, base, hours
            )
            row.to_address = self.staff[row.recipient_id].email
            row.subject, row.body = text.subject, text.body
        return _as_claim(row, clinic, lease, since, base, resend)


def _as_claim(row, clinic, lease, since, base: str, resend: bool) -> Claim:
    if row.channel == NotificationChannel.SMS:
        sms = OutgoingSms(to=row.to_address, body=row.body, sender=clinic.sms_sender)
        return Claim(row.id, lease, since, sms=sms, resend=resend)
    email = OutgoingEmail(row.to_address, row.subject, row.body, wording.message_id(base, row.id))
    return Claim(row.id, lease, since, email=email, resend=resend)
