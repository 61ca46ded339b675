"""Patient app sign-in: one-time code by SMS (through the outbox), verify, logout."""

import hashlib
import time

import pytest
from sqlalchemy import func, select

from server.enums import ConsentStatus, MessageStatus
from server.extensions import db
from server.models import AccessToken, AuditEvent, OneTimeCode
from tests.api.patient_app.conftest import code_in, otp_messages
from tests.assertions import assert_problem

START, VERIFY = "/api/v1/patient-auth/start", "/api/v1/patient-auth/verify"


def request_code(client, phone="+16175551234") -> str:
    """Ask for a code and read it from the newest queued sign-in text to that phone."""
    assert client.post(START, json={"phone": phone}).status_code == 202
    return code_in(otp_messages(phone)[-1].body)


def sign_in(client, code, phone="+16175551234"):
    return client.post(VERIFY, json={"phone": phone, "code": code})


def test_start_queues_a_six_digit_code_from_the_clinic(client, patient):
    response = client.post(START, json={"phone": "(617) 555-1234"})  # US national format
    assert response.status_code == 202
    assert response.get_json()["expires_in"] == 600
    [message] = otp_messages()
    assert message.status == MessageStatus.QUEUED
    assert message.to_number == "+16175551234" and message.patient_id == patient.id
    assert message.body.startswith("Northside PT: ")
    assert len(code_in(message.body)) == 6


def test_the_code_is_stored_only_as_a_keyed_hash(client, patient):
    code = request_code(client)
    stored = db.session.scalars(select(OneTimeCode)).one()
    assert code not in stored.code_hash
    assert stored.code_hash != hashlib.sha256(f"+16175551234:{code}".encode()).hexdigest()
    assert stored.code_hash != hashlib.sha256(code.encode()).hexdigest()


@pytest.mark.parametrize(
    "phone_of_patient, fields",
    [
        (None, {}),  # nobody has the phone
        ("+16175551234", {"consent_status": ConsentStatus.OPTED_OUT}),
        ("+16175551234", {"phone_valid": False}),
    ],
    ids=["unknown", "opted-out", "invalid-number"],
)
def test_start_answers_the_same_and_texts_nothing_when_no_code_can_go(
    client, make, clinic, phone_of_patient, fields
):
    known = make.patient(clinic, phone="+16175550199")
    if phone_of_patient:
        make.patient(clinic, phone=phone_of_patient, **fields)
    for_known = client.post(START, json={"phone": known.phone})
    for_other = client.post(START, json={"phone": "+16175551234"})
    assert for_other.status_code == for_known.status_code == 202
    assert for_other.get_json() == for_known.get_json()
    assert otp_messages("+16175551234") == []


def test_start_answers_no_sooner_than_the_set_pace_known_phone_or_not(
    client, app, monkeypatch, patient
):
    monkeypatch.setitem(app.config, "PATIENT_CODE_MIN_SECONDS", 0.25)
    for phone in (patient.phone, "+16175550000"):
        started = time.monotonic()
        assert client.post(START, json={"phone": phone}).status_code == 202
        assert time.monotonic() - started >= 0.25


def test_a_phone_in_two_clinics_gets_one_code_from_each(client, make, patient):
    other = make.patient(make.clinic(name="Eastside PT"), phone=patient.phone)
    client.post(START, json={"phone": patient.phone})
    bodies = {m.patient_id: m.body for m in otp_messages()}
    assert bodies[patient.id].startswith("Northside PT: ")
    assert bodies[other.id].startswith("Eastside PT: ")
    token = sign_in(client, code_in(bodies[other.id])).get_json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["id"] == other.id and me["clinic"]["name"] == "Eastside PT"


