"""PostgreSQL cut off under load (a proxy the test controls; the shared server is never touched):
every text Twilio delivered or retried is processed exactly once, the web answers 503 with
Retry-After in one log line, and the jobs process logs one line per failed tick and goes on."""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from server import CONNECT_TIMEOUT
from server.enums import MessageDirection, MessagePurpose
from server.extensions import db
from server.models import Message, Score
from server.services import heartbeats
from server.services.conversation import inbound
from tests.faults import processes

TOKEN, ACCOUNT = "fault-test-auth-token", "AC" + "0" * 31 + "1"
BASE = f"http://127.0.0.1:{processes.WEB_PORT}"
TEXTS = 60


@pytest.fixture
def postgres(app, db, clock):
    clock.now = datetime.now(UTC)  # the served processes run on the real clock
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    proxy = processes.TcpProxy(processes.upstream_of(uri))
    yield proxy, processes.environment(
        processes.through(uri),
        SMS_BACKEND="twilio",
        TWILIO_ACCOUNT_SID=ACCOUNT,
        TWILIO_AUTH_TOKEN=TOKEN,
        JOBS_TICK_SECONDS="1",
        JOBS_DISPATCH_SECONDS="1",
    )
    proxy.close()


def post_text(params: dict) -> tuple[int | None, dict, bytes]:
    """POST /sms/inbound signed as Twilio signs it: status (None: no answer), headers, body."""
    signature = RequestValidator(TOKEN).compute_signature(
        "https://painline.example/sms/inbound", params
    )
    request = urllib.request.Request(
        f"{BASE}/sms/inbound", urlencode(params).encode(), {"X-Twilio-Signature": signature}
    )
    return call(request)


