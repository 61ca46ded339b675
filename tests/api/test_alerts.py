"""My notification choices, the clinic's alert settings and the notification record."""

import pytest
from sqlalchemy import select

from server.enums import Role
from server.extensions import db
from server.models import AuditEvent, Notification
from tests.services.alerts import conftest as alerts

patient = alerts.patient  # the alert tests' patient: their flags go to their primary therapist


def audit_actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_my_choices_start_as_email_and_digest_and_are_audited(client, headers):
    response = client.get("/api/v1/me/notifications", headers=headers)

    assert response.status_code == 200
    assert response.get_json() == {
        "urgent_email": True, "urgent_sms": False, "urgent_sms_at_night": False,
        "digest": True, "phone": None,
    }
    assert audit_actions() == ["staff.notifications.read"]


def test_i_choose_sms_with_my_phone_and_the_change_is_audited_without_it(client, headers):
    choices = {"urgent_sms": True, "phone": "(617) 555-0142", "urgent_sms_at_night": True}

    response = client.put("/api/v1/me/notifications", json=choices, headers=headers)

    assert response.status_code == 200
    assert response.get_json()["phone"] == "+16175550142"
    assert client.get("/api/v1/me/notifications", headers=headers).get_json()["urgent_sms"]
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "staff.notifications.update")
    ).all()
    assert event.detail == {"changed": ["phone", "urgent_sms", "urgent_sms_at_night"]}
    assert "555" not in str(event.detail)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "12"}, "phone"),
        ({"phone": "+1 617 555 01"}, "phone"),
        ({"urgent_sms": True}, "phone"),  # SMS needs a phone
        ({"urgent_email": False}, "urgent_email"),  # no channel left for urgent flags
        ({"digest": "sometimes"}, "digest"),
        ({"pager": True}, "pager"),
    ],
)
def test_bad_choices_are_422_naming_the_field_and_change_nothing(client, headers, body, field):
    response = client.put("/api/v1/me/notifications", json=body, headers=headers)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]
    assert client.get("/api/v1/me/notifications", headers=headers).get_json()["urgent_email"]
    assert "staff.notifications.update" not in audit_actions()


def test_admins_set_the_escalation_delay_and_digest_hour(client, admin_headers, clinic):
    url = "/api/v1/clinic/alert-settings"
    assert client.get(url, headers=admin_headers).get_json() == {
        "escalation_minutes": 240, "digest_hour": 8,
    }

    response = client.put(url, json={"escalation_minutes": 60}, headers=admin_headers)

    assert response.get_json() == {"escalation_minutes": 60, "digest_hour": 8}
    assert "clinic.alert_settings.update" in audit_actions()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"digest_hour": 24}, "digest_hour"), ({"escalation_minutes": 5}, "escalation_minutes"),
     ({"escalation_minutes": "60"}, "escalation_minutes")],
)
def test_bad_clinic_settings_are_422_naming_the_field(client, admin_headers, body, field):
    response = client.put("/api/v1/clinic/alert-settings", json=body, headers=admin_headers)

    assert response.status_code == 422
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/clinic/alert-settings"), ("put", "/api/v1/clinic/alert-settings"),
     ("get", "/api/v1/notifications")],
)
def test_therapists_may_not_use_admin_endpoints(client, headers, method, path):
    response = getattr(client, method)(path, json={"digest_hour": 9}, headers=headers)

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_the_notification_record_lists_only_this_clinics_and_filters(
    smtp, client, make, admin_headers, patient, pain, notify
):
    other = make.clinic()
    other_patient = make.patient(other, primary_therapist_id=make.staff(other).id)
    pain(patient, 9)
    pain(other_patient, 9)
    notify()

    response = client.get("/api/v1/notifications?status=sent", headers=admin_headers)

    [record] = response.get_json()
    assert record["recipient_id"] == patient.primary_therapist_id
    assert record["body"].startswith("An urgent flag at Northside PT")
    assert client.get("/api/v1/notifications?status=failed", headers=admin_headers).json == []
    assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 2
    assert "notification.list" in audit_actions()


def test_a_bad_notification_filter_is_422(client, admin_headers):
    response = client.get("/api/v1/notifications?purpose=gossip", headers=admin_headers)

    assert response.status_code == 422
    assert "purpose" in response.get_json()["errors"]


def test_alert_endpoints_need_a_staff_token(client, make, clinic):
    patient_headers = make.patient_token(make.patient(clinic))
    assert client.get("/api/v1/me/notifications").status_code == 401
    assert client.get("/api/v1/me/notifications", headers=patient_headers).status_code == 403


def test_every_alert_operation_has_an_operation_id(client):
    spec = client.get("/api/openapi.json").get_json()["paths"]
    operations = [
        spec["/api/v1/me/notifications"]["get"], spec["/api/v1/me/notifications"]["put"],
        spec["/api/v1/clinic/alert-settings"]["get"], spec["/api/v1/clinic/alert-settings"]["put"],
        spec["/api/v1/notifications"]["get"], spec["/api/v1/flags/{flag_id}/owner"]["post"],
        spec["/api/v1/flags/{flag_id}/snooze"]["post"],
    ]
    ids = [operation.get("operationId") for operation in operations]
    assert None not in ids and len(set(ids)) == len(ids)


def test_another_clinics_staff_cannot_reach_this_clinics_settings(client, make, clinic):
    other_admin = make.staff(make.clinic(), role=Role.ADMIN)
    headers = make.staff_token(other_admin)
    client.put("/api/v1/clinic/alert-settings", json={"digest_hour": 5}, headers=headers)

    db.session.expire_all()
    assert clinic.digest_hour == 8
