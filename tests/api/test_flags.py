"""GET /api/v1/flags, POST /flags/{id}/acknowledge and /resolve: staff act on flags."""

import json
import threading

import pytest
from sqlalchemy import select

from server.enums import FlagRule, FlagStatus, Severity
from server.extensions import db
from server.models import AuditEvent, Flag
from server.services.flags import store as flags
from tests.assertions import assert_problem


@pytest.fixture
def raise_flag(clock):
    """Open a flag the way the engine and the rules do (services.flags.raise_flag)."""

    def open_flag(patient, rule=FlagRule.PAIN_JUMP, severity=Severity.WARNING, **fields):
        flag = flags.raise_flag(patient, rule, severity, f"{rule} reason", clock(), **fields)
        db.session.commit()
        return flag

    return open_flag


@pytest.fixture
def flag(raise_flag, patient):
    return raise_flag(patient, evidence_score_ids=[])


def audit_actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_flags_are_listed_urgent_first_then_oldest(
    client, headers, make, clinic, raise_flag, clock
):
    first, second, third = (make.patient(clinic) for _ in range(3))
    old_warning = raise_flag(first, FlagRule.PAIN_JUMP, Severity.WARNING)
    clock.advance(hours=1)
    info = raise_flag(second, FlagRule.NON_RESPONSE, Severity.INFO)
    clock.advance(hours=1)
    new_urgent = raise_flag(third, FlagRule.PAIN_SEVERE, Severity.URGENT)
    clock.advance(hours=1)
    new_warning = raise_flag(second, FlagRule.PAIN_RISE, Severity.WARNING)
    body = client.get("/api/v1/flags", headers=headers).get_json()
    assert [f["id"] for f in body] == [new_urgent.id, old_warning.id, new_warning.id, info.id]
    assert body[0]["patient"] == {"id": third.id, "first_name": "Ana", "external_ref": None}
    assert body[0]["reason"] == "pain_severe reason"


def test_flags_filter_by_status_severity_rule_and_patient(
    client, headers, make, clinic, raise_flag, therapist, clock
):
    patient = make.patient(clinic)
    urgent = raise_flag(patient, FlagRule.PAIN_SEVERE, Severity.URGENT)
    review = raise_flag(make.patient(clinic), FlagRule.REPLY_REVIEW, Severity.INFO)
    gone = raise_flag(make.patient(clinic), FlagRule.PHONE_INVALID, Severity.INFO)
    flags.resolve(therapist, gone, "false_alarm", None, clock(), None)

    def ids(query: str) -> list[int]:
        return [f["id"] for f in client.get(f"/api/v1/flags?{query}", headers=headers).get_json()]

    assert ids("") == [urgent.id, review.id]
    assert ids("status=open&severity=urgent") == [urgent.id]
    assert ids("status=resolved") == [gone.id]
    assert ids("rule=reply_review") == [review.id]
    assert ids(f"patient_id={patient.id}") == [urgent.id]


def test_flags_are_paginated(client, headers, make, clinic, raise_flag):
    for _ in range(3):
        raise_flag(make.patient(clinic))
    response = client.get("/api/v1/flags?page_size=2", headers=headers)
    assert len(response.get_json()) == 2
    assert json.loads(response.headers["X-Pagination"])["total"] == 3


def test_another_clinics_flags_are_not_listed(client, headers, make, raise_flag):
    raise_flag(make.patient(make.clinic()))
    assert client.get("/api/v1/flags", headers=headers).get_json() == []


@pytest.mark.parametrize("query", ["status=closed", "severity=high", "rule=mood", "patient_id=x"])
def test_a_bad_flag_filter_is_422_naming_it(client, headers, query):
    assert_problem(client.get(f"/api/v1/flags?{query}", headers=headers), 422, query.split("=")[0])


def test_acknowledge_records_who_when_and_note_and_is_audited(
    client, headers, flag, therapist, clock
):
    response = client.post(
        f"/api/v1/flags/{flag.id}/acknowledge", json={"note": "will call"}, headers=headers
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["acknowledged_by_id"], body["acknowledge_note"]) == (
        "acknowledged",
        therapist.id,
        "will call",
    )
    assert body["acknowledged_at"] == "2026-12-01T15:00:00+00:00"
    assert audit_actions() == ["flag.acknowledge"]


def test_acknowledge_without_a_body_is_fine_but_only_once(client, headers, flag):
    url = f"/api/v1/flags/{flag.id}/acknowledge"
    assert client.post(url, headers=headers).status_code == 200
    assert_problem(client.post(url, json={}, headers=headers), 409)


