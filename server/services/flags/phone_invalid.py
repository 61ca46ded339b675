"""phone_invalid (info): Twilio says the number cannot receive texts (21211, 21614)."""

from datetime import datetime

from server.enums import FlagRule, Severity
from server.models import Flag, Patient
from server.outcomes import Finding
from server.services.flags.store import raise_finding

REASON = (
    "Texts to this patient's phone fail: Twilio error {code} ({message}). "
    "Check the number; check-ins are not sent until it is corrected."
)


def after_refused_send(patient: Patient, code: int | None, message: str, now: datetime) -> Flag:
    """Mark the phone invalid and open the flag (caller commits)."""
    patient.phone_valid = False
    reason = REASON.format(code=code, message=message)
    return raise_finding(
        patient, Finding(FlagRule.PHONE_INVALID, Severity.INFO, reason, (), None), now
    )
