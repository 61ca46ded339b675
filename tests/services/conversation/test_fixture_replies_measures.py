"""Every case of shared/fixtures/sms_replies_measures.tsv, sent through the signed webhook."""

import pytest

from server.enums import Measure
from server.extensions import db
from server.models import ConsentEvent, Score
from server.sms.templates import Template, render
from tests.services.conversation.conftest import reply_of
from tests.sms.test_parser_measures import measure_fixture_rows


def stored_scores() -> str:
    rows = db.session.execute(db.select(Score.measure, Score.value).order_by(Score.id)).all()
    return ";".join(f"{measure}={value}" for measure, value in rows)


@pytest.mark.parametrize(("questions", "text", "expected"), measure_fixture_rows())
def test_measure_fixture_reply_through_the_webhook(
    send, patient, clinic, prompted, make, clock, questions, text, expected
):
    patient.program = "neck_back_pain"  # asks PSFS; the activity is named below
    activity = make.psfs_activity(patient, "Walking to the shops")
    prompted(patient, measures=questions)
    answer = reply_of(send(text, patient, clinic))
    assert db.session.scalars(db.select(ConsentEvent.action)).all() == []
    if expected == "clarify":
        clarify = render(Template.CLARIFY, "en", clinic_name=clinic.name, measure=questions[0])
        assert answer == clarify and stored_scores() == ""
        return
    assert stored_scores() == expected and answer.startswith(f"{clinic.name}: ")
    psfs = db.session.scalars(db.select(Score).where(Score.measure == Measure.PSFS)).all()
    assert all(score.activity_id == activity.id for score in psfs)


def test_psfs_asks_one_activity_per_sms_and_scores_each_by_its_id(
    send, patient, clinic, prompted, make
):
    walking = make.psfs_activity(patient, "Walking to the shops")
    stairs = make.psfs_activity(patient, "Climbing stairs")
    patient.program = "post_operative"
    prompted(patient, measures=[Measure.PAIN, Measure.PSFS, Measure.PSFS])
    asked = reply_of(send("3", patient, clinic))
    assert "How well can you do this today: Walking to the shops?" in asked
    assert "Climbing stairs" in reply_of(send("4", patient, clinic))
    assert reply_of(send("6", patient, clinic)).endswith("Thank you, we have your answers.")
    rows = db.session.execute(
        db.select(Score.measure, Score.value, Score.activity_id).order_by(Score.id)
    ).all()
    assert rows == [
        (Measure.PAIN, 3, None),
        (Measure.PSFS, 4, walking.id),
        (Measure.PSFS, 6, stairs.id),
    ]