def test_resolve_closes_the_flag_with_a_resolution_and_is_audited(client, headers, flag, therapist):
    response = client.post(
        f"/api/v1/flags/{flag.id}/resolve",
        json={"resolution": "contacted_patient", "note": "pain settled"},
        headers=headers,
    )
    body = response.get_json()
    assert (body["status"], body["resolution"], body["resolve_note"]) == (
        "resolved",
        "contacted_patient",
        "pain settled",
    )
    assert body["resolved_by_id"] == therapist.id
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.target_id, event.detail["resolution"]) == (
        "flag.resolve",
        flag.patient_id,
        "contacted_patient",
    )


def test_an_acknowledged_flag_can_be_resolved(client, headers, flag):
    client.post(f"/api/v1/flags/{flag.id}/acknowledge", headers=headers)
    response = client.post(
        f"/api/v1/flags/{flag.id}/resolve", json={"resolution": "plan_changed"}, headers=headers
    )
    assert response.get_json()["status"] == "resolved"


def test_resolving_twice_is_409_and_keeps_the_first_resolution(client, headers, flag):
    url = f"/api/v1/flags/{flag.id}/resolve"
    client.post(url, json={"resolution": "false_alarm"}, headers=headers)
    assert_problem(client.post(url, json={"resolution": "plan_changed"}, headers=headers), 409)
    assert_problem(client.post(f"/api/v1/flags/{flag.id}/acknowledge", headers=headers), 409)
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).resolution == "false_alarm"
    assert audit_actions() == ["flag.resolve"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "resolution"),
        ({"resolution": "fixed"}, "resolution"),
        ({"resolution": "other"}, "note"),
        ({"resolution": "other", "note": "   "}, "note"),
        ({"resolution": "false_alarm", "note": "x" * 501}, "note"),
        ({"resolution": "false_alarm", "colour": "red"}, "colour"),
    ],
)
def test_bad_resolve_input_is_422_naming_the_field_and_changes_nothing(
    client, headers, flag, payload, field
):
    assert_problem(
        client.post(f"/api/v1/flags/{flag.id}/resolve", json=payload, headers=headers), 422, field
    )
    db.session.expire_all()
    assert db.session.get(Flag, flag.id).status == FlagStatus.OPEN
    assert audit_actions() == []


def test_bad_acknowledge_input_is_422(client, headers, flag):
    url = f"/api/v1/flags/{flag.id}/acknowledge"
    assert_problem(client.post(url, json={"note": 5}, headers=headers), 422, "note")
    assert db.session.get(Flag, flag.id).status == FlagStatus.OPEN


def test_other_needs_a_note_and_then_resolves(client, headers, flag):
    response = client.post(
        f"/api/v1/flags/{flag.id}/resolve",
        json={"resolution": "other", "note": "referred to GP"},
        headers=headers,
    )
    assert response.get_json()["resolution"] == "other"


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_another_clinics_flag_is_404(client, headers, make, raise_flag, action):
    stranger = raise_flag(make.patient(make.clinic()))
    payload = {"resolution": "other", "note": "x"} if action == "resolve" else {"note": "x"}
    response = client.post(f"/api/v1/flags/{stranger.id}/{action}", json=payload, headers=headers)
    assert_problem(response, 404)
    assert db.session.get(Flag, stranger.id).status == FlagStatus.OPEN


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/flags"),
        ("post", "/api/v1/flags/1/acknowledge"),
        ("post", "/api/v1/flags/1/resolve"),
    ],
)
def test_flag_endpoints_need_a_live_staff_token(client, make, flag, patient, clock, method, path):
    assert_problem(getattr(client, method)(path, json={}), 401)
    assert_problem(getattr(client, method)(path, json={}, headers=make.patient_token(patient)), 403)
    expired = make.staff_token(make.staff(make.clinic()), hours=1)
    clock.advance(hours=2)
    assert_problem(getattr(client, method)(path, json={}, headers=expired), 401)


@pytest.mark.postgres
def test_two_staff_resolving_at_once_get_one_success_and_one_409(app, flag, headers):
    url, start, statuses = f"/api/v1/flags/{flag.id}/resolve", threading.Barrier(2, timeout=30), []

    def resolve(resolution):
        start.wait()
        response = app.test_client().post(url, json={"resolution": resolution}, headers=headers)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=resolve, args=(r,)) for r in ("false_alarm", "plan_changed")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert audit_actions() == ["flag.resolve"]
