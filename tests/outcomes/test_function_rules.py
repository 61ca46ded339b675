"""function_drop, medication_overuse_risk and sane_low_return: worked examples, boundaries,
clinic overrides; PGIC never raises a flag; change graded in each measure's better direction."""

from zoneinfo import ZoneInfo

import pytest

from server.enums import FlagRule, Measure, Severity
from server.outcomes import McidCategory, RuleSet, evaluate, mcid_category, summarize
from tests.outcomes.test_readings import START, reading

TZ = ZoneInfo("America/New_York")


def psfs(day: float, *values: int) -> list:
    """One PSFS measurement: a score per activity (ids 1, 2, ...), minutes apart."""
    return [
        reading(Measure.PSFS, value, day + n / 1440, activity_id=n + 1)
        for n, value in enumerate(values)
    ]


def meds(*weekly: int) -> list:
    return [reading(Measure.ACUTE_MED_DAYS, value, 7 * week) for week, value in enumerate(weekly)]


def rules_found(readings, rules=RuleSet(), sport=False) -> dict:
    return {f.rule: f for f in evaluate(readings, rules, TZ, sport)}


# function_drop: baseline mean 6; MID 2 -> two consecutive means at or below 4 fire.


def test_function_drop_fires_on_two_consecutive_means_down_by_the_mid():
    readings = psfs(0, 6, 6) + psfs(7, 4, 4) + psfs(14, 3, 5)
    found = rules_found(readings)[FlagRule.FUNCTION_DROP]
    assert found.severity == Severity.WARNING and found.measure == Measure.PSFS
    assert "4/10" in found.reason and "below the baseline of 6" in found.reason
    assert found.evidence_score_ids[-1] == readings[-1].score_id


def test_function_drop_does_not_fire_just_short_of_the_mid():
    readings = psfs(0, 6, 6) + psfs(7, 4, 5) + psfs(14, 4, 4)  # mean 4.5 is 1.5 below
    assert FlagRule.FUNCTION_DROP not in rules_found(readings)


def test_function_drop_needs_two_consecutive_readings_by_default():
    readings = psfs(0, 6, 6) + psfs(7, 3, 3)
    assert FlagRule.FUNCTION_DROP not in rules_found(readings)
    assert FlagRule.FUNCTION_DROP in rules_found(readings, RuleSet(function_drop_consecutive=1))


def test_function_drop_respects_the_clinics_mid():
    readings = psfs(0, 6, 6) + psfs(7, 4, 4) + psfs(14, 4, 4)
    assert FlagRule.FUNCTION_DROP in rules_found(readings)
    assert FlagRule.FUNCTION_DROP not in rules_found(readings, RuleSet(psfs_mid_points=3))


def test_a_psfs_rise_raises_nothing():
    readings = psfs(0, 3, 3) + psfs(7, 6, 7) + psfs(14, 8, 8)
    assert rules_found(readings) == {}


# medication_overuse_risk: 10 days over the last 4 weekly readings by default.


def test_medication_overuse_risk_fires_at_ten_days_over_four_weeks():
    readings = meds(1, 2, 3, 3, 2)  # the last four weeks: 2 + 3 + 3 + 2 = 10
    found = rules_found(readings)[FlagRule.MEDICATION_OVERUSE_RISK]
    assert found.severity == Severity.WARNING and "10 days" in found.reason
    assert found.evidence_score_ids == tuple(r.score_id for r in readings[1:])


def test_medication_overuse_risk_does_not_fire_at_nine_days():
    assert FlagRule.MEDICATION_OVERUSE_RISK not in rules_found(meds(7, 2, 3, 2, 2))


def test_medication_overuse_risk_respects_the_clinics_fifteen_days():
    readings = meds(3, 4, 4, 3)  # 14 days
    assert FlagRule.MEDICATION_OVERUSE_RISK in rules_found(readings)
    chosen = RuleSet(medication_overuse_days=15)
    assert FlagRule.MEDICATION_OVERUSE_RISK not in rules_found(readings, chosen)
    assert FlagRule.MEDICATION_OVERUSE_RISK in rules_found(meds(3, 4, 4, 4), chosen)


