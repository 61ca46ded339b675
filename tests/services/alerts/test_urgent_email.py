"""An urgent flag reaches a clinician by email at once, through a real SMTP server."""

from sqlalchemy import select

from server.enums import FlagRule, FlagStatus, NotificationStatus, Severity
from server.extensions import db
from server.models import AuditEvent, Flag
from server.services.flags import store as flags
from tests.services.alerts.conftest import notifications


def the_flag(patient) -> Flag:
    db.session.expire_all()
    return db.session.scalar(select(Flag).where(Flag.patient_id == patient.id))


def test_an_urgent_flag_emails_its_owner_once_with_a_link_and_no_patient_data(
    smtp, patient, therapist, pain, notify
):
    pain(patient, 9)
    flag = the_flag(patient)

    report = notify()
    notify()  # a second run finds nothing more to send

    assert report["sent"] == 1
    [email] = smtp.messages
    assert email["To"] == "maria@northside.example"
    body = email.get_content()
    assert f"https://painline.example/flags/{flag.id}" in body
    for secret in ("Rosa", patient.phone, "EMR-4711", flag.reason, "9"):
        assert secret not in body and secret not in email["Subject"]
    [row] = notifications()
    assert (row.status, row.attempts, row.flag_ids) == (NotificationStatus.SENT, 1, [flag.id])
    assert email["Message-ID"] == f"<notification-{row.id}@painline.example>"


def test_a_flag_whose_patient_has_no_therapist_alerts_the_admins(
    smtp, make, clinic, admin, pain, notify
):
    orphan = make.patient(clinic)
    second_admin = make.staff(clinic, role="admin")

    pain(orphan, 8)
    notify()

    assert sorted(m["To"] for m in smtp.messages) == sorted([admin.email, second_admin.email])


def test_a_warning_is_not_sent_at_once(smtp, patient, pain, clock, notify):
    pain(patient, 2)
    clock.advance(days=4)
    pain(patient, 6)  # a jump of 4 points: a warning, for the digest

    assert the_flag(patient).severity == "warning"
    assert notify()["sent"] == 0
    assert smtp.messages == []


def test_smtp_4xx_is_retried_with_backoff_and_delivered_once(smtp, patient, pain, clock, notify):
    smtp.refuse_next(2, 451, "Mailbox busy")
    pain(patient, 9)

    assert notify()["retry"] == 1
    [row] = notifications()
    assert (row.status, row.attempts) == (NotificationStatus.QUEUED, 1)
    assert row.error.startswith("SMTP 451")
    assert notify()["sent"] == 0  # not before its backoff (60 s)
    assert notify(at=clock.advance(seconds=61))["retry"] == 1
    assert notify(at=clock.advance(seconds=119))["sent"] == 0  # doubled: 120 s
    assert notify(at=clock.advance(seconds=2))["sent"] == 1

    assert len(smtp.messages) == 1
    [row] = notifications()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 3)


def test_smtp_5xx_fails_for_good_and_the_record_shows_it(
    smtp, client, make, admin, patient, pain, clock, notify
):
    smtp.refuse_next(1, 550, "No such mailbox")
    pain(patient, 9)

    assert notify()["failed"] == 1
    assert notify(at=clock.advance(hours=2))["sent"] == 0

    assert smtp.messages == []
    response = client.get("/api/v1/notifications", headers=make.staff_token(admin))
    [record] = response.get_json()
    assert record["status"] == "failed"
    assert record["attempts"] == 1
    assert record["error"] == "SMTP 550: No such mailbox"
    assert record["purpose"] == "urgent" and record["channel"] == "email"


def test_retries_stop_at_the_cap_and_the_notification_fails(
    smtp, app, monkeypatch, patient, pain, clock, notify
):
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 3)
    smtp.refuse_next(5, 421, "Closing")
    pain(patient, 9)

    outcomes = [notify(at=clock.advance(hours=1)) for _ in range(4)]

    assert [sum(o.values()) for o in outcomes] == [1, 1, 1, 0]
    [row] = notifications()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 3)
    assert smtp.messages == []


def test_a_flag_acknowledged_before_its_alert_is_sent_is_not_notified(
    smtp, patient, therapist, pain, clock, notify
):
    pain(patient, 9)
    flags.acknowledge(therapist, the_flag(patient), "calling her now", clock.now, None)

    assert notify()["cancelled"] == 1
    assert smtp.messages == []
    [row] = notifications()
    assert row.status == NotificationStatus.CANCELLED
    assert the_flag(patient).status == FlagStatus.ACKNOWLEDGED


def test_an_acknowledged_flag_that_rises_to_urgent_reopens_and_alerts(
    smtp, patient, therapist, clock, notify
):
    flag = flags.raise_flag(patient, FlagRule.PAIN_RISE, Severity.WARNING, "rise", clock.now)
    db.session.commit()
    flags.acknowledge(therapist, flag, None, clock.now, None)
    assert notify()["sent"] == 0

    clock.advance(days=1)
    flags.raise_flag(patient, FlagRule.PAIN_RISE, Severity.URGENT, "rise more", clock.now)
    db.session.commit()
    notify()

    assert len(smtp.messages) == 1
    flag = the_flag(patient)
    assert (flag.status, flag.alert_round) == (FlagStatus.OPEN, 1)
    assert flag.acknowledged_at is None and flag.first_acknowledged_at is not None
    reopened = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "flag.reopen"))
    assert [event.detail["reason"] for event in reopened] == ["rose to urgent"]
