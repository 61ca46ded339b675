"""Configuration is read once, validated, and fails with one clear line."""

import subprocess
import sys
from pathlib import Path

import pytest

from server.config import ConfigError, load_config

BASE = {"SECRET_KEY": "k", "PAINLINE_ENV": "development"}


def test_defaults_give_sqlite_in_the_instance_folder_and_the_console_gateway(tmp_path):
    settings = load_config(BASE, instance_path=str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'painline.db'}"
    assert settings["SMS_BACKEND"] == "console"
    assert settings["SCHEDULER"] == "off"
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.parametrize(("env", "log_format"), [
    (BASE, "text"),
    ({"SECRET_KEY": "k", "RATELIMIT_SINGLE_PROCESS": "1"}, "json"),  # production
    (BASE | {"LOG_FORMAT": "json"}, "json"),
    ({"SECRET_KEY": "k", "RATELIMIT_SINGLE_PROCESS": "1", "LOG_FORMAT": "text"}, "text"),
])
def test_logs_are_json_in_production_and_text_in_development_unless_set(env, log_format):
    assert load_config(env)["LOG_FORMAT"] == log_format


def test_postgres_urls_use_psycopg3():
    settings = load_config(BASE | {"DATABASE_URL": "postgres://u@h/db"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY is not set"),
        (BASE | {"SMS_BACKEND": "carrier-pigeon"}, "SMS_BACKEND='carrier-pigeon' is not one of"),
        (BASE | {"SMS_BACKEND": "twilio"}, "TWILIO_ACCOUNT_SID is required"),
        (BASE | {"SCHEDULER": "cron"}, "SCHEDULER='cron'"),
        (BASE | {"RATELIMIT_STORAGE_DOWN": "closed"}, "RATELIMIT_STORAGE_DOWN='closed' is not one"),
        (BASE | {"SMS_SEND_RATE": "fast"}, "SMS_SEND_RATE='fast' is not a number"),
        (BASE | {"SMS_SEND_RATE": "0"}, "SMS_SEND_RATE must be positive"),
        (BASE | {"PUBLIC_BASE_URL": "painline.example"}, "PUBLIC_BASE_URL='painline.example'"),
        (BASE | {"LOG_FORMAT": "xml"}, "LOG_FORMAT='xml' is not one of text, json"),
    ],
)
def test_bad_settings_fail_naming_the_setting(env, message):
    with pytest.raises(ConfigError, match=message):
        load_config(env)


def test_the_app_refuses_to_start_with_one_clear_line(tmp_path):
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SMS_BACKEND": "twilio", "SECRET_KEY": "k"},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "PainLine cannot start: TWILIO_ACCOUNT_SID is required when SMS_BACKEND=twilio"
    )


def test_behind_a_proxy_the_audit_ip_is_the_clients(tmp_path, make, db):
    from server import create_app
    from server.models import AuditEvent

    proxied = create_app({"DATABASE_URL": str(db.engine.url.render_as_string(False)),
                          "SECRET_KEY": "k", "PROXY_HOPS": "1", "PAINLINE_ENV": "development"})
    headers = make.staff_token(make.staff(make.clinic())) | {"X-Forwarded-For": "203.0.113.9"}
    with proxied.test_client() as client:
        assert client.get("/api/v1/patients", headers=headers).status_code == 200
    assert db.session.scalars(db.select(AuditEvent.ip)).all() == ["203.0.113.9"]


def test_proxy_hops_must_be_a_whole_number():
    with pytest.raises(ConfigError, match="PROXY_HOPS"):
        load_config(BASE | {"PROXY_HOPS": "-1"})


# Outside development, per-process memory:// rate limits are refused with what to set.
PRODUCTION = {"SECRET_KEY": "k"}  # PAINLINE_ENV defaults to production


def test_production_refuses_memory_storage_naming_what_to_set():
    with pytest.raises(ConfigError) as refused:
        load_config(PRODUCTION)
    message = str(refused.value)
    for setting in ("RATELIMIT_STORAGE_URI", "redis://", "RATELIMIT_SINGLE_PROCESS=1",
                    "PAINLINE_ENV=development"):
        assert setting in message


@pytest.mark.parametrize("allowed", [
    {"RATELIMIT_STORAGE_URI": "redis://redis:6379/0"},
    {"RATELIMIT_SINGLE_PROCESS": "1"},
    {"PAINLINE_ENV": "development"},
])
def test_redis_or_an_explicit_setting_starts(allowed):
    assert load_config(PRODUCTION | allowed)["SECRET_KEY"] == "k"


def test_a_typo_in_the_environment_name_is_refused():
    with pytest.raises(ConfigError, match="PAINLINE_ENV='prod' is not one of"):
        load_config(PRODUCTION | {"PAINLINE_ENV": "prod"})


def test_gunicorn_style_start_refuses_with_one_line():
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=root, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "k"})
    assert result.returncode == 1
    assert result.stderr.startswith("PainLine cannot start: RATELIMIT_STORAGE_URI=memory://")
