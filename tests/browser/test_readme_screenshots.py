"""The README's dashboard screenshots, taken on the demo clinic (`make screenshots` copies them
from screenshots/ into docs/screenshots/)."""

import re

from playwright.sync_api import expect

from server.extensions import db
from server.models import Patient
from tests.browser.conftest import SCREENSHOTS

VIEW = {"width": 1100, "height": 720}


def _shoot(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"readme-{name}.png"))


def test_readme_screenshots_of_inbox_patient_page_and_overview(page, demo, sign_in):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(VIEW)
    sign_in(page)
    expect(page.get_by_role("heading", name="Flag inbox")).to_be_visible()
    _shoot(page, "inbox")
    chloe = db.session.scalars(db.select(Patient.id).where(Patient.first_name == "Chloe")).one()
    page.goto(f"/patients/{chloe}")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
    expect(page.get_by_role("heading", name=re.compile("^Chloe"))).to_be_visible()
    _shoot(page, "patient")
    page.goto("/overview")
    page.wait_for_function("() => window.Chart && Chart.getChart('weekly-chart')")
    expect(page.get_by_role("heading", name="Clinic overview")).to_be_visible()
    _shoot(page, "overview")
    assert all(
        (SCREENSHOTS / f"readme-{n}.png").stat().st_size > 0
        for n in ("inbox", "patient", "overview")
    )
