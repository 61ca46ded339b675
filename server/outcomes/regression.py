"""Regression rules v1 (DESIGN.md section 6), triggered by the newest reading of each measure."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from server.enums import FlagRule, Measure, Severity
from server.outcomes.findings import Finding, evidence, local_day, values_on_days
from server.outcomes.function_rules import evaluate_function_rules
from server.outcomes.measures import baseline, trend_readings
from server.outcomes.readings import Reading, of_measure
from server.outcomes.rules import RuleSet


@dataclass(frozen=True)
class _Track:
    """One measure's readings as the rules see them; baseline is set whenever points are."""

    readings: list[Reading]  # all of them, oldest first
    baseline: Reading | None
    points: list[Reading]  # outside the post-needling window, plus the baseline

    @property
    def trigger(self) -> Reading | None:
        # Only the newest reading opens a flag: a sore reading or the baseline itself never does,
        # and an older regression was already flagged when it arrived.
        newest = self.points[-1] if self.points else None
        if newest is None or newest != self.readings[-1] or newest == self.baseline:
            return None
        return newest


def evaluate(
    readings: Sequence[Reading], rules: RuleSet, tz: ZoneInfo, returning_to_sport: bool = False
) -> list[Finding]:
    """The measure rules' findings for one patient, triggered by each measure's newest reading."""
    pain = _track(readings, Measure.PAIN)
    headache = _track(readings, Measure.HEADACHE_DAYS)
    found = (
        _pain_severe(pain, rules, tz),
        _pain_rise(pain, rules, tz),
        _pain_jump(pain, rules, tz),
        _headache_rise(headache, rules, tz),
    )
    own = [finding for finding in found if finding is not None]
    return own + evaluate_function_rules(readings, rules, tz, returning_to_sport)


def _track(readings: Iterable[Reading], measure: Measure) -> _Track:
    ordered = of_measure(readings, measure)
    return _Track(readings=ordered, baseline=baseline(ordered), points=trend_readings(ordered))


def _pain_severe(track: _Track, rules: RuleSet, tz: ZoneInfo) -> Finding | None:
    # Severe pain matters whatever its cause, so the post-needling window does not apply.
    newest = track.readings[-1] if track.readings else None
    if newest is None or newest.value < rules.severe_at:
        return None
    reason = f"Pain {newest.value}/10 on {local_day(newest, tz)} (severe)."
    return Finding(FlagRule.PAIN_SEVERE, Severity.URGENT, reason, (newest.score_id,), Measure.PAIN)


def _pain_rise(track: _Track, rules: RuleSet, tz: ZoneInfo) -> Finding | None:
    run = _run(track, rules.rise_consecutive, rules.pain_min_days_apart, tz)
    if run is None:
        return None
    start = track.baseline
    reference = _lowest(_within_weeks(track.points, run[0], rules.reference_weeks), start)
    rise = min(r.value for r in run) - reference.value
    if rise < rules.rise_points:
        return None
    # "Above baseline": worse than where the patient started, not just worse than their best.
    urgent = all(r.value >= start.value + rules.urgent_above_baseline_points for r in run)
    named = "the baseline" if reference == start else "the best reading"
    reason = (
        f"Pain {values_on_days(run, 10, tz)}, at least {_amount(rise, 'point')} above "
        f"{named} of {reference.value} on {local_day(reference, tz)}"
    )
    if urgent and reference != start:
        reason += f", and above the baseline of {start.value}"
    severity = Severity.URGENT if urgent else Severity.WARNING
    cited = evidence([start if urgent else None, reference, *run])
    return Finding(FlagRule.PAIN_RISE, severity, reason + ".", cited, Measure.PAIN)


def _pain_jump(track: _Track, rules: RuleSet, tz: ZoneInfo) -> Finding | None:
    newest = track.trigger
    if newest is None:
        return None
    # Two points exist here: the trigger and, before it, the baseline it cannot be.
    previous = track.points[-2]
    jump = newest.value - previous.value
    if jump < rules.jump_points:
        return None
    reason = (
        f"Pain {newest.value}/10 on {local_day(newest, tz)}, up {_amount(jump, 'point')} "
        f"from {previous.value}/10 on {local_day(previous, tz)}."
    )
    cited = evidence([previous, newest])
    return Finding(FlagRule.PAIN_JUMP, Severity.WARNING, reason, cited, Measure.PAIN)


def _headache_rise(track: _Track, rules: RuleSet, tz: ZoneInfo) -> Finding | None:
    run = _run(track, rules.headache_consecutive, rules.headache_min_days_apart, tz)
    if run is None:
        return None
    earlier = [p for p in track.points if p.reported_at < run[0].reported_at]
    basis = _headache_basis(run, track.baseline, _lowest(earlier, track.baseline), rules, tz)
    if basis is None:
        return None
    words, cited = basis
    reason = f"Headache days {values_on_days(run, 7, tz)}, {words}."
    return Finding(
        FlagRule.HEADACHE_RISE,
        Severity.WARNING,
        reason,
        evidence([*cited, *run]),
        Measure.HEADACHE_DAYS,
    )


def _headache_basis(
    run: list[Reading], start: Reading, lowest: Reading, rules: RuleSet, tz: ZoneInfo
) -> tuple[str, list[Reading]] | None:
    # A week with no headache is never a regression, even when the baseline was 0 too.
    if all(r.value >= max(start.value, 1) for r in run):
        return f"at or above the baseline of {start.value}", [start]
    # The best is never above the baseline, so a run mixing the two conditions is always
    # at or above baseline: checking each condition over the whole run is enough.
    rise = min(r.value for r in run) - lowest.value
    if rise < rules.headache_rise_days:
        return None
    words = (
        f"at least {_amount(rise, 'day')} above the best reading of {lowest.value} "
        f"on {local_day(lowest, tz)}"
    )
    return words, [lowest]


def _run(track: _Track, count: int, min_days_apart: int, tz: ZoneInfo) -> list[Reading] | None:
    """The trigger and the readings before it that confirm it, oldest first."""
    trigger = track.trigger
    if trigger is None:
        return None
    run = [trigger]
    for earlier in reversed(track.points[:-1]):
        if len(run) == count:
            break
        # Readings closer than their recall period describe the same days: one measurement.
        if earlier != track.baseline and _days_apart(earlier, run[-1], tz) >= min_days_apart:
            run.append(earlier)
    return run[::-1] if len(run) == count else None


def _within_weeks(points: list[Reading], first: Reading, weeks: int) -> list[Reading]:
    since = first.reported_at - timedelta(weeks=weeks)
    return [p for p in points if since <= p.reported_at < first.reported_at]


def _lowest(readings: list[Reading], default: Reading) -> Reading:
    # The most recent of equally low readings is the one a clinician remembers.
    return min(reversed(readings), key=lambda r: r.value, default=default)


def _days_apart(earlier: Reading, later: Reading, tz: ZoneInfo) -> int:
    # Local calendar days: the patient answers "today", not "in the last 24 UTC hours".
    return (_local_date(later, tz) - _local_date(earlier, tz)).days


def _local_date(reading: Reading, tz: ZoneInfo) -> date:
    return reading.reported_at.astimezone(tz).date()


def _amount(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
