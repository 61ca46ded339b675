"""The measure catalog: every measure has one complete entry that the other layers read."""

from dataclasses import fields

import pytest

from server.enums import Language, Measure
from server.measures import CATALOG, spec
from server.outcomes import RuleSet
from server.sms.templates import QUESTIONS, Template, render


@pytest.mark.parametrize("measure", list(Measure))
def test_every_measure_has_a_complete_catalog_entry(measure):
    entry = spec(measure)
    assert entry.measure is measure
    assert set(entry.label) == set(Language) and all(entry.label.values())
    assert entry.low == 0 < entry.high == measure.max_value
    assert {f.name for f in fields(RuleSet)} >= set(entry.mcid_thresholds) != set()
    assert entry.fhir_coding and all(c["code"] for c in entry.fhir_coding)
    assert QUESTIONS[measure] is Template(entry.question)
    assert entry.reply_labels


def test_the_catalog_is_the_source_of_the_ranges_the_layers_use():
    assert {m: s.high for m, s in CATALOG.items()} == {
        Measure.PAIN: 10,
        Measure.HEADACHE_DAYS: 7,
    }
    assert set(CATALOG) == set(Measure)


@pytest.mark.parametrize("measure", list(Measure))
def test_each_question_is_written_in_each_language_within_one_sms(measure):
    bodies = {
        lang: render(QUESTIONS[measure], lang, clinic_name="Northside PT") for lang in Language
    }
    assert len(set(bodies.values())) == len(Language)  # none falls back to English
    assert all(b.startswith("Northside PT") and len(b) <= 160 for b in bodies.values())
