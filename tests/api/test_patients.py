"""Patients: list, enrol, read, update, consent, discharge; scoping and bad input."""

import pytest

from server.enums import ConsentStatus
from server.extensions import db
from server.models import AuditEvent, ConsentEvent, Patient
from tests.assertions import assert_audited, assert_problem, count

NEW = {"first_name": "Rosa", "phone": "(617) 555-0123", "timezone": "America/Chicago"}






def test_enrol_normalises_the_phone_to_e164_and_starts_with_pending_consent(client, headers):
    response = client.post("/api/v1/patients", json=NEW, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["phone"] == "+16175550123"
    assert body["consent_status"] == "pending"
    assert body["measures"] == ["pain_nprs"]
    assert body["language"] == "en"


def test_enrol_a_headache_patient_in_spanish(client, headers, therapist):
    payload = NEW | {
        "measures": ["pain_nprs", "headache_days_7d"],
        "language": "es",
        "primary_therapist_id": therapist.id,
        "external_ref": "EMR-1",
    }
    body = client.post("/api/v1/patients", json=payload, headers=headers).get_json()
    assert body["measures"] == ["pain_nprs", "headache_days_7d"]
    assert body["language"] == "es"
    assert body["primary_therapist_id"] == therapist.id


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12345"),
        ("phone", "not a phone"),
        ("phone", 6175550123),
        ("timezone", "Mars/Olympus"),
        ("timezone", "EST5EDT6"),
        ("language", "fr"),
        ("first_name", ""),
        ("first_name", "A" * 21),
        ("measures", ["headache_days_7d"]),
        ("measures", ["mood"]),
        ("primary_therapist_id", "x"),
        ("shoe_size", 42),
    ],
)
def test_enrol_rejects_bad_fields_by_name_and_writes_nothing(client, headers, field, value):
    response = client.post("/api/v1/patients", json=NEW | {field: value}, headers=headers)
    assert_problem(response, 422, field)
    assert count(Patient) == 0


@pytest.mark.parametrize("missing", ["first_name", "phone", "timezone"])
def test_enrol_requires_name_phone_and_timezone(client, headers, missing):
    payload = {k: v for k, v in NEW.items() if k != missing}
    assert_problem(client.post("/api/v1/patients", json=payload, headers=headers), 422, missing)


def test_therapist_from_another_clinic_is_rejected(client, headers, make):
    outsider = make.staff(make.clinic())
    response = client.post(
        "/api/v1/patients", json=NEW | {"primary_therapist_id": outsider.id}, headers=headers
    )
    assert_problem(response, 422, "primary_therapist_id")
    assert count(Patient) == 0


def test_duplicate_phone_in_the_clinic_is_409_naming_the_field(client, headers):
    client.post("/api/v1/patients", json=NEW, headers=headers)
    again = client.post(
        "/api/v1/patients", json=NEW | {"phone": "+1 617 555 0123"}, headers=headers
    )
    assert_problem(again, 409, "phone")
    assert count(Patient) == 1


def test_same_phone_in_another_clinic_is_allowed(client, headers, make):
    other = make.staff_token(make.staff(make.clinic()))
    assert client.post("/api/v1/patients", json=NEW, headers=headers).status_code == 201
    assert client.post("/api/v1/patients", json=NEW, headers=other).status_code == 201


def test_list_is_paginated_and_scoped_to_the_clinic(client, headers, make, clinic):
    for _ in range(3):
        make.patient(clinic)
    make.patient(make.clinic())
    response = client.get("/api/v1/patients?page=1&page_size=2", headers=headers)
    assert len(response.get_json()) == 2
    assert '"total": 3' in response.headers["X-Pagination"]


def test_list_filters_by_care_status_and_therapist(client, headers, make, clinic, therapist):
    make.patient(clinic, primary_therapist_id=therapist.id)
    make.patient(clinic, care_status="paused")
    mine = client.get(f"/api/v1/patients?therapist_id={therapist.id}", headers=headers)
    paused = client.get("/api/v1/patients?care_status=paused", headers=headers)
    assert len(mine.get_json()) == 1 and len(paused.get_json()) == 1


def test_list_rejects_a_bad_filter_by_name(client, headers):
    assert_problem(
        client.get("/api/v1/patients?care_status=asleep", headers=headers), 422, "care_status"
    )


def test_read_another_clinics_patient_is_404(client, headers, make):
    stranger = make.patient(make.clinic())
    assert_problem(client.get(f"/api/v1/patients/{stranger.id}", headers=headers), 404)
    assert_problem(
        client.patch(f"/api/v1/patients/{stranger.id}", json={"first_name": "X"}, headers=headers),
        404,
    )
    assert db.session.get(Patient, stranger.id).first_name == "Ana"


def test_every_read_of_patient_data_is_audited(client, headers, make, clinic, therapist):
    patient = make.patient(clinic)
    client.get(f"/api/v1/patients/{patient.id}", headers=headers)
    assert_audited("patient.read", therapist.id, patient.id)


