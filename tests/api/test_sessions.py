"""Treatment sessions and in-clinic scores."""

import pytest

from server.models import Score, TreatmentSession
from tests.assertions import assert_problem, count


@pytest.fixture
def headers(make, therapist):
    """Some tests here move the clock days ahead: the token must outlive it."""
    return make.staff_token(therapist, hours=24 * 30)


def post_score(client, headers, patient, measure: str, value: int):
    """POST an in-clinic score for the patient; the response."""
    score = {"measure": measure, "value": value}
    return client.post(f"/api/v1/patients/{patient.id}/scores", json=score, headers=headers)


def test_session_with_in_clinic_pain_stores_a_clinic_score(client, headers, patient, therapist):
    payload = {
        "occurred_at": "2026-12-01T14:00:00Z",
        "regions": ["upper trapezius"],
        "in_clinic_pain": 0,
    }
    response = client.post(f"/api/v1/patients/{patient.id}/sessions", json=payload, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["therapist_id"] == therapist.id
    assert body["regions"] == ["upper trapezius"]
    assert body["in_clinic_score"]["value"] == 0  # zero is a score, not "missing"
    assert body["in_clinic_score"]["source"] == "clinic"
    assert body["in_clinic_score"]["in_post_needling_window"] is False


def test_session_without_a_score_stores_no_score(client, headers, patient):
    response = client.post(
        f"/api/v1/patients/{patient.id}/sessions",
        json={"occurred_at": "2026-12-01T14:00:00+01:00"},
        headers=headers,
    )
    assert response.get_json()["occurred_at"] == "2026-12-01T13:00:00+00:00"
    assert count(Score) == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "occurred_at"),
        ({"occurred_at": "2026-12-01T14:00:00"}, "occurred_at"),  # naive: which time zone?
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-12-09T14:00:00Z"}, "occurred_at"),  # in the future
        ({"occurred_at": "2026-12-01T14:00:00Z", "in_clinic_pain": 11}, "in_clinic_pain"),
        ({"occurred_at": "2026-12-01T14:00:00Z", "in_clinic_pain": 6.5}, "in_clinic_pain"),
        ({"occurred_at": "2026-12-01T14:00:00Z", "regions": "neck"}, "regions"),
        ({"occurred_at": "2026-12-01T14:00:00Z", "therapist_id": 999999}, "therapist_id"),
    ],
)
def test_bad_session_input_names_the_field_and_writes_nothing(
    client, headers, patient, payload, field
):
    response = client.post(f"/api/v1/patients/{patient.id}/sessions", json=payload, headers=headers)
    assert_problem(response, 422, field)
    assert count(TreatmentSession) == 0 and count(Score) == 0


def test_session_for_a_discharged_patient_is_409(client, headers, make, clinic):
    patient = make.patient(clinic, care_status="discharged")
    response = client.post(
        f"/api/v1/patients/{patient.id}/sessions",
        json={"occurred_at": "2026-12-01T14:00:00Z"},
        headers=headers,
    )
    assert_problem(response, 409)


def test_sessions_list_newest_first(client, headers, patient, make, clock):
    make.session(patient, occurred_at=clock.now.replace(day=1, hour=9))
    make.session(patient, occurred_at=clock.now.replace(hour=9))
    days = [
        s["occurred_at"][:10]
        for s in client.get(f"/api/v1/patients/{patient.id}/sessions", headers=headers).get_json()
    ]
    assert days == ["2026-12-01", "2026-12-01"] or days == sorted(days, reverse=True)


def test_score_hours_since_session_and_post_needling_window(client, headers, patient, make, clock):
    make.session(patient, occurred_at=clock.now.replace(day=1, hour=9))
    clock.advance(days=1)
    body = post_score(client, headers, patient, "pain_nprs", 7).get_json()
    assert body["hours_since_session"] == 30.0
    assert body["in_post_needling_window"] is True
    clock.advance(days=3)
    later = post_score(client, headers, patient, "headache_days_7d", 2).get_json()
    assert later["in_post_needling_window"] is False


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"measure": "pain_nprs", "value": 11}, "value"),
        ({"measure": "headache_days_7d", "value": 8}, "value"),
        ({"measure": "pain_nprs", "value": -1}, "value"),
        ({"measure": "pain_nprs", "value": "7"}, "value"),
        ({"measure": "mood", "value": 3}, "measure"),
        ({"value": 3}, "measure"),
        (
            {"measure": "pain_nprs", "value": 3, "reported_at": "2027-01-01T00:00:00Z"},
            "reported_at",
        ),
    ],
)
def test_bad_score_input_names_the_field_and_writes_nothing(
    client, headers, patient, payload, field
):
    response = client.post(f"/api/v1/patients/{patient.id}/scores", json=payload, headers=headers)
    assert_problem(response, 422, field)
    assert count(Score) == 0


def test_headache_score_for_a_pain_only_patient_is_422(client, headers, make, clinic):
    patient = make.patient(clinic, tracks_headache=False)
    response = post_score(client, headers, patient, "headache_days_7d", 2)
    assert_problem(response, 422, "measure")


def test_scores_list_filters_by_measure(client, headers, patient, make):
    make.score(patient, measure="pain_nprs", value=4)
    make.score(patient, measure="headache_days_7d", value=2)
    body = client.get(
        f"/api/v1/patients/{patient.id}/scores?measure=headache_days_7d", headers=headers
    ).get_json()
    assert [(s["measure"], s["value"]) for s in body] == [("headache_days_7d", 2)]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("post", "sessions"),
        ("get", "sessions"),
        ("post", "scores"),
        ("get", "scores"),
    ],
)
def test_another_clinics_patient_is_404_and_tokens_are_checked(
    client, headers, make, method, suffix
):
    stranger = make.patient(make.clinic())
    payload = {"occurred_at": "2026-12-01T14:00:00Z", "measure": "pain_nprs", "value": 3}
    path = f"/api/v1/patients/{stranger.id}/{suffix}"
    if method == "post":
        payload = (
            {"occurred_at": "2026-12-01T14:00:00Z"}
            if suffix == "sessions"
            else {"measure": "pain_nprs", "value": 3}
        )
    assert_problem(getattr(client, method)(path, json=payload, headers=headers), 404)
    assert_problem(getattr(client, method)(path, json=payload), 401)
    assert_problem(
        getattr(client, method)(path, json=payload, headers=make.patient_token(stranger)), 403
    )
    assert count(TreatmentSession) == 0 and count(Score) == 0


# The sessions list shows each session as its create response did (issue 10, item 12).
def test_sessions_list_carries_in_clinic_score_and_planned_checkins(client, admin_headers, patient):
    path = f"/api/v1/patients/{patient.id}/sessions"
    session = {"occurred_at": "2026-12-01T14:00:00Z", "in_clinic_pain": 6}
    created = client.post(path, json=session, headers=admin_headers).get_json()
    listed = client.get(path, headers=admin_headers).get_json()
    assert len(listed) == 1
    assert listed[0]["in_clinic_score"]["value"] == 6
    assert listed[0]["in_clinic_score"]["id"] == created["in_clinic_score"]["id"]
    assert [c["id"] for c in listed[0]["checkins"]] == [c["id"] for c in created["checkins"]]
    assert listed[0]["checkins"], "the session planned check-ins"


def test_a_session_without_a_score_lists_it_as_null(client, admin_headers, patient):
    path = f"/api/v1/patients/{patient.id}/sessions"
    client.post(path, json={"occurred_at": "2026-12-01T14:00:00Z"}, headers=admin_headers)
    assert client.get(path, headers=admin_headers).get_json()[0]["in_clinic_score"] is None
