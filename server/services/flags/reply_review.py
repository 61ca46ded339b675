"""reply_review (info): a text PainLine could not use is kept, and staff read it."""

from datetime import datetime

from server.enums import FlagRule, Severity
from server.models import Flag, Patient
from server.outcomes import Finding
from server.services.flags.store import raise_finding

UNUSABLE = 'Replies to a check-in could not be read as a score ({count}); latest: "{text}"'
FAILED = 'A text could not be processed automatically and needs review: "{text}"'
QUOTED = 200  # characters of the text quoted in the reason


def after_unusable_replies(patient: Patient, count: int, text: str, now: datetime) -> Flag:
    """The patient's replies to a check-in could not be read as a score, twice or more."""
    reason = UNUSABLE.format(count=count, text=text[:QUOTED])
    return raise_finding(patient, _finding(reason), now)


def after_processing_failure(patient: Patient, text: str, now: datetime) -> Flag:
    """Handling an inbound text failed: the text is stored, staff should read it."""
    return raise_finding(patient, _finding(FAILED.format(text=text[:QUOTED])), now)


def _finding(reason: str) -> Finding:
    return Finding(FlagRule.REPLY_REVIEW, Severity.INFO, reason, (), None)
