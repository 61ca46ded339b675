"""The overview page: the API's figures, audited as the API read."""

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.test_figure_cache import minute  # noqa: F401 (a fixture)


def test_overview_is_audited_and_shows_the_api_figures(dashboard, therapist, make):
    patient = make.patient(therapist.clinic, primary_therapist_id=therapist.id)
    make.score(patient, value=4)
    dashboard.sign_in(therapist)
    page = dashboard.get("/overview")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-figure="active_patients">1<' in html
    assert f'<th scope="row">{therapist.name}</th><td>1</td>' in html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "clinic.overview"))
    assert event.actor_id == therapist.id


def test_the_page_reuses_its_figures_for_a_minute(minute, dashboard, therapist, make, clock):  # noqa: F811
    make.patient(therapist.clinic)
    dashboard.sign_in(therapist)
    first = dashboard.get("/overview").get_data(as_text=True)
    make.patient(therapist.clinic)
    again = dashboard.get("/overview").get_data(as_text=True)
    assert 'data-figure="active_patients">1<' in first
    assert 'data-figure="active_patients">1<' in again
    clock.advance(minutes=1)
    later = dashboard.get("/overview").get_data(as_text=True)
    assert 'data-figure="active_patients">2<' in later
