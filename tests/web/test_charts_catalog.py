"""The dashboard's chart metadata comes from the measure catalog: any measure, no template."""

import pytest

from server.enums import Measure
from server.measures import CATALOG
from server.outcomes import RuleSet
from server.web.charts import mcid_band, measure_meta


@pytest.mark.parametrize("measure", list(Measure))
def test_every_catalog_measure_has_chart_metadata(measure):
    meta = measure_meta(measure, RuleSet())
    entry = CATALOG[measure]
    assert (meta["min"], meta["max"]) == (entry.low, entry.high)
    assert meta["label"].startswith(entry.label["en"]) and meta["short"]
    assert meta["worse"] == ("up" if entry.lower_is_better else "down")


def test_higher_is_better_measures_are_drawn_with_worse_down():
    assert measure_meta(Measure.PSFS, RuleSet())["worse"] == "down"
    assert measure_meta(Measure.SANE, RuleSet())["worse"] == "down"
    assert measure_meta(Measure.PAIN, RuleSet())["worse"] == "up"


def test_the_band_lies_on_the_better_side_of_each_measure():
    # PSFS: MID 2 either way; SANE: 15 points up (better) and down (worse), clipped to 0-100.
    assert mcid_band(measure_meta(Measure.PSFS, RuleSet()), 5) == (3, 7)
    assert mcid_band(measure_meta(Measure.SANE, RuleSet()), 90) == (75, 100)
    assert mcid_band(measure_meta(Measure.PAIN, RuleSet()), 6) == (4, 8)
    assert mcid_band(measure_meta(Measure.HEADACHE_DAYS, RuleSet()), 4) == (2, 6)


def test_the_borrowed_threshold_is_named_where_headache_intensity_is_shown():
    assert (
        "borrowed from the pain scale"
        in measure_meta(Measure.HEADACHE_INTENSITY, RuleSet())["label"]
    )


def test_measures_without_a_change_threshold_have_no_band():
    assert mcid_band(measure_meta(Measure.PGIC, RuleSet()), 4) is None
