"""Redis (the rate limiter's storage) stopped and started around sign-in: never a 500."""

import logging
import time

import pytest

from server.extensions import limiter
from tests.assertions import assert_problem
from tests.factories import PASSWORD
from tests.faults.throwaway_redis import ThrowawayRedis

LOGIN, START = "/api/v1/auth/login", "/api/v1/patient-auth/start"
VERIFY = "/api/v1/patient-auth/verify"


@pytest.fixture
def own_redis():
    if not ThrowawayRedis.available():
        pytest.skip("needs redis-server on PATH")
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def limits_in(app, client, monkeypatch, own_redis):
    """Point the rate limiter at the throwaway Redis, with RATELIMIT_STORAGE_DOWN = `down`."""
    monkeypatch.setitem(app.config, "PATIENT_CODE_MIN_SECONDS", 0.0)

    def point(down: str) -> ThrowawayRedis:
        monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", own_redis.url)
        monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_DOWN", down)
        limiter.init_app(app)
        return own_redis

    yield point
    monkeypatch.undo()
    limiter.init_app(app)


def sign_ins(client, staff, patient) -> list[int]:
    """Staff login, a patient's code request and a wrong code: the statuses."""
    login = client.post(LOGIN, json={"email": staff.email, "password": PASSWORD})
    start = client.post(START, json={"phone": patient.phone})
    verify = client.post(VERIFY, json={"phone": patient.phone, "code": "000000"})
    return [login.status_code, start.status_code, verify.status_code]


@pytest.mark.redis
def test_with_redis_stopped_sign_in_works_and_is_still_limited_in_memory(
    client, make, limits_in, caplog
):
    redis = limits_in("memory")
    clinic = make.clinic()
    staff, patient = make.staff(clinic), make.patient(clinic)
    assert sign_ins(client, staff, patient) == [200, 202, 401]
    assert redis.keys(), "counted in Redis while it is up"

    redis.stop()
    with caplog.at_level(logging.WARNING):
        assert sign_ins(client, staff, patient) == [200, 202, 401]
    assert "falling back to in-memory storage" in caplog.text
    more = [client.post(START, json={"phone": patient.phone}).status_code for _ in range(2)]
    assert more == [202, 202]
    assert_problem(client.post(START, json={"phone": patient.phone}), 429)  # 3 per 10 min
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["rate_limits"] == "degraded"

    redis.start()
    assert client.get("/readyz").get_json()["rate_limits"] == "ok"
    deadline = time.monotonic() + 40  # the limiter re-tries its storage at growing intervals
    while not redis.keys() and time.monotonic() < deadline:
        login = client.post(LOGIN, json={"email": staff.email, "password": PASSWORD})
        assert login.status_code == 200
        time.sleep(0.5)
    assert redis.keys(), "back to counting in Redis"


@pytest.mark.redis
def test_fail_open_lets_sign_in_through_unlimited_while_redis_is_down(
    client, make, limits_in, caplog
):
    redis = limits_in("open")
    clinic = make.clinic()
    staff, patient = make.staff(clinic), make.patient(clinic)
    redis.stop()
    with caplog.at_level(logging.WARNING):
        assert sign_ins(client, staff, patient) == [200, 202, 401]
        statuses = {client.post(START, json={"phone": patient.phone}).status_code for _ in range(4)}
    assert statuses == {202}  # no limit while Redis is down: the operator chose availability
    assert "Failed to rate limit" in caplog.text
