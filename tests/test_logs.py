"""Logs carry no patient data: a whole flow run with log capture shows no name, phone or reply."""

import io
import json
import logging
import sys
from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from server.enums import Role
from server.extensions import db
from server.logs import configure_logging, formatter, mask_phone
from server.models import Patient
from tests.api.patient_app.conftest import code_in, otp_messages
from tests.test_end_to_end import text

NAME, PHONE, REPLY = "Philippa", "+16175559876", "pain 9 my left knee is xyzzy"


class Captured:
    """What the flow logged: the records, and the lines the app's formatter made of them."""

    def __init__(self, caplog, log_format: str):
        self.caplog, self.format, self.lines = caplog, log_format, io.StringIO()
        self.handler = logging.StreamHandler(self.lines)
        self.handler.setFormatter(formatter(log_format))

    @property
    def records(self):
        return self.caplog.records

    @property
    def written(self) -> str:
        return self.lines.getvalue()

    @property
    def text(self) -> str:
        return self.caplog.text + self.written


@pytest.fixture(params=["text", "json"])
def logs(request, app, caplog):
    """Every test here runs with each LOG_FORMAT, as the app's handler formats it."""
    configure_logging(request.param)
    caplog.set_level(logging.DEBUG)
    captured = Captured(caplog, request.param)
    logging.getLogger().addHandler(captured.handler)
    yield captured
    logging.getLogger().removeHandler(captured.handler)
    configure_logging(app.config["LOG_FORMAT"])


def assert_no_patient_data(logs) -> None:
    assert logs.records, "the flow logged something"
    text_ = logs.text + "".join(str(r.args) for r in logs.records)
    for secret in (NAME, PHONE, PHONE[1:], "xyzzy", "knee"):
        assert secret not in text_, secret
    assert logs.written, "the app's handler wrote the records"
    if logs.format == "json":
        for line in logs.written.splitlines():
            assert set(json.loads(line)) >= {"time", "level", "logger", "message", "request_id"}


def test_a_whole_flow_logs_no_name_phone_or_reply(app, client, make, clock, sms, logs):
    clinic = make.clinic(name="Northside PT")
    headers = make.staff_token(make.staff(clinic, role=Role.ADMIN), hours=24 * 30)
    patient = make.patient(clinic, first_name=NAME, phone=PHONE, tracks_headache=True)
    run = app.test_cli_runner()

    assert client.post("/api/v1/patient-auth/start", json={"phone": PHONE}).status_code == 202
    sms.fail_next(1, status=500, code=None)  # the first send fails and is retried: logged
    assert run.invoke(args=["jobs", "tick"]).exit_code == 0
    clock.advance(minutes=5)
    assert run.invoke(args=["jobs", "tick"]).exit_code == 0
    code = code_in(otp_messages(PHONE)[0].body)
    verified = client.post("/api/v1/patient-auth/verify", json={"phone": PHONE, "code": code})
    assert verified.status_code == 200

    session = client.post(f"/api/v1/patients/{patient.id}/sessions", headers=headers,
                          json={"occurred_at": "2026-12-01T14:00:00Z"}).get_json()
    due = session["checkins"][0]["due_at"]
    clock.set(due)
    assert run.invoke(args=["jobs", "tick", "--at", due]).exit_code == 0
    assert sms.count_by(PHONE) == 2, "the code and the prompt went out"
    assert text(client, sms, patient, clinic, REPLY).status_code == 200
    flags = client.get("/api/v1/flags", headers=headers).get_json()
    assert [f["rule"] for f in flags] == ["pain_severe"]
    duplicate = {"first_name": NAME, "phone": PHONE, "timezone": "America/New_York"}
    assert client.post("/api/v1/patients", json=duplicate, headers=headers).status_code == 409
    assert_no_patient_data(logs)


def test_a_failed_statement_does_not_show_its_parameters(make, logs):
    clinic = make.clinic()
    make.patient(clinic, first_name=NAME, phone=PHONE)
    db.session.add(Patient(**{c: getattr(db.session.scalars(db.select(Patient)).one(), c)
                              for c in ("clinic_id", "first_name", "phone", "timezone",
                                        "language", "tracks_headache", "care_status",
                                        "consent_status", "created_at")}))
    with pytest.raises(IntegrityError) as error:
        db.session.commit()
    db.session.rollback()
    logging.getLogger("server").error("enrolment failed", exc_info=error.value)
    assert "parameters hidden" in str(error.value)
    assert_no_patient_data(logs)


def test_phone_numbers_are_masked_wherever_they_are_logged(logs):
    logging.getLogger("twilio.any").warning("Unable to create record: The 'To' number %s", PHONE)
    assert mask_phone(PHONE) in logs.text and PHONE not in logs.text


def test_database_details_naming_row_values_are_dropped_from_tracebacks(logs):
    try:
        raise ValueError(f'null value in column "timezone"\nDETAIL:  Failing row contains '
                         f"(7, 1, null, {NAME}, {PHONE}).")
    except ValueError:
        logging.getLogger("server").exception("enrolment failed")
    assert "DETAIL: [hidden]" in logs.text
    assert_no_patient_data(logs)


def test_a_json_line_is_one_object_with_utc_time_level_logger_message_and_request_id(app):
    line = io.StringIO()
    handler = logging.StreamHandler(line)
    handler.setFormatter(formatter("json"))
    logger = logging.getLogger("server.test_logs")
    logger.addHandler(handler)
    try:
        with app.test_request_context(headers={"X-Request-Id": "trace-42"}):
            logger.warning("reply from %s\nnot understood", PHONE)
        logger.warning("outside any request")
    finally:
        logger.removeHandler(handler)
    inside, outside = [json.loads(text) for text in line.getvalue().splitlines()]
    assert inside == {"time": inside["time"], "level": "WARNING", "logger": "server.test_logs",
                      "message": f"reply from {mask_phone(PHONE)}\nnot understood",
                      "request_id": "trace-42"}
    assert datetime.fromisoformat(inside["time"]).utcoffset() == timedelta(0)
    assert outside["request_id"] is None


def test_a_json_line_keeps_the_traceback_inside_the_object_masked():
    try:
        raise ValueError(f"no patient for {PHONE}")
    except ValueError:
        record = logging.getLogger("server").makeRecord(
            "server", logging.ERROR, __file__, 1, "lookup failed", None, sys.exc_info())
    [line] = formatter("json").format(record).splitlines()
    assert "ValueError: no patient for " + mask_phone(PHONE) in json.loads(line)["exception"]
    assert PHONE not in line


def test_a_text_line_names_its_request(app):
    record = logging.getLogger("server").makeRecord("server", logging.INFO, __file__, 1,
                                                    "hello", None, None)
    assert "[-] hello" in formatter("text").format(record)
    with app.test_request_context(headers={"X-Request-Id": "trace-42"}):
        record = logging.getLogger("server").makeRecord("server", logging.INFO, __file__, 1,
                                                        "hello", None, None)
    assert "INFO server [trace-42] hello" in formatter("text").format(record)
