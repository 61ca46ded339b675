"""App answers for the catalog's measures: each in its own range, PSFS one per activity."""

from sqlalchemy import select

from server.enums import CheckInStatus, Measure
from server.extensions import db
from server.models import Score
from tests.assertions import assert_problem, count


def answer(client, headers, checkin, body):
    return client.post(f"/api/v1/me/checkins/{checkin.id}/answers", json=body, headers=headers)


def test_psfs_is_answered_once_per_activity_in_the_order_asked(
    client, headers, patient, make, add_checkin
):
    patient.program = "post_operative"
    walking = make.psfs_activity(patient, "Walking to the shops")
    stairs = make.psfs_activity(patient, "Climbing stairs")
    checkin = add_checkin(patient, measures=["pain_nprs", "psfs", "psfs"])
    response = answer(client, headers, checkin, {"pain_nprs": 3, "psfs": [4, 6]})
    assert response.status_code == 201, response.get_data(as_text=True)
    rows = db.session.execute(
        select(Score.measure, Score.value, Score.activity_id).order_by(Score.id)
    ).all()
    assert rows == [
        (Measure.PAIN, 3, None),
        (Measure.PSFS, 4, walking.id),
        (Measure.PSFS, 6, stairs.id),
    ]
    db.session.refresh(checkin)
    assert checkin.status == CheckInStatus.COMPLETED


def test_psfs_with_fewer_answers_than_activities_is_a_422(
    client, headers, patient, make, add_checkin
):
    make.psfs_activity(patient, "Walking")
    make.psfs_activity(patient, "Climbing stairs")
    checkin = add_checkin(patient, measures=["psfs", "psfs"])
    assert_problem(answer(client, headers, checkin, {"psfs": [4]}), 422, "psfs")
    assert count(Score) == 0


def test_each_measure_keeps_its_own_range(client, headers, patient, add_checkin):
    checkin = add_checkin(patient, measures=["pgic", "sane"])
    assert_problem(answer(client, headers, checkin, {"pgic": 0, "sane": 50}), 422, "pgic")
    assert_problem(answer(client, headers, checkin, {"pgic": 2, "sane": 101}), 422, "sane")
    assert count(Score) == 0
    assert answer(client, headers, checkin, {"pgic": 2, "sane": 100}).status_code == 201


def test_psfs_cannot_be_sent_unasked(client, headers, patient):
    patient.program = "post_operative"
    db.session.commit()
    response = client.post("/api/v1/me/scores", json={"psfs": [5]}, headers=headers)
    assert_problem(response, 422, "psfs")
