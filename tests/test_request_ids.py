"""Every answer names its request (X-Request-Id): the caller's own id when sane, else a new one."""

import re

import pytest

from tests.assertions import assert_problem

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize("offered", ["trace-42", "0b7e1c4a-3f2d-5e8b-9a61-2c4d8f0e7a13",
                                     "Root.1_a", "x" * 64])
def test_a_sane_incoming_id_is_answered_back(client, offered):
    response = client.get("/healthz", headers={"X-Request-Id": offered})
    assert response.headers["X-Request-Id"] == offered


@pytest.mark.parametrize("offered", ["x" * 65, "a b", "<script>", "id;rm", "ä-id", "a\tb", ""])
def test_an_unsafe_or_overlong_id_is_replaced_by_a_new_one(client, offered):
    response = client.get("/healthz", headers={"X-Request-Id": offered})
    assert GENERATED.fullmatch(response.headers["X-Request-Id"])


def test_each_request_without_an_id_gets_its_own(client):
    ids = {client.get("/healthz").headers["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3 and all(GENERATED.fullmatch(one) for one in ids)


def test_errors_and_pages_carry_it_too(client, db):
    body = b'{"phone": "' + b"1" * 1_100_000 + b'"}'
    too_big = client.post("/api/v1/patient-auth/start", data=body,
                          content_type="application/json", headers={"X-Request-Id": "big-1"})
    assert_problem(too_big, 413)
    assert too_big.headers["X-Request-Id"] == "big-1"
    missing = client.get("/api/v1/patients/5", headers={"X-Request-Id": "lost-1"})
    assert missing.status_code == 401 and missing.headers["X-Request-Id"] == "lost-1"
    assert GENERATED.fullmatch(client.get("/sign-in").headers["X-Request-Id"])
