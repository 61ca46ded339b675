"""Configuration: read from the environment once, in one function, validated at start."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A missing or malformed setting; the message is one line an operator can act on."""


CHOICES = {"SMS_BACKEND": ("console", "twilio"), "SCHEDULER": ("embedded", "off")}
DEFAULTS: dict[str, Any] = {
    "SMS_BACKEND": "console",
    "SCHEDULER": "off",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    "TWILIO_API_URL": None,
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_AUTH_TOKEN": "",
    "RATELIMIT_STORAGE_URI": "memory://",
    "STAFF_TOKEN_HOURS": 12,
    "PATIENT_TOKEN_DAYS": 30,
    "SMS_SEND_RATE": 10.0,  # messages per second per sender
    "TWILIO_TIMEOUT_SECONDS": 10.0,
    "JOBS_TICK_SECONDS": 15,
    "LOGIN_LIMIT_PER_IP": "30 per minute",
    "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
}
NUMBERS = {
    "STAFF_TOKEN_HOURS": int,
    "PATIENT_TOKEN_DAYS": int,
    "SMS_SEND_RATE": float,
    "TWILIO_TIMEOUT_SECONDS": float,
    "JOBS_TICK_SECONDS": int,
}


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
    for key, choices in CHOICES.items():
        if settings[key] not in choices:
            raise ConfigError(f"{key}={settings[key]!r} is not one of {', '.join(choices)}")
    for key, kind in NUMBERS.items():
        try:
            settings[key] = kind(settings[key])
        except (TypeError, ValueError):
            raise ConfigError(f"{key}={settings[key]!r} is not a number") from None
        if settings[key] <= 0:
            raise ConfigError(f"{key} must be positive")
    for key in ("PUBLIC_BASE_URL", "TWILIO_API_URL"):
        if settings[key] and urlsplit(settings[key]).scheme not in ("http", "https"):
            raise ConfigError(f"{key}={settings[key]!r} is not an http(s) URL")
    if settings["SMS_BACKEND"] == "twilio":
        for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
            if not settings[key]:
                raise ConfigError(f"{key} is required when SMS_BACKEND=twilio")
    settings["PUBLIC_BASE_URL"] = settings["PUBLIC_BASE_URL"].rstrip("/")
    return settings
