"""Baseline, best, change from baseline, MCID categories and headache responders."""

import pytest

from server.enums import Measure
from server.outcomes import (
    Change,
    McidCategory,
    RuleSet,
    baseline,
    best,
    change_from_baseline,
    is_headache_responder,
    mcid_category,
)
from tests.outcomes.test_readings import clinic_pain, headache, pain


def test_baseline_is_the_in_clinic_score_at_the_first_session():
    first = clinic_pain(6, day=0)
    assert baseline([pain(7, day=2, sore=True), first, pain(5, day=3)]) == first


def test_baseline_ignores_a_clinic_score_recorded_after_the_first_reply():
    first_settled = pain(5, day=3)
    later_clinic = clinic_pain(4, day=7)
    assert baseline([pain(7, day=2, sore=True), first_settled, later_clinic]) == first_settled


def test_baseline_without_clinic_score_is_first_reading_outside_the_window():
    first_settled = headache(4, day=3)
    assert baseline([headache(5, day=1, sore=True), first_settled, headache(2, day=10)]) == (
        first_settled
    )


def test_no_baseline_while_every_reading_is_needling_soreness():
    assert baseline([pain(7, day=1, sore=True), pain(6, day=2, sore=True)]) is None


def test_baseline_of_mixed_measures_is_refused():
    with pytest.raises(ValueError, match="one measure"):
        baseline([pain(5), headache(3)])


def test_best_is_the_lowest_reading_outside_the_window():
    lowest = pain(3, day=10)
    assert best([clinic_pain(6), pain(1, day=1, sore=True), lowest, pain(4, day=17)]) == lowest


def test_best_prefers_the_most_recent_of_equal_readings():
    recent = pain(3, day=17)
    assert best([clinic_pain(6), pain(3, day=10), recent]) == recent


def test_best_of_no_readings_is_none():
    assert best([]) is None


def test_change_from_baseline_counts_points_and_percent():
    assert change_from_baseline(6, 4) == Change(points=-2, percent=-33.3)
    assert change_from_baseline(4, 6) == Change(points=2, percent=50.0)


def test_change_from_zero_baseline_has_no_percent():
    assert change_from_baseline(0, 3) == Change(points=3, percent=None)


@pytest.mark.parametrize(
    ("start", "latest", "category"),
    [
        (6, 4, McidCategory.MUCH_BETTER),  # 2 points, 33%
        (10, 7, McidCategory.MUCH_BETTER),  # exactly 30%
        (10, 8, McidCategory.MINIMALLY_BETTER),  # 2 points but only 20%
        (7, 6, McidCategory.UNCHANGED),  # 1 point, 14%
        (5, 4, McidCategory.MINIMALLY_BETTER),  # 1 point, 20%
        (5, 5, McidCategory.UNCHANGED),
        (4, 5, McidCategory.UNCHANGED),  # one point worse is within measurement error
        (4, 6, McidCategory.WORSE),
        (0, 0, McidCategory.UNCHANGED),
        (0, 3, McidCategory.WORSE),
    ],
)
def test_pain_mcid_category(start, latest, category):
    assert mcid_category(start, latest, Measure.PAIN) == category


@pytest.mark.parametrize(
    ("start", "latest", "category"),
    [
        (4, 2, McidCategory.MUCH_BETTER),  # 50% fewer headache days: a responder
        (1, 0, McidCategory.MUCH_BETTER),
        (4, 3, McidCategory.MINIMALLY_BETTER),
        (4, 5, McidCategory.UNCHANGED),
        (4, 6, McidCategory.WORSE),
        (0, 0, McidCategory.UNCHANGED),
    ],
)
def test_headache_days_mcid_category(start, latest, category):
    assert mcid_category(start, latest, Measure.HEADACHE_DAYS) == category


def test_mcid_thresholds_come_from_the_rule_set():
    stricter = RuleSet.from_mapping({"mcid_much_percent": 40})
    assert mcid_category(6, 4, Measure.PAIN, stricter) == McidCategory.MINIMALLY_BETTER


def test_headache_responder_has_at_least_half_the_baseline_days():
    assert is_headache_responder(4, 2)
    assert not is_headache_responder(4, 3)


def test_zero_baseline_headache_days_cannot_respond():
    assert not is_headache_responder(0, 0)
