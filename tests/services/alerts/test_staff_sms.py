"""Urgent flags by SMS to a staff member's own phone, through the Twilio gateway (fake on
loopback), deferred out of the clinic's quiet hours unless they opted in to night alerts."""

from datetime import UTC, datetime, timedelta

import pytest

from server.enums import NotificationChannel, NotificationStatus
from server.extensions import db
from server.models import NotificationPreference
from server.services.alerts import claims
from server.services.alerts.sending import NotifySettings
from server.sms.gateway import build_gateway
from tests.services.alerts.conftest import notifications
from tests.services.conftest import at

STAFF_PHONE = "+16175550142"


@pytest.fixture
def texted(db, therapist, clock):
    """The therapist wants urgent flags by SMS only."""

    def choose(at_night: bool = False) -> None:
        db.session.add(
            NotificationPreference(
                staff_id=therapist.id, urgent_email=False, urgent_sms=True,
                urgent_sms_at_night=at_night, digest=True, phone=STAFF_PHONE,
                updated_at=clock.now,
            )
        )
        db.session.commit()

    return choose


def test_an_urgent_flag_texts_the_owner_through_the_gateway(
    sms, smtp, clinic, patient, texted, pain, clock, notify
):
    texted()
    pain(patient, 9)  # 10:00 in New York

    assert notify()["sent"] == 1

    [text] = sms.messages
    assert (text["To"], text["From"]) == (STAFF_PHONE, clinic.sms_sender)
    assert text["Body"].startswith("Northside PT: 1 urgent flag to review")
    assert "Rosa" not in text["Body"] and patient.phone not in text["Body"]
    [row] = notifications()
    assert (row.channel, row.status) == (NotificationChannel.SMS, NotificationStatus.SENT)
    assert row.provider_id.startswith("SM")
    assert smtp.messages == []


def test_a_staff_sms_at_night_waits_for_the_morning(
    sms, smtp, patient, texted, pain, clock, notify
):
    texted()
    clock.set("2026-12-02T03:30:00Z")  # 22:30 in New York
    pain(patient, 9)

    assert notify()["deferred"] == 1
    assert sms.messages == []
    [row] = notifications()
    assert row.next_attempt_at == at("2026-12-02T14:00:00Z")  # 09:00, the clinic's quiet end

    notify(at=at("2026-12-02T13:59:00Z"))
    assert sms.messages == []
    notify(at=at("2026-12-02T14:00:00Z"))
    assert len(sms.messages) == 1


def test_a_staff_member_who_opted_in_is_texted_at_night(
    sms, smtp, patient, texted, pain, clock, notify
):
    texted(at_night=True)
    clock.set("2026-12-02T03:30:00Z")
    pain(patient, 9)

    assert notify()["sent"] == 1
    assert len(sms.messages) == 1


def test_a_staff_sms_refused_by_twilio_for_good_is_recorded_failed(
    sms, smtp, patient, texted, pain, clock, notify
):
    texted()
    sms.fail_next(1, status=400, code=21211)
    pain(patient, 9)

    assert notify()["failed"] == 1
    [row] = notifications()
    assert row.status == NotificationStatus.FAILED
    assert row.error.startswith("Twilio 21211: ")


def test_a_staff_sms_left_sending_by_a_crash_is_found_in_twilios_log_not_sent_twice(
    app, sms, smtp, patient, texted, pain, clock, notify
):
    # The fake Twilio dates its log by the real clock, which the lookup goes by.
    clock.now = datetime.now(UTC).replace(microsecond=0)
    texted(at_night=True)
    pain(patient, 9)
    settings = NotifySettings.from_config(app.config)
    [claim], _, _ = claims.claim_due(clock.now, settings)
    build_gateway("twilio", **sms.gateway_settings()).send(claim.sms)  # then the process died

    report = notify(at=clock.now + settings.sending_timeout + timedelta(seconds=1))

    assert report["sent"] == 1
    assert len(sms.messages) == 1
    [row] = notifications()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)
    assert row.provider_id.startswith("SM")


def test_an_alert_for_someone_no_longer_active_is_cancelled(smtp, patient, therapist, pain, notify):
    pain(patient, 9)
    therapist.active = False
    db.session.commit()

    assert notify()["cancelled"] == 1
    assert smtp.messages == []
    assert notifications()[0].error == "the recipient's account is inactive"
