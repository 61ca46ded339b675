"""GET /api/v1/clinic/overview: the clinic at a glance."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.enums import CheckInStatus, FlagRule, Severity
from server.extensions import db
from server.models import AuditEvent
from server.services.flags import store as flags
from tests.assertions import assert_problem

HOURS = timedelta(hours=1)


@pytest.fixture
def checkin(make, clock):
    """A check-in prompted `days_ago` days before now, answered after `reply_hours` if given."""

    def add(patient, status, days_ago=None, reply_hours=None):
        prompted = clock() - timedelta(days=days_ago) if days_ago is not None else None
        completed = prompted + reply_hours * HOURS if reply_hours is not None else None
        make.checkin(patient, prompted, status=status, prompted_at=prompted, completed_at=completed)

    return add


def overview(client, headers) -> dict:
    response = client.get("/api/v1/clinic/overview", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_checkins_sent_completed_expired_and_response_rate_over_7_and_30_days(
    client, headers, make, clinic, checkin
):
    patient = make.patient(clinic)
    checkin(patient, CheckInStatus.COMPLETED, days_ago=3, reply_hours=2)
    checkin(patient, CheckInStatus.EXPIRED, days_ago=4)
    checkin(patient, CheckInStatus.PROMPTED, days_ago=0.05)
    checkin(patient, CheckInStatus.COMPLETED, days_ago=20, reply_hours=4)
    checkin(patient, CheckInStatus.COMPLETED, days_ago=18, reply_hours=1)
    checkin(patient, CheckInStatus.EXPIRED, days_ago=15)
    checkin(patient, CheckInStatus.COMPLETED, days_ago=45, reply_hours=9)  # too old
    checkin(patient, CheckInStatus.SCHEDULED)  # not sent yet
    checkin(make.patient(make.clinic()), CheckInStatus.EXPIRED, days_ago=1)  # not ours
    body = overview(client, headers)
    assert body["checkins"] == {
        "last_7_days": {
            "sent": 3,
            "completed": 1,
            "expired": 1,
            "awaiting_reply": 1,
            "response_rate": 0.5,
        },
        "last_30_days": {
            "sent": 6,
            "completed": 3,
            "expired": 2,
            "awaiting_reply": 1,
            "response_rate": 0.6,
        },
    }
    assert body["median_hours_to_reply"] == 2.0


def test_the_median_reply_time_of_an_even_count_is_the_mean_of_the_middle_two(
    client, headers, make, clinic, checkin
):
    patient = make.patient(clinic)
    for hours in (0.5, 1, 3, 40):
        checkin(patient, CheckInStatus.COMPLETED, days_ago=2, reply_hours=hours)
    assert overview(client, headers)["median_hours_to_reply"] == 2.0


def test_active_patients_improvement_and_headache_responders(client, headers, make, clinic):
    make.patient(clinic, pain_mcid="much_better", headache_responder=True)
    make.patient(clinic, pain_mcid="minimally_better", headache_responder=False)
    make.patient(clinic, pain_mcid="worse")
    make.patient(clinic)  # no scores yet
    make.patient(clinic, care_status="paused", pain_mcid="much_better")
    make.patient(make.clinic(), pain_mcid="much_better")
    body = overview(client, headers)
    assert body["active_patients"] == 4
    assert body["pain_much_better"] == {"patients_compared": 3, "improved": 1, "share": 0.333}
    assert body["headache_responders"] == {"patients_compared": 2, "improved": 1, "share": 0.5}


def test_open_flags_are_counted_by_severity(client, headers, make, clinic, therapist, clock):
    def flag(rule, severity, clinic_=clinic):
        raised = flags.raise_flag(make.patient(clinic_), rule, severity, "r", clock())
        db.session.commit()
        return raised

    flag(FlagRule.PAIN_SEVERE, Severity.URGENT)
    flag(FlagRule.PAIN_JUMP, Severity.WARNING)
    seen = flag(FlagRule.PAIN_RISE, Severity.WARNING)
    flags.acknowledge(therapist, seen, None, clock(), None)
    done = flag(FlagRule.PAIN_SEVERE, Severity.URGENT)
    flags.resolve(therapist, done, "false_alarm", None, clock(), None)
    flag(FlagRule.PAIN_SEVERE, Severity.URGENT, make.clinic())
    assert overview(client, headers)["open_flags"] == {"urgent": 1, "warning": 2, "info": 0}


def test_an_empty_clinic_has_zeroes_and_no_rates(client, headers):
    body = overview(client, headers)
    assert body["active_patients"] == 0
    assert body["checkins"]["last_30_days"]["response_rate"] is None
    assert body["median_hours_to_reply"] is None
    assert body["pain_much_better"]["share"] is None
    assert (body["as_of"], body["rule_version"]) == ("2026-12-01T15:00:00+00:00", "v1")


def test_reading_the_overview_is_audited(client, headers, therapist):
    overview(client, headers)
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.actor_id) == ("clinic.overview", therapist.id)


def test_the_overview_needs_a_live_staff_token(client, make, clinic, clock, headers):
    assert_problem(client.get("/api/v1/clinic/overview"), 401)
    patient = make.patient(clinic)
    assert_problem(client.get("/api/v1/clinic/overview", headers=make.patient_token(patient)), 403)
    clock.advance(hours=13)
    assert_problem(client.get("/api/v1/clinic/overview", headers=headers), 401)
