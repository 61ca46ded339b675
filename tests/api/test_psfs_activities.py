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


def retire(client, headers, patient, activity_id):
    return client.post(f"{url(patient, activity_id)}/retire", headers=headers)


def test_a_retired_activity_is_no_longer_asked_but_kept_in_the_history(
    client, headers, patient, make, clock
):
    walking, stairs = make.psfs_activity(patient, "Walking"), make.psfs_activity(patient, "Stairs")
    score = make.score(patient, measure="psfs", value=4, activity_id=walking.id)
    response = retire(client, headers, patient, walking.id)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["retired_at"] == clock.now.isoformat()
    listed = client.get(url(patient), headers=headers).get_json()
    assert [a["id"] for a in listed] == [stairs.id]
    db.session.expire_all()
    assert db.session.get(PsfsActivity, walking.id).label == "Walking"
    assert db.session.get(type(score), score.id).activity_id == walking.id
    actions = select(AuditEvent.action).where(AuditEvent.target_id == patient.id)
    assert "psfs_activity.retire" in db_scalars(actions)


def test_retiring_an_activity_asks_the_scheduled_check_ins_one_question_less(
    client, headers, patient, make, clinic, clock
):
    walking, _ = make.psfs_activity(patient, "Walking"), make.psfs_activity(patient, "Stairs")
    patient.program = "post_operative"
    planned = make.checkin(patient, kind="weekly", measures=["psfs", "psfs"])
    assert retire(client, headers, patient, walking.id).status_code == 200
    db.session.refresh(planned)
    assert planned.measures == ["psfs"]


def test_a_retired_activity_frees_a_place_for_a_new_one(client, headers, patient, make):
    first, *_ = [make.psfs_activity(patient, label) for label in ("Walking", "Stairs", "Golf")]
    refused = client.post(url(patient), json={"label": "Gardening"}, headers=headers)
    assert_problem(refused, 422, "label")
    retire(client, headers, patient, first.id)
    added = client.post(url(patient), json={"label": "Gardening"}, headers=headers)
    assert added.status_code == 201


def test_retiring_twice_is_409_and_another_clinics_activity_is_404(client, headers, patient, make):
    activity = make.psfs_activity(patient, "Walking")
    retire(client, headers, patient, activity.id)
    assert_problem(retire(client, headers, patient, activity.id), 409)
    other = make.patient(make.clinic())
    theirs = make.psfs_activity(other, "Walking")
    assert_problem(retire(client, headers, other, theirs.id), 404)
    assert db.session.get(PsfsActivity, theirs.id).retired_at is None


def test_an_answer_to_a_sent_check_in_scores_the_activity_it_asked_after_a_retirement(
    client, headers, patient, make, clinic, clock
):
    """Sent asking Walking, then Stairs; Walking retired before the reply: it is Walking's."""
    from datetime import timedelta

    from server.enums import Measure
    from server.services import psfs_activities

    walking, stairs = make.psfs_activity(patient, "Walking"), make.psfs_activity(patient, "Stairs")
    patient.program = "post_operative"
    sent_at = clock.now - timedelta(hours=1)
    sent = make.checkin(patient, sent_at, prompted=True, kind="weekly", measures=["psfs", "psfs"])
    assert retire(client, headers, patient, walking.id).status_code == 200
    db.session.refresh(sent)
    assert sent.measures == ["psfs", "psfs"]  # what was texted stays asked
    assert psfs_activities.asked(sent, patient.id, Measure.PSFS) == {"activity_id": walking.id}
    assert psfs_activities.next_label(sent, patient.id) == "Walking"
    make.psfs_activity(patient, "Lifting a box")  # named in the freed place after the text
    sent.answered = ["psfs"]
    assert psfs_activities.asked(sent, patient.id, Measure.PSFS) == {"activity_id": stairs.id}
