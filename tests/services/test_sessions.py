"""Times a client sends are bounded: none before the patient could be treated, none ahead."""

import pytest

from server.extensions import db
from server.models import Flag, Score, TreatmentSession
from tests.assertions import assert_problem

# The clock reads 2026-12-01 15:00 UTC; the patient was enrolled then.
BAD_TIMES = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "1900-06-01T10:00:00Z",
    "2026-10-31T14:59:00Z",  # just over 30 days before enrolment
    "2026-12-01T15:06:00Z",  # past the 5-minute clock skew
]


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize("when", BAD_TIMES)
def test_a_session_out_of_bounds_is_a_422_naming_occurred_at(client, admin_headers, patient, when):
    response = client.post(f"/api/v1/patients/{patient.id}/sessions",
                           json={"occurred_at": when, "in_clinic_pain": 9}, headers=admin_headers)
    assert_problem(response, 422, "occurred_at")
    assert count(TreatmentSession) == count(Score) == 0


@pytest.mark.parametrize("when", BAD_TIMES)
def test_a_score_out_of_bounds_is_a_422_naming_reported_at(client, admin_headers, patient, when):
    score = {"measure": "pain_nprs", "value": 9, "reported_at": when}
    response = client.post(f"/api/v1/patients/{patient.id}/scores", json=score,
                           headers=admin_headers)
    assert_problem(response, 422, "reported_at")
    assert count(Score) == count(Flag) == 0


@pytest.mark.parametrize("when", ["2026-11-02T10:00:00Z", "2026-12-01T15:04:00Z"])
def test_times_inside_the_bounds_are_kept(client, admin_headers, patient, when):
    response = client.post(f"/api/v1/patients/{patient.id}/sessions",
                           json={"occurred_at": when}, headers=admin_headers)
    assert response.status_code == 201, response.get_json()


def test_a_backdated_score_never_silently_becomes_the_baseline(client, admin_headers, patient,
                                                               make, clock):
    make.score(patient, value=6, reported_at=clock.now)
    score = {"measure": "pain_nprs", "value": 2, "reported_at": "2026-11-20T10:00:00Z"}
    response = client.post(f"/api/v1/patients/{patient.id}/scores", json=score,
                           headers=admin_headers)
    assert_problem(response, 422, "reported_at")
    trends = client.get(f"/api/v1/patients/{patient.id}/trends", headers=admin_headers)
    assert trends.get_json()["measures"][0]["baseline"]["value"] == 6


def test_a_backdated_score_after_the_first_reading_is_kept(client, admin_headers, patient, make,
                                                           clock):
    make.score(patient, value=6, reported_at=clock.advance(days=-10))
    clock.advance(days=10)
    score = {"measure": "pain_nprs", "value": 4, "reported_at": "2026-11-28T10:00:00Z"}
    response = client.post(f"/api/v1/patients/{patient.id}/scores", json=score,
                           headers=admin_headers)
    assert response.status_code == 201
