"""GET /api/v1/patients/{id}/trends: series, sessions, baseline, change, MCID, best, mean."""

import pytest

from server.enums import Measure, ScoreSource
from tests.assertions import assert_audited, assert_problem
from tests.services.flags.conftest import day


@pytest.fixture
def history(patient, treated, reply):
    """Clinic 8 at the first session, sore 7 at 48 h, app 5 at a week, late SMS 4 at two."""
    first = treated(patient, day(0), pain=8)
    sore = reply(patient, 7, day(2))
    app_reading = reply(patient, 5, day(7), source=ScoreSource.APP)
    second = treated(patient, day(7.1))
    late = reply(patient, 4, day(14), late=True)
    reply(patient, 3, day(14), Measure.HEADACHE_DAYS)
    return first, second, sore, app_reading, late


def trends_of(client, headers, patient) -> dict:
    response = client.get(f"/api/v1/patients/{patient.id}/trends", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_pain_trend_shows_baseline_change_mcid_best_and_rolling_mean(
    client, headers, patient, history
):
    *_, late = history
    pain = trends_of(client, headers, patient)["measures"][0]
    assert pain["measure"] == "pain_nprs" and pain["scale_max"] == 10
    assert pain["baseline"]["value"] == 8 and pain["baseline"]["source"] == "clinic"
    assert (pain["latest"]["score_id"], pain["compared"]["score_id"]) == (late.id, late.id)
    assert pain["change"] == {"points": -4, "percent": -50.0}
    assert pain["mcid"] == "much_better"
    assert pain["best"]["value"] == 4
    assert pain["responder"] is None


def test_series_marks_source_timing_soreness_and_late_replies(client, headers, patient, history):
    series = trends_of(client, headers, patient)["measures"][0]["series"]
    assert [(p["value"], p["source"]) for p in series] == [
        (8, "clinic"),
        (7, "sms"),
        (5, "app"),
        (4, "sms"),
    ]
    assert [p["in_post_needling_window"] for p in series] == [False, True, False, False]
    assert [p["hours_since_session"] for p in series] == [None, 48.0, 168.0, pytest.approx(165.6)]
    assert [p["late"] for p in series] == [False, False, False, True]
    # The sore reading has no mean and is left out of the others' means.
    assert [p["rolling_mean"] for p in series] == [8.0, None, 6.5, pytest.approx(17 / 3)]


def test_session_markers_and_the_headache_measure_come_with_the_trends(
    client, headers, patient, history
):
    first, second, *_ = history
    body = trends_of(client, headers, patient)
    assert body["patient_id"] == patient.id and body["rule_version"] == "v1"
    assert [s["id"] for s in body["sessions"]] == [first.id, second.id]
    assert body["sessions"][0]["occurred_at"] == "2026-10-05T15:00:00+00:00"
    headache = body["measures"][1]
    assert headache["measure"] == "headache_days_7d" and headache["scale_max"] == 7
    assert headache["baseline"]["value"] == 3
    assert (headache["change"], headache["mcid"], headache["responder"]) == (None, None, None)


def test_a_new_patient_has_empty_trends(client, headers, make, clinic):
    patient = make.patient(clinic)
    body = trends_of(client, headers, patient)
    assert body["sessions"] == []
    (pain,) = body["measures"]
    assert pain["series"] == [] and pain["baseline"] is None and pain["change"] is None


def test_scores_reported_after_now_are_not_shown_yet(client, headers, patient, reply, clock):
    reply(patient, 5, day(0))
    clock.set("2026-10-05T14:00:00Z")
    assert trends_of(client, headers, patient)["measures"][0]["series"] == []


def test_reading_trends_is_audited(client, headers, patient, therapist):
    trends_of(client, headers, patient)
    assert_audited("trends.read", therapist.id, patient.id)


def test_another_clinics_patient_trends_are_404(client, headers, make):
    stranger = make.patient(make.clinic())
    assert_problem(client.get(f"/api/v1/patients/{stranger.id}/trends", headers=headers), 404)
    assert_problem(client.get("/api/v1/patients/999999/trends", headers=headers), 404)


def test_trends_need_a_live_staff_token(client, make, clinic, patient, clock):
    url = f"/api/v1/patients/{patient.id}/trends"
    assert_problem(client.get(url), 401)
    assert_problem(client.get(url, headers=make.patient_token(patient)), 403)
    expired = make.staff_token(make.staff(clinic), hours=1)
    clock.advance(hours=2)
    assert_problem(client.get(url, headers=expired), 401)
