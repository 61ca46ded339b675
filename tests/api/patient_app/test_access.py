"""Who may call what: patient tokens reach only their own data, staff tokens none of /me/*."""

import pytest

from server.enums import ConsentStatus, Language
from server.extensions import db
from tests.assertions import assert_problem

ME_ENDPOINTS = [
    ("get", "/api/v1/me/checkins"),
    ("post", "/api/v1/me/checkins/1/answers"),
    ("post", "/api/v1/me/scores"),
    ("get", "/api/v1/me/scores"),
    ("get", "/api/v1/me/trends"),
    ("post", "/api/v1/patient-auth/logout"),
]
STAFF_ENDPOINTS = [
    ("get", "/api/v1/patients"),
    ("get", "/api/v1/patients/{id}"),
    ("get", "/api/v1/patients/{id}/scores"),
    ("post", "/api/v1/patients/{id}/scores"),
    ("get", "/api/v1/patients/{id}/sessions"),
    ("post", "/api/v1/auth/logout"),
]


@pytest.mark.parametrize("method, path", ME_ENDPOINTS)
def test_a_staff_token_on_patient_endpoints_is_403(client, make, clinic, method, path):
    headers = make.staff_token(make.staff(clinic))
    assert_problem(getattr(client, method)(path, json={"pain_nprs": 1}, headers=headers), 403)


@pytest.mark.parametrize("method, path", STAFF_ENDPOINTS)
def test_a_patient_token_on_staff_endpoints_is_403(client, headers, patient, method, path):
    url = path.format(id=patient.id)
    body = {"measure": "pain_nprs", "value": 1}
    assert_problem(getattr(client, method)(url, json=body, headers=headers), 403)


@pytest.mark.parametrize("method, path", ME_ENDPOINTS)
def test_patient_endpoints_without_a_token_are_401(client, db, method, path):
    assert_problem(getattr(client, method)(path, json={"pain_nprs": 1}), 401)


def test_an_expired_patient_token_is_401(client, make, clock, patient):
    headers = make.patient_token(patient, days=30)
    clock.advance(days=30)
    assert_problem(client.get("/api/v1/me/checkins", headers=headers), 401)


def test_me_for_a_patient_is_their_own_profile_only(client, make, clinic, patient, headers):
    make.patient(clinic, first_name="Other")
    body = client.get("/api/v1/me", headers=headers).get_json()
    assert body == {
        "role": "patient",
        "id": patient.id,
        "first_name": "Ana",
        "language": Language.EN,
        "measures": ["pain_nprs", "headache_days_7d"],
        "consent_status": ConsentStatus.OPTED_IN,
        "clinic": {"name": "Northside PT", "help_phone": clinic.help_phone},
    }


def test_me_for_staff_is_still_the_staff_member(client, make, clinic):
    staff = make.staff(clinic)
    body = client.get("/api/v1/me", headers=make.staff_token(staff)).get_json()
    assert body["email"] == staff.email and body["role"] == "therapist"
    assert body["clinic"]["name"] == "Northside PT"


def test_me_for_an_inactive_staff_member_is_403(client, make, clinic):
    staff = make.staff(clinic)
    headers = make.staff_token(staff)
    staff.active = False
    db.session.commit()
    assert_problem(client.get("/api/v1/me", headers=headers), 403)
