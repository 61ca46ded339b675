"""Fixtures for the check-in and outbox services: long-lived staff tokens, jobs run by the CLI."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from server.enums import MessageDirection, MessagePurpose
from server.extensions import db
from server.models import CheckIn, Message
from server.services.checkins import planning

PUBLIC_BASE_URL = "https://painline.example"



def at(iso: str) -> datetime:
    """An aware UTC instant from ISO-8601 text."""
    return datetime.fromisoformat(iso).astimezone(UTC)


def zone_at_noon(now: datetime) -> str:
    """A fixed-offset zone where it is around noon at `now`, inside any send window.

    For tests that must run at the real time because the fake Twilio dates its log by it.
    """
    offset = (12 - now.hour + 12) % 24 - 12  # -12..+11 hours
    name = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
    assert 10 <= now.astimezone(ZoneInfo(name)).hour <= 14
    return name


def checkins_of(patient) -> list[CheckIn]:
    """The patient's check-ins as stored now, earliest due first."""
    db.session.expire_all()
    return db.session.scalars(planning.checkins_of(patient.id)).all()[::-1]


def outbox_of(patient, purpose: MessagePurpose | None = None) -> list[Message]:
    """The patient's outbound messages (of that purpose) as stored now, oldest first."""
    db.session.expire_all()
    query = select(Message).where(
        Message.patient_id == patient.id, Message.direction == MessageDirection.OUTBOUND
    )
    if purpose is not None:
        query = query.where(Message.purpose == purpose)
    return db.session.scalars(query.order_by(Message.id)).all()


def twilio_post(client, path: str, params: dict, token: str):
    """POST a webhook signed exactly as Twilio signs it, for the URL Twilio called."""
    signature = RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})







# Job tests move the clock days ahead: their staff tokens must outlive it.
@pytest.fixture
def headers(make, therapist):
    return make.staff_token(therapist, hours=24 * 365)


@pytest.fixture
def admin_headers(make, admin):
    return make.staff_token(admin, hours=24 * 365)


@pytest.fixture
def run_jobs(app, db):
    """Run `flask jobs tick` (as of `at`, else the app's clock); returns its report (stdout:
    the log lines the tick wrote went to stderr)."""

    def run(at: str | None = None) -> str:
        args = ["jobs", "tick", *(["--at", at] if at else [])]
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        return result.stdout

    return run


@pytest.fixture
def scheduled(make, clinic, clock):
    """Add a check-in due at `due` (default: now) for a patient: scheduled(patient, ...)."""

    def add(patient, due: datetime | None = None, measures=("pain_nprs",), **fields) -> CheckIn:
        due = due or clock.now
        session = make.session(patient, occurred_at=due - timedelta(days=3))
        values = {"session_id": session.id, "measures": list(measures)}
        return make.checkin(patient, due, **(values | fields))

    return add
