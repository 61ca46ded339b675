"""Condition programs on the patient record: enrol in one, change it (audited, re-planned)."""

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, CheckIn, Patient
from server.services.checkins import weekly
from tests.assertions import assert_problem, count

ENROL = {"first_name": "Lia", "phone": "+16175550199", "timezone": "America/New_York"}


def session(client, headers, patient_id):
    payload = {"occurred_at": "2026-12-01T14:00:00Z", "regions": ["upper trapezius"]}
    response = client.post(f"/api/v1/patients/{patient_id}/sessions", json=payload, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)


def planned(patient_id) -> list[tuple[str, list[str], str]]:
    rows = db.session.scalars(
        select(CheckIn).where(CheckIn.patient_id == patient_id).order_by(CheckIn.due_at)
    )
    return [(c.kind, [str(m) for m in c.measures], str(c.status)) for c in rows]


def test_a_patient_enrolled_in_a_program_is_asked_its_measures(client, headers):
    response = client.post(
        "/api/v1/patients", json=ENROL | {"program": "migraine"}, headers=headers
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["program"] == "migraine"
    assert body["measures"] == ["headache_days_7d", "acute_med_days_7d"]


def test_a_patient_enrolled_without_a_program_keeps_pain_and_headache_days(client, headers):
    body = client.post("/api/v1/patients", json=ENROL, headers=headers).get_json()
    assert body["program"] is None and body["measures"] == ["pain_nprs"]


def test_changing_the_program_re_plans_pending_check_ins_and_is_audited(
    client, headers, make, clinic, clock
):
    patient = make.patient(clinic, program="fibromyalgia")
    session(client, headers, patient.id)  # Tuesday: its day3 is on Friday, the weekday
    assert planned(patient.id) == [("day3", ["pain_nprs", "sleep_interference"], "scheduled")]
    weekly.plan_weekly_checkins(clock())  # the jobs tick: the weekly check-in joins the day3
    assert planned(patient.id) == [
        ("day3+weekly", ["pain_nprs", "sleep_interference", "activity_interference"], "scheduled")
    ]
    response = client.patch(
        f"/api/v1/patients/{patient.id}", json={"program": "migraine"}, headers=headers
    )
    assert response.status_code == 200
    assert planned(patient.id) == [
        ("day3+weekly", [], "cancelled"),
        ("weekly", ["headache_days_7d", "acute_med_days_7d"], "scheduled"),
    ]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "patient.update")
    ).one()
    assert event.detail["program_from"] == "fibromyalgia"
    assert event.detail["program_to"] == "migraine" and event.detail["replanned"] == 1


def test_an_unknown_program_is_a_422_naming_it(client, headers, patient):
    response = client.patch(
        f"/api/v1/patients/{patient.id}", json={"program": "knee_pain"}, headers=headers
    )
    assert_problem(response, 422, "program")


def test_another_clinics_patient_cannot_be_moved_to_a_program(client, headers, make):
    other = make.patient(make.clinic())
    response = client.patch(
        f"/api/v1/patients/{other.id}", json={"program": "migraine"}, headers=headers
    )
    assert_problem(response, 404)
    db.session.refresh(other)
    assert other.program is None


def test_staff_read_the_programs_with_each_measures_cadence(client, headers):
    response = client.get("/api/v1/clinic/programs", headers=headers)
    assert response.status_code == 200
    programs = {p["id"]: p for p in response.get_json()}
    assert set(programs) == {
        "neck_back_pain", "tension_type_headache", "migraine", "fibromyalgia",
        "post_operative", "athlete",
    }  # fmt: skip
    assert programs["neck_back_pain"]["measures"] == [
        {"measure": "pain_nprs", "cadence": "after_session"},
        {"measure": "psfs", "cadence": "weekly"},
        {"measure": "activity_interference", "cadence": "weekly"},
        {"measure": "pgic", "cadence": "discharge_and_4_weekly"},
    ]


def test_programs_need_a_staff_token(client):
    assert_problem(client.get("/api/v1/clinic/programs"), 401)


def test_measures_beyond_pain_and_headache_days_need_a_program(client, headers):
    body = ENROL | {"measures": ["pain_nprs", "sleep_interference"]}
    response = client.post("/api/v1/patients", json=body, headers=headers)
    assert_problem(response, 422, "measures")
    assert count(Patient) == 0
