"""Dashboard pages: audited like the API reads they mirror, scoped to the clinic, CSP-ready."""

import re

import pytest

from server.enums import Role, Severity
from server.extensions import db
from server.models import AuditEvent, Clinic
from server.services.flags import store as flags
from server.web.patient_page import PAGE_READS


@pytest.fixture
def clinic_with_flag(make, clock):
    clinic = make.clinic()
    staff = make.staff(clinic, role=Role.THERAPIST)
    patient = make.patient(clinic, primary_therapist_id=staff.id)
    make.score(patient, value=8)
    flag = flags.raise_flag(
        patient, "pain_severe", Severity.URGENT, "Pain 8/10 (severe).", clock.now
    )
    db.session.commit()
    return staff, patient, flag


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def test_patient_page_writes_the_audit_events_of_the_api_reads_it_mirrors(
    dashboard, clinic_with_flag
):
    staff, patient, _flag = clinic_with_flag
    dashboard.sign_in(staff)
    assert dashboard.get(f"/patients/{patient.id}").status_code == 200
    for action in PAGE_READS:
        (event,) = _audit(action)
        assert (event.actor_id, event.target_type, event.target_id) == (
            staff.id,
            "patient",
            patient.id,
        )


@pytest.mark.parametrize(
    ("path", "action"),
    [("/", "flag.list"), ("/patients", "patient.list")],
)
def test_list_pages_are_audited(dashboard, clinic_with_flag, path, action):
    dashboard.sign_in(clinic_with_flag[0])
    assert dashboard.get(path).status_code == 200
    assert len(_audit(action)) == 1


def test_downloads_are_audited_and_scoped(dashboard, clinic_with_flag, make):
    staff, patient, _flag = clinic_with_flag
    dashboard.sign_in(staff)
    csv = dashboard.get(f"/patients/{patient.id}/scores.csv")
    bundle = dashboard.get(f"/patients/{patient.id}/fhir.json")
    assert csv.get_data(as_text=True).count("\r\n") == 2  # header + the one score
    assert bundle.get_json()["resourceType"] == "Bundle"
    assert len(_audit("export.scores_csv")) == len(_audit("fhir.export")) == 1
    stranger = make.patient(make.clinic(name="Southside PT"))
    for path in ("", "/scores.csv", "/fhir.json"):
        assert dashboard.get(f"/patients/{stranger.id}{path}").status_code == 404


def test_another_clinics_flag_cannot_be_acknowledged(dashboard, clinic_with_flag, make):
    _staff, _patient, flag = clinic_with_flag
    dashboard.sign_in(make.staff(make.clinic(name="Southside PT")))
    response = dashboard.post(f"/flags/{flag.id}/acknowledge", headers={"HX-Request": "true"})
    assert response.status_code == 404
    db.session.refresh(flag)
    assert flag.status == "open"


def test_acknowledging_twice_answers_the_apis_conflict_in_the_row(dashboard, clinic_with_flag):
    staff, _patient, flag = clinic_with_flag
    dashboard.sign_in(staff)
    htmx = {"HX-Request": "true"}
    assert dashboard.post(f"/flags/{flag.id}/acknowledge", headers=htmx).status_code == 200
    again = dashboard.post(f"/flags/{flag.id}/acknowledge", headers=htmx)
    assert again.status_code == 409
    assert "already acknowledged" in again.get_data(as_text=True)


def test_a_bad_filter_is_a_page_naming_the_field(dashboard, clinic_with_flag):
    dashboard.sign_in(clinic_with_flag[0])
    response = dashboard.get("/?severity=dire")
    assert response.status_code == 422
    assert "severity" in response.get_data(as_text=True)
    assert dashboard.get("/patients?page=0").status_code == 422


def test_pages_have_no_inline_script_or_event_handler(dashboard, clinic_with_flag):
    staff, patient, _flag = clinic_with_flag
    pages = [dashboard.get("/sign-in")]
    dashboard.sign_in(staff)
    pages += [dashboard.get(p) for p in ("/", "/patients", f"/patients/{patient.id}")]
    for page in pages:
        html = page.get_data(as_text=True)
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert scripts == []
        assert re.search(r"\son[a-z]+\s*=", html) is None
        assert "hx-on" not in html


def test_the_clinic_export_is_for_admins_a_403_page_for_therapists(
    dashboard, clinic_with_flag, make
):
    staff, patient, _flag = clinic_with_flag
    dashboard.sign_in(staff)
    refused = dashboard.get("/exports/scores.csv")
    assert refused.status_code == 403
    assert "Forbidden" in refused.get_data(as_text=True)
    admin = make.staff(db.session.get(Clinic, patient.clinic_id), role=Role.ADMIN)
    dashboard.sign_in(admin)
    export = dashboard.get("/exports/scores.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert [e.actor_id for e in _audit("export.scores_csv")] == [admin.id]


def test_resolving_without_an_outcome_names_the_field(dashboard, clinic_with_flag):
    staff, _patient, flag = clinic_with_flag
    dashboard.sign_in(staff)
    answer = dashboard.post(
        f"/flags/{flag.id}/resolve", {"note": "seen"}, headers={"HX-Request": "1"}
    )
    assert answer.status_code == 422
    assert "resolution" in answer.get_data(as_text=True)
    without_htmx = dashboard.post(f"/flags/{flag.id}/resolve", {"note": "seen"})
    assert without_htmx.status_code == 422 and "<h1>" in without_htmx.get_data(as_text=True)
    db.session.refresh(flag)
    assert flag.status == "open"


def test_an_alert_link_opens_the_flag_on_its_patient_page_after_sign_in(
    dashboard, clinic_with_flag, make
):
    staff, patient, flag = clinic_with_flag
    signed_out = dashboard.get(f"/flags/{flag.id}")
    assert signed_out.status_code == 302 and "/sign-in" in signed_out.headers["Location"]
    dashboard.sign_in(staff)
    landing = dashboard.get(f"/flags/{flag.id}")
    assert landing.status_code == 302
    assert landing.headers["Location"].endswith(f"/patients/{patient.id}#flag-{flag.id}")
    page = dashboard.get(f"/patients/{patient.id}").get_data(as_text=True)
    assert f'id="flag-{flag.id}"' in page
    dashboard.sign_in(make.staff(make.clinic(name="Southside PT")))
    assert dashboard.get(f"/flags/{flag.id}").status_code == 404
