"""A clinic's condition programs: staff read them, admins change one (audited, re-planned)."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import CheckIn
from server.services.checkins import weekly
from tests.assertions import assert_audited, assert_problem

URL = "/api/v1/clinic/programs"
MIGRAINE = {
    "measures": [
        {"measure": "headache_days_7d", "cadence": "weekly"},
        {"measure": "pain_nprs", "cadence": "after_session"},
        {"measure": "pgic", "cadence": "discharge_and_4_weekly"},
    ],
    "weekday": "monday",
}


def programs(client, headers) -> dict:
    response = client.get(URL, headers=headers)
    assert response.status_code == 200
    return {p["id"]: p for p in response.get_json()}


def test_staff_read_each_programs_weekday(client, headers):
    assert {p["weekday"] for p in programs(client, headers).values()} == {"friday"}


def test_an_admin_changes_a_program_and_it_is_audited(client, admin_headers, headers, admin):
    response = client.put(f"{URL}/migraine", json=MIGRAINE, headers=admin_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"id": "migraine", "label": "Migraine"} | MIGRAINE
    assert programs(client, headers)["migraine"] == response.get_json()
    event = assert_audited("clinic.program.update", admin.id, admin.clinic_id)
    assert event.detail["program"] == "migraine" and event.detail["to"] == MIGRAINE


def test_a_change_re_plans_the_programs_patients(client, admin_headers, make, clinic, clock):
    patient = make.patient(clinic, program="migraine")
    other = make.patient(clinic, program="athlete")
    weekly.plan_weekly_checkins(clock())  # Friday 2026-12-04: headache and medication days
    response = client.put(f"{URL}/migraine", json=MIGRAINE, headers=admin_headers)
    assert response.status_code == 200
    rows = db.session.scalars(select(CheckIn).order_by(CheckIn.id)).all()
    assert [(r.patient_id, r.week_of, r.status, r.measures) for r in rows] == [
        (patient.id, date(2026, 12, 4), "cancelled", ["headache_days_7d", "acute_med_days_7d"]),
        (patient.id, date(2026, 12, 7), "scheduled", ["headache_days_7d"]),  # Monday now
    ]
    assert other.measures == ["sane", "pain_nprs"]
    db.session.refresh(patient)
    assert patient.measures == ["headache_days_7d", "pain_nprs", "pgic"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"measures": [{"measure": "grip_strength", "cadence": "weekly"}]}, "measures"),
        ({"measures": [{"measure": "pain_nprs", "cadence": "daily"}]}, "measures"),
        ({"measures": []}, "measures"),
        ({"weekday": "someday"}, "weekday"),
        ({"measures": [{"measure": "pain_nprs", "cadence": "weekly"}] * 2}, "measures"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_program_is_a_422_naming_the_field(client, admin_headers, change, field):
    response = client.put(f"{URL}/migraine", json=MIGRAINE | change, headers=admin_headers)
    assert_problem(response, 422, field)


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"measure": "grip_strength", "cadence": "weekly"}, "measure"),
        ({"measure": "pain_nprs", "cadence": "daily"}, "cadence"),
    ],
)
def test_an_unknown_measure_or_cadence_is_named_with_its_place(client, admin_headers, item, field):
    change = MIGRAINE | {"measures": [MIGRAINE["measures"][0], item]}
    body = assert_problem(client.put(f"{URL}/migraine", json=change, headers=admin_headers), 422)
    [message] = body["errors"]["measures"]  # nested errors, flattened under their field
    assert message.startswith(f'{{"1": {{"{field}": ')


def test_an_unknown_program_is_a_404(client, admin_headers):
    assert_problem(client.put(f"{URL}/knee", json=MIGRAINE, headers=admin_headers), 404)


def test_a_therapist_cannot_change_a_program(client, headers):
    assert_problem(client.put(f"{URL}/migraine", json=MIGRAINE, headers=headers), 403)


def test_another_clinics_programs_are_not_changed_or_seen(client, admin_headers, make):
    other = make.clinic()
    other_headers = make.staff_token(make.staff(other))
    client.put(f"{URL}/migraine", json=MIGRAINE, headers=admin_headers)
    assert programs(client, other_headers)["migraine"]["weekday"] == "friday"
    db.session.refresh(other)
    assert other.programs is None
