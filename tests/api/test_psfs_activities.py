"""PSFS activities: staff name them with the patient; labels are texted, so they are checked."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, PsfsActivity
from tests.assertions import assert_problem, count


def url(patient, activity=None) -> str:
    base = f"/api/v1/patients/{patient.id}/psfs-activities"
    return f"{base}/{activity}" if activity is not None else base


def test_staff_name_an_activity_and_it_is_audited(client, headers, patient):
    response = client.post(url(patient), json={"label": "Walking to the shops"}, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["label"] == "Walking to the shops"
    actions = select(AuditEvent.action).where(AuditEvent.target_id == patient.id)
    assert "psfs_activity.create" in db_scalars(actions)


def test_a_relabelled_activity_keeps_its_id(client, headers, patient, make):
    activity = make.psfs_activity(patient, "Walking")
    response = client.patch(
        url(patient, activity.id), json={"label": "Walking 30 minutes"}, headers=headers
    )
    assert response.status_code == 200
    assert response.get_json() == {**response.get_json(), "id": activity.id}
    listed = client.get(url(patient), headers=headers).get_json()
    assert [(a["id"], a["label"]) for a in listed] == [(activity.id, "Walking 30 minutes")]


@pytest.mark.parametrize(
    "label",
    ["Turning the neck to drive", "Subir escaleras sin dolor de rodilla", "Tennis after surgery",
     "A" * 36, "Walking 🚶", ""],
)  # fmt: skip
def test_a_label_with_a_body_region_diagnosis_or_too_long_is_a_422(client, headers, patient, label):
    response = client.post(url(patient), json={"label": label}, headers=headers)
    assert_problem(response, 422, "label")
    assert count(PsfsActivity) == 0


def test_at_most_three_activities_are_asked(client, headers, patient, make):
    for label in ("Walking", "Climbing stairs", "Lifting a child"):
        make.psfs_activity(patient, label)
    response = client.post(url(patient), json={"label": "Running"}, headers=headers)
    assert_problem(response, 422, "label")
    assert count(PsfsActivity) == 3


def test_another_clinics_patient_and_activity_are_404(client, headers, make, patient):
    other = make.patient(make.clinic())
    theirs = make.psfs_activity(other, "Walking")
    assert_problem(client.get(url(other), headers=headers), 404)
    assert_problem(client.post(url(other), json={"label": "Walking"}, headers=headers), 404)
    patch = client.patch(url(patient, theirs.id), json={"label": "Running"}, headers=headers)
    assert_problem(patch, 404)
    assert db_scalars(select(PsfsActivity.label).where(PsfsActivity.id == theirs.id)) == ["Walking"]


def db_scalars(query) -> list:
    return db.session.scalars(query).all()
