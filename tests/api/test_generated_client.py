"""The app team's view: a client generated from the live spec, with no warning, drives both flows.

openapi-python-client (pinned in requirements-dev.txt) generates the package into a temporary
folder; its functions then call the app through httpx's WSGI transport, and every answer must
come back as the typed model the spec promised.
"""

import importlib
import json
import subprocess
import sys
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

import httpx
import pytest

from server.extensions import db
from server.models import Clinic
from tests.api.patient_app.conftest import code_in, otp_messages
from tests.factories import PASSWORD

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "painline_client"


@pytest.fixture(scope="module")
def generated(app, tmp_path_factory):
    """Generate the client from /api/openapi.json (failing on any warning) and import it."""
    root = tmp_path_factory.mktemp("client")
    (root / "openapi.json").write_text(json.dumps(app.test_client().get("/api/openapi.json").json))
    (root / "config.yaml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    result = subprocess.run(
        [str(GENERATOR), "generate", "--path", "openapi.json", "--config", "config.yaml",
         "--meta", "none", "--fail-on-warning", "--output-path", PACKAGE],
        cwd=root, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower()
    sys.path.insert(0, str(root))
    try:
        yield lambda name: importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[module]


@pytest.fixture
def connect(app, generated):
    """A generated client talking to the app in-process, anonymous or with a bearer token."""
    client = generated("client")

    def connect(token: str | None = None):
        transport = {"transport": httpx.WSGITransport(app=app)}
        if token is None:
            return client.Client(base_url="http://localhost", httpx_args=transport)
        return client.AuthenticatedClient(
            base_url="http://localhost", token=token, httpx_args=transport
        )

    return connect


@pytest.fixture
def admin(make):
    """An admin of an empty clinic, with a password the generated client signs in with."""
    from server.enums import Role

    return make.staff(make.clinic(name="Northside PT"), role=Role.ADMIN)


def test_staff_flow_through_the_generated_client(generated, connect, admin, app, clock):
    api, models = generated("api"), generated("models")
    login = importlib.import_module(f"{PACKAGE}.api.auth.login")
    token = login.sync(client=connect(), body=models.Login(email=admin.email, password=PASSWORD))
    assert isinstance(token, models.Token) and isinstance(token.token, str)
    staff = connect(token.token)
    patients = importlib.import_module(f"{api.__name__}.patients")
    patient = _call(patients, "create_patient", staff, body=models.PatientCreate(
        first_name="Rosa", phone="+16175550123", timezone="America/New_York",
        measures=[models.Measure.PAIN_NPRS, models.Measure.HEADACHE_DAYS_7D]))
    assert isinstance(patient, models.Patient) and patient.phone == "+16175550123"
    assert patient.measures == [models.Measure.PAIN_NPRS, models.Measure.HEADACHE_DAYS_7D]
    listed = _call(patients, "list_patients", staff, sort=models.ListPatientsSort.CREATED_DESC)
    assert [p.id for p in listed] == [patient.id] and isinstance(listed[0].open_flags, int)

    sessions = importlib.import_module(f"{api.__name__}.sessions")
    session = _call(sessions, "create_session", staff, patient.id, body=models.SessionCreate(
        occurred_at=clock.now.replace(hour=14), in_clinic_pain=7))
    assert isinstance(session.in_clinic_score, models.Score)
    [again] = _call(sessions, "list_sessions", staff, patient.id)
    assert again.in_clinic_score.value == 7 and isinstance(again.checkins[0], models.CheckIn)
    assert again.checkins[0].measures == [models.Measure.PAIN_NPRS]
    _call(sessions, "create_score", staff, patient.id,
          body=models.ScoreCreate(measure=models.Measure.PAIN_NPRS, value=9))

    trends = importlib.import_module(f"{api.__name__}.trends")
    [pain] = [m for m in _call(trends, "get_patient_trends", staff, patient.id).measures
              if m.measure == models.Measure.PAIN_NPRS]
    assert isinstance(pain.baseline, models.Reading) and type(pain.baseline.value) is int
    assert pain.baseline.value == 7 and pain.latest.value == 9
    assert pain.change is None, "the 9 came an hour after needling: not compared"
    assert pain.latest.in_post_needling_window is True
    flags = importlib.import_module(f"{api.__name__}.flags")
    [flag] = _call(flags, "list_flags", staff)
    assert flag.rule == models.FlagRule.PAIN_SEVERE and flag.severity == models.Severity.URGENT
    acknowledged = _call(flags, "acknowledge_flag", staff, flag.id,
                         body=models.Acknowledge(note="Called"))
    assert acknowledged.status == models.FlagStatus.ACKNOWLEDGED
    resolved = _call(flags, "resolve_flag", staff, flag.id, body=models.Resolve(
        resolution=models.Resolution.CONTACTED_PATIENT, note="Better today"))
    assert resolved.status == models.FlagStatus.RESOLVED


def test_every_enum_member_has_a_name_not_a_number(generated):
    models = generated("models")
    sort = models.ListPatientsSort
    assert {member.name: member.value for member in sort} == {
        "CREATED": "created", "CREATED_DESC": "-created", "CHANGE": "change",
        "CHANGE_DESC": "-change", "LATEST_PAIN": "latest_pain",
        "LATEST_PAIN_DESC": "-latest_pain", "OPEN_FLAGS": "open_flags",
        "OPEN_FLAGS_DESC": "-open_flags"}
    enums = [kind for kind in vars(models).values()
             if isinstance(kind, type) and issubclass(kind, Enum)]
    assert len(enums) > 30
    unnamed = [f"{kind.__name__}.{m.name}" for kind in enums for m in kind
               if m.name.startswith("VALUE_")]
    assert unnamed == []


def _call(package, operation: str, client, *args, **kwargs):
    """Call one generated operation; anything but its typed success model fails the test."""
    answer = importlib.import_module(f"{package.__name__}.{operation}").sync_detailed(
        *args, client=client, **kwargs
    )
    assert 200 <= answer.status_code < 300, answer.content
    return answer.parsed


@pytest.fixture
def prompted_patient(app, make, clock):
    """A headache patient whose day-3 check-in was just texted (session recorded 3 days ago)."""
    patient = make.patient(make.clinic(), phone="+16175550199", tracks_headache=True,
                           created_at=clock.now - timedelta(days=4))
    make.session(patient, occurred_at=clock.now - timedelta(days=4))  # an earlier visit
    staff = make.staff_token(make.staff(db.session.get(Clinic, patient.clinic_id)))
    recorded = app.test_client().post(
        f"/api/v1/patients/{patient.id}/sessions", headers=staff,
        json={"occurred_at": "2026-11-28T14:00:00Z", "in_clinic_pain": 6},
    )  # fmt: skip
    assert recorded.status_code == 201, recorded.json
    assert app.test_cli_runner().invoke(args=["jobs", "tick"]).exit_code == 0
    return patient


def test_patient_flow_through_the_generated_client(generated, connect, prompted_patient, app,
                                                   monkeypatch):
    api, models = generated("api"), generated("models")
    monkeypatch.setitem(app.config, "PATIENT_CODE_MIN_SECONDS", 0.0)
    patient_app = importlib.import_module(f"{api.__name__}.patient_app")
    phone = prompted_patient.phone
    sent = _call(patient_app, "start_sign_in", connect(), body=models.SignInStart(phone=phone))
    assert isinstance(sent, models.CodeSent) and sent.code_length == 6
    code = code_in(otp_messages(phone)[-1].body)
    token = _call(patient_app, "verify_sign_in", connect(),
                  body=models.SignInVerify(phone=phone, code=code))
    assert isinstance(token, models.PatientToken) and isinstance(token.expires_at, datetime)
    me = connect(token.token)

    [checkin] = _call(patient_app, "list_my_check_ins", me)
    assert isinstance(checkin, models.MyCheckIn) and checkin.kind == "day3"
    assert [q.measure for q in checkin.questions] == [models.Measure.PAIN_NPRS]
    answered = _call(patient_app, "answer_check_in", me, checkin.id,
                     body=models.Answers(pain_nprs=3), idempotency_key="first-try")
    assert isinstance(answered, models.AnswerResult)
    assert answered.check_in.status == models.CheckInStatus.COMPLETED
    assert [(s.measure, s.value) for s in answered.scores] == [(models.Measure.PAIN_NPRS, 3)]

    [pain] = [m for m in _call(patient_app, "get_my_trends", me).measures
              if m.measure == models.Measure.PAIN_NPRS]
    assert isinstance(pain.baseline, models.MyReading) and type(pain.baseline.value) is int
    assert (pain.baseline.value, pain.latest.value, pain.change_points) == (6, 3, -3)
    assert pain.category == models.McidCategory.MUCH_BETTER
