"""The trend summary the API serialises, and the rolling mean."""

from datetime import timedelta

import pytest

from server.enums import Measure
from server.outcomes import Change, McidCategory, rolling_mean, summarize
from tests.outcomes.test_readings import START, clinic_pain, headache, pain

NOW = START + timedelta(days=60)


def test_rolling_mean_averages_the_last_three_readings():
    readings = [pain(6, 0), pain(4, 7), pain(5, 14), pain(3, 21)]
    assert rolling_mean(readings) == [6.0, 5.0, 5.0, 4.0]


def test_rolling_mean_window_is_configurable():
    assert rolling_mean([pain(6, 0), pain(4, 7)], window=1) == [6.0, 4.0]
    with pytest.raises(ValueError, match="at least 1"):
        rolling_mean([pain(6)], window=0)


def test_summary_compares_baseline_with_newest_reading_past_soreness():
    start, settled, sore = clinic_pain(6, 0), pain(4, 7), pain(7, 9, sore=True)
    summary = summarize([sore, settled, start], Measure.PAIN, NOW)
    assert summary.series == (start, settled, sore)
    assert (summary.baseline, summary.latest, summary.compared) == (start, sore, settled)
    assert summary.change == Change(points=-2, percent=-33.3)
    assert summary.mcid == McidCategory.MUCH_BETTER
    assert summary.best == settled
    assert summary.responder is None


def test_summary_rolling_mean_skips_sore_readings_but_keeps_alignment():
    readings = [clinic_pain(6, 0), pain(8, 2, sore=True), pain(4, 7)]
    assert summarize(readings, Measure.PAIN, NOW).rolling_mean == (6.0, None, 5.0)


def test_late_reply_counts_in_the_trend():
    late = pain(2, 9, late=True)
    summary = summarize([clinic_pain(6, 0), late], Measure.PAIN, NOW)
    assert summary.compared == late
    assert summary.mcid == McidCategory.MUCH_BETTER


def test_summary_ignores_readings_after_now():
    summary = summarize([clinic_pain(6, 0), pain(3, 90)], Measure.PAIN, NOW)
    assert len(summary.series) == 1
    assert summary.change is None


def test_headache_summary_reports_responder():
    readings = [headache(4, 0), headache(2, 7), pain(5, 7)]
    summary = summarize(readings, Measure.HEADACHE_DAYS, NOW)
    assert len(summary.series) == 2
    assert summary.responder is True


def test_baseline_alone_has_no_change_yet():
    summary = summarize([headache(4, 0)], Measure.HEADACHE_DAYS, NOW)
    assert (summary.change, summary.mcid, summary.responder) == (None, None, None)


def test_empty_summary():
    summary = summarize([], Measure.PAIN, NOW)
    assert summary.series == ()
    assert summary.latest is None and summary.baseline is None and summary.best is None
