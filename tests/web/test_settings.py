"""Admin settings: admins only; the API's schemas and services; a bad submit writes nothing."""

from datetime import time

from sqlalchemy import select

from server.extensions import db
from server.models import AccessToken, AuditEvent, Clinic, Staff


def _clinic(staff) -> Clinic:
    clinic = db.session.get(Clinic, staff.clinic_id)
    db.session.refresh(clinic)
    return clinic


def test_a_therapist_gets_the_403_page(dashboard, therapist):
    dashboard.sign_in(therapist)
    page = dashboard.get("/settings")
    assert page.status_code == 403 and "<h1>Forbidden</h1>" in page.get_data(as_text=True)
    assert dashboard.post("/settings/hours", {"quiet_start": "08:00"}).status_code == 403


def test_bad_send_window_writes_nothing_and_names_the_field(dashboard, admin):
    dashboard.sign_in(admin)
    form = {"quiet_start": "07:00", "quiet_end": "20:00", "send_hour": "10:00", "help_phone": "x"}
    page = dashboard.post("/settings/hours", form)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="quiet_start-error">quiet hours start 07:00:00 is before the legal' in html
    assert 'id="help_phone-error">Not a valid phone number.' in html
    assert 'value="07:00"' in html
    assert _clinic(admin).quiet_start == time(9)


def test_send_window_saved_and_audited(dashboard, admin):
    dashboard.sign_in(admin)
    form = {"quiet_start": "08:30", "quiet_end": "19:00", "send_hour": "11:00"}
    done = dashboard.post("/settings/hours", form | {"help_phone": "617 555 0111"})
    assert done.status_code == 302
    clinic = _clinic(admin)
    assert (clinic.quiet_start, clinic.send_hour, clinic.help_phone) == (
        time(8, 30),
        time(11),
        "+16175550111",
    )
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "clinic.hours.update"))


def test_policy_error_is_shown_on_its_row(dashboard, admin):
    dashboard.sign_in(admin)
    form = {
        "rows": "2",
        "kinds.0.kind": "day3",
        "kinds.0.offset_days": "3",
        "kinds.0.on": "session",
        "kinds.0.measures": "pain_nprs",
        "kinds.1.kind": "day1",
        "kinds.1.offset_days": "1",
        "kinds.1.on": "session",
        "kinds.1.measures": "pain_nprs",
    }
    page = dashboard.post("/settings/policy", form)
    assert page.status_code == 422
    assert 'id="kinds-1-offset_days-error">' in page.get_data(as_text=True)
    assert _clinic(admin).checkin_policy is None


def test_rules_saved_as_overrides_of_v1(dashboard, admin):
    dashboard.sign_in(admin)
    assert dashboard.post("/settings/rules", {"severe_at": "7"}).status_code == 302
    assert _clinic(admin).rule_overrides == {"severe_at": 7}


def test_deactivating_a_therapist_revokes_their_tokens(dashboard, admin, make):
    dashboard.sign_in(admin)
    done = dashboard.post(
        "/settings/staff",
        {
            "name": "Kim",
            "email": "kim@example.org",
            "role": "therapist",
            "password": "long-enough-1",
        },
    )
    assert done.status_code == 302
    kim = db.session.scalar(select(Staff).where(Staff.email == "kim@example.org"))
    make.staff_token(kim)
    assert dashboard.post(f"/settings/staff/{kim.id}/deactivate").status_code == 302
    db.session.refresh(kim)
    assert kim.active is False
    live = select(AccessToken).where(
        AccessToken.staff_id == kim.id, AccessToken.revoked_at.is_(None)
    )
    assert db.session.scalar(live) is None


def test_another_clinics_staff_member_is_a_404(dashboard, admin, make):
    other = make.staff(make.clinic())
    dashboard.sign_in(admin)
    assert dashboard.post(f"/settings/staff/{other.id}/deactivate").status_code == 409
    db.session.refresh(other)
    assert other.active is True


def test_a_new_staff_account_and_its_audit_row_are_one_transaction(
    dashboard, admin, monkeypatch
):
    """If the audit row cannot be written, no account is left behind without it."""
    from server.services import audit

    def failing(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "on_clinic", failing)
    dashboard.sign_in(admin)
    form = {"name": "Kim", "email": "kim@example.org", "role": "therapist"}
    page = dashboard.post("/settings/staff", form | {"password": "long-enough-1"})
    assert page.status_code == 500  # the dashboard's error page
    db.session.rollback()
    assert db.session.scalar(select(Staff).where(Staff.email == "kim@example.org")) is None
