"""The patient's wall clock: send hour and quiet hours, computed locally, returned in UTC.

Everything stored is aware UTC; local time exists only here, at the edge (STYLE.md rule 4).
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# 47 CFR 64.1200(c)(1): no texts before 08:00 or after 21:00 at the patient's location.
LEGAL_EARLIEST = time(8)
LEGAL_LATEST = time(21)


@dataclass(frozen=True)
class QuietHours:
    """The clinic's send window in the patient's local time; outside it is quiet."""

    start: time = time(9)  # earliest allowed send
    end: time = time(20)  # latest allowed send, inclusive

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise ValueError(f"quiet hours {name} must be a local time without a zone")
        if self.start < LEGAL_EARLIEST:
            raise ValueError(f"quiet hours start {self.start} is before the legal {LEGAL_EARLIEST}")
        if self.end > LEGAL_LATEST:
            raise ValueError(f"quiet hours end {self.end} is after the legal {LEGAL_LATEST}")
        if self.start >= self.end:
            raise ValueError(f"quiet hours start {self.start} must be before end {self.end}")

    def allows(self, local: time) -> bool:
        """True when a send at this local wall-clock time is inside the window."""
        return self.start <= local <= self.end


def as_utc(moment: datetime, name: str = "datetime") -> datetime:
    """The same instant in UTC; a naive datetime is refused, since its zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC)


def local_date(at_utc: datetime, tz: ZoneInfo) -> date:
    """The patient's calendar date at that instant."""
    return as_utc(at_utc, "at_utc").astimezone(tz).date()


def local_send_time(day: date, send_hour: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `send_hour` on the local `day` (after a DST gap; first of a fold)."""
    # fold=0 is the first occurrence of a wall time that a fall-back repeats.
    wall = datetime.combine(day, send_hour).replace(tzinfo=tz, fold=0)
    instant = wall.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    return _end_of_gap(wall, tz)


def _end_of_gap(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first instant after the spring-forward gap that swallows the wall time `wall`."""
    # Inside a gap, fold=1 reads `wall` with the new offset (an instant before the change) and
    # fold=0 with the old one (an instant after it); zone rules change on whole seconds.
    before = math.floor(wall.replace(fold=1).timestamp())
    after = math.ceil(wall.replace(fold=0).timestamp())
    new_offset = datetime.fromtimestamp(after, tz).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == new_offset:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


def is_allowed(at_utc: datetime, tz: ZoneInfo, quiet: QuietHours) -> bool:
    """True when the patient's local time at that instant is inside the send window."""
    return quiet.allows(as_utc(at_utc, "at_utc").astimezone(tz).time())


def next_allowed(at_utc: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """`at_utc` if it is inside the send window, else the next window start; never dropped."""
    at_utc = as_utc(at_utc, "at_utc")
    local = at_utc.astimezone(tz)
    if quiet.allows(local.time()):
        return at_utc
    # Before the window: later this morning. After it: deferred across midnight to tomorrow.
    day = local.date() if local.time() < quiet.start else local.date() + timedelta(days=1)
    return local_send_time(day, quiet.start, tz)
