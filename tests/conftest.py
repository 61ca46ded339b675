"""Fixtures: one app and migrated database per run; every test starts from empty tables.

SQLite by default; set TEST_DATABASE_URL to run the same suite on PostgreSQL.
"""

import os
from datetime import UTC, datetime, timedelta

import pytest
import redis
from flask_migrate import upgrade
from sqlalchemy import event, text

from server import create_app
from server.enums import Role
from server.extensions import db as _db
from server.extensions import limiter
from tests import factories
from tests.privacy import assert_no_patient_data_in_notifications


class FakeClock:
    """A settable clock: tests pass time explicitly instead of patching datetime."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, iso: str) -> datetime:
        self.now = datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC)
        return self.now


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return url if url and url.startswith("postgresql") else None


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` skip, with the reason, when the suite runs on SQLite."""
    if _postgres_url():
        return
    skip = pytest.mark.skip(reason="needs TEST_DATABASE_URL (PostgreSQL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'painline-test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    clock = FakeClock(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    app = create_app(
        {
            "DATABASE_URL": database_url(tmp_path_factory),
            "SECRET_KEY": "test-secret-key",
            "PAINLINE_ENV": "development",
            "PUBLIC_BASE_URL": "https://painline.example",
            "CLOCK": clock,
            "TESTING": True,
            "OVERVIEW_MAX_AGE_SECONDS": "0",  # the clock stands still between tests
        }
    )
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            _reset_postgres_schema()
        upgrade()
    return app


def _reset_postgres_schema() -> None:
    with _db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture
def clock(app):
    fake = app.extensions["clock"]
    fake.now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    return fake


@pytest.fixture
def db(app, clock):
    """The database, emptied after the test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        # Every notification body any test produced is scanned for patient data here.
        assert_no_patient_data_in_notifications()
        empty_tables()
    limiter.reset()


def empty_tables() -> None:
    """Delete every row; ids start again from 1 (SQLite reuses them, PostgreSQL restarts)."""
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def make(db, clock):
    """Factories bound to the test's clock: make.clinic(), make.staff(clinic), ..."""
    return factories.Factories(clock)


@pytest.fixture
def query_counter(db):
    """Count SQL statements run inside a `with query_counter() as count:` block."""

    class Counter:
        def __init__(self):
            self.value = 0

        def __call__(self):
            return self

        def _count(self, *_args, **_kwargs):
            self.value += 1

        def __enter__(self):
            self.value = 0
            event.listen(_db.engine, "before_cursor_execute", self._count)
            return self

        def __exit__(self, *exc):
            event.remove(_db.engine, "before_cursor_execute", self._count)

    return Counter()


@pytest.fixture
def sms(app, db, monkeypatch):
    """A fake Twilio on loopback that the app's dispatcher sends through (the real SDK).

    It records what it accepted (`sms.messages`, `sms.count_by(to)`) and can refuse or delay
    (`fail_next`, `fail_for`, `delay_next`). Webhooks now need Twilio signatures made with
    `sms.auth_token`, as in production.
    """
    from tests.fake_twilio import FakeTwilio

    with FakeTwilio() as fake:
        configure(app, monkeypatch, fake.environ() | {"TWILIO_TIMEOUT_SECONDS": 1.0})
        yield fake


def configure(app, monkeypatch, settings: dict) -> None:
    """Set these app settings for one test (a fake provider's address, its timeouts)."""
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)


# One clinic/patient family for every test package; a package overrides one only when it
# means something else by the name (the patient app's `headers` carry a patient token).
@pytest.fixture
def clinic(make):
    return make.clinic(name="Northside PT", timezone="America/New_York")


@pytest.fixture
def therapist(make, clinic):
    return make.staff(clinic)


@pytest.fixture
def admin(make, clinic):
    return make.staff(clinic, role=Role.ADMIN)


@pytest.fixture
def headers(make, therapist):
    """A therapist's bearer token, with the production lifetime."""
    return make.staff_token(therapist)


@pytest.fixture
def admin_headers(make, admin):
    return make.staff_token(admin)


@pytest.fixture
def patient(make, clinic):
    """An opted-in headache patient in New York."""
    return make.patient(
        clinic, first_name="Ana", phone="+16175551234", tracks_headache=True, external_ref="EMR-1"
    )
@pytest.fixture
def redis_limits(app, client):
    """Point the app's rate limiter at a scratch Redis database, as RATELIMIT_STORAGE_URI does."""
    store = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {REDIS_TEST_URL} (set REDIS_TEST_URL): {error}")
    store.flushdb()
    memory = app.config["RATELIMIT_STORAGE_URI"]
    app.config["RATELIMIT_STORAGE_URI"] = REDIS_TEST_URL
    limiter.init_app(app)  # re-reads the setting; hooks are not added twice
    yield store
    app.config["RATELIMIT_STORAGE_URI"] = memory
    limiter.init_app(app)
    store.flushdb()
    store.close()
