"""The overview page: the API's figures, audited as the API read."""

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent


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
