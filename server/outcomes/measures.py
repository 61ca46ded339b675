"""Where a patient started, where they are now, and whether the change matters clinically."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from server.enums import Measure, ScoreSource
from server.measures import spec
from server.outcomes.readings import Reading, chronological
from server.outcomes.rules import DEFAULT_RULES, RuleSet


class McidCategory(StrEnum):
    """How the change from baseline compares with the minimal clinically important difference."""

    MUCH_BETTER = "much_better"
    MINIMALLY_BETTER = "minimally_better"
    UNCHANGED = "unchanged"
    WORSE = "worse"


@dataclass(frozen=True)
class Change:
    """Change from baseline: points = latest - baseline (negative is better where lower is)."""

    points: int | float  # a float for the PSFS mean
    percent: float | None  # of the baseline, one decimal; None when the baseline is 0


def baseline(readings: Iterable[Reading]) -> Reading | None:
    """The in-clinic score at the first session, else the first score outside needling soreness."""
    ordered = chronological(readings)
    clinic = next((r for r in ordered if r.source == ScoreSource.CLINIC), None)
    reported = next((r for r in ordered if r.source != ScoreSource.CLINIC), None)
    # A clinic score recorded after the patient had already replied is not "at the first session".
    if clinic is not None and (reported is None or clinic.reported_at <= reported.reported_at):
        return clinic
    return next((r for r in ordered if not r.in_post_needling_window), None)


def trend_readings(readings: Iterable[Reading]) -> list[Reading]:
    """Readings that show the patient's state: outside the post-needling window, plus baseline."""
    ordered = chronological(readings)
    start = baseline(ordered)
    # The baseline counts even if the caller marked an in-clinic score as inside the window:
    # it is taken at the session, before the needling it would otherwise be blamed on.
    return [r for r in ordered if not r.in_post_needling_window or r == start]


def best(readings: Iterable[Reading]) -> Reading | None:
    """The best reading outside the post-needling window (lowest, or highest where higher is
    better); the most recent one on ties."""
    points = trend_readings(readings)
    if not points:
        return None
    sign = 1 if spec(points[0].measure).lower_is_better else -1
    return min(reversed(points), key=lambda r: sign * r.value)


def change_from_baseline(baseline_value: float, latest_value: float) -> Change:
    """Points and percent from baseline to latest (negative = lower than at the start)."""
    points = latest_value - baseline_value
    if isinstance(points, float):
        points = round(points, 1)
    percent = None if baseline_value == 0 else round(points * 100 / baseline_value, 1)
    return Change(points=points, percent=percent)


def mcid_category(
    baseline_value: float, latest_value: float, measure: Measure, rules: RuleSet = DEFAULT_RULES
) -> McidCategory | None:
    """Much better / minimally better / unchanged / worse, by the measure's catalog thresholds,
    in its better direction; None for a measure without one (PGIC, medication days)."""
    entry = spec(measure)
    grading = entry.mcid
    if grading is None:
        return None
    gain = entry.improvement(baseline_value, latest_value)
    if grading.worse_points and -gain >= getattr(rules, grading.worse_points):
        return McidCategory.WORSE
    # Integer arithmetic keeps the boundaries exact: 10 -> 7 is 30%, not 29.999...
    if _meets(gain, baseline_value, rules, grading.much_points, grading.much_percent):
        return McidCategory.MUCH_BETTER
    if _meets(gain, baseline_value, rules, grading.minimal_points, grading.minimal_percent):
        return McidCategory.MINIMALLY_BETTER
    return McidCategory.UNCHANGED


def is_headache_responder(
    baseline_value: int, latest_value: int, rules: RuleSet = DEFAULT_RULES
) -> bool:
    """At least 50% fewer headache days than baseline; a baseline of 0 cannot respond."""
    drop = baseline_value - latest_value
    return baseline_value > 0 and drop * 100 >= rules.headache_responder_percent * baseline_value


def _meets(gain, baseline_value, rules: RuleSet, points: str | None, percent: str | None) -> bool:
    """A gain (> 0) of at least the `points` setting and `percent` setting of the baseline."""
    if gain <= 0 or (points is None and percent is None):
        return False
    if points is not None and gain < getattr(rules, points):
        return False
    return percent is None or gain * 100 >= getattr(rules, percent) * baseline_value
