"""Enrol a patient, record a session, discharge: in a real browser, as front desk and therapist."""

import re
import time

from playwright.sync_api import expect

from server.enums import CheckInStatus
from server.extensions import db
from server.models import CheckIn, Patient


def _enrol(page, phone: str) -> None:
    page.get_by_label("First name").fill("Lena")
    page.get_by_label("EMR id").fill("EMR-77")
    page.get_by_label("Mobile phone").fill(phone)
    page.get_by_label("Consent given through").select_option("intake_form")
    page.get_by_role("button", name="Enrol patient").click()


def test_enrol_with_a_bad_phone_then_a_good_one(page, demo, sign_in, axe_violations):
    sign_in(page)
    page.get_by_role("link", name="Patients").click()
    page.get_by_role("link", name="Enrol a patient").click()
    expect(page.get_by_text("Reply STOP to stop")).to_be_visible()  # the words agreed to
    _enrol(page, "555-01")
    expect(page.locator("#phone-error")).to_have_text("Not a valid phone number.")
    expect(page.get_by_label("First name")).to_have_value("Lena")  # kept
    expect(page.get_by_label("Mobile phone")).to_have_value("555-01")
    assert axe_violations(page) == []  # the refused form too
    assert db.session.scalar(db.select(Patient.id).where(Patient.first_name == "Lena")) is None
    page.get_by_label("Mobile phone").fill("(617) 555-0177")
    page.get_by_role("button", name="Enrol patient").click()
    expect(page.get_by_role("heading", name=re.compile("^Lena"))).to_be_visible()
    lena = db.session.scalars(db.select(Patient).where(Patient.first_name == "Lena")).one()
    assert (lena.phone, lena.consent_status) == ("+16175550177", "opted_in")


def test_record_a_session_and_see_the_planned_check_ins(page, demo, sign_in):
    patient = db.session.scalars(
        db.select(Patient).where(Patient.care_status == "active").order_by(Patient.id)
    ).first()
    sign_in(page)
    page.goto(f"/patients/{patient.id}")
    page.get_by_label("Regions needled").fill("upper trapezius")
    page.get_by_label("In-clinic pain (optional, 0-10)").fill("6")
    page.get_by_role("button", name="Record session").click()
    expect(page.locator(".notice-ok")).to_contain_text("Session recorded")
    planned = page.locator("ol.timeline li.ci-new")
    expect(planned).to_have_count(2)
    expect(planned.first).to_contain_text("patient's time")
    superseded = db.session.scalars(
        db.select(CheckIn.status_reason).where(
            CheckIn.patient_id == patient.id, CheckIn.status == CheckInStatus.CANCELLED
        )
    ).all()
    for reason in superseded:  # what the new session replaced, with the reason
        expect(page.locator("ol.timeline").get_by_text(reason).first).to_be_visible()


def test_discharge_and_see_the_follow_ups(page, demo, sign_in):
    patient = db.session.scalars(
        db.select(Patient).where(Patient.care_status == "active").order_by(Patient.id.desc())
    ).first()
    sign_in(page)
    page.goto(f"/patients/{patient.id}")
    page.get_by_role("button", name="Discharge").click()
    expect(page.locator(".notice-ok")).to_contain_text("Discharged")
    expect(page.locator(".facts")).to_contain_text("Care: discharged")
    followups = page.locator("ol.timeline li", has_text="followup")
    expect(followups).to_have_count(3)


def test_newcomer_flow_enrol_treat_answer_and_see_the_reading(page, demo, sign_in, chart_values):
    started = time.monotonic()
    sign_in(page)
    page.goto("/patients/new")
    _enrol(page, "617 555 0166")
    page.get_by_label("Regions needled").fill("suboccipitals")
    page.get_by_role("button", name="Record session").click()
    expect(page.locator(".notice-ok")).to_contain_text("Session recorded")
    page.get_by_role("link", name="SMS simulator").click()
    page.get_by_label("Reply as Lena").fill("pain 4")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("ol.sms li").last).to_contain_text("Thank you")
    page.get_by_role("link", name="Back to Lena's page").click()
    assert 4 in chart_values(page)
    print(f"newcomer flow by test: {time.monotonic() - started:.1f} s")
