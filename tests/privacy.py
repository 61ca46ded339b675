"""No notification carries patient data: checked after every test, over all it produced."""

import re

from sqlalchemy import select

from server.extensions import db
from server.models import Flag, Notification, Patient


def patient_data() -> list[tuple[str, re.Pattern]]:
    """What must never appear in a staff notification: names, phones, EMR ids, flag reasons."""
    found = []
    for name, phone, ref in db.session.execute(
        select(Patient.first_name, Patient.phone, Patient.external_ref)
    ):
        found.append(("name", re.compile(rf"\b{re.escape(name)}\b")))
        found.append(("phone", re.compile(re.escape(phone[-10:]))))  # +1 or not, any country
        if ref:
            found.append(("EMR id", re.compile(re.escape(ref))))
    for (reason,) in db.session.execute(select(Flag.reason)):
        found.append(("flag reason", re.compile(re.escape(reason))))
    return found


def assert_no_patient_data_in_notifications() -> None:
    """Fail when any stored notification's subject or body holds a patient's data."""
    try:
        leaks = _leaks()
    finally:
        db.session.remove()  # no transaction left open: the tables are emptied next
    assert not leaks, f"patient data in staff notifications: {leaks}"


def _leaks() -> list[tuple[int, str]]:
    texts = db.session.execute(select(Notification.id, Notification.subject, Notification.body))
    texts = [(i, f"{subject or ''}\n{body or ''}") for i, subject, body in texts]
    secrets = patient_data() if texts else []
    return [(i, kind) for i, text in texts for kind, pattern in secrets if pattern.search(text)]
