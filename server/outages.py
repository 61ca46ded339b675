"""Infrastructure outages: a database that cannot answer is a reason to retry, not a bug of ours.

One place decides which errors mean "the database is unavailable" (connection refused or lost,
server shutting down, pool exhausted, lock or serialization conflicts that a retry resolves).
The web answers them 503 with Retry-After; jobs log one line and try again on the next tick.
"""

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

RETRY_AFTER_SECONDS = 5
OUTAGE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)


def is_database_outage(error: BaseException) -> bool:
    """True when `error` says the database is unreachable or went away, not that we erred."""
    if isinstance(error, OUTAGE_ERRORS):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def one_line(error: BaseException) -> str:
    """The driver's own first line (never the SQL or its parameters, which hold patient data)."""
    cause = getattr(error, "orig", None) or error
    first = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first[:200]}"
