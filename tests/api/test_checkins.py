"""GET /patients/{id}/checkins (staff) and GET/PUT /clinic/checkin-policy (admins)."""

import json
from datetime import timedelta

import pytest

from server.enums import CheckInStatus
from server.extensions import db
from server.models import AuditEvent, Clinic
from tests.assertions import assert_audited, assert_problem, count

POLICY_URL = "/api/v1/clinic/checkin-policy"
DAY4 = {"kind": "day4", "offset_days": 4, "measures": ["pain_nprs"], "on": "session"}


def test_staff_list_a_patients_check_ins_latest_due_first_paginated(
    client, headers, patient, scheduled, clock
):
    ids = [scheduled(patient, clock.now + timedelta(days=d)).id for d in (1, 3, 2)]

    response = client.get(f"/api/v1/patients/{patient.id}/checkins?page_size=2", headers=headers)

    assert response.status_code == 200
    body = response.get_json()
    assert [c["id"] for c in body] == [ids[1], ids[2]]
    assert body[0]["status"] == "scheduled" and body[0]["measures"] == ["pain_nprs"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 3


def test_check_in_list_filters_by_status(client, headers, patient, scheduled):
    scheduled(patient)
    done = scheduled(patient, status=CheckInStatus.COMPLETED)

    url = f"/api/v1/patients/{patient.id}/checkins?status=completed"
    response = client.get(url, headers=headers)

    assert [c["id"] for c in response.get_json()] == [done.id]


def test_reading_check_ins_is_audited(client, headers, patient, therapist):
    client.get(f"/api/v1/patients/{patient.id}/checkins", headers=headers)
    assert_audited("checkin.list", therapist.id, patient.id)


def test_check_in_list_refuses_a_bad_status_filter(client, headers, patient):
    response = client.get(f"/api/v1/patients/{patient.id}/checkins?status=lost", headers=headers)
    assert_problem(response, 422, "status")


def test_another_clinics_patient_is_not_found(client, headers, make):
    stranger = make.patient(make.clinic())
    response = client.get(f"/api/v1/patients/{stranger.id}/checkins", headers=headers)
    assert_problem(response, 404)
    assert count(AuditEvent) == 0


def test_check_in_list_needs_a_live_staff_token(client, make, patient):
    url = f"/api/v1/patients/{patient.id}/checkins"
    assert_problem(client.get(url), 401)
    staff = make.staff(make.clinic())
    assert_problem(client.get(url, headers=make.staff_token(staff, hours=-1)), 401)
    assert_problem(client.get(url, headers=make.patient_token(patient)), 403)


def test_admin_reads_the_default_policy(client, admin_headers):
    response = client.get(POLICY_URL, headers=admin_headers)

    assert response.status_code == 200
    body = response.get_json()
    assert [(k["kind"], k["offset_days"], k["on"]) for k in body["kinds"]] == [
        ("day3", 3, "session"),
        ("day7", 7, "session"),
        ("followup_2w", 14, "discharge"),
        ("followup_4w", 28, "discharge"),
        ("followup_12w", 84, "discharge"),
    ]
    assert (body["window_hours"], body["reminder_after_hours"]) == (48, 4)
    assert body["max_prompts_per_7_days"] == 3


def test_admin_replaces_the_policy_and_the_change_is_audited(client, admin_headers, clinic):
    policy = {"kinds": [DAY4], "reminder_after_hours": 6}

    response = client.put(POLICY_URL, json=policy, headers=admin_headers)

    assert response.status_code == 200
    assert response.get_json() == {
        "kinds": [DAY4],
        "window_hours": 48,
        "reminder_after_hours": 6,
        "max_prompts_per_7_days": 3,
    }
    assert client.get(POLICY_URL, headers=admin_headers).get_json() == response.get_json()
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert (event.action, event.target_type, event.target_id) == (
        "clinic.checkin_policy.update",
        "clinic",
        clinic.id,
    )


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        ({}, "kinds"),
        ({"kinds": [DAY4 | {"offset_days": 1}]}, "kinds[0].offset_days"),  # needling soreness
        ({"kinds": [DAY4 | {"measures": ["mood"]}]}, "kinds"),
        ({"kinds": [DAY4], "max_prompts_per_7_days": 4}, "max_prompts_per_7_days"),
        ({"kinds": [DAY4], "reminder_after_hours": 48}, "reminder_after_hours"),
        ({"kinds": [DAY4, DAY4]}, "kinds[1].kind"),
        ({"kinds": [DAY4], "send_at_night": True}, "send_at_night"),
    ],
)
def test_bad_policy_names_the_field_and_changes_nothing(
    client, admin_headers, clinic, policy, field
):
    response = client.put(POLICY_URL, json=policy, headers=admin_headers)

    assert_problem(response, 422, field)
    assert db.session.get(Clinic, clinic.id).checkin_policy is None
    assert count(AuditEvent) == 0


@pytest.mark.parametrize("method", ["get", "put"])
def test_policy_is_for_admins_only(client, make, headers, patient, method):
    call = getattr(client, method)
    assert_problem(call(POLICY_URL, json={"kinds": [DAY4]}), 401)
    assert_problem(call(POLICY_URL, json={"kinds": [DAY4]}, headers=headers), 403)
    as_patient = make.patient_token(patient)
    assert_problem(call(POLICY_URL, json={"kinds": [DAY4]}, headers=as_patient), 403)
