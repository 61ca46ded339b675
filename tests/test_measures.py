"""The measure catalog: every measure has one complete entry that the other layers read."""

from dataclasses import fields

import pytest

from server.enums import Language, Measure
from server.measures import CATALOG, spec
from server.outcomes import RuleSet
from server.sms.privacy import privacy_problem
from server.sms.templates import Template, is_gsm7, render

LONGEST_CLINIC = "N" * 30
LONGEST_ACTIVITY = "A" * 35
# The template-length table of the issue 14 note (clinic name of 30 characters and, for
# PSFS, an activity of 35): every question is at most 160 GSM-7 characters in each language.
EXPECTED_LENGTHS = {
    Measure.PAIN: (156, 157),
    Measure.HEADACHE_DAYS: (113, 114),
    Measure.HEADACHE_INTENSITY: (149, 157),
    Measure.ACUTE_MED_DAYS: (126, 131),
    Measure.PSFS: (149, 146),
    Measure.ACTIVITY_INTERFERENCE: (156, 157),
    Measure.SLEEP_INTERFERENCE: (149, 149),
    Measure.PGIC: (152, 154),
    Measure.SANE: (127, 129),
}


def longest_question(measure: Measure, language: Language) -> str:
    return render(
        Template.QUESTION,
        language,
        clinic_name=LONGEST_CLINIC,
        measure=measure,
        activity=LONGEST_ACTIVITY,
    )


@pytest.mark.parametrize("measure", list(Measure))
def test_every_measure_has_a_complete_catalog_entry(measure):
    entry = spec(measure)
    assert entry.measure is measure
    assert set(entry.label) == set(Language) and all(entry.label.values())
    assert set(entry.question) == set(Language) and set(entry.anchors) == set(Language)
    assert entry.low == measure.min_value < entry.high == measure.max_value
    assert {f.name for f in fields(RuleSet)} >= set(entry.mcid_thresholds)
    assert entry.mcid is None or (entry.mcid.source and entry.mcid_thresholds)
    assert entry.fhir_coding and all(c["code"] for c in entry.fhir_coding)
    assert entry.reply_key and entry.reply_labels and entry.recall


@pytest.mark.parametrize("measure", [Measure.PAIN, Measure.HEADACHE_DAYS])
def test_todays_measures_keep_their_change_thresholds(measure):
    assert spec(measure).mcid_thresholds != ()


def test_the_catalog_is_the_source_of_the_ranges_the_layers_use():
    assert {m: (s.low, s.high) for m, s in CATALOG.items()} == {
        Measure.PAIN: (0, 10),
        Measure.HEADACHE_DAYS: (0, 7),
        Measure.HEADACHE_INTENSITY: (0, 10),
        Measure.ACUTE_MED_DAYS: (0, 7),
        Measure.PSFS: (0, 10),
        Measure.ACTIVITY_INTERFERENCE: (0, 10),
        Measure.SLEEP_INTERFERENCE: (0, 10),
        Measure.PGIC: (1, 7),
        Measure.SANE: (0, 100),
    }
    assert set(CATALOG) == set(Measure)


def test_function_and_recovery_are_the_measures_where_higher_is_better():
    assert {m for m, s in CATALOG.items() if s.higher_is_better} == {Measure.PSFS, Measure.SANE}


@pytest.mark.parametrize("measure", list(Measure))
def test_each_question_is_written_in_each_language_within_one_sms(measure):
    bodies = {
        lang: render(Template.QUESTION, lang, clinic_name="Northside PT", measure=measure)
        for lang in Language
    }
    assert len(set(bodies.values())) == len(Language)  # none falls back to English
    assert all(b.startswith("Northside PT") and len(b) <= 160 for b in bodies.values())


@pytest.mark.parametrize("measure", list(Measure))
def test_each_question_fits_one_gsm7_sms_with_the_longest_names(measure):
    lengths = []
    for language in Language:
        body = longest_question(measure, language)
        assert is_gsm7(body) and len(body) <= 160
        assert privacy_problem(body) is None
        lengths.append(len(body))
    assert tuple(lengths) == EXPECTED_LENGTHS[measure]
