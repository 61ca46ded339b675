"""GET /api/v1/patients/{id}/fhir: a FHIR R4 Bundle the EHR can import, checked by fhir.resources.

fhir.resources 8.x models R5 at the top level; its R4-family models live in fhir.resources.R4B
(FHIR 4.3), whose Bundle, Patient and Observation are R4's for every element used here.
"""

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from server.enums import Measure, ScoreSource
from server.extensions import db
from server.models import AuditEvent
from tests.assertions import assert_problem
from tests.services.flags.conftest import day


@pytest.fixture
def scored(patient, treated, reply):
    treated(patient, day(0), pain=6)
    return [
        reply(patient, 4, day(3)),
        reply(patient, 2, day(7), Measure.HEADACHE_DAYS, source=ScoreSource.APP),
    ]


def fetch_bundle(client, headers, patient):
    response = client.get(f"/api/v1/patients/{patient.id}/fhir", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    return response.get_json()


def test_the_bundle_is_valid_fhir_with_the_patient_and_one_observation_per_score(
    client, headers, patient, scored
):
    body = fetch_bundle(client, headers, patient)
    bundle = Bundle.model_validate(body)  # raises on any structural error
    assert bundle.type == "collection"
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds == ["Patient", "Observation", "Observation", "Observation"]
    patient_entry = bundle.entry[0]
    assert patient_entry.resource.identifier[1].value == "EMR-1"
    for entry in bundle.entry[1:]:
        assert entry.resource.subject.reference == patient_entry.fullUrl
        assert entry.resource.status == "final"
        assert entry.resource.category[0].coding[0].code == "survey"


def test_pain_is_coded_with_loinc_72514_3(client, headers, patient, scored):
    observation = fetch_bundle(client, headers, patient)["entry"][2]["resource"]
    assert observation["code"]["coding"] == [
        {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
    ]
    assert observation["valueInteger"] == 4
    assert observation["effectiveDateTime"] == "2026-10-08T15:00:00+00:00"
    assert observation["performer"] == [{"reference": observation["subject"]["reference"]}]


def test_headache_days_carry_the_local_code_and_snomed_headache(client, headers, patient, scored):
    observation = fetch_bundle(client, headers, patient)["entry"][3]["resource"]
    systems = [(c["system"], c["code"]) for c in observation["code"]["coding"]]
    assert systems == [
        ("https://painline.org/fhir/CodeSystem/measures", "headache_days_7d"),
        ("http://snomed.info/sct", "25064002"),
    ]
    assert observation["valueInteger"] == 2
    assert observation["method"] == {"text": "Patient-reported in the mobile app"}


def test_an_in_clinic_score_has_no_patient_performer(client, headers, patient, scored):
    observation = fetch_bundle(client, headers, patient)["entry"][1]["resource"]
    assert observation["method"] == {"text": "Recorded in clinic"}
    assert "performer" not in observation


def test_resource_urls_are_stable_across_exports(client, headers, patient, scored):
    first = fetch_bundle(client, headers, patient)
    again = fetch_bundle(client, headers, patient)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in again["entry"]]
    assert first["id"] != again["id"]


def test_a_patient_without_scores_exports_a_valid_bundle(client, headers, make, clinic):
    body = fetch_bundle(client, headers, make.patient(clinic))
    assert len(Bundle.model_validate(body).entry) == 1


def test_the_export_is_audited(client, headers, patient, scored):
    fetch_bundle(client, headers, patient)
    assert db.session.scalars(select(AuditEvent.action)).all() == ["fhir.export"]


def test_another_clinics_patient_is_404_and_tokens_are_checked(
    client, headers, make, patient, clock
):
    stranger = make.patient(make.clinic())
    assert_problem(client.get(f"/api/v1/patients/{stranger.id}/fhir", headers=headers), 404)
    url = f"/api/v1/patients/{patient.id}/fhir"
    assert_problem(client.get(url), 401)
    assert_problem(client.get(url, headers=make.patient_token(patient)), 403)
    clock.advance(hours=13)
    assert_problem(client.get(url, headers=headers), 401)
