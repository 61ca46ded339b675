"""Every opt-out path goes through consent.change: one consent event, one audit event, and
the patient's pending check-ins cancelled (STOP, plain language, staff, app, Twilio 21610)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from server.enums import CheckInStatus, ConsentSource, ConsentStatus
from server.extensions import db
from server.models import AuditEvent, CheckIn, ConsentEvent, Patient
from server.services import consent
from server.services.conversation.inbound import InboundSms, receive


def _text(body):
    def opt_out(app, client, make, patient, clinic, clock, sms):
        receive(InboundSms("SM" + "1" * 32, patient.phone, clinic.sms_sender, body), clock.now)

    return opt_out


def _staff(app, client, make, patient, clinic, clock, sms):
    body = {"action": "revoked", "source": "staff", "note": "asked on the phone"}
    headers = make.staff_token(make.staff(clinic))
    response = client.post(f"/api/v1/patients/{patient.id}/consent", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()


def _app(app, client, make, patient, clinic, clock, sms):
    headers = make.patient_token(patient)
    response = client.post("/api/v1/me/consent", json={"action": "revoked"}, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["source"] == "app"


def _twilio_21610(app, client, make, patient, clinic, clock, sms):
    sms.fail_for(patient.phone, status=400, code=21610)
    result = app.test_cli_runner().invoke(args=["jobs", "tick"])
    assert result.exit_code == 0, result.output


PATHS = {
    "stop": (_text("STOP"), ConsentSource.KEYWORD),
    "plain_language": (_text("please stop texting me"), ConsentSource.KEYWORD),
    "staff": (_staff, ConsentSource.STAFF),
    "app": (_app, ConsentSource.APP),
    "twilio_21610": (_twilio_21610, ConsentSource.TWILIO_21610),
}


def _checkin(make, patient, clock, due) -> CheckIn:
    session = make.session(patient, occurred_at=clock.now - timedelta(days=3))
    return make.checkin(patient, due, session_id=session.id)


@pytest.mark.parametrize("path", PATHS)
def test_every_opt_out_path_records_one_event_one_audit_and_cancels_pending_checkins(
    app, client, make, patient, clinic, clock, sms, monkeypatch, path
):
    opt_out, source = PATHS[path]
    calls = []
    real_change = consent.change
    monkeypatch.setattr(consent, "change", lambda *a, **k: calls.append(a) or real_change(*a, **k))
    due_now = _checkin(make, patient, clock, clock.now)  # the 21610 path texts this one
    later = _checkin(make, patient, clock, clock.now + timedelta(days=4))

    opt_out(app, client, make, patient, clinic, clock, sms)

    db.session.expire_all()
    assert len(calls) == 1
    [event] = db.session.scalars(select(ConsentEvent)).all()
    assert (event.action, event.source) == ("revoked", source)
    [audit] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "patient.consent"))
    assert (audit.target_type, audit.target_id) == ("patient", patient.id)
    assert audit.detail == {"action": "revoked", "source": str(source)}
    assert db.session.get(Patient, patient.id).consent_status == ConsentStatus.OPTED_OUT
    statuses = {db.session.get(CheckIn, c.id).status for c in (due_now, later)}
    assert statuses == {CheckInStatus.CANCELLED}


def test_app_consent_refuses_an_unknown_action_naming_the_field(client, make, patient):
    response = client.post(
        "/api/v1/me/consent", json={"action": "maybe"}, headers=make.patient_token(patient)
    )
    assert response.status_code == 422
    assert "action" in response.get_json()["errors"]
    assert db.session.scalars(select(ConsentEvent)).all() == []


def test_app_consent_needs_a_patient_token(client, make, clinic):
    staff_headers = make.staff_token(make.staff(clinic))
    assert client.post("/api/v1/me/consent", json={"action": "revoked"}).status_code == 401
    response = client.post("/api/v1/me/consent", json={"action": "revoked"}, headers=staff_headers)
    assert response.status_code == 403
