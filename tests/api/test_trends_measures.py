"""Trends for every measure of the catalog, by staff and in the patient app: PSFS per activity
and their mean, each measure's better direction, plain words for any measure."""

import pytest

from server.enums import Measure
from server.measures import CATALOG
from tests.services.flags.conftest import day

WEEKLY = {
    Measure.PAIN: (6, 3),
    Measure.HEADACHE_DAYS: (4, 2),
    Measure.HEADACHE_INTENSITY: (7, 4),
    Measure.ACUTE_MED_DAYS: (3, 1),
    Measure.ACTIVITY_INTERFERENCE: (6, 3),
    Measure.SLEEP_INTERFERENCE: (7, 5),
    Measure.PGIC: (4, 2),
    Measure.SANE: (60, 80),
}


@pytest.fixture
def scored(patient, make):
    make.session(patient, occurred_at=day(0))
    walking = make.psfs_activity(patient, "Walking to the shops")
    stairs = make.psfs_activity(patient, "Climbing stairs")
    for week, when in enumerate((day(4), day(11))):
        for measure, values in WEEKLY.items():
            make.score(patient, measure=measure, value=values[week], reported_at=when)
        for activity, values in ((walking, (3, 6)), (stairs, (4, 7))):
            make.score(
                patient, measure=Measure.PSFS, value=values[week], reported_at=when,
                activity_id=activity.id, hours_since_session=96.0,
            )  # fmt: skip
    return walking, stairs


def test_staff_trends_show_every_measure_in_its_better_direction(client, headers, patient, scored):
    response = client.get(f"/api/v1/patients/{patient.id}/trends", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    trends = {t["measure"]: t for t in response.get_json()["measures"]}
    assert set(trends) == {str(m) for m in CATALOG}
    assert trends["psfs"]["better"] == "higher" and trends["pain_nprs"]["better"] == "lower"
    assert trends["psfs"]["mcid"] == "much_better" and trends["sane"]["mcid"] == "much_better"
    assert trends["pain_nprs"]["mcid"] == "much_better"
    assert trends["pgic"]["mcid"] is None and trends["sane"]["scale_max"] == 100


def test_psfs_trend_is_each_activity_and_their_mean(client, headers, patient, scored):
    walking, stairs = scored
    body = client.get(f"/api/v1/patients/{patient.id}/trends", headers=headers).get_json()
    psfs = next(t for t in body["measures"] if t["measure"] == "psfs")
    assert [p["value"] for p in psfs["series"]] == [3.5, 6.5]
    assert psfs["change"]["points"] == 3.0
    assert [(a["activity_id"], [r["value"] for r in a["series"]]) for a in psfs["activities"]] == [
        (walking.id, [3, 6]),
        (stairs.id, [4, 7]),
    ]


def test_the_patient_app_words_every_measure(client, make, patient, scored):
    response = client.get("/api/v1/me/trends", headers=make.patient_token(patient))
    assert response.status_code == 200, response.get_data(as_text=True)
    messages = {m["measure"]: m["message"] for m in response.get_json()["measures"]}
    assert set(messages) == {str(m) for m in CATALOG}
    assert messages["psfs"].startswith("Your function score was 3.5 when you started and is 6.5")
    assert "That is a clear improvement." in messages["psfs"]
    assert messages["sane"].startswith("Your recovery score was 60")


def test_the_overview_gives_the_share_much_better_per_measure(
    client, admin_headers, make, clinic, reply
):
    improving = make.patient(clinic, program="athlete")
    steady = make.patient(clinic, program="athlete")
    make.session(improving, occurred_at=day(0))
    make.session(steady, occurred_at=day(0))
    for who, sane in ((improving, (60, 80)), (steady, (70, 75))):
        reply(who, sane[0], day(4), Measure.SANE)
        reply(who, sane[1], day(11), Measure.SANE)
        reply(who, 5, day(4))
        reply(who, 2, day(11))
    reply(make.patient(make.clinic(), program="athlete"), 10, day(4), Measure.SANE)  # not ours
    body = client.get("/api/v1/clinic/overview", headers=admin_headers).get_json()
    assert body["much_better_by_measure"] == {
        "pain_nprs": {"patients_compared": 2, "improved": 2, "share": 1.0},
        "sane": {"patients_compared": 2, "improved": 1, "share": 0.5},
    }
