"""The clinic overview and admin settings in a real browser."""

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from server.demo import seed as demo_clinic
from server.enums import FlagRule, Severity
from server.extensions import db
from server.models import Clinic, Staff
from server.services.flags import store as flags
from tests.browser.conftest import DEMO_PASSWORD

THERAPIST = "maria@northside.example"


def _api_overview(page) -> dict:
    login = {"email": demo_clinic.DEMO_ADMIN, "password": DEMO_PASSWORD}
    token = page.request.post("/api/v1/auth/login", data=login).json()["token"]
    answer = page.request.get(
        "/api/v1/clinic/overview", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    return answer.json()


def _percent(share) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def test_overview_figures_equal_the_api(page, demo, sign_in):
    sign_in(page)
    page.get_by_role("link", name="Overview").click()
    api = _api_overview(page)
    week, month = api["checkins"]["last_7_days"], api["checkins"]["last_30_days"]
    hours = api["median_hours_to_reply"]
    expected = {
        "active_patients": str(api["active_patients"]),
        "response_7": _percent(week["response_rate"]),
        "response_30": _percent(month["response_rate"]),
        "median_hours": "—" if hours is None else f"{hours:.1f} h",
        "pain_much_better": _percent(api["pain_much_better"]["share"]),
        "headache_responders": _percent(api["headache_responders"]["share"]),
        "flags_urgent": f"{api['open_flags']['urgent']} urgent",
        "flags_warning": f"{api['open_flags']['warning']} warning",
        "flags_info": f"{api['open_flags']['info']} info",
        "sent_30": str(month["sent"]),
        "completed_30": str(month["completed"]),
        "expired_30": str(month["expired"]),
    }
    shown = {name: page.locator(f'[data-figure="{name}"]').text_content() for name in expected}
    assert shown == expected
    assert api["active_patients"] > 0 and month["sent"] > 0  # the demo has figures to compare
    page.wait_for_function("() => window.Chart && Chart.getChart('weekly-chart')")
    weeks = page.evaluate("() => Chart.getChart('weekly-chart').data.labels.length")
    assert weeks == 12


def test_the_urgent_flag_timings_shown_equal_the_api(page, demo, sign_in, make, clock):
    clinic = db.session.scalar(select(Clinic))
    admin = db.session.scalar(select(Staff).where(Staff.email == demo_clinic.DEMO_ADMIN))
    raised = clock.now - timedelta(hours=60)
    for hours in (3, 8):  # two acknowledged urgent flags (with any of the demo's own)
        flag = flags.raise_flag(
            make.patient(clinic), FlagRule.PAIN_SEVERE, Severity.URGENT, "r", raised
        )
        flags.acknowledge(admin, flag, None, raised + timedelta(hours=hours), None)
    flags.raise_flag(make.patient(clinic), FlagRule.PAIN_SEVERE, Severity.URGENT, "r", raised)
    db.session.commit()
    sign_in(page)
    page.goto("/overview")
    api = _api_overview(page)
    hours, overdue = api["median_hours_to_acknowledge_urgent"], api["urgent_open_over_48h"]
    assert hours is not None and overdue >= 3  # the flags above count in both figures
    shown = page.locator('[data-figure="median_hours_to_acknowledge_urgent"]')
    expect(shown).to_have_text(f"{hours:.1f} h")
    expect(page.locator('[data-figure="urgent_open_over_48h"]')).to_have_text(str(overdue))


def test_a_therapist_gets_the_403_page_for_settings(page, demo, sign_in):
    sign_in(page, THERAPIST)
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    response = page.goto("/settings")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Forbidden")).to_be_visible()


def test_deactivate_a_therapist_and_their_session_ends(page, browser, live, demo, sign_in):
    therapist_tab = browser.new_context(base_url=live.base_url).new_page()
    sign_in(therapist_tab, THERAPIST)
    expect(therapist_tab.get_by_role("heading", name="Flag inbox")).to_be_visible()
    sign_in(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Deactivate Maria Lopez").click()
    expect(page.locator(".notice-ok")).to_contain_text("deactivated")
    expect(page.locator("#staff tr", has_text="Maria Lopez")).to_contain_text("deactivated")
    therapist_tab.goto("/patients")
    expect(therapist_tab).to_have_url(f"{live.base_url}/sign-in?next=/patients?")
    sign_in(therapist_tab, THERAPIST)
    expect(therapist_tab.get_by_text("Email or password is incorrect.")).to_be_visible()
    therapist_tab.context.close()


def test_settings_bad_send_window_shows_the_error_by_its_field(page, demo, sign_in):
    sign_in(page)
    page.goto("/settings")
    page.get_by_label("Latest send").fill("22:00")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#quiet_start-error")).to_contain_text("after the legal 21:00:00")
    expect(page.get_by_label("Latest send")).to_have_value("22:00")
