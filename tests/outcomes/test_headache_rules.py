"""headache_rise on weekly headache-day readings, from worked clinical examples."""

from zoneinfo import ZoneInfo

from server.enums import FlagRule, Measure, Severity
from server.outcomes import DEFAULT_RULES, RuleSet, evaluate
from tests.outcomes.test_readings import headache

TZ = ZoneInfo("America/New_York")


def test_headache_days_back_at_baseline_two_weeks_running_flag():
    start, first, second = headache(4, 0), headache(4, 14), headache(5, 21)
    findings = evaluate([start, headache(2, 7), first, second], DEFAULT_RULES, TZ)
    assert len(findings) == 1
    rise = findings[0]
    assert (rise.rule, rise.severity, rise.measure) == (
        FlagRule.HEADACHE_RISE,
        Severity.WARNING,
        Measure.HEADACHE_DAYS,
    )
    assert rise.evidence_score_ids == (start.score_id, first.score_id, second.score_id)
    assert rise.reason == (
        "Headache days 4/7 on Nov 15 and 5/7 on Nov 22, at or above the baseline of 4."
    )


def test_one_week_back_at_baseline_does_not_flag():
    readings = [headache(4, 0), headache(2, 7), headache(4, 14)]
    assert evaluate(readings, DEFAULT_RULES, TZ) == []


def test_the_baseline_reading_is_not_a_week_back_at_baseline():
    assert evaluate([headache(4, 0), headache(4, 7)], DEFAULT_RULES, TZ) == []


def test_two_days_above_the_best_reading_two_weeks_running_flag():
    lowest, first, second = headache(1, 7), headache(3, 14), headache(3, 21)
    findings = evaluate([headache(6, 0), lowest, first, second], DEFAULT_RULES, TZ)
    assert [f.rule for f in findings] == [FlagRule.HEADACHE_RISE]
    assert findings[0].evidence_score_ids == (lowest.score_id, first.score_id, second.score_id)
    assert findings[0].reason == (
        "Headache days 3/7 on Nov 15 and 3/7 on Nov 22, "
        "at least 2 days above the best reading of 1 on Nov 8."
    )


def test_back_at_baseline_is_the_reason_given_when_both_conditions_hold():
    readings = [headache(4, 0), headache(1, 7), headache(4, 14), headache(4, 21)]
    assert evaluate(readings, DEFAULT_RULES, TZ)[0].reason.endswith(
        "at or above the baseline of 4."
    )


def test_weeks_without_headache_never_flag_even_from_a_zero_baseline():
    readings = [headache(0, 0), headache(0, 7), headache(0, 14)]
    assert evaluate(readings, DEFAULT_RULES, TZ) == []


def test_readings_less_than_a_week_apart_count_as_one_week():
    readings = [headache(4, 0), headache(2, 7), headache(4, 14), headache(4, 16)]
    assert evaluate(readings, DEFAULT_RULES, TZ) == []


def test_sore_headache_readings_are_excluded():
    readings = [headache(4, 0), headache(2, 7), headache(4, 14), headache(5, 21, sore=True)]
    assert evaluate(readings, DEFAULT_RULES, TZ) == []


def test_three_weeks_running_when_the_clinic_asks_for_it():
    readings = [headache(4, 0), headache(2, 7), headache(4, 14), headache(5, 21)]
    stricter = RuleSet.from_mapping({"headache_consecutive": 3})
    assert evaluate(readings, stricter, TZ) == []
    assert evaluate([*readings, headache(4, 28)], stricter, TZ) != []
