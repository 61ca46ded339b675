"""The wait before a retry: doubling from a base, capped. Shared by the outbox and the alerts."""

from datetime import timedelta


def backoff(attempts: int, settings) -> timedelta:
    """The wait before the next try after `attempts` tries (`settings`: retry_base, retry_cap)."""
    seconds = settings.retry_base * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.retry_cap))
