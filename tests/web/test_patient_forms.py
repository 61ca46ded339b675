"""The patient page's forms: the API's schemas and services; a bad submit writes nothing."""

from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from server.enums import CareStatus, CheckInStatus, ConsentStatus
from server.extensions import db
from server.models import AuditEvent, CheckIn, Score, TreatmentSession


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_recorded_session_plans_check_ins_shown_on_the_page(dashboard, therapist, patient, clock):
    dashboard.sign_in(therapist)
    form = {"occurred_at": _clinic_time(clock.now), "regions": "neck, upper trapezius"}
    done = dashboard.post(f"/patients/{patient.id}/session", form | {"in_clinic_pain": "6"})
    assert done.status_code == 302 and "done=session" in done.headers["Location"]
    session = db.session.scalar(select(TreatmentSession))
    assert session.regions == ["neck", "upper trapezius"] and session.therapist_id == therapist.id
    assert db.session.scalar(select(Score.value)) == 6
    planned = db.session.scalars(select(CheckIn).where(CheckIn.session_id == session.id)).all()
    assert {c.kind for c in planned} == {"day3", "day7"}
    page = dashboard.get(done.headers["Location"]).get_data(as_text=True)
    assert page.count("planned now") == len(planned)
    for checkin in planned:  # each with its send time in the patient's own zone
        local = checkin.due_at.astimezone(ZoneInfo(patient.timezone)).strftime("%a %d %b %H:%M")
        assert f"patient's time {local}" in page


def _clinic_time(moment) -> str:
    return moment.astimezone(ZoneInfo("America/New_York")).strftime("%Y-%m-%dT%H:%M")


def test_bad_session_writes_nothing_and_keeps_the_values(dashboard, therapist, patient):
    dashboard.sign_in(therapist)
    bad = {"occurred_at": "yesterday", "regions": "neck", "in_clinic_pain": "11"}
    page = dashboard.post(f"/patients/{patient.id}/session", bad)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert (_count(TreatmentSession), _count(Score), _count(CheckIn)) == (0, 0, 0)
    assert 'id="occurred_at-error">Not a valid datetime.' in html
    assert 'id="in_clinic_pain-error">Must be greater than or equal to 0 and less than' in html
    assert 'value="yesterday"' in html and 'value="11"' in html


def test_discharge_plans_the_follow_ups(dashboard, therapist, patient):
    dashboard.sign_in(therapist)
    done = dashboard.post(f"/patients/{patient.id}/discharge")
    assert done.status_code == 302
    db.session.refresh(patient)
    assert patient.care_status == CareStatus.DISCHARGED
    kinds = db.session.scalars(select(CheckIn.kind).where(CheckIn.session_id.is_(None))).all()
    assert kinds and all(k.startswith("followup") for k in kinds)
    again = dashboard.post(f"/patients/{patient.id}/discharge")
    assert again.status_code == 422 and "already discharged" in again.get_data(as_text=True)


def test_consent_revoked_by_staff_cancels_pending_check_ins(dashboard, therapist, patient, clock):
    dashboard.sign_in(therapist)
    dashboard.post(f"/patients/{patient.id}/session", {"occurred_at": _clinic_time(clock.now)})
    form = {"action": "revoked", "source": "staff", "note": "asked by phone"}
    assert dashboard.post(f"/patients/{patient.id}/consent", form).status_code == 302
    db.session.refresh(patient)
    assert patient.consent_status == ConsentStatus.OPTED_OUT
    statuses = set(db.session.scalars(select(CheckIn.status)))
    assert statuses == {CheckInStatus.CANCELLED}


def test_grant_without_wording_is_refused_next_to_the_wording(dashboard, therapist, patient):
    dashboard.sign_in(therapist)
    form = {"action": "granted", "source": "staff"}
    page = dashboard.post(f"/patients/{patient.id}/consent", form)
    assert page.status_code == 422
    assert 'id="wording_version-error">Required when consent is granted.' in page.get_data(
        as_text=True
    )


def test_details_change_phone_normalised_and_audited(dashboard, therapist, patient):
    dashboard.sign_in(therapist)
    form = {
        "first_name": "Ana",
        "phone": "202-555-0142",
        "timezone": "America/Chicago",
        "language": "es",
        "measures": ["pain_nprs", "headache_days_7d"],
    }
    assert dashboard.post(f"/patients/{patient.id}/details", form).status_code == 302
    db.session.refresh(patient)
    assert (patient.phone, patient.timezone, patient.tracks_headache) == (
        "+12025550142",
        "America/Chicago",
        True,
    )
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "patient.update"))


def test_another_clinics_patient_is_a_404_page(dashboard, therapist, make):
    other = make.patient(make.clinic())
    dashboard.sign_in(therapist)
    page = dashboard.post(f"/patients/{other.id}/discharge")
    assert page.status_code == 404
    db.session.refresh(other)
    assert other.care_status == CareStatus.ACTIVE