def test_verify_returns_a_30_day_token_that_reaches_the_patients_profile(client, clock, patient):
    response = sign_in(client, request_code(client))
    assert response.status_code == 200
    body = response.get_json()
    assert body["expires_at"] == "2026-12-31T15:00:00+00:00"
    stored = db.session.scalars(select(AccessToken)).one()
    assert stored.patient_id == patient.id and stored.token_hash != body["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.get_json()["first_name"] == "Ana"


def test_wrong_code_is_401_and_issues_no_token(client, patient):
    code = request_code(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert_problem(sign_in(client, wrong), 401)
    assert db.session.scalar(select(func.count(AccessToken.id))) == 0


def test_unknown_phone_and_wrong_code_get_the_same_401(client, patient):
    request_code(client)
    wrong = assert_problem(sign_in(client, "000000"), 401)
    unknown = assert_problem(sign_in(client, "000000", phone="+16175550000"), 401)
    assert wrong == unknown


def test_expired_code_is_401(client, clock, patient):
    code = request_code(client)
    clock.advance(minutes=10)
    assert_problem(sign_in(client, code), 401)


def test_code_is_valid_until_just_before_ten_minutes(client, clock, patient):
    code = request_code(client)
    clock.advance(minutes=9, seconds=59)
    assert sign_in(client, code).status_code == 200


def test_sixth_attempt_is_refused_even_with_the_right_code(client, patient):
    code = request_code(client)
    for _ in range(5):
        assert_problem(sign_in(client, "999999" if code != "999999" else "000000"), 401)
    assert_problem(sign_in(client, code), 401)
    assert db.session.scalars(select(OneTimeCode)).one().attempts == 5


def test_fifth_attempt_may_still_be_the_right_one(client, patient):
    code = request_code(client)
    for _ in range(4):
        sign_in(client, "999999" if code != "999999" else "000000")
    assert sign_in(client, code).status_code == 200


def test_a_new_code_supersedes_the_old_one(client, patient):
    first = request_code(client)
    second = request_code(client)
    if first != second:  # one in a million they are equal; the old row is superseded anyway
        assert_problem(sign_in(client, first), 401)
    assert sign_in(client, second).status_code == 200
    assert [c.superseded for c in db.session.scalars(select(OneTimeCode).order_by("id"))] == [
        True,
        False,
    ]


def test_a_code_signs_in_once(client, patient):
    code = request_code(client)
    assert sign_in(client, code).status_code == 200
    assert_problem(sign_in(client, code), 401)


def test_a_code_stops_working_when_the_patients_phone_changes(client, patient):
    code = request_code(client)
    patient.phone = "+16175550111"
    db.session.commit()
    assert_problem(sign_in(client, code), 401)
    assert_problem(sign_in(client, code, phone="+16175550111"), 401)


@pytest.mark.parametrize(
    "path, payload, field",
    [
        (START, {}, "phone"),
        (START, {"phone": "not a phone"}, "phone"),
        (START, {"phone": "+1617555123"}, "phone"),
        (START, {"phone": "+16175551234", "clinic": 1}, "clinic"),
        (VERIFY, {"phone": "+16175551234"}, "code"),
        (VERIFY, {"phone": "+16175551234", "code": "12345"}, "code"),
        (VERIFY, {"phone": "+16175551234", "code": 123456}, "code"),
        (VERIFY, {"phone": "+16175551234", "code": "12345a"}, "code"),
        (VERIFY, {"code": "123456"}, "phone"),
    ],
)
def test_bad_sign_in_payloads_are_422_naming_the_field_and_store_nothing(
    client, patient, path, payload, field
):
    assert_problem(client.post(path, json=payload), 422, field)
    assert otp_messages() == []
    assert db.session.scalar(select(func.count(OneTimeCode.id))) == 0


def test_logout_revokes_the_patient_token(client, headers):
    assert client.post("/api/v1/patient-auth/logout", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_logout_with_a_staff_token_is_403(client, make, clinic):
    staff_headers = make.staff_token(make.staff(clinic))
    assert_problem(client.post("/api/v1/patient-auth/logout", headers=staff_headers), 403)
    assert client.get("/api/v1/me", headers=staff_headers).status_code == 200


def test_sign_in_steps_are_audited_for_the_patient(client, patient):
    token = sign_in(client, request_code(client)).get_json()["token"]
    client.post("/api/v1/patient-auth/logout", headers={"Authorization": f"Bearer {token}"})
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "patient_auth.code_sent",
        "patient_auth.sign_in",
        "patient_auth.logout",
    ]
    assert {(e.actor_type, e.actor_id, e.clinic_id) for e in events} == {
        ("patient", patient.id, patient.clinic_id)
    }
