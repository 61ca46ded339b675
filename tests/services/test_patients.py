"""Staff changes that reach the check-ins: an opt-out cancels them, a new phone is tried again."""

from server.enums import CheckInStatus
from server.extensions import db
from server.models import Patient
from tests.services.conftest import checkins_of


def test_opt_out_recorded_by_staff_cancels_pending_check_ins(
    client, headers, patient, scheduled, clock
):
    scheduled(patient)
    consent = {"action": "revoked", "source": "staff", "note": "asked by phone"}

    response = client.post(f"/api/v1/patients/{patient.id}/consent", json=consent, headers=headers)

    assert response.status_code == 201
    [checkin] = checkins_of(patient)
    assert (checkin.status, checkin.status_reason) == (
        CheckInStatus.CANCELLED,
        "opted out (recorded by staff)",
    )


def test_correcting_an_invalid_phone_makes_it_textable_again(
    client, headers, make, clinic, run_jobs, scheduled
):
    patient = make.patient(clinic, phone_valid=False)

    response = client.patch(
        f"/api/v1/patients/{patient.id}", json={"phone": "+12025550177"}, headers=headers
    )

    assert response.status_code == 200
    assert db.session.get(Patient, patient.id).phone_valid is True
    scheduled(patient)
    run_jobs()
    assert checkins_of(patient)[0].status == CheckInStatus.PROMPTED
