"""What a notification says: the clinic, a count, a severity and a link that needs sign-in.

Never a patient's name, phone, EMR id, score, reason or body region: the notification text is
built from these arguments only, and none of them can carry patient data.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from server.enums import NotificationPurpose, Severity


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


def flag_link(base_url: str, flag_id: int) -> str:
    """The flag on the dashboard (behind sign-in)."""
    return f"{base_url}/flags/{flag_id}"


def message_id(base_url: str, notification_id: int) -> str:
    """A Message-ID that is the same on every send of one notification, so a resend shows."""
    host = urlsplit(base_url).hostname or "painline.invalid"
    return f"<notification-{notification_id}@{host}>"


def email_wording(
    purpose: NotificationPurpose,
    clinic: str,
    flag_ids: list[int],
    severity: Severity,
    base_url: str,
    escalation_hours: float,
) -> Wording:
    """Subject and body of an alert email."""
    if purpose == NotificationPurpose.DIGEST:
        count = len(flag_ids)
        noun = "flag" if count == 1 else "flags"
        return Wording(
            f"[{clinic}] {count} new {noun} to review",
            f"{count} new {noun} at {clinic} since your last digest (worst: {severity}).\n\n"
            f"Review them on the dashboard (sign-in required):\n{base_url}/flags\n",
        )
    link = flag_link(base_url, flag_ids[0])
    if purpose == NotificationPurpose.ESCALATION:
        why = f"It has not been acknowledged for {escalation_hours:g} hours."
        subject = f"[{clinic}] Unacknowledged urgent flag"
    else:
        why = "Please review it and acknowledge it."
        subject = f"[{clinic}] Urgent flag to review"
    body = f"An urgent flag at {clinic} needs a clinician. {why}\n\n"
    body += f"Open it (sign-in required):\n{link}\n"
    return Wording(subject, body)


def sms_wording(purpose: NotificationPurpose, clinic: str, flag_id: int, base_url: str) -> str:
    """The text of an alert SMS to a staff member's own phone."""
    late = purpose == NotificationPurpose.ESCALATION
    what = "unacknowledged urgent flag" if late else "urgent flag"
    return f"{clinic}: 1 {what} to review (sign-in required): {flag_link(base_url, flag_id)}"
