"""Recording a session or a discharge stores its check-ins; the session response lists them."""

from datetime import time

import pytest

from server.enums import CheckInStatus, ConsentStatus
from server.extensions import db
from tests.services.conftest import at, checkins_of

SCHEDULED, CANCELLED = CheckInStatus.SCHEDULED, CheckInStatus.CANCELLED


@pytest.fixture
def record(client, headers, clock):
    """POST a session at `occurred` (recorded then, unless the clock says later)."""

    def record(patient, occurred: str):
        clock.now = max(clock.now, at(occurred))
        url = f"/api/v1/patients/{patient.id}/sessions"
        response = client.post(url, json={"occurred_at": occurred}, headers=headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return record


def planned(body) -> list[tuple]:
    return [(c["kind"], c["due_at"], c["measures"], c["status"]) for c in body["checkins"]]


def test_session_response_lists_day3_and_day7_due_at_ten_new_york_time_in_utc(record, patient):
    body = record(patient, "2026-12-01T14:00:00+00:00")

    assert planned(body) == [
        ("day3", "2026-12-04T15:00:00+00:00", ["pain_nprs"], "scheduled"),
        ("day7", "2026-12-08T15:00:00+00:00", ["pain_nprs", "headache_days_7d"], "scheduled"),
    ]
    stored = checkins_of(patient)
    assert [(c.kind, c.session_id, c.status) for c in stored] == [
        ("day3", body["id"], SCHEDULED),
        ("day7", body["id"], SCHEDULED),
    ]
    assert [c.id for c in stored] == [c["id"] for c in body["checkins"]]


def test_patient_zone_not_the_clinic_zone_sets_the_send_hour(record, make, clinic):
    london = make.patient(clinic, timezone="Europe/London")

    body = record(london, "2026-12-01T14:00:00+00:00")

    assert [c["due_at"] for c in body["checkins"]] == [
        "2026-12-04T10:00:00+00:00",
        "2026-12-08T10:00:00+00:00",
    ]


@pytest.mark.parametrize(
    ("occurred", "day3", "day7"),
    [
        ("2026-03-05T16:00:00+00:00", "2026-03-08T14:00:00+00:00", "2026-03-12T14:00:00+00:00"),
        ("2026-10-29T16:00:00+00:00", "2026-11-01T15:00:00+00:00", "2026-11-05T15:00:00+00:00"),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_check_ins_stay_at_ten_local_across_daylight_saving_changes(
    record, make, clinic, occurred, day3, day7
):
    # Enrolled the day of that session: sessions cannot predate enrolment by more than 30 days.
    patient = make.patient(clinic, tracks_headache=True, created_at=at(occurred))
    body = record(patient, occurred)
    assert [c["due_at"] for c in body["checkins"]] == [day3, day7]


def test_new_session_cancels_the_earlier_sessions_check_ins_still_to_come_with_why(record, patient):
    first = record(patient, "2026-12-01T14:00:00+00:00")
    second = record(patient, "2026-12-03T14:00:00+00:00")

    by_id = {c.id: c for c in checkins_of(patient)}
    day3, day7 = (by_id[c["id"]] for c in first["checkins"])
    assert (day3.status, day7.status) == (CANCELLED, CANCELLED)
    assert day3.status_reason == (
        "superseded by session on 2026-12-03: it would measure fresh needling soreness"
    )
    assert day7.status_reason.startswith("superseded by session on 2026-12-03")
    assert [c["due_at"] for c in second["checkins"]] == [
        "2026-12-06T15:00:00+00:00",
        "2026-12-10T15:00:00+00:00",
    ]


def test_check_ins_due_the_same_day_merge_into_one_prompt_asking_both(record, patient):
    first = record(patient, "2026-12-01T14:00:00+00:00")
    # The new session's day3 falls on Dec 8, the day of the first session's day7.
    second = record(patient, "2026-12-05T14:00:00+00:00")

    first_day7 = first["checkins"][1]
    assert [(c["id"], c["due_at"]) for c in second["checkins"]] == [
        (first_day7["id"], "2026-12-08T15:00:00+00:00"),
        (first_day7["id"] + 1, "2026-12-12T15:00:00+00:00"),
    ]
    merged = next(c for c in checkins_of(patient) if c.id == first_day7["id"])
    assert merged.measures == ["pain_nprs", "headache_days_7d"]
    assert merged.session_id == second["id"]
    due_days = [c.due_at.date() for c in checkins_of(patient) if c.status == SCHEDULED]
    assert len(due_days) == len(set(due_days)), "two prompts planned on one day"


@pytest.mark.parametrize(
    ("consent", "reason"),
    [(ConsentStatus.OPTED_OUT, "opted_out"), (ConsentStatus.PENDING, "no_consent")],
)
def test_patient_without_sms_consent_gets_skipped_check_ins_with_the_reason(
    record, make, clinic, consent, reason
):
    patient = make.patient(clinic, consent_status=consent)

    body = record(patient, "2026-12-01T14:00:00+00:00")

    assert [(c["kind"], c["status"], c["status_reason"]) for c in body["checkins"]] == [
        ("day3", "skipped", reason),
        ("day7", "skipped", reason),
    ]
    assert [c.status for c in checkins_of(patient)] == [CheckInStatus.SKIPPED] * 2


def test_session_recorded_after_its_check_in_windows_closed_skips_them(record, patient, clock):
    clock.now = at("2026-12-20T15:00:00+00:00")

    body = record(patient, "2026-12-01T14:00:00+00:00")

    assert {(c["status"], c["status_reason"]) for c in body["checkins"]} == {
        ("skipped", "window_passed")
    }


def test_discharge_plans_follow_ups_and_cancels_session_check_ins_still_to_come(
    record, client, headers, patient, clock
):
    session = record(patient, "2026-12-01T14:00:00+00:00")
    clock.now = at("2026-12-05T16:00:00+00:00")

    response = client.post(f"/api/v1/patients/{patient.id}/discharge", headers=headers)

    assert response.status_code == 200
    stored = {c.kind: c for c in checkins_of(patient)}
    assert stored["day3"].status == SCHEDULED  # due before the discharge: left to the scheduler
    assert stored["day7"].status == CANCELLED
    assert stored["day7"].status_reason == (
        "superseded by discharge on 2026-12-05: only follow-ups are sent now"
    )
    follow_ups = [(c.kind, c.due_at, c.session_id, c.status) for c in checkins_of(patient)[2:]]
    assert follow_ups == [
        ("followup_2w", at("2026-12-19T15:00:00+00:00"), None, SCHEDULED),
        ("followup_4w", at("2027-01-02T15:00:00+00:00"), None, SCHEDULED),
        ("followup_12w", at("2027-02-27T15:00:00+00:00"), None, SCHEDULED),
    ]
    assert session["id"] == stored["day3"].session_id


def test_clinic_policy_set_by_an_admin_plans_the_next_session(
    record, client, admin_headers, patient
):
    policy = {
        "kinds": [{"kind": "day4", "offset_days": 4, "measures": ["pain_nprs"], "on": "session"}]
    }
    response = client.put("/api/v1/clinic/checkin-policy", json=policy, headers=admin_headers)
    assert response.status_code == 200

    body = record(patient, "2026-12-01T14:00:00+00:00")

    assert planned(body) == [("day4", "2026-12-05T15:00:00+00:00", ["pain_nprs"], "scheduled")]


def test_send_hour_inside_quiet_hours_defers_across_midnight_to_the_next_morning(
    record, clinic, patient
):
    clinic.send_hour = time(20, 30)  # after the clinic's 20:00 end of sending
    db.session.commit()

    body = record(patient, "2026-12-01T14:00:00+00:00")

    # Dec 4 20:30 is quiet: the next allowed moment is Dec 5 09:00 in New York.
    assert body["checkins"][0]["due_at"] == "2026-12-05T14:00:00+00:00"


def test_more_check_ins_than_three_a_week_are_moved_or_skipped_for_the_cap(
    record, client, admin_headers, patient
):
    kinds = [
        {"kind": f"day{n}", "offset_days": n, "measures": ["pain_nprs"], "on": "session"}
        for n in (3, 4, 5, 6)
    ]
    client.put("/api/v1/clinic/checkin-policy", json={"kinds": kinds}, headers=admin_headers)

    body = record(patient, "2026-12-01T14:00:00+00:00")

    sent = [c for c in body["checkins"] if c["status"] == "scheduled"]
    assert [c["kind"] for c in sent] == ["day3", "day4", "day5"]
    assert [(c["kind"], c["status_reason"]) for c in body["checkins"][3:]] == [
        ("day6", "weekly_cap")
    ]