def call(request) -> tuple[int | None, dict, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:
        return None, {}, b""


def deliver_like_twilio(params: dict, answers: list, until: float) -> bool:
    """Deliver one text, retrying the same MessageSid on a 5xx or no answer; True once 200."""
    while time.monotonic() < until:
        status, headers, body = post_text(params)
        answers.append((status, headers.get("Content-Type"), headers.get("Retry-After"), body))
        if status == 200:
            return True
        time.sleep(0.5)
    return False


def prompted_patients(make, clock, count: int):
    clinic = make.clinic(name="Northside PT")
    patients = [make.patient(clinic, phone=f"+1303555{n:04d}") for n in range(count)]
    for patient in patients:
        make.checkin(patient, prompted=True, kind="day7")
    return clinic, patients


def cut_twice(proxy) -> None:
    """A restart (PostgreSQL away 1.5 s), then an outage (4 s), while texts arrive."""
    for wait, away in ((1.5, 1.5), (1.0, 4.0)):
        time.sleep(wait)
        proxy.cut()
        time.sleep(away)
        proxy.restore()


@pytest.mark.postgres
@pytest.mark.slow
def test_texts_through_a_restart_and_an_outage_are_processed_exactly_once(
    postgres, make, clock, tmp_path
):
    proxy, env = postgres
    clinic, patients = prompted_patients(make, clock, TEXTS)
    texts = [{"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT, "From": p.phone,
              "To": clinic.sms_sender, "Body": "7"} for p in patients]  # fmt: skip
    answers: list = []
    with processes.gunicorn(env, tmp_path / "web.log"):
        processes.wait_until_up()
        cutter = threading.Thread(target=cut_twice, args=(proxy,))
        cutter.start()
        until = time.monotonic() + 45
        with ThreadPoolExecutor(8) as senders:
            delivered = []
            for text in texts:  # 10 a second, for 6 s
                delivered.append(senders.submit(deliver_like_twilio, text, answers, until))
                time.sleep(0.1)
            assert all(future.result() for future in delivered), "a text was never acknowledged"
        cutter.join(timeout=15)
    log = (tmp_path / "web.log").read_text()

    unavailable = [a for a in answers if a[0] == 503]
    assert unavailable, "the cuts were never felt: nothing tested"
    assert {(a[1], a[2]) for a in unavailable} == {("application/problem+json", "5")}
    assert "Traceback" not in log and "database unavailable" in log
    swept = inbound.sweep_unprocessed(datetime.now(UTC) + timedelta(minutes=2))
    db.session.commit()
    assert_each_text_processed_once(texts, patients)
    print(f"503s: {len(unavailable)}, no answer: {sum(a[0] is None for a in answers)}, {swept}")


def assert_each_text_processed_once(texts: list[dict], patients) -> None:
    db.session.expire_all()
    inbound_rows = db.session.scalars(
        select(Message).where(Message.direction == MessageDirection.INBOUND)
    ).all()
    assert sorted(m.twilio_sid for m in inbound_rows) == sorted(t["MessageSid"] for t in texts)
    assert all(m.processed_at is not None for m in inbound_rows)
    per_patient = select(Score.patient_id, func.count()).group_by(Score.patient_id)
    assert dict(db.session.execute(per_patient).all()) == {p.id: 1 for p in patients}
    replies = select(Message.patient_id, func.count()).where(
        Message.purpose == MessagePurpose.REPLY
    ).group_by(Message.patient_id)
    assert dict(db.session.execute(replies).all()) == {p.id: 1 for p in patients}


@pytest.mark.postgres
@pytest.mark.slow
def test_an_outage_is_503_with_retry_after_and_the_jobs_process_keeps_ticking(
    postgres, make, clock, tmp_path
):
    proxy, env = postgres
    clinic, [patient] = prompted_patients(make, clock, 1)
    staff = make.staff_token(make.staff(clinic))
    web_log, jobs_log = tmp_path / "web.log", tmp_path / "jobs.log"
    with processes.gunicorn(env, web_log), processes.jobs_run(env, jobs_log):
        processes.wait_until_up()
        proxy.cut()
        time.sleep(3)  # three ticks of each job fail
        during = {
            "patients": call(urllib.request.Request(f"{BASE}/api/v1/patients", headers=staff)),
            "inbound": post_text({"MessageSid": "SM" + uuid.uuid4().hex, "From": patient.phone,
                                  "To": clinic.sms_sender, "Body": "7"}),  # fmt: skip
            "readyz": call(urllib.request.Request(f"{BASE}/readyz")),
        }
        proxy.restore()
        restored = datetime.now(UTC)
        assert wait_for(lambda: (heartbeats.last_beat(heartbeats.SCHEDULER) or restored) > restored)
        after = call(urllib.request.Request(f"{BASE}/api/v1/patients", headers=staff))

    for name in ("patients", "inbound"):
        status, headers, body = during[name]
        assert (status, headers["Content-Type"], headers["Retry-After"]) == (
            503, "application/problem+json", "5"
        ), name  # fmt: skip
        assert json.loads(body)["status"] == 503
    assert during["readyz"][0] == 503 and after[0] == 200
    web, jobs = web_log.read_text(), jobs_log.read_text()
    assert "Traceback" not in web and web.count("database unavailable") >= 2
    assert "Traceback" not in jobs
    failed = [line for line in jobs.splitlines() if "tick failed, database unavailable" in line]
    assert 2 <= len(failed) <= 12, jobs  # one line per failed tick of two 1 s jobs, ~3 s


def wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.postgres
@pytest.mark.slow
def test_a_database_host_gone_silent_is_a_503_within_the_connect_timeout(
    postgres, make, clock, tmp_path
):
    proxy, env = postgres
    staff = make.staff_token(make.staff(make.clinic()))
    patients = urllib.request.Request(f"{BASE}/api/v1/patients", headers=staff)
    with processes.gunicorn(env, tmp_path / "web.log", workers=1):
        processes.wait_until_up()
        assert call(patients)[0] == 200
        proxy.hang()
        started = time.monotonic()
        status, headers, _ = call(patients)
        took = time.monotonic() - started
    assert (status, headers["Retry-After"]) == (503, "5")
    assert CONNECT_TIMEOUT <= took < CONNECT_TIMEOUT + 3, took  # not the OS's TCP timeout
