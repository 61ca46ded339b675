"""Properties that hold for any valid readings and any valid rule set."""

from dataclasses import fields
from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from server.enums import FlagRule, Measure, ScoreSource, Severity
from server.measures import spec
from server.outcomes import (
    McidCategory,
    Reading,
    RuleSet,
    change_from_baseline,
    evaluate,
    is_headache_responder,
    mcid_category,
    rolling_mean,
    summarize,
)
from tests.outcomes.test_readings import START

TIME_ZONES = st.sampled_from(
    [
        ZoneInfo(name)
        for name in ("UTC", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kathmandu")
    ]
)


@st.composite
def patient_readings(draw, sore=st.booleans(), pain_max=10) -> list[Reading]:
    """Up to 14 readings of any measures over ~10 weeks, with unique score ids."""
    readings = []
    for score_id in range(1, draw(st.integers(0, 14)) + 1):
        measure = draw(st.sampled_from(Measure))
        top = pain_max if measure == Measure.PAIN else measure.max_value
        when = START + timedelta(hours=draw(st.integers(0, 24 * 70)))
        readings.append(
            Reading(
                score_id=score_id,
                measure=measure,
                value=draw(st.integers(measure.min_value, top)),
                reported_at=when,
                source=draw(st.sampled_from(ScoreSource)),
                hours_since_session=draw(st.none() | st.floats(0, 500)),
                in_post_needling_window=draw(sore),
                late=draw(st.booleans()),
                # A PSFS score always names one of the patient's (up to 3) activities.
                activity_id=draw(st.integers(1, 3)) if measure == Measure.PSFS else None,
            )
        )
    return readings


@st.composite
def rule_sets(draw) -> RuleSet:
    """The defaults with any valid overrides."""
    overrides = {}
    for setting in fields(RuleSet):
        if draw(st.booleans()):
            overrides[setting.name] = draw(st.integers(*setting.metadata["range"]))
    return RuleSet.from_mapping(overrides)


def newest(readings: list[Reading], measure: Measure) -> Reading:
    return max(
        (r for r in readings if r.measure == measure), key=lambda r: (r.reported_at, r.score_id)
    )


@given(patient_readings(), rule_sets(), TIME_ZONES)
def test_findings_cite_given_readings_oldest_first_ending_with_the_trigger(readings, rules, tz):
    by_id = {r.score_id: r for r in readings}
    findings = evaluate(readings, rules, tz)
    assert len({f.rule for f in findings}) == len(findings)
    for finding in findings:
        cited = [by_id[score_id] for score_id in finding.evidence_score_ids]
        assert cited == sorted(cited, key=lambda r: (r.reported_at, r.score_id))
        assert cited[-1] == newest(readings, finding.measure)
        assert all(r.measure == finding.measure for r in cited)


@given(patient_readings(sore=st.just(True), pain_max=7), TIME_ZONES)
def test_no_flags_while_every_reading_is_needling_soreness_below_severe(readings, tz):
    assert evaluate(readings, RuleSet(), tz) == []


@given(patient_readings(), TIME_ZONES)
def test_newest_severe_pain_always_flags_urgent(readings, tz):
    found = {f.rule: f for f in evaluate(readings, RuleSet(), tz)}
    if (
        any(r.measure == Measure.PAIN for r in readings)
        and newest(readings, Measure.PAIN).value >= 8
    ):
        assert found[FlagRule.PAIN_SEVERE].severity == Severity.URGENT
    else:
        assert FlagRule.PAIN_SEVERE not in found


@given(st.data(), patient_readings(), rule_sets(), TIME_ZONES)
def test_findings_do_not_depend_on_input_order(data, readings, rules, tz):
    shuffled = data.draw(st.permutations(readings))
    assert evaluate(shuffled, rules, tz) == evaluate(readings, rules, tz)


@given(st.sampled_from(Measure), st.data())
def test_mcid_better_means_lower_and_worse_means_higher(measure, data):
    start = data.draw(st.integers(measure.min_value, measure.max_value))
    latest = data.draw(st.integers(measure.min_value, measure.max_value))
    category = mcid_category(start, latest, measure)
    # Lower is better on every measure but function and recovery (PSFS, SANE): flip those.
    sign = 1 if spec(measure).lower_is_better else -1
    if category in (McidCategory.MUCH_BETTER, McidCategory.MINIMALLY_BETTER):
        assert sign * latest < sign * start
    if category == McidCategory.WORSE:
        assert sign * latest > sign * start
    assert (category is None) == (spec(measure).mcid is None)
    assert change_from_baseline(start, latest).points == latest - start


@given(st.integers(0, 7), st.integers(0, 7))
def test_headache_responders_are_much_better(start, latest):
    if is_headache_responder(start, latest):
        assert mcid_category(start, latest, Measure.HEADACHE_DAYS) == McidCategory.MUCH_BETTER


@given(patient_readings(), st.integers(1, 6))
def test_rolling_mean_stays_within_the_values_it_averages(readings, window):
    pain = [r for r in readings if r.measure == Measure.PAIN]
    means = rolling_mean(pain, window)
    assert len(means) == len(pain)
    for mean in means:
        assert min(r.value for r in pain) <= mean <= max(r.value for r in pain)


@given(patient_readings(), st.sampled_from(Measure), rule_sets())
def test_summary_is_consistent_with_its_series(readings, measure, rules):
    summary = summarize(readings, measure, START + timedelta(days=40), rules)
    assert len(summary.rolling_mean) == len(summary.series)
    for figure in (summary.baseline, summary.latest, summary.compared, summary.best):
        assert figure is None or figure in summary.series
    assert (summary.change is None) == (summary.compared is None)


@given(rule_sets())
def test_rule_set_version_names_exactly_its_thresholds(rules):
    assert RuleSet.from_mapping(rules.overrides) == rules
    assert (rules.version == "v1") == (rules == RuleSet())
