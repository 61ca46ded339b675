"""Enrolling in the dashboard: the API's schema and service; a bad submit writes nothing."""

from sqlalchemy import func, select

from server.enums import ConsentStatus
from server.extensions import db
from server.models import ConsentEvent, Patient

GOOD = {
    "first_name": "Lena",
    "external_ref": "EMR-9",
    "phone": "(617) 555-0199",
    "timezone": "America/New_York",
    "language": "en",
    "measures": ["pain_nprs", "headache_days_7d"],
    "consent_source": "intake_form",
    "wording_version": "intake-2026-01",
}


def _patients() -> int:
    return db.session.scalar(select(func.count()).select_from(Patient))


def test_bad_submit_writes_nothing_and_shows_each_error_next_to_its_field_with_the_value(
    dashboard, therapist
):
    dashboard.sign_in(therapist)
    before = _patients()
    bad = GOOD | {"phone": "12", "timezone": "Mars/Olympus", "first_name": ""}
    page = dashboard.post("/patients/new", bad)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert _patients() == before
    assert 'id="phone-error">Not a valid phone number.' in html
    assert 'id="timezone-error">Not a known IANA time zone' in html
    assert 'id="first_name-error">' in html
    assert 'value="12"' in html and 'value="Mars/Olympus"' in html


def test_good_submit_enrols_with_e164_phone_and_the_consent_given(dashboard, therapist):
    dashboard.sign_in(therapist)
    page = dashboard.post("/patients/new", GOOD)
    assert page.status_code == 302
    patient = db.session.scalar(select(Patient).where(Patient.external_ref == "EMR-9"))
    assert patient.phone == "+16175550199"
    assert patient.tracks_headache is True
    assert patient.consent_status == ConsentStatus.OPTED_IN
    event = db.session.scalar(select(ConsentEvent).where(ConsentEvent.patient_id == patient.id))
    assert (event.source, event.wording_version) == ("intake_form", "intake-2026-01")
    assert page.headers["Location"].endswith(f"/patients/{patient.id}")


def test_duplicate_phone_in_the_clinic_says_so_and_writes_nothing(dashboard, therapist, make):
    make.patient(therapist.clinic, phone="+16175550199")
    dashboard.sign_in(therapist)
    before = _patients()
    page = dashboard.post("/patients/new", GOOD)
    assert page.status_code == 422
    assert "already used by another patient in this clinic" in page.get_data(as_text=True)
    assert _patients() == before


def test_another_clinics_therapist_is_refused_next_to_the_field(dashboard, therapist, make):
    other = make.staff(make.clinic())
    dashboard.sign_in(therapist)
    page = dashboard.post("/patients/new", GOOD | {"primary_therapist_id": str(other.id)})
    assert page.status_code == 422
    assert 'id="primary_therapist_id-error">no such staff member' in page.get_data(as_text=True)
