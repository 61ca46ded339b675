"""The SMS simulator in a real browser: answer as the patient, watch the record change."""

from playwright.sync_api import expect

from server.enums import CheckInStatus
from server.extensions import db
from server.models import CheckIn, Patient, Score


def _waiting() -> list[Patient]:
    """The demo patients seed-demo left with a prompt awaiting a reply."""
    ids = db.select(CheckIn.patient_id).where(CheckIn.status == CheckInStatus.PROMPTED)
    return db.session.scalars(db.select(Patient).where(Patient.id.in_(ids))).all()


def _reply(page, patient: Patient, text: str) -> None:
    page.goto(f"/patients/{patient.id}/simulator")
    page.get_by_label(f"Reply as {patient.first_name}").fill(text)
    page.get_by_role("button", name="Send reply").click()


def test_seed_demo_leaves_two_prompts_waiting(demo):
    assert len(_waiting()) >= 2


def test_reply_seven_and_see_the_score_on_the_chart(page, demo, sign_in, chart_values):
    patient = _waiting()[0]
    sign_in(page)
    page.goto(f"/patients/{patient.id}")
    before = chart_values(page)
    _reply(page, patient, "seven")
    expect(page.locator("ol.sms li").nth(-2)).to_contain_text("seven")
    page.get_by_role("link", name=f"Back to {patient.first_name}'s page").click()
    after = chart_values(page)
    assert sorted(after) == sorted(before + [7])
    expect(page.locator("table.readings").first).to_contain_text("7")


def test_reply_8_to_5_and_see_the_clarification(page, demo, sign_in):
    patient = _waiting()[0]
    sign_in(page)
    _reply(page, patient, "8 to 5")
    reply = page.locator("ol.sms li").last
    expect(reply).to_contain_text("Northside PT")
    expect(reply).to_contain_text("Please reply with one whole number from 0 to 10.")
    answers = db.select(db.func.count(Score.id)).where(Score.raw_text == "8 to 5")
    assert db.session.scalar(answers) == 0  # a range is never guessed


def test_stop_changes_consent_and_cancels_pending_check_ins(page, demo, sign_in):
    patient = _waiting()[1]
    sign_in(page)
    _reply(page, patient, "STOP")
    page.goto(f"/patients/{patient.id}")
    expect(page.locator(".facts")).to_contain_text("SMS consent: opted out")
    cancelled = page.locator("ol.timeline li.ci-cancelled", has_text="opted out by SMS")
    expect(cancelled.first).to_be_visible()
    pending = db.session.scalar(
        db.select(db.func.count(CheckIn.id)).where(
            CheckIn.patient_id == patient.id,
            CheckIn.status.in_([CheckInStatus.SCHEDULED, CheckInStatus.PROMPTED]),
        )
    )
    assert pending == 0


def test_run_due_jobs_now(page, demo, sign_in):
    patient = _waiting()[0]
    sign_in(page)
    page.goto(f"/patients/{patient.id}/simulator")
    page.get_by_role("button", name="Run due jobs now").click()
    expect(page.locator(".notice-ok")).to_contain_text("Ran due jobs: Check-ins:")


def test_absent_when_texts_do_not_go_to_the_console(page, demo, sign_in, live, monkeypatch):
    patient = _waiting()[0]
    monkeypatch.setitem(live.config, "SMS_BACKEND", "twilio")
    sign_in(page)
    response = page.goto(f"/patients/{patient.id}/simulator")
    assert response.status == 404
    page.goto(f"/patients/{patient.id}")
    expect(page.get_by_role("link", name="SMS simulator")).to_have_count(0)
