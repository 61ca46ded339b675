"""Configuration: read from the environment once, in one function, validated at start."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse_many


class ConfigError(Exception):
    """A missing or malformed setting; the message is one line an operator can act on."""


CHOICES = {
    "SMS_BACKEND": ("console", "twilio"),
    "SCHEDULER": ("embedded", "off"),
    "RATELIMIT_STORAGE_DOWN": ("memory", "open"),
    "MAIL_BACKEND": ("console", "smtp"),
    "MAIL_SECURITY": ("none", "starttls", "ssl"),
    "PAINLINE_ENV": ("production", "development"),
    "RATELIMIT_SINGLE_PROCESS": ("0", "1"),
    "LOG_FORMAT": ("text", "json"),
}
DEFAULTS: dict[str, Any] = {
    "PAINLINE_ENV": "production",  # `make run` and the tests say development
    # memory:// counters are per process: allowed in production only when it is one process.
    "RATELIMIT_SINGLE_PROCESS": "0",
    "SMS_BACKEND": "console",
    "SCHEDULER": "off",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "TWILIO_API_URL": None,
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_AUTH_TOKEN": "",
    "RATELIMIT_STORAGE_URI": "memory://",
    # While Redis is down: "memory" keeps counting in each process (limits x processes, never
    # none: sign-in codes cost texts and code guesses must stay limited); "open" lets requests
    # through unlimited. Either way sign-in keeps working.
    "RATELIMIT_STORAGE_DOWN": "memory",
    "STAFF_TOKEN_HOURS": 12,
    "PATIENT_TOKEN_DAYS": 30,
    "SMS_SEND_RATE": 10.0,  # messages per second per sender, in each dispatcher process
    "TWILIO_TIMEOUT_SECONDS": 10.0,
    "JOBS_TICK_SECONDS": 15,  # prompts, reminders, expiry and the scheduler heartbeat
    "JOBS_DISPATCH_SECONDS": 2,  # the outbox dispatcher: OTP codes must not wait a whole tick
    "SMS_DISPATCH_BATCH": 100,  # outbox rows claimed per transaction
    "SMS_SEND_THREADS": 4,  # texts in flight at once per dispatcher process
    "SMS_MAX_ATTEMPTS": 6,  # send attempts before a retryable failure becomes "failed"
    "SMS_RETRY_BASE_SECONDS": 30.0,  # first retry delay, doubled each attempt...
    "SMS_RETRY_MAX_SECONDS": 1800.0,  # ...up to this cap
    # A claimed row still "sending" after this is presumed abandoned (crash) and reconciled.
    "SMS_SENDING_TIMEOUT_SECONDS": 120.0,
    # ...unless the dispatcher that claimed it stopped beating for this long: then at once.
    "SMS_DISPATCHER_STALE_SECONDS": 30.0,
    # Reverse proxies in front of gunicorn that set X-Forwarded-For/-Proto: the client IP in
    # audit events and per-IP rate limits comes from them, so this must match the deployment.
    "PROXY_HOPS": 0,
    "LOGIN_LIMIT_PER_IP": "30 per minute",
    "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
    # Patient app sign-in. Per IP is generous: a clinic's waiting-room Wi-Fi is one address.
    "PATIENT_CODE_LIMIT_PER_PHONE": "3 per 10 minutes;10 per day",
    "PATIENT_CODE_LIMIT_PER_IP": "30 per hour",
    "PATIENT_VERIFY_LIMIT_PER_PHONE": "10 per 10 minutes",
    "PATIENT_VERIFY_LIMIT_PER_IP": "60 per hour",
    # Known and unknown phones take different work; /patient-auth/start answers no sooner than
    # this, so its timing does not tell which it was.
    "PATIENT_CODE_MIN_SECONDS": 0.2,
    # Staff alerts by email: `console` logs them (development), `smtp` sends them.
    "MAIL_BACKEND": "console",
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_SECURITY": "none",
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_TIMEOUT_SECONDS": 10.0,
    "MAIL_DEFAULT_SENDER": "PainLine <alerts@painline.invalid>",
    "NOTIFY_MAX_ATTEMPTS": 6,  # sends of one notification before a 4xx becomes "failed"
    "NOTIFY_RETRY_BASE_SECONDS": 60.0,
    "NOTIFY_RETRY_MAX_SECONDS": 1800.0,
    "NOTIFY_SENDING_TIMEOUT_SECONDS": 120.0,  # a claim older than this was abandoned (crash)
    # The dashboard signs a staff member out after this long without a request.
    "DASHBOARD_IDLE_MINUTES": 30,
    # The overview's figures (API and page) are recomputed at most this often per clinic and
    # process; 0 recomputes them on every request (server/figure_cache.py says why).
    "OVERVIEW_MAX_AGE_SECONDS": 60,
    # Request bodies above this many bytes are refused (413) before they are read.
    "MAX_CONTENT_LENGTH": 1_048_576,
    # "text" or "json"; unset: json in production (one object a line for the log collector,
    # tracebacks included), text in development (read in a terminal).
    "LOG_FORMAT": "",
}
RATE_LIMITS = [key for key in DEFAULTS if "_LIMIT_PER_" in key]
NUMBERS = {
    "STAFF_TOKEN_HOURS": int,
    "PATIENT_TOKEN_DAYS": int,
    "SMS_SEND_RATE": float,
    "TWILIO_TIMEOUT_SECONDS": float,
    "JOBS_TICK_SECONDS": int,
    "JOBS_DISPATCH_SECONDS": int,
    "SMS_DISPATCH_BATCH": int,
    "SMS_SEND_THREADS": int,
    "SMS_MAX_ATTEMPTS": int,
    "SMS_RETRY_BASE_SECONDS": float,
    "SMS_RETRY_MAX_SECONDS": float,
    "SMS_SENDING_TIMEOUT_SECONDS": float,
    "SMS_DISPATCHER_STALE_SECONDS": float,
    "PATIENT_CODE_MIN_SECONDS": float,
    "PROXY_HOPS": int,
    "MAIL_PORT": int,
    "MAIL_TIMEOUT_SECONDS": float,
    "NOTIFY_MAX_ATTEMPTS": int,
    "NOTIFY_RETRY_BASE_SECONDS": float,
    "NOTIFY_RETRY_MAX_SECONDS": float,
    "NOTIFY_SENDING_TIMEOUT_SECONDS": float,
    "DASHBOARD_IDLE_MINUTES": int,
    "OVERVIEW_MAX_AGE_SECONDS": int,
    "MAX_CONTENT_LENGTH": int,
}
ZERO_ALLOWED = {"PROXY_HOPS", "OVERVIEW_MAX_AGE_SECONDS"}


def load_config(environ: Mapping[str, str] | None = None, instance_path: str = "instance") -> dict:
    """Build the app settings from the environment (os.environ unless given)."""
    env = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    settings.update({key: env[key] for key in DEFAULTS if env.get(key)})
    settings["SECRET_KEY"] = env.get("SECRET_KEY", "")
    default_db = f"sqlite:///{Path(instance_path).resolve() / 'painline.db'}"
    settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        env.get("DATABASE_URL") or default_db
    )
    return validate(settings)


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def validate(settings: dict) -> dict:
    """Check every setting, coercing numbers; raise ConfigError naming the first bad one."""
    if not settings.get("SECRET_KEY"):
        raise ConfigError("SECRET_KEY is not set: set it to a long random string")
    if not settings["LOG_FORMAT"]:
        settings["LOG_FORMAT"] = "text" if settings["PAINLINE_ENV"] == "development" else "json"
    for key, choices in CHOICES.items():
        if settings[key] not in choices:
            raise ConfigError(f"{key}={settings[key]!r} is not one of {', '.join(choices)}")
    _check_numbers(settings)
    _check_rate_limits(settings)
    for key in ("PUBLIC_BASE_URL", "TWILIO_API_URL"):
        if settings[key] and urlsplit(settings[key]).scheme not in ("http", "https"):
            raise ConfigError(f"{key}={settings[key]!r} is not an http(s) URL")
    if settings["SMS_BACKEND"] == "twilio":
        for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
            if not settings[key]:
                raise ConfigError(f"{key} is required when SMS_BACKEND=twilio")
    _check_timeouts(settings)
    _check_limiter_storage(settings)
    settings["PUBLIC_BASE_URL"] = settings["PUBLIC_BASE_URL"].rstrip("/")
    return settings


def _check_numbers(settings: dict) -> None:
    for key, kind in NUMBERS.items():
        try:
            settings[key] = kind(settings[key])
        except (TypeError, ValueError):
            raise ConfigError(f"{key}={settings[key]!r} is not a number") from None
        if settings[key] < 0 or (settings[key] == 0 and key not in ZERO_ALLOWED):
            raise ConfigError(f"{key} must be positive")


def _check_timeouts(settings: dict) -> None:
    # A send still in flight must never look abandoned, or a second dispatcher would resend it.
    if settings["SMS_SENDING_TIMEOUT_SECONDS"] < 3 * settings["TWILIO_TIMEOUT_SECONDS"]:
        raise ConfigError("SMS_SENDING_TIMEOUT_SECONDS must be at least 3 x TWILIO_TIMEOUT_SECONDS")
    # A dispatcher sends only while its own beat is younger than half this: a send it started
    # then (at most TWILIO_TIMEOUT_SECONDS) ends before anyone may think it dead.
    stale, beats = settings["SMS_DISPATCHER_STALE_SECONDS"], settings["JOBS_DISPATCH_SECONDS"]
    if stale < 3 * max(settings["TWILIO_TIMEOUT_SECONDS"], beats):
        raise ConfigError(
            "SMS_DISPATCHER_STALE_SECONDS must be at least 3 x TWILIO_TIMEOUT_SECONDS "
            "and 3 x JOBS_DISPATCH_SECONDS"
        )
    if settings["NOTIFY_SENDING_TIMEOUT_SECONDS"] < 3 * settings["MAIL_TIMEOUT_SECONDS"]:
        raise ConfigError("NOTIFY_SENDING_TIMEOUT_SECONDS must be >= 3 x MAIL_TIMEOUT_SECONDS")


def _check_limiter_storage(settings: dict) -> None:
    # With N gunicorn workers each counts alone: every limit would be multiplied by N.
    development = settings["PAINLINE_ENV"] == "development"
    allowed = development or settings["RATELIMIT_SINGLE_PROCESS"] == "1"
    if settings["RATELIMIT_STORAGE_URI"].startswith("memory://") and not allowed:
        raise ConfigError(
            "RATELIMIT_STORAGE_URI=memory:// counts per process: set it to redis://host:6379/0, "
            "or RATELIMIT_SINGLE_PROCESS=1 for one process, or PAINLINE_ENV=development"
        )


def _check_rate_limits(settings: dict) -> None:
    for key in RATE_LIMITS:
        try:
            parse_many(settings[key])
        except ValueError:
            hint = "a rate limit like '10 per hour' or '3 per 10 minutes;10 per day'"
            raise ConfigError(f"{key}={settings[key]!r} is not {hint}") from None
