"""Fixtures for trends, flags, overview and exports: a clinic, its staff and scored patients."""

from datetime import UTC, datetime, timedelta

import pytest

from server.enums import Measure, ScoreSource
from server.services import scores

# Monday Oct 5 2026, 15:00 UTC = 11:00 in New York: readings fall on the same local date.
START = datetime(2026, 10, 5, 15, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    """START plus n days."""
    return START + timedelta(days=n)








@pytest.fixture
def reply(db):
    """Store a score through services.scores.add_score, as SMS, app and clinic code do."""

    def add(patient, value, at, measure=Measure.PAIN, source=ScoreSource.SMS, **links):
        score = scores.add_score(patient, measure, value, at, source, at, **links)
        db.session.commit()
        return score

    return add


@pytest.fixture
def treated(make, reply):
    """Record a session at `at` with an in-clinic pain score (the baseline)."""

    def record(patient, at, pain=None):
        session = make.session(patient, occurred_at=at)
        if pain is not None:
            reply(patient, pain, at, source=ScoreSource.CLINIC)
        return session

    return record
