"""Where a patient started, where they are now, and whether the change matters clinically."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from server.enums import Measure, ScoreSource
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
    """Change from baseline: points = latest - baseline, so negative is better on both measures."""

    points: int
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
    """The lowest reading outside the post-needling window; the most recent one on ties."""
    points = trend_readings(readings)
    return min(reversed(points), key=lambda r: r.value, default=None)


def change_from_baseline(baseline_value: int, latest_value: int) -> Change:
    """Points and percent from baseline to latest (negative = better)."""
    points = latest_value - baseline_value
    percent = None if baseline_value == 0 else round(points * 100 / baseline_value, 1)
    return Change(points=points, percent=percent)


def mcid_category(
    baseline_value: int, latest_value: int, measure: Measure, rules: RuleSet = DEFAULT_RULES
) -> McidCategory:
    """Much better / minimally better / unchanged / worse, by the measure's MCID thresholds."""
    if measure == Measure.HEADACHE_DAYS:
        return _headache_category(baseline_value, latest_value, rules)
    drop = baseline_value - latest_value
    # Integer arithmetic keeps the boundaries exact: 10 -> 7 is 30%, not 29.999...
    if -drop >= rules.mcid_worse_points:
        return McidCategory.WORSE
    if drop >= rules.mcid_much_points and drop * 100 >= rules.mcid_much_percent * baseline_value:
        return McidCategory.MUCH_BETTER
    minimal_percent = rules.mcid_minimal_percent * baseline_value
    if drop >= rules.mcid_minimal_points and drop * 100 >= minimal_percent:
        return McidCategory.MINIMALLY_BETTER
    return McidCategory.UNCHANGED


def is_headache_responder(
    baseline_value: int, latest_value: int, rules: RuleSet = DEFAULT_RULES
) -> bool:
    """At least 50% fewer headache days than baseline; a baseline of 0 cannot respond."""
    drop = baseline_value - latest_value
    return baseline_value > 0 and drop * 100 >= rules.headache_responder_percent * baseline_value


def _headache_category(baseline_value: int, latest_value: int, rules: RuleSet) -> McidCategory:
    drop = baseline_value - latest_value
    if -drop >= rules.headache_worse_days:
        return McidCategory.WORSE
    if is_headache_responder(baseline_value, latest_value, rules):
        return McidCategory.MUCH_BETTER
    if drop >= rules.headache_minimal_days:
        return McidCategory.MINIMALLY_BETTER
    return McidCategory.UNCHANGED
