"""Fixtures for the patient app: a clinic, a signed-in patient, check-ins to answer."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.enums import MessagePurpose
from server.extensions import db
from server.models import CheckIn, Message
from server.services.outbox import queue as outbox

CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture(autouse=True)
def quick_sign_in_answers(app, monkeypatch):
    """/patient-auth/start answers at a fixed pace in production; tests need not wait for it."""
    monkeypatch.setitem(app.config, "PATIENT_CODE_MIN_SECONDS", 0.0)




@pytest.fixture
def headers(make, patient):
    """Authorization headers of the patient's app token."""
    return make.patient_token(patient)


@pytest.fixture
def add_checkin(make, clock):
    """Add a day-7 check-in for a patient; prompted an hour ago and open for 47 more hours."""

    def add(patient, measures=("pain_nprs", "headache_days_7d"), **fields) -> CheckIn:
        created = clock.now - timedelta(days=7)
        values = {"kind": "day7", "measures": list(measures), "created_at": created}
        due = clock.now - timedelta(hours=1)
        return make.checkin(patient, due, prompted=True, **(values | fields))

    return add


@pytest.fixture
def queue_reminder(db, clock, clinic):
    """Queue a reminder text for a check-in, as the scheduler would."""

    def queue(patient, checkin) -> Message:
        message = outbox.enqueue(
            clinic, patient, MessagePurpose.REMINDER, "Northside PT: reminder", clock.now,
            send_at=clock.now + timedelta(hours=3), check_in_id=checkin.id,
        )  # fmt: skip
        db.session.commit()
        return message

    return queue


def otp_messages(phone: str | None = None) -> list[Message]:
    """Queued sign-in texts, oldest first (to one phone, if given)."""
    query = select(Message).where(Message.purpose == MessagePurpose.OTP).order_by(Message.id)
    if phone is not None:
        query = query.where(Message.to_number == phone)
    return list(db.session.scalars(query))


def code_in(body: str) -> str:
    """The 6-digit code in a sign-in text."""
    return CODE.search(body).group(1)
