"""Unsolicited scores, the patient's own score list and their progress in plain words."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.enums import Language
from server.extensions import db
from server.models import Score
from tests.assertions import assert_problem

SCORES, TRENDS = "/api/v1/me/scores", "/api/v1/me/trends"


def test_unsolicited_scores_are_stored_with_source_app_and_no_checkin(
    client, headers, patient, add_checkin
):
    add_checkin(patient)  # an open check-in is answered through its own endpoint, not this one
    response = client.post(SCORES, json={"pain_nprs": 3, "headache_days_7d": 0}, headers=headers)
    assert response.status_code == 201
    assert {
        (s["measure"], s["value"], s["source"], s["check_in_id"])
        for s in response.get_json()["scores"]
    } == {
        ("pain_nprs", 3, "app", None),
        ("headache_days_7d", 0, "app", None),
    }


def test_headache_days_from_a_patient_not_tracked_for_them_is_422(client, make, clinic):
    patient = make.patient(clinic, tracks_headache=False)
    response = client.post(
        SCORES, json={"pain_nprs": 3, "headache_days_7d": 1}, headers=make.patient_token(patient)
    )
    assert_problem(response, 422, "headache_days_7d")
    assert db.session.scalar(select(func.count(Score.id))) == 0


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "pain_nprs"),
        ({"pain_nprs": 10.0}, "pain_nprs"),
        ({"headache_days_7d": 9}, "headache_days_7d"),
    ],
)
def test_bad_unsolicited_scores_are_422_and_store_nothing(client, headers, payload, field):
    assert_problem(client.post(SCORES, json=payload, headers=headers), 422, field)
    assert db.session.scalar(select(func.count(Score.id))) == 0


def test_unsolicited_scores_are_idempotent_too(client, headers):
    retry = headers | {"Idempotency-Key": "score-1"}
    first = client.post(SCORES, json={"pain_nprs": 3}, headers=retry)
    second = client.post(SCORES, json={"pain_nprs": 3}, headers=retry)
    assert second.get_json() == first.get_json()
    assert db.session.scalar(select(func.count(Score.id))) == 1


def test_my_scores_lists_only_mine_oldest_first_with_their_source(
    client, make, clinic, clock, headers, patient
):
    make.score(patient, value=6, source="clinic", reported_at=clock.now - timedelta(days=9))
    make.score(patient, value=4, source="sms", late=True, reported_at=clock.now - timedelta(days=2))
    make.score(make.patient(clinic), value=9)
    body = client.get(SCORES, headers=headers).get_json()
    assert [(s["value"], s["source"], s["late"]) for s in body] == [
        (6, "clinic", False),
        (4, "sms", True),
    ]
    filtered = client.get(f"{SCORES}?measure=headache_days_7d", headers=headers).get_json()
    assert filtered == []


def test_trends_explain_a_clear_improvement_in_plain_words(client, clock, make, headers, patient):
    make.score(patient, value=7, source="clinic", reported_at=clock.now - timedelta(days=14))
    make.score(patient, value=4, reported_at=clock.now - timedelta(days=1))
    [pain, headache] = client.get(TRENDS, headers=headers).get_json()["measures"]
    assert pain["measure"] == "pain_nprs"
    assert [r["value"] for r in pain["series"]] == [7, 4]
    assert pain["baseline"]["value"] == 7 and pain["latest"]["value"] == 4
    assert (pain["change_points"], pain["change_percent"]) == (-3, -42.9)
    assert pain["category"] == "much_better"
    assert pain["message"] == (
        "Your pain was 7 out of 10 when you started and is 4 now: 3 points lower (43% lower). "
        "That is a clear improvement."
    )
    assert headache["message"] == "No headache scores yet."
    assert headache["baseline"] is None and headache["change_points"] is None


def test_trends_set_soreness_right_after_needling_aside(client, clock, make, headers, patient):
    make.score(patient, value=5, source="clinic", reported_at=clock.now - timedelta(days=14))
    make.score(patient, value=8, hours_since_session=20.0, reported_at=clock.now)
    pain = client.get(TRENDS, headers=headers).get_json()["measures"][0]
    assert pain["latest"]["value"] == 8 and pain["category"] is None
    assert pain["message"] == (
        "Your first pain score is 5 out of 10. Keep answering to see how it changes. "
        "Soreness in the first 3 days after dry needling is common, so scores from those days "
        "are not used for this comparison."
    )


def test_trends_speak_the_patients_language(client, clock, make, clinic):
    patient = make.patient(clinic, language=Language.ES, tracks_headache=True)
    make.score(
        patient, measure="headache_days_7d", value=4, reported_at=clock.now - timedelta(days=14)
    )
    make.score(
        patient, measure="headache_days_7d", value=5, reported_at=clock.now - timedelta(days=1)
    )
    headers = make.patient_token(patient)
    headache = client.get(TRENDS, headers=headers).get_json()["measures"][1]
    assert headache["category"] == "unchanged"
    assert headache["message"] == (
        "Al empezar tuvo dolor de cabeza 4 de 7 días y 5 de 7 días en su última respuesta. "
        "Está más o menos igual que al empezar."
    )


def test_trends_show_only_my_own_scores(client, clock, make, clinic, headers, patient):
    make.score(make.patient(clinic), value=9, reported_at=clock.now - timedelta(days=3))
    pain = client.get(TRENDS, headers=headers).get_json()["measures"][0]
    assert pain["series"] == [] and pain["message"] == "No pain scores yet."


def test_trends_use_the_clinics_own_rules_like_the_therapists_view(client, clock, make):
    clinic = make.clinic(rule_overrides={"post_needling_hours": 24, "mcid_much_points": 4})
    patient = make.patient(clinic)
    make.score(patient, value=7, source="clinic", reported_at=clock.now - timedelta(days=14))
    make.score(patient, value=4, hours_since_session=30.0, reported_at=clock.now)
    pain = client.get(TRENDS, headers=make.patient_token(patient)).get_json()["measures"][0]
    assert pain["latest"]["in_post_needling_window"] is False  # past this clinic's 24 h
    assert pain["category"] == "minimally_better"  # 3 points is short of this clinic's 4
