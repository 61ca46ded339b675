"""Migration 0004 on a database with today's data: patients keep pain (+ headache days), the
score ranges cover every measure of the catalog, and it downgrades cleanly."""

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from server import create_app
from server.enums import Measure
from server.extensions import db
from server.models import Patient

AT = "2026-11-01 15:00:00"
OLD_ROWS = (
    "INSERT INTO clinic (id, name, help_phone, timezone, quiet_start, quiet_end, send_hour,"
    " twilio_opt_out_handling, created_at) VALUES (1, 'Northside PT', '+16175550100',"
    f" 'America/New_York', '09:00:00', '20:00:00', '10:00:00', 1, '{AT}')",
    "INSERT INTO patient (id, clinic_id, first_name, phone, phone_valid, timezone, language,"
    " tracks_headache, care_status, consent_status, created_at) VALUES (1, 1, 'Ana',"
    f" '+16175551234', 1, 'America/New_York', 'en', 1, 'active', 'opted_in', '{AT}')",
    "INSERT INTO score (id, clinic_id, patient_id, measure, value, reported_at, source,"
    f" in_post_needling_window, late, created_at) VALUES (1, 1, 1, 'headache_days_7d', 3, '{AT}',"
    f" 'sms', 0, 0, '{AT}')",
)


@pytest.fixture
def old_app(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'before-0004.db'}",
            "SECRET_KEY": "test-secret-key",
            "PAINLINE_ENV": "development",
            "CLOCK": lambda: datetime(2026, 12, 1, tzinfo=UTC),
            "TESTING": True,
        }
    )
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            for row in OLD_ROWS:
                connection.execute(text(row))
        upgrade()
        yield app
        db.session.remove()


def insert_score(measure: str, value: int, activity: str = "NULL") -> None:
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO score (clinic_id, patient_id, measure, value, reported_at, source,"
                " in_post_needling_window, late, created_at, activity_id) VALUES (1, 1,"
                f" '{measure}', {value}, '{AT}', 'sms', 0, 0, '{AT}', {activity})"
            )
        )


def test_todays_patients_keep_pain_and_headache_days(old_app):
    patient = db.session.get(Patient, 1)
    assert patient.program is None and patient.returning_to_sport is False
    assert patient.measures == [Measure.PAIN, Measure.HEADACHE_DAYS]
    count = db.session.execute(text("SELECT count(*) FROM score")).scalar_one()
    assert count == 1


@pytest.mark.parametrize(("measure", "value"), [("sane", 101), ("pgic", 0), ("pgic", 8)])
def test_the_range_check_covers_the_new_measures(old_app, measure, value):
    with pytest.raises(IntegrityError):
        insert_score(measure, value)


def test_the_new_measures_store_within_their_ranges(old_app):
    insert_score("sane", 100)
    insert_score("pgic", 1)
    with pytest.raises(IntegrityError):
        insert_score("psfs", 5)  # a PSFS score names its activity


def test_it_downgrades_to_the_schema_before(old_app):
    downgrade(revision="0003")
    columns = {row[1] for row in db.session.execute(text("PRAGMA table_info(score)"))}
    assert "activity_id" not in columns
