"""Escalation to admins after the clinic's delay, and the daily digest at the clinic's hour."""

from datetime import timedelta

from server.enums import FlagRule, NotificationPurpose, Severity
from server.extensions import db
from server.services.flags import store as flags
from tests.services.alerts.conftest import notifications
from tests.services.conftest import at


def test_an_unacknowledged_urgent_flag_escalates_to_admins_after_the_delay_not_before(
    smtp, patient, therapist, admin, pain, clock, notify
):
    opened = clock.now
    pain(patient, 9)
    notify()
    assert [m["To"] for m in smtp.messages] == [therapist.email]

    notify(at=opened + timedelta(hours=3, minutes=59))
    assert len(smtp.messages) == 1
    notify(at=opened + timedelta(hours=4))
    notify(at=opened + timedelta(hours=9))  # once only

    assert [m["To"] for m in smtp.messages] == [therapist.email, admin.email]
    assert "not been acknowledged for 4 hours" in smtp.messages[1].get_content()
    [escalation] = notifications(purpose=NotificationPurpose.ESCALATION)
    assert escalation.recipient_id == admin.id


def test_an_acknowledged_urgent_flag_does_not_escalate(
    smtp, patient, therapist, admin, pain, clock, notify
):
    pain(patient, 9)
    notify()
    flag = flags.active_flag(patient.id, FlagRule.PAIN_SEVERE)
    flags.acknowledge(therapist, flag, None, clock.now + timedelta(hours=1), None)

    notify(at=clock.now + timedelta(hours=5))

    assert [m["To"] for m in smtp.messages] == [therapist.email]


def test_the_escalation_delay_is_the_clinics_setting(
    smtp, clinic, patient, therapist, admin, pain, clock, notify
):
    clinic.escalation_minutes = 30
    db.session.commit()
    pain(patient, 9)

    notify(at=clock.now + timedelta(minutes=29))
    assert len(smtp.messages) == 1
    notify(at=clock.now + timedelta(minutes=30))
    assert [m["To"] for m in smtp.messages] == [therapist.email, admin.email]


def warning(patient, rule, now):
    flag = flags.raise_flag(patient, rule, Severity.WARNING, "two readings above baseline", now)
    db.session.commit()
    return flag


def test_the_digest_goes_at_the_clinics_hour_across_a_daylight_saving_change(
    smtp, clinic, patient, therapist, clock, notify
):
    # New York leaves daylight time on Sunday Nov 1 2026: 08:00 is 12:00 UTC before, 13:00 after.
    warning(patient, FlagRule.PAIN_RISE, at("2026-10-30T20:00:00Z"))
    notify(at=at("2026-10-31T11:59:00Z"))
    assert smtp.messages == []
    notify(at=at("2026-10-31T12:00:00Z"))
    assert [m["To"] for m in smtp.messages] == [therapist.email]

    warning(patient, FlagRule.HEADACHE_RISE, at("2026-11-01T18:00:00Z"))
    notify(at=at("2026-11-02T12:00:00Z"))  # 07:00 EST: not yet
    assert len(smtp.messages) == 1
    notify(at=at("2026-11-02T13:00:00Z"))  # 08:00 EST
    notify(at=at("2026-11-02T18:00:00Z"))  # once a day
    assert len(smtp.messages) == 2
    body = smtp.messages[1].get_content()
    assert "1 new flag at Northside PT" in body and "https://painline.example/flags" in body


def test_no_digest_when_nothing_is_new(smtp, patient, therapist, clock, notify):
    warning(patient, FlagRule.PAIN_RISE, at("2026-10-30T20:00:00Z"))
    notify(at=at("2026-10-31T12:00:00Z"))
    notify(at=at("2026-11-02T13:00:00Z"))  # the same flag, still open: nothing new

    assert len(smtp.messages) == 1
    assert len(notifications(purpose=NotificationPurpose.DIGEST)) == 1


def test_a_flag_raised_after_the_digest_hour_waits_for_the_next_digest(
    smtp, patient, therapist, clock, notify
):
    notify(at=at("2026-10-31T12:00:00Z"))
    warning(patient, FlagRule.PAIN_RISE, at("2026-10-31T14:00:00Z"))
    notify(at=at("2026-10-31T15:00:00Z"))
    assert smtp.messages == []
    notify(at=at("2026-11-02T13:00:00Z"))
    assert len(smtp.messages) == 1


def test_the_digest_hour_is_the_clinics_setting_and_digests_can_be_turned_off(
    smtp, client, make, clinic, patient, therapist, clock, notify
):
    clinic.digest_hour = 17
    db.session.commit()
    headers = make.staff_token(therapist, hours=24 * 365)
    warning(patient, FlagRule.PAIN_RISE, at("2026-10-30T20:00:00Z"))
    notify(at=at("2026-10-31T12:00:00Z"))
    assert smtp.messages == []
    notify(at=at("2026-10-31T21:00:00Z"))  # 17:00 EDT
    assert len(smtp.messages) == 1

    client.put("/api/v1/me/notifications", json={"digest": False}, headers=headers)
    warning(patient, FlagRule.HEADACHE_RISE, at("2026-11-01T10:00:00Z"))
    notify(at=at("2026-11-01T22:00:00Z"))
    assert len(smtp.messages) == 1


def test_flags_without_an_owner_go_into_the_admins_digest(smtp, make, clinic, admin, notify):
    orphan = make.patient(clinic)
    warning(orphan, FlagRule.PAIN_RISE, at("2026-10-30T20:00:00Z"))

    notify(at=at("2026-10-31T12:00:00Z"))

    assert [m["To"] for m in smtp.messages] == [admin.email]
