"""CheckInPolicy: the default plan, its stored form and the admin API's validation."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.enums import Measure
from server.planning.policy import (
    DEFAULT_POLICY,
    DISCHARGE,
    SESSION,
    CheckInPolicy,
    PlannedKind,
    PolicyError,
)


def kind_mapping(**changes):
    return {"kind": "day3", "offset_days": 3, "measures": ["pain_nprs"], "on": "session"} | changes


def test_default_policy_is_day3_day7_and_three_discharge_follow_ups():
    plan = [(k.kind, k.offset_days, k.on, k.measures) for k in DEFAULT_POLICY.kinds]
    both = (Measure.PAIN, Measure.HEADACHE_DAYS)
    assert plan == [
        ("day3", 3, SESSION, (Measure.PAIN,)),
        ("day7", 7, SESSION, both),
        ("followup_2w", 14, DISCHARGE, both),
        ("followup_4w", 28, DISCHARGE, both),
        ("followup_12w", 84, DISCHARGE, both),
    ]
    limits = (DEFAULT_POLICY.window_hours, DEFAULT_POLICY.reminder_after_hours)
    assert limits + (DEFAULT_POLICY.max_prompts_per_7_days,) == (48, 4, 3)


def test_policy_survives_a_json_round_trip():
    stored = json.dumps(DEFAULT_POLICY.to_mapping())
    assert CheckInPolicy.from_mapping(json.loads(stored)) == DEFAULT_POLICY


def test_stored_form_names_measures_by_their_codes():
    first = DEFAULT_POLICY.to_mapping()["kinds"][1]
    assert first == {
        "kind": "day7",
        "offset_days": 7,
        "measures": ["pain_nprs", "headache_days_7d"],
        "on": "session",
    }


def test_limits_left_out_of_the_mapping_take_the_defaults():
    policy = CheckInPolicy.from_mapping({"kinds": [kind_mapping()]})
    assert (policy.window_hours, policy.reminder_after_hours, policy.max_prompts_per_7_days) == (
        48,
        4,
        3,
    )


def test_a_follow_up_may_be_due_on_the_discharge_day():
    policy = CheckInPolicy.from_mapping({"kinds": [kind_mapping(offset_days=0, on="discharge")]})
    assert policy.kinds[0].offset_days == 0


@pytest.mark.parametrize(
    ("mapping", "field", "words"),
    [
        ({"kinds": [kind_mapping(measures=["mood"])]}, "kinds[0].measures", "unknown measure"),
        ({"kinds": [kind_mapping(measures="pain_nprs")]}, "kinds[0].measures", "a list"),
        ({"kinds": [kind_mapping(measures=[])]}, "kinds[0].measures", "at least one"),
        (
            {"kinds": [kind_mapping(measures=["pain_nprs", "pain_nprs"])]},
            "kinds[0].measures",
            "twice",
        ),
        (
            {"kinds": [kind_mapping(offset_days=-1, on="discharge")]},
            "kinds[0].offset_days",
            "negative",
        ),
        ({"kinds": [kind_mapping(offset_days=2)]}, "kinds[0].offset_days", "soreness"),
        ({"kinds": [kind_mapping(offset_days=0)]}, "kinds[0].offset_days", "at least 3"),
        ({"kinds": [kind_mapping(offset_days=True)]}, "kinds[0].offset_days", "whole number"),
        ({"kinds": [kind_mapping(offset_days="3")]}, "kinds[0].offset_days", "whole number"),
        ({"kinds": [kind_mapping(offset_days=400)]}, "kinds[0].offset_days", "at most"),
        ({"kinds": [kind_mapping(), kind_mapping()]}, "kinds[1].kind", "duplicate"),
        ({"kinds": [kind_mapping(kind="Day 3")]}, "kinds[0].kind", "lowercase"),
        ({"kinds": [kind_mapping(on="intake")]}, "kinds[0].on", "session"),
        (
            {"kinds": [{"kind": "day3", "offset_days": 3, "on": "session"}]},
            "kinds[0].measures",
            "required",
        ),
        ({"kinds": [kind_mapping(offset_day=3)]}, "kinds[0].offset_day", "not a policy setting"),
        ({"kinds": ["day3"]}, "kinds[0]", "an object"),
        ({}, "kinds", "required"),
        ({"kinds": [], "window_hours": 0}, "window_hours", "1-168"),
        ({"kinds": [], "window_hours": 4}, "reminder_after_hours", "1-3"),
        ({"kinds": [], "max_prompts_per_7_days": 4}, "max_prompts_per_7_days", "1-3"),
        ({"kinds": [], "weekly_cap": 2}, "weekly_cap", "not a policy setting"),
    ],
)
def test_invalid_policy_is_rejected_naming_the_field(mapping, field, words):
    with pytest.raises(PolicyError) as caught:
        CheckInPolicy.from_mapping(mapping)
    assert caught.value.field == field
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{field}: ")


def test_policy_error_is_a_value_error():
    with pytest.raises(ValueError, match=r"kinds\[0\]\.offset_days: .*soreness"):
        CheckInPolicy(kinds=(PlannedKind("day1", 1, (Measure.PAIN,), SESSION),))


kinds = st.builds(
    PlannedKind,
    kind=st.from_regex(r"[a-z][a-z0-9_]{0,31}", fullmatch=True),
    offset_days=st.integers(3, 366),
    measures=st.lists(st.sampled_from(Measure), min_size=1, max_size=2, unique=True).map(tuple),
    on=st.sampled_from([SESSION, DISCHARGE]),
)
policies = st.builds(
    CheckInPolicy,
    kinds=st.lists(kinds, max_size=6, unique_by=lambda k: k.kind).map(tuple),
    window_hours=st.integers(2, 168),
    reminder_after_hours=st.just(1),
    max_prompts_per_7_days=st.integers(1, 3),
)


@given(policies)
def test_any_valid_policy_reads_back_from_its_json_form(policy):
    assert CheckInPolicy.from_mapping(json.loads(json.dumps(policy.to_mapping()))) == policy
