"""Flag triage: an owner, snoozes that reopen and alert again, and the clinic's timings."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.enums import FlagRule, FlagStatus, Role
from server.extensions import db
from server.models import AuditEvent, Flag
from server.services.flags import store as flags


@pytest.fixture
def urgent(patient, pain, notify):
    """An urgent flag whose first alert has gone out."""
    pain(patient, 9)
    notify()
    return flags.active_flag(patient.id, FlagRule.PAIN_SEVERE)


def current(flag_id: int) -> Flag:
    db.session.expire_all()
    return db.session.get(Flag, flag_id)


def test_a_flag_is_owned_by_the_patients_primary_therapist(urgent, therapist, client, headers):
    assert urgent.owner_id == therapist.id
    by_id = client.get(f"/api/v1/flags?owner={therapist.id}", headers=headers).get_json()
    mine = client.get("/api/v1/flags?owner=me", headers=headers).get_json()
    theirs = client.get(f"/api/v1/flags?owner={therapist.id + 99}", headers=headers).get_json()
    assert [f["id"] for f in by_id] == [f["id"] for f in mine] == [urgent.id]
    assert theirs == []


@pytest.mark.parametrize("owner", ["you", "0", "-3", "1.5", "9999999999"])
def test_a_bad_owner_filter_is_422_naming_it(client, headers, owner):
    response = client.get(f"/api/v1/flags?owner={owner}", headers=headers)

    assert response.status_code == 422
    assert "owner" in response.get_json()["errors"]


def test_reassigning_an_open_urgent_flag_alerts_the_new_owner_and_is_audited(
    smtp, urgent, make, clinic, client, headers, notify
):
    colleague = make.staff(clinic, email="james@northside.example")

    response = client.post(
        f"/api/v1/flags/{urgent.id}/owner", json={"owner_id": colleague.id}, headers=headers
    )
    notify()

    assert response.status_code == 200 and response.get_json()["owner_id"] == colleague.id
    assert [m["To"] for m in smtp.messages][-1] == "james@northside.example"
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "flag.assign" in actions


@pytest.mark.parametrize("owner", ["other_clinic", "missing", "text"])
def test_a_bad_owner_is_422_naming_it(urgent, therapist, make, client, headers, owner):
    therapist_id = therapist.id
    owner_id = {"other_clinic": make.staff(make.clinic()).id, "missing": 99999, "text": "x"}[owner]

    response = client.post(
        f"/api/v1/flags/{urgent.id}/owner", json={"owner_id": owner_id}, headers=headers
    )

    assert response.status_code == 422
    assert "owner_id" in response.get_json()["errors"]
    assert current(urgent.id).owner_id == therapist_id


def test_a_snoozed_flag_reopens_when_its_time_comes_and_alerts_again(
    smtp, urgent, therapist, client, headers, clock, notify
):
    until = clock.now + timedelta(days=2)
    response = client.post(
        f"/api/v1/flags/{urgent.id}/snooze",
        json={"until": until.isoformat(), "note": "seeing her Thursday"},
        headers=headers,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["snooze_note"]) == ("acknowledged", "seeing her Thursday")
    assert body["hours_to_acknowledge"] == 0.0

    notify(at=until - timedelta(minutes=1))
    assert len(smtp.messages) == 1  # the first alert only; no escalation while snoozed
    notify(at=until)

    flag = current(urgent.id)
    assert (flag.status, flag.snoozed_until, flag.alert_round) == (FlagStatus.OPEN, None, 1)
    assert [m["To"] for m in smtp.messages] == [therapist.email, therapist.email]
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "flag.snooze" in actions and "flag.reopen" in actions


@pytest.mark.parametrize(
    "until", ["2026-12-01T14:00:00+00:00", "2027-06-01T14:00:00+00:00", "2026-12-02T10:00:00"]
)
def test_a_snooze_must_be_soon_in_the_future_with_a_zone(urgent, client, headers, until):
    response = client.post(
        f"/api/v1/flags/{urgent.id}/snooze", json={"until": until}, headers=headers
    )

    assert response.status_code == 422
    assert "until" in response.get_json()["errors"]
    assert current(urgent.id).status == FlagStatus.OPEN


def test_another_clinics_flag_cannot_be_assigned_or_snoozed(urgent, make, client):
    outsider = make.staff(make.clinic(), role=Role.ADMIN)
    headers = make.staff_token(outsider)
    until = "2026-12-02T10:00:00+00:00"

    url = f"/api/v1/flags/{urgent.id}"
    snoozed = client.post(f"{url}/snooze", json={"until": until}, headers=headers)
    assigned = client.post(f"{url}/owner", json={"owner_id": outsider.id}, headers=headers)

    assert (snoozed.status_code, assigned.status_code) == (404, 404)


def test_a_resolved_flag_cannot_be_snoozed(urgent, therapist, client, headers, clock):
    flags.resolve(therapist, urgent, "contacted_patient", None, clock.now, None)

    response = client.post(
        f"/api/v1/flags/{urgent.id}/snooze",
        json={"until": "2026-12-02T10:00:00+00:00"},
        headers=headers,
    )

    assert response.status_code == 409


def test_times_to_acknowledge_and_resolve_are_recorded(urgent, therapist, client, headers, clock):
    flags.acknowledge(therapist, urgent, None, clock.now + timedelta(hours=2), None)
    flags.resolve(therapist, current(urgent.id), "contacted_patient", None,
                  clock.now + timedelta(hours=5, minutes=30), None)

    [body] = client.get("/api/v1/flags?status=resolved", headers=headers).get_json()

    assert (body["hours_to_acknowledge"], body["hours_to_resolve"]) == (2.0, 5.5)


def test_the_overview_shows_median_time_to_acknowledge_and_urgent_flags_open_over_48h(
    make, clinic, therapist, client, headers, pain, clock
):
    patients = [make.patient(clinic, primary_therapist_id=therapist.id) for _ in range(4)]
    opened = clock.now
    for patient in patients:
        pain(patient, 9)
    for patient, hours in zip(patients[:3], (1, 2, 6), strict=True):
        flag = flags.active_flag(patient.id, FlagRule.PAIN_SEVERE)
        flags.acknowledge(therapist, flag, None, opened + timedelta(hours=hours), None)
    flags.resolve(therapist, flags.active_flag(patients[0].id, FlagRule.PAIN_SEVERE),
                  "contacted_patient", None, opened + timedelta(hours=7), None)
    clock.advance(hours=49)

    body = client.get("/api/v1/clinic/overview", headers=headers).get_json()

    assert body["median_hours_to_acknowledge_urgent"] == 2.0
    assert body["urgent_open_over_48h"] == 3