def test_update_changes_fields_and_is_audited(client, headers, make, clinic):
    patient = make.patient(clinic)
    response = client.patch(
        f"/api/v1/patients/{patient.id}",
        json={"language": "es", "care_status": "paused"},
        headers=headers,
    )
    assert response.get_json()["language"] == "es"
    assert response.get_json()["care_status"] == "paused"
    assert db.session.scalars(db.select(AuditEvent.action)).all() == ["patient.update"]


def test_update_cannot_discharge_or_take_a_bad_phone(client, headers, make, clinic):
    patient = make.patient(clinic)
    url = f"/api/v1/patients/{patient.id}"
    assert_problem(
        client.patch(url, json={"care_status": "discharged"}, headers=headers), 422, "care_status"
    )
    assert_problem(client.patch(url, json={"phone": "555"}, headers=headers), 422, "phone")
    db.session.expire_all()
    assert db.session.get(Patient, patient.id).care_status == "active"


def test_changing_the_phone_signs_the_old_numbers_app_sessions_out(client, headers, make, clinic):
    patient = make.patient(clinic)
    app_headers = make.patient_token(patient)
    assert client.get("/api/v1/me/trends", headers=app_headers).status_code == 200

    response = client.patch(
        f"/api/v1/patients/{patient.id}", json={"phone": "+16175550199"}, headers=headers
    )

    assert response.status_code == 200
    assert_problem(client.get("/api/v1/me/trends", headers=app_headers), 401)


def test_updating_other_details_keeps_the_patients_app_signed_in(client, headers, make, clinic):
    patient = make.patient(clinic)
    app_headers = make.patient_token(patient)

    client.patch(f"/api/v1/patients/{patient.id}", json={"first_name": "Rosa"}, headers=headers)

    assert client.get("/api/v1/me/trends", headers=app_headers).status_code == 200


def test_update_to_a_phone_used_by_another_patient_is_409(client, headers, make, clinic):
    first, second = make.patient(clinic), make.patient(clinic)
    response = client.patch(
        f"/api/v1/patients/{second.id}", json={"phone": first.phone}, headers=headers
    )
    assert_problem(response, 409, "phone")


def test_consent_is_appended_and_becomes_current(client, headers, make, clinic):
    patient = make.patient(clinic, consent_status=ConsentStatus.PENDING)
    url = f"/api/v1/patients/{patient.id}/consent"
    granted = {"action": "granted", "source": "intake_form", "wording_version": "2026-01"}
    assert client.post(url, json=granted, headers=headers).status_code == 201
    revoked = {"action": "revoked", "source": "staff", "note": "asked by phone"}
    assert client.post(url, json=revoked, headers=headers).status_code == 201
    assert db.session.get(Patient, patient.id).consent_status == "opted_out"
    history = client.get(url, headers=headers).get_json()
    assert [e["action"] for e in history] == ["granted", "revoked"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"action": "granted", "source": "intake_form"}, "wording_version"),
        ({"action": "granted", "source": "keyword", "wording_version": "v1"}, "source"),
        ({"action": "maybe", "source": "staff"}, "action"),
    ],
)
def test_consent_bad_input_names_the_field_and_writes_nothing(
    client, headers, make, clinic, payload, field
):
    patient = make.patient(clinic)
    response = client.post(f"/api/v1/patients/{patient.id}/consent", json=payload, headers=headers)
    assert_problem(response, 422, field)
    assert count(ConsentEvent) == 0


def test_consent_for_another_clinics_patient_is_404(client, headers, make):
    stranger = make.patient(make.clinic())
    response = client.post(
        f"/api/v1/patients/{stranger.id}/consent",
        json={"action": "revoked", "source": "staff"},
        headers=headers,
    )
    assert_problem(response, 404)
    assert_problem(client.get(f"/api/v1/patients/{stranger.id}/consent", headers=headers), 404)


def test_discharge_once_then_409(client, headers, make, clinic):
    patient = make.patient(clinic)
    url = f"/api/v1/patients/{patient.id}/discharge"
    first = client.post(url, headers=headers)
    assert first.get_json()["care_status"] == "discharged"
    assert first.get_json()["discharged_at"] == "2026-12-01T15:00:00+00:00"
    assert_problem(client.post(url, headers=headers), 409)


def test_discharge_another_clinics_patient_is_404(client, headers, make):
    stranger = make.patient(make.clinic())
    assert_problem(client.post(f"/api/v1/patients/{stranger.id}/discharge", headers=headers), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/patients"),
        ("post", "/api/v1/patients"),
        ("get", "/api/v1/patients/1"),
        ("patch", "/api/v1/patients/1"),
        ("post", "/api/v1/patients/1/consent"),
        ("get", "/api/v1/patients/1/consent"),
        ("post", "/api/v1/patients/1/discharge"),
    ],
)
def test_patient_endpoints_need_a_staff_token(client, make, method, path):
    patient = make.patient(make.clinic())
    assert_problem(getattr(client, method)(path, json={}), 401)
    as_patient = make.patient_token(patient)
    assert_problem(getattr(client, method)(path, json={}, headers=as_patient), 403)
