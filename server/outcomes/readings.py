"""One patient's scores as the clinical rules see them: an immutable reading per reply."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from server.enums import Measure, ScoreSource
from server.outcomes.rules import DEFAULT_RULES

# The default window, from rule set v1: a clinic's own is its RuleSet.post_needling_hours.
POST_NEEDLING_HOURS = DEFAULT_RULES.post_needling_hours


@dataclass(frozen=True)
class Reading:
    """One score: its value, when it was reported, from where, and how soon after needling."""

    score_id: int
    measure: Measure
    value: int
    reported_at: datetime  # aware UTC
    source: ScoreSource
    hours_since_session: float | None
    in_post_needling_window: bool  # inside the clinic's RuleSet window, computed by the caller
    late: bool = False  # replied after the check-in closed: still real data, kept for trends
    activity_id: int | None = None  # the PSFS activity; None on a PSFS mean and other measures

    def __post_init__(self) -> None:
        # Checked once here so the rules can compare values and times without re-checking.
        low, top = Measure(self.measure).min_value, Measure(self.measure).max_value
        # A PSFS mean (no activity) may fall between whole numbers; every score is one.
        whole = type(self.value) is int or (
            type(self.value) is float and self.measure == Measure.PSFS and self.activity_id is None
        )
        if not whole or not low <= self.value <= top:
            raise ValueError(
                f"{self.measure} value must be a whole number {low}-{top}: {self.value!r}"
            )
        if self.reported_at.utcoffset() is None:
            raise ValueError(f"reported_at of score {self.score_id} must be timezone-aware")


def within_post_needling_window(
    hours_since_session: float | None, window_hours: float = POST_NEEDLING_HOURS
) -> bool:
    """Whether a score this many hours after a session may still be needling soreness."""
    return hours_since_session is not None and 0 <= hours_since_session < window_hours


def chronological(readings: Iterable[Reading]) -> list[Reading]:
    """Readings of a single measure, oldest first; score id breaks ties so order is stable."""
    ordered = sorted(readings, key=lambda r: (r.reported_at, r.score_id))
    if len({r.measure for r in ordered}) > 1:
        raise ValueError("expected the readings of one measure, got several measures")
    return ordered


def of_measure(readings: Iterable[Reading], measure: Measure) -> list[Reading]:
    """The readings of one measure, oldest first."""
    return chronological(r for r in readings if r.measure == measure)
