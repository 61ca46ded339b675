"""The job tests tick the scheduler over due check-ins, as the service tests do."""

from tests.services.conftest import run_jobs, scheduled  # noqa: F401
