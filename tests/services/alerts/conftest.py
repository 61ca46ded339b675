"""Fixtures for staff alerts: a clinic in New York, its staff, a real SMTP server on loopback."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.enums import Measure, Role, ScoreSource
from server.extensions import db
from server.jobs.tasks import notifier_for
from server.models import Notification
from server.services import scores
from server.services.alerts.planning import plan_due
from tests.conftest import configure
from tests.smtp_server import SmtpServer


@pytest.fixture
def smtp(app, db, monkeypatch):
    """aiosmtpd on loopback; the app's alerts are sent to it."""
    with SmtpServer() as server:
        configure(app, monkeypatch, server.config() | {"MAIL_TIMEOUT_SECONDS": 5.0})
        yield server


@pytest.fixture
def therapist(make, clinic):
    return make.staff(clinic, email="maria@northside.example")


@pytest.fixture
def admin(make, clinic):
    return make.staff(clinic, role=Role.ADMIN, email="admin@northside.example")


@pytest.fixture
def patient(make, clinic, therapist):
    return make.patient(
        clinic, first_name="Rosa", external_ref="EMR-4711", primary_therapist_id=therapist.id
    )


@pytest.fixture
def pain(db, clock):
    """A pain reply stored as an SMS answer would be (8 or more raises an urgent flag)."""

    def add(patient, value: int, at=None):
        at = at or clock.now
        score = scores.add_score(patient, Measure.PAIN, value, at, ScoreSource.SMS, at)
        db.session.commit()
        return score

    return add


@pytest.fixture
def notify(app, db, clock):
    """Plan and send due alerts as of the test clock (`notify(at=...)`); returns the report."""

    def run(at=None):
        now = at or clock.now
        report = plan_due(now) + notifier_for(app.config, lambda: now).run()
        db.session.expire_all()
        return report

    return run


def notifications(**where) -> list[Notification]:
    """The alerts outbox as stored now, oldest first."""
    db.session.expire_all()
    query = select(Notification).filter_by(**where).order_by(Notification.id)
    return db.session.scalars(query).all()


def later(clock, **delta):
    return clock.now + timedelta(**delta)
