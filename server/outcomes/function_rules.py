"""Rules on function, medication and recovery (issue 14): function_drop,
medication_overuse_risk and sane_low_return. PGIC is a secondary outcome: no rule reads it.
"""

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from server.enums import FlagRule, Measure, Severity
from server.outcomes.findings import Finding, evidence, local_day
from server.outcomes.function import psfs_means
from server.outcomes.measures import baseline, trend_readings
from server.outcomes.readings import Reading, of_measure
from server.outcomes.rules import RuleSet


def evaluate_function_rules(
    readings: Sequence[Reading], rules: RuleSet, tz: ZoneInfo, returning_to_sport: bool
) -> list[Finding]:
    """The findings of the three rules, each triggered by its measure's newest reading."""
    found = (
        function_drop(readings, rules, tz),
        medication_overuse_risk(readings, rules, tz),
        sane_low_return(readings, rules, tz) if returning_to_sport else None,
    )
    return [finding for finding in found if finding is not None]


def function_drop(readings: Sequence[Reading], rules: RuleSet, tz: ZoneInfo) -> Finding | None:
    """The PSFS mean at least the MID below the best of recent weeks (or baseline), on each of
    the last consecutive measurements: warning."""
    means = psfs_means(readings)
    start = baseline(means)
    points = [p for p in trend_readings(means) if p != start]
    count = rules.function_drop_consecutive
    if start is None or len(points) < count or points[-1] != means[-1]:
        return None
    run = points[-count:]
    since = run[0].reported_at - timedelta(weeks=rules.reference_weeks)
    earlier = [p for p in trend_readings(means) if since <= p.reported_at < run[0].reported_at]
    reference = max(reversed(earlier), key=lambda r: r.value, default=start)
    drop = round(reference.value - max(r.value for r in run), 1)
    if drop < rules.psfs_mid_points:
        return None
    named = "the baseline" if reference == start else "the best mean"
    days = " and ".join(f"{r.value:g}/10 on {local_day(r, tz)}" for r in run)
    reason = (
        f"Function (PSFS mean) {days}, at least {drop:g} points below {named} of "
        f"{reference.value:g} on {local_day(reference, tz)}."
    )
    cited = evidence([reference, *run])
    return Finding(FlagRule.FUNCTION_DROP, Severity.WARNING, reason, cited, Measure.PSFS)


def medication_overuse_risk(
    readings: Sequence[Reading], rules: RuleSet, tz: ZoneInfo
) -> Finding | None:
    """Acute-medication days over the last weekly readings at or above the clinic's limit."""
    weekly = _weekly(_outside_window(readings, Measure.ACUTE_MED_DAYS), rules, tz)
    total = sum(r.value for r in weekly)
    if not weekly or total < rules.medication_overuse_days:
        return None
    reason = (
        f"Headache medicine on {total} days over the last {len(weekly)} weekly answers "
        f"(up to {local_day(weekly[-1], tz)}): at or above {rules.medication_overuse_days}, "
        "the range where medication overuse headache can start (ICHD-3)."
    )
    cited = evidence(weekly)
    return Finding(
        FlagRule.MEDICATION_OVERUSE_RISK, Severity.WARNING, reason, cited, Measure.ACUTE_MED_DAYS
    )


def sane_low_return(readings: Sequence[Reading], rules: RuleSet, tz: ZoneInfo) -> Finding | None:
    """The newest SANE below the return-to-sport threshold, for a patient returning to sport."""
    series = _outside_window(readings, Measure.SANE)
    if not series or series[-1].value * 10 >= rules.sane_return_below_tenths:
        return None
    newest = series[-1]
    threshold = f"{rules.sane_return_below_tenths / 10:g}"
    reason = (
        f"Recovery (SANE) {newest.value}/100 on {local_day(newest, tz)}, below {threshold} "
        "while returning to sport."
    )
    return Finding(
        FlagRule.SANE_LOW_RETURN, Severity.WARNING, reason, (newest.score_id,), Measure.SANE
    )


def _outside_window(readings: Sequence[Reading], measure: Measure) -> list[Reading]:
    """The measure's readings outside the post-needling window, or [] when the newest is in it:
    rule set v1 raises nothing on soreness (severe pain aside) and only on the newest reading."""
    series = of_measure(readings, measure)
    if not series or series[-1].in_post_needling_window:
        return []
    return [r for r in series if not r.in_post_needling_window]


def _weekly(series: list[Reading], rules: RuleSet, tz: ZoneInfo) -> list[Reading]:
    """The newest readings one recall period apart (a week), at most the rule's weeks, oldest
    first; readings closer together describe the same days and count once."""
    kept: list[Reading] = []
    for reading in reversed(series):
        if len(kept) == rules.medication_overuse_weeks:
            break
        if not kept or _days_apart(reading, kept[-1], tz) >= rules.headache_min_days_apart:
            kept.append(reading)
    return kept[::-1]


def _days_apart(earlier: Reading, later: Reading, tz: ZoneInfo) -> int:
    return (
        later.reported_at.astimezone(tz).date() - earlier.reported_at.astimezone(tz).date()
    ).days
