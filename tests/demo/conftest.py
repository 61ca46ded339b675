"""The demo tests use the alert tests' `notify` (imported: pytest finds it)."""

from tests.services.alerts.conftest import notify  # noqa: F401
