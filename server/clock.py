"""Where 'now' comes from: the system clock, or a test's fake clock, set on the app."""

from datetime import UTC, datetime

from flask import current_app


def system_now() -> datetime:
    """The real current time, aware UTC."""
    return datetime.now(UTC)


def now() -> datetime:
    """The app's current time; views call this once and pass it down to services."""
    return current_app.extensions["clock"]()
