"""The per-measure trend the dashboard and the patient app show (DESIGN.md section 6)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from server.enums import Measure
from server.measures import spec
from server.outcomes.function import per_activity, psfs_means
from server.outcomes.measures import (
    Change,
    McidCategory,
    baseline,
    best,
    change_from_baseline,
    is_headache_responder,
    mcid_category,
    trend_readings,
)
from server.outcomes.readings import Reading, of_measure
from server.outcomes.rules import DEFAULT_RULES, RuleSet

Figure = TypeVar("Figure")


@dataclass(frozen=True)
class TrendSummary:
    """One measure's series and the figures derived from it, ready to serialise."""

    measure: Measure
    series: tuple[Reading, ...]  # every reading up to now, oldest first, sore and late included
    baseline: Reading | None
    latest: Reading | None  # the newest reading, even one inside the post-needling window
    compared: Reading | None  # newest reading outside the window: what change and MCID use
    change: Change | None
    mcid: McidCategory | None
    best: Reading | None
    rolling_mean: tuple[float | None, ...]  # aligned with series; None inside the window
    responder: bool | None  # headache days only
    # PSFS: each activity's own readings (id, oldest first); `series` holds their means.
    activities: tuple[tuple[int, tuple[Reading, ...]], ...] = ()


def rolling_mean(readings: Sequence[Reading], window: int = 3) -> list[float]:
    """Trailing mean of the last `window` readings, one per reading in the order given."""
    if window < 1:
        raise ValueError(f"rolling mean window must be at least 1, got {window}")
    values = [r.value for r in readings]
    # The first readings average what there is so far rather than leaving a gap.
    return [
        sum(values[max(0, i + 1 - window) : i + 1]) / min(i + 1, window) for i in range(len(values))
    ]


def summarize(
    readings: Iterable[Reading],
    measure: Measure,
    now: datetime,
    rules: RuleSet = DEFAULT_RULES,
    window: int = 3,
) -> TrendSummary:
    """Series, baseline, latest, change, MCID, best, rolling mean and responder for a measure."""
    series = graded_series(readings, measure, now)
    start = baseline(series)
    points = trend_readings(series)
    compared = points[-1] if points and points[-1] != start else None
    means = dict(zip((r.score_id for r in points), rolling_mean(points, window), strict=True))
    return TrendSummary(
        measure=measure,
        series=tuple(series),
        baseline=start,
        latest=series[-1] if series else None,
        compared=compared,
        change=_compare(start, compared, change_from_baseline),
        mcid=_compare(start, compared, lambda b, c: mcid_category(b, c, measure, rules)),
        best=best(series),
        rolling_mean=tuple(means.get(r.score_id) for r in series),
        responder=_responder(start, compared, measure, rules),
        activities=_activities(readings, measure, now),
    )


def graded_series(readings: Iterable[Reading], measure: Measure, now: datetime) -> list[Reading]:
    """The readings of `measure` up to `now` that are graded: the PSFS means for PSFS."""
    series = [r for r in of_measure(readings, measure) if r.reported_at <= now]
    return psfs_means(series) if spec(measure).per_activity else series


def _activities(readings: Iterable[Reading], measure: Measure, now: datetime) -> tuple:
    if not spec(measure).per_activity:
        return ()
    series = per_activity(r for r in readings if r.reported_at <= now)
    return tuple((activity, tuple(rows)) for activity, rows in series.items())


def _compare(
    start: Reading | None, compared: Reading | None, figure: Callable[[int, int], Figure]
) -> Figure | None:
    # Change needs two different readings: the baseline compared with itself says nothing.
    if start is None or compared is None:
        return None
    return figure(start.value, compared.value)


def _responder(
    start: Reading | None, compared: Reading | None, measure: Measure, rules: RuleSet
) -> bool | None:
    if measure != Measure.HEADACHE_DAYS:
        return None
    return _compare(start, compared, lambda b, c: is_headache_responder(b, c, rules))
