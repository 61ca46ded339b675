"""Sign-in rate limits, per phone and per IP, in memory and in the real Redis."""

import pytest

from server.extensions import limiter
from tests.api.patient_app.conftest import otp_messages
from tests.assertions import assert_problem

START, VERIFY = "/api/v1/patient-auth/start", "/api/v1/patient-auth/verify"


def from_ip(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def assert_rate_limited(response) -> None:
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_codes_per_phone_are_limited_with_retry_after(client, patient):
    statuses = [
        client.post(START, json={"phone": patient.phone}, **from_ip(f"10.0.0.{n}")).status_code
        for n in range(3)
    ]
    assert statuses == [202, 202, 202]
    fourth = client.post(START, json={"phone": "(617) 555-1234"}, **from_ip("10.0.0.9"))
    assert_rate_limited(fourth)
    assert len(otp_messages()) == 3


def test_codes_per_ip_are_limited_across_phones(client, db):
    phones = [f"+1617555{n:04d}" for n in range(31)]
    statuses = [client.post(START, json={"phone": p}).status_code for p in phones]
    assert statuses[:30] == [202] * 30
    assert_rate_limited(client.post(START, json={"phone": "+16175559999"}))


def test_guesses_per_phone_are_limited_even_from_many_addresses(client, patient):
    for n in range(10):
        guess = {"phone": patient.phone, "code": f"{n:06d}"}
        assert client.post(VERIFY, json=guess, **from_ip(f"10.0.1.{n}")).status_code == 401
    eleventh = client.post(VERIFY, json={"phone": patient.phone, "code": "123456"})
    assert_rate_limited(eleventh)


def test_guesses_per_ip_are_limited_across_phones(client, monkeypatch, app, db):
    monkeypatch.setitem(app.config, "PATIENT_VERIFY_LIMIT_PER_IP", "5 per hour")
    for n in range(5):
        guess = {"phone": f"+1617555{n:04d}", "code": "123456"}
        assert client.post(VERIFY, json=guess).status_code == 401
    assert_rate_limited(client.post(VERIFY, json={"phone": "+16175559999", "code": "123456"}))


@pytest.mark.redis
def test_limits_are_counted_in_redis_when_configured(client, patient, redis_limits):
    assert type(limiter.storage).__name__ == "RedisStorage"
    for _ in range(3):
        assert client.post(START, json={"phone": patient.phone}).status_code == 202
    assert redis_limits.keys("*LIMITER*"), "the counters live in Redis"
    assert_rate_limited(client.post(START, json={"phone": patient.phone}))
    # Another web process sharing the Redis sees the same count: clearing it lifts the limit.
    redis_limits.flushdb()
    assert client.post(START, json={"phone": patient.phone}).status_code == 202
