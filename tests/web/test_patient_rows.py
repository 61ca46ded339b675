"""The patient list's row figures: 8 weeks of pain, last reply, 30-day response rate, search."""

from datetime import timedelta

from server.extensions import db
from server.services import patient_rows


def _checkin(make, patient, status: str, prompted_at) -> None:
    make.checkin(patient, prompted_at, prompted=True, status=status, created_at=prompted_at)


def test_sparkline_keeps_the_last_eight_weeks_of_pain_only(make, clock):
    patient = make.patient(make.clinic())
    make.score(patient, value=9, reported_at=clock.now - timedelta(days=57))
    make.score(patient, value=6, reported_at=clock.now - timedelta(days=55))
    make.score(patient, value=3, reported_at=clock.now - timedelta(days=1))
    make.score(patient, value=4, measure="headache_days_7d")
    figures = patient_rows.row_figures([patient.id], clock.now)[patient.id]
    assert [value for _at, value in figures.pain] == [6, 3]


def test_last_reply_is_the_newest_text_or_reported_score_never_a_clinic_score(make, clock):
    patient = make.patient(make.clinic())
    make.score(patient, reported_at=clock.now - timedelta(days=3), source="app")
    make.score(patient, reported_at=clock.now - timedelta(hours=1), source="clinic")
    assert patient_rows.row_figures([patient.id], clock.now)[patient.id].last_reply_at == (
        clock.now - timedelta(days=3)
    )
    make.message(patient, body="STOP", created_at=clock.now - timedelta(days=1))
    figures = patient_rows.row_figures([patient.id], clock.now)[patient.id]
    assert figures.last_reply_at == clock.now - timedelta(days=1)


def test_response_rate_counts_completed_over_completed_and_expired_in_30_days(make, clock):
    clinic = make.clinic()
    patient, never_asked = make.patient(clinic), make.patient(clinic)
    for days, status in ((2, "completed"), (9, "completed"), (12, "expired"), (40, "expired")):
        _checkin(make, patient, status, clock.now - timedelta(days=days))
    _checkin(make, patient, "cancelled", clock.now - timedelta(days=3))
    db.session.commit()
    figures = patient_rows.row_figures([patient.id, never_asked.id], clock.now)
    assert figures[patient.id].response_rate == 2 / 3
    assert figures[never_asked.id].response_rate is None


def test_search_matches_first_name_or_emr_id_in_any_case(make, clock):
    clinic = make.clinic()
    make.patient(clinic, first_name="Chloe", external_ref="EMR-77")
    make.patient(clinic, first_name="Dev", external_ref="MRN-12")
    for text, expected in (("chl", ["Chloe"]), ("mrn-1", ["Dev"]), ("zz", [])):
        page = patient_rows.patient_page(clinic.id, {}, text, 1, 25, clock.now)
        assert [p.first_name for p in page.patients] == expected and page.total == len(expected)
