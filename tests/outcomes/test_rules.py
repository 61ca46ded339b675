"""RuleSet v1: defaults, clinic overrides, validation and the version stored on every flag."""

from zoneinfo import ZoneInfo

import pytest

from server.enums import FlagRule
from server.outcomes import DEFAULT_RULES, RuleSet, evaluate
from tests.outcomes.test_readings import clinic_pain, pain

TZ = ZoneInfo("America/New_York")


def test_default_rules_are_version_v1_with_design_thresholds():
    assert DEFAULT_RULES.version == "v1"
    assert (DEFAULT_RULES.rise_points, DEFAULT_RULES.rise_consecutive) == (2, 2)
    assert (DEFAULT_RULES.reference_weeks, DEFAULT_RULES.jump_points) == (4, 3)
    assert (DEFAULT_RULES.severe_at, DEFAULT_RULES.headache_rise_days) == (8, 2)
    assert DEFAULT_RULES.non_response_expired_in_row == 2
    assert DEFAULT_RULES.post_needling_hours == 72


def test_override_changes_behaviour_and_version():
    readings = [clinic_pain(5, 0), pain(8, 7)]
    lenient = RuleSet.from_mapping({"severe_at": 9, "jump_points": 4})
    assert FlagRule.PAIN_SEVERE in {f.rule for f in evaluate(readings, DEFAULT_RULES, TZ)}
    assert evaluate(readings, lenient, TZ) == []
    assert lenient.version.startswith("v1+")
    assert lenient.version != RuleSet.from_mapping({"severe_at": 9}).version


def test_version_depends_only_on_the_thresholds():
    first = RuleSet.from_mapping({"severe_at": 9, "jump_points": 4})
    second = RuleSet.from_mapping({"jump_points": 4, "severe_at": 9})
    assert first.version == second.version
    assert first.overrides == {"severe_at": 9, "jump_points": 4}


def test_overriding_with_the_default_value_keeps_v1():
    assert RuleSet.from_mapping({"severe_at": 8}).version == "v1"


def test_unknown_setting_is_rejected_by_name():
    with pytest.raises(ValueError, match="unknown rule setting: severe_pain"):
        RuleSet.from_mapping({"severe_pain": 9})


@pytest.mark.parametrize("value", [0, 11, "9", 8.5, True, None])
def test_bad_value_is_rejected_by_name(value):
    with pytest.raises(ValueError, match="severe_at"):
        RuleSet.from_mapping({"severe_at": value})


def test_rule_set_round_trips_through_its_overrides():
    rules = RuleSet.from_mapping({"reference_weeks": 6})
    assert RuleSet.from_mapping(rules.overrides) == rules
