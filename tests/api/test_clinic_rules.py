"""GET/PUT /api/v1/clinic/rules: every threshold with its range; admins override them."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.enums import FlagRule, Measure, ScoreSource
from server.extensions import db
from server.models import AuditEvent, Clinic, Flag, Patient
from server.outcomes import DEFAULT_RULES, RuleSet
from server.services import scores
from server.services.flags import phone_invalid, reply_review
from tests.assertions import assert_problem

URL = "/api/v1/clinic/rules"


def test_admins_see_every_threshold_with_its_range(client, admin_headers):
    body = client.get(URL, headers=admin_headers).get_json()
    assert body["version"] == "v1" and body["overrides"] == {}
    by_name = {t["name"]: t for t in body["thresholds"]}
    assert set(by_name) == {t["name"] for t in DEFAULT_RULES.thresholds()}
    assert by_name["post_needling_hours"] == {
        "name": "post_needling_hours",
        "value": 72,
        "default": 72,
        "min": 0,
        "max": 336,
    }


def test_a_changed_threshold_gives_a_new_version_that_the_next_flag_carries(
    client, admin_headers, admin, clinic, patient, clock
):
    response = client.put(URL, json={"severe_at": 7}, headers=admin_headers)

    assert response.status_code == 200, response.get_json()
    version = response.get_json()["version"]
    assert version == RuleSet(severe_at=7).version != "v1"
    scores.add_score(patient, Measure.PAIN, 7, clock.now, ScoreSource.SMS, clock.now)
    db.session.commit()
    flag = db.session.scalar(select(Flag).where(Flag.rule == FlagRule.PAIN_SEVERE))
    assert flag.rule_version == version
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "clinic.rules.update"))
    assert (event.actor_id, event.detail["from"], event.detail["to"]) == (admin.id, "v1", version)


def test_a_new_window_re_marks_stored_scores_in_the_same_change(
    client, admin_headers, headers, make, patient, clock
):
    make.session(patient, occurred_at=clock.now - timedelta(hours=30))
    scores.add_score(patient, Measure.PAIN, 5, clock.now, ScoreSource.SMS, clock.now)
    db.session.commit()
    listed = f"/api/v1/patients/{patient.id}/scores"
    assert client.get(listed, headers=headers).get_json()[0]["in_post_needling_window"] is True

    client.put(URL, json={"post_needling_hours": 24}, headers=admin_headers)

    assert client.get(listed, headers=headers).get_json()[0]["in_post_needling_window"] is False


@pytest.mark.parametrize(
    "body, field",
    [
        ({"severe_at": 11}, "severe_at"),
        ({"post_needling_hours": -1}, "post_needling_hours"),
        ({"rise_points": "2"}, "rise_points"),
        ({"rise_points": True}, "rise_points"),
        ({"no_such_threshold": 2}, "no_such_threshold"),
    ],
)
def test_bad_overrides_are_a_422_naming_the_field_and_change_nothing(
    client, admin_headers, clinic, body, field
):
    assert_problem(client.put(URL, json=body, headers=admin_headers), 422, field)
    db.session.expire_all()
    assert db.session.get(Clinic, clinic.id).rule_overrides is None
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "clinic.rules.update"))
        is None
    )


def test_therapists_may_neither_read_nor_change_the_rules(client, headers):
    assert_problem(client.get(URL, headers=headers), 403)
    assert_problem(client.put(URL, json={"severe_at": 7}, headers=headers), 403)


def test_another_clinic_neither_sees_nor_changes_this_clinics_rules(
    client, make, admin_headers, clinic
):
    client.put(URL, json={"severe_at": 7}, headers=admin_headers)
    other = make.clinic()
    other_admin = make.staff_token(make.staff(other, role="admin"))

    assert client.get(URL, headers=other_admin).get_json()["version"] == "v1"
    client.put(URL, json={"jump_points": 4}, headers=other_admin)

    assert client.get(URL, headers=admin_headers).get_json()["overrides"] == {"severe_at": 7}


def test_flags_outside_the_score_rules_carry_the_new_version_too(
    client, admin_headers, patient, clock
):
    version = client.put(URL, json={"jump_points": 4}, headers=admin_headers).get_json()["version"]

    review = reply_review.after_unusable_replies(patient, 2, "maybe", clock.now)
    invalid = phone_invalid.after_refused_send(patient, 21211, "invalid To", clock.now)
    db.session.commit()
    assert (review.rule, review.rule_version) == (FlagRule.REPLY_REVIEW, version)
    assert (invalid.rule, invalid.rule_version) == (FlagRule.PHONE_INVALID, version)


def test_the_patient_lists_figures_follow_the_new_rules_in_the_same_change(
    client, admin_headers, make, patient, clock
):
    make.session(patient, occurred_at=clock.now - timedelta(days=20))
    for days_ago, value in ((14, 6), (1, 4)):  # baseline 6, latest 4: 2 points and 33% better
        at = clock.now - timedelta(days=days_ago)
        scores.add_score(patient, Measure.PAIN, value, at, ScoreSource.SMS, clock.now)
    db.session.commit()
    assert db.session.get(Patient, patient.id).pain_mcid == "much_better"

    client.put(URL, json={"mcid_much_points": 3}, headers=admin_headers)

    db.session.expire_all()
    assert db.session.get(Patient, patient.id).pain_mcid == "minimally_better"