def test_medication_readings_closer_than_a_week_count_once():
    # Three answers in one week describe the same days: only the newest counts.
    readings = meds(2, 2, 2) + [reading(Measure.ACUTE_MED_DAYS, 3, 14 + d) for d in (1, 2)]
    assert FlagRule.MEDICATION_OVERUSE_RISK not in rules_found(readings)  # 2 + 2 + 3 = 7


def test_the_overuse_limit_is_ten_or_fifteen_days():
    with pytest.raises(ValueError, match="medication_overuse_days"):
        RuleSet(medication_overuse_days=9)
    with pytest.raises(ValueError, match="medication_overuse_days"):
        RuleSet(medication_overuse_days=16)


# sane_low_return: below 92.5 on a patient returning to sport.


def sane(value: int, day: float = 3):
    return [reading(Measure.SANE, value, day)]


def test_sane_low_return_fires_below_92_5_when_returning_to_sport():
    found = rules_found(sane(92), sport=True)[FlagRule.SANE_LOW_RETURN]
    assert found.severity == Severity.WARNING and "below 92.5" in found.reason


def test_sane_low_return_does_not_fire_at_93_or_when_not_returning():
    assert FlagRule.SANE_LOW_RETURN not in rules_found(sane(93), sport=True)
    assert FlagRule.SANE_LOW_RETURN not in rules_found(sane(40), sport=False)


def test_sane_low_return_respects_the_clinics_threshold():
    assert FlagRule.SANE_LOW_RETURN not in rules_found(
        sane(88), RuleSet(sane_return_below_tenths=850), sport=True
    )
    assert FlagRule.SANE_LOW_RETURN in rules_found(
        sane(84), RuleSet(sane_return_below_tenths=850), sport=True
    )


def test_pgic_never_raises_a_flag():
    readings = [reading(Measure.PGIC, value, day) for day, value in enumerate((1, 7, 7, 7, 7))]
    assert rules_found(readings, RuleSet(rise_points=1, jump_points=1), sport=True) == {}


# Direction: each measure's change is graded in its own better direction.


def test_a_psfs_rise_is_much_better_and_a_pain_rise_is_worse():
    assert mcid_category(3, 6, Measure.PSFS) == McidCategory.MUCH_BETTER
    assert mcid_category(6, 3, Measure.PSFS) == McidCategory.WORSE
    assert mcid_category(3, 6, Measure.PAIN) == McidCategory.WORSE
    assert mcid_category(6, 3, Measure.PAIN) == McidCategory.MUCH_BETTER


def test_sane_gains_grade_by_fifteen_points():
    assert mcid_category(60, 75, Measure.SANE) == McidCategory.MUCH_BETTER
    assert mcid_category(60, 74, Measure.SANE) == McidCategory.UNCHANGED
    assert mcid_category(60, 45, Measure.SANE) == McidCategory.WORSE


def test_pgic_and_medication_days_have_no_mcid_category():
    assert mcid_category(4, 1, Measure.PGIC) is None
    assert mcid_category(4, 1, Measure.ACUTE_MED_DAYS) is None


def test_the_psfs_trend_grades_the_mean_and_keeps_each_activity():
    readings = psfs(0, 3, 4) + psfs(7, 6, 7)
    summary = summarize(readings, Measure.PSFS, START.replace(year=2025))
    assert [r.value for r in summary.series] == [3.5, 6.5]
    assert summary.mcid == McidCategory.MUCH_BETTER and summary.change.points == 3.0
    assert summary.best.value == 6.5
    assert [(a, [r.value for r in rows]) for a, rows in summary.activities] == [
        (1, [3, 6]),
        (2, [4, 7]),
    ]
