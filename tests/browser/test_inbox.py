"""The flag inbox in a real browser: urgent first, acknowledge and resolve in place, filters."""

import re

from playwright.sync_api import expect

from server.extensions import db
from server.models import AuditEvent, Flag


def _audited(action: str) -> list[dict]:
    db.session.expire_all()
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action))
    return [event.detail or {} for event in events]


def test_the_demo_urgent_flag_comes_first_and_is_counted_in_the_navigation(page, demo, sign_in):
    sign_in(page)
    first = page.locator("li.flag").first
    expect(first).to_have_class(re.compile(r"\bsev-urgent\b"))
    expect(first).to_contain_text("Chloe")
    expect(first).to_contain_text("Severe pain reported")
    expect(first).to_contain_text("Pain 8/10")
    expect(page.locator("#urgent-count")).to_have_text(re.compile(r"^1"))
    assert _audited("flag.list") == [{"status": "active"}]


def test_acknowledge_then_resolve_with_a_note_without_reloading(page, demo, sign_in):
    sign_in(page)
    page.evaluate("window.stillTheSamePage = true")
    urgent = page.locator("li.flag.sev-urgent")
    flag_id = int(urgent.get_attribute("data-flag-id"))
    urgent.get_by_label("Note").fill("Calling her this morning")
    urgent.get_by_role("button", name="Acknowledge").click()
    expect(urgent).to_contain_text("Acknowledged by Alex Admin")
    expect(page.locator("#urgent-count")).to_have_text(re.compile(r"^0"))
    urgent.get_by_label("Outcome").select_option("contacted_patient")
    urgent.get_by_label("Note").fill("Flare after gardening; plan unchanged")
    urgent.get_by_role("button", name="Resolve").click()
    expect(page.locator(f"#flag-{flag_id}")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    db.session.expire_all()
    flag = db.session.get(Flag, flag_id)
    assert (flag.status, flag.resolve_note) == ("resolved", "Flare after gardening; plan unchanged")
    assert _audited("flag.acknowledge")[0]["flag_id"] == flag_id
    assert _audited("flag.resolve")[0]["resolution"] == "contacted_patient"


def test_resolving_as_other_without_a_note_shows_the_api_error_in_place(page, demo, sign_in):
    sign_in(page)
    row = page.locator("li.flag").first
    row.get_by_label("Outcome").select_option("other")
    row.get_by_role("button", name="Resolve").click()
    expect(row.get_by_role("alert")).to_contain_text("say what was done")
    db.session.expire_all()
    assert db.session.scalars(db.select(Flag.status)).all().count("resolved") == 0


def test_filters_narrow_the_inbox_by_severity_and_status(page, demo, sign_in):
    sign_in(page)
    expect(page.locator("li.flag")).to_have_count(3)
    page.get_by_label("Severity").select_option("warning")
    expect(page.locator("li.flag")).to_have_count(2)
    expect(page.locator("li.flag.sev-urgent")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"severity=warning"))
    page.get_by_label("Status").select_option("resolved")
    expect(page.locator("li.flag")).to_have_count(0)
    expect(page.get_by_text("no flag matches")).to_be_visible()


def test_my_patients_shows_only_the_therapists_own_flags(page, demo, sign_in):
    sign_in(page, email="maria@northside.example")
    mine = db.session.scalar(
        db.text(
            "select count(*) from flag join patient on patient.id = flag.patient_id "
            "join staff on staff.id = patient.primary_therapist_id "
            "where staff.email = 'maria@northside.example'"
        )
    )
    page.get_by_label("Patients").select_option("1")
    expect(page.locator("li.flag")).to_have_count(mine)
