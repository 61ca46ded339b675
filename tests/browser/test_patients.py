"""The patient list and the patient page in a real browser."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from server.extensions import db
from server.models import Patient, Score, TreatmentSession


def _patient(name: str) -> Patient:
    return db.session.scalars(db.select(Patient).where(Patient.first_name == name)).one()


def _texts(make, patient: Patient, now) -> None:
    """A prompt, the patient's answer and a sign-in code, as the outbox and webhook store them."""
    texts = [
        (
            "outbound",
            "prompt",
            "Northside PT: On a scale of 0-10 ... Reply a number 0-10.",
            "delivered",
        ),
        ("inbound", "inbound", "8", "received"),
        ("outbound", "otp", "Northside PT: your sign-in code is 493021", "delivered"),
    ]
    numbers = {"to_number": "+16175550111", "from_number": "+16175550199"}
    for minutes, (direction, purpose, body, status) in enumerate(texts):
        text = {"direction": direction, "purpose": purpose, "body": body, "status": status}
        make.message(patient, **text, **numbers, created_at=now - timedelta(minutes=10 - minutes))


def test_search_by_name_and_by_emr_id(page, demo, sign_in):
    sign_in(page)
    page.get_by_role("link", name="Patients").click()
    # The rows are server-rendered before the deferred htmx script binds the search box: typing
    # earlier would send nothing (a flaky failure under load), so wait for the page's scripts.
    page.wait_for_load_state("load")
    expect(page.locator("table.patients tbody tr")).to_have_count(12)
    page.get_by_label("Search name or EMR id").fill("chl")
    expect(page.locator("table.patients tbody tr")).to_have_count(1)
    expect(page.locator("table.patients tbody tr")).to_contain_text("Chloe")
    emr = _patient("Hana").external_ref
    page.get_by_label("Search name or EMR id").fill(emr)
    expect(page.locator("table.patients tbody tr")).to_have_count(1)
    expect(page.locator("table.patients tbody tr")).to_contain_text("Hana")


def test_filters_and_sort_of_the_patient_list(page, demo, sign_in):
    sign_in(page)
    page.goto("/patients")
    page.get_by_label("Flags").select_option("true")
    expect(page.locator("table.patients tbody tr")).to_have_count(2)
    page.get_by_label("Sort by").select_option("-open_flags")
    expect(page.locator("table.patients tbody tr").first).to_contain_text("Chloe")
    expect(page).to_have_url(re.compile(r"flagged=true.*sort=-open_flags"))
    page.get_by_label("Flags").select_option("")
    page.get_by_label("Care").select_option("discharged")
    discharged = db.session.scalar(
        db.select(db.func.count(Patient.id)).where(Patient.care_status == "discharged")
    )
    expect(page.locator("#patient-total")).to_have_text(re.compile(rf"^{discharged} patient"))


def test_patient_page_charts_readings_sessions_and_the_mcid_band(
    page, demo, sign_in, clock, make
):
    chloe = _patient("Chloe")
    _texts(make, chloe, clock.now)
    pain = db.session.scalars(
        db.select(Score.value).where(Score.patient_id == chloe.id, Score.measure == "pain_nprs")
    ).all()
    sessions = db.session.scalar(
        db.select(db.func.count(TreatmentSession.id)).where(TreatmentSession.patient_id == chloe.id)
    )
    sign_in(page)
    page.goto(f"/patients/{chloe.id}")
    chart = page.evaluate(
        """() => {
        const chart = Chart.getChart(document.querySelector('canvas[data-chart="0"]'));
        const notes = chart.options.plugins.annotation.annotations;
        return {line: chart.data.datasets[0].data.map(p => p.y),
                sessions: Object.keys(notes).filter(k => k.startsWith('session')).length,
                windows: Object.keys(notes).filter(k => k.startsWith('window')).length,
                baseline: notes.baseline.value, band: [notes.mcidBand.yMin, notes.mcidBand.yMax],
                yMax: chart.scales.y.max};
        }"""
    )
    assert sorted(chart["line"]) == sorted(pain)
    assert chart["sessions"] == chart["windows"] == sessions > 0
    assert chart["band"] == [max(0, chart["baseline"] - 2), min(10, chart["baseline"] + 2)]
    assert chart["yMax"] == 10
    expect(page.locator("table.readings").first.locator("tbody tr")).to_have_count(len(pain))
    expect(page.get_by_role("heading", name="Check-ins")).to_be_visible()
    bubbles = page.locator("ol.sms li.bubble")
    expect(bubbles).to_have_count(3)
    expect(bubbles.nth(1)).to_have_class(re.compile(r"\binbound\b"))
    expect(bubbles.nth(2)).to_contain_text("[sign-in code hidden]")
    expect(page.get_by_text("493021")).to_have_count(0)


def test_another_clinics_patient_is_a_404_page(page, demo, sign_in, make):
    other = make.patient(make.clinic(name="Southside PT"))
    sign_in(page)
    response = page.goto(f"/patients/{other.id}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not Found")).to_be_visible()
    expect(page.get_by_text(other.first_name, exact=True)).to_have_count(0)
