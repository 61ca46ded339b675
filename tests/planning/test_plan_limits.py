"""Planning across sessions: supersede, same-day merge, daily and weekly limits, discharge."""

from datetime import time

from server.enums import CheckInStatus
from server.planning.local_time import QuietHours
from server.planning.plan import ExistingCheckIn, plan_discharge
from server.planning.policy import DEFAULT_POLICY, SESSION, CheckInPolicy, PlannedKind
from tests.planning.test_plan import (
    HEADACHE,
    NEW_YORK,
    PAIN,
    SCHEDULED,
    SKIPPED,
    local,
    patient,
    plan,
)

COMPLETED, PROMPTED = CheckInStatus.COMPLETED, CheckInStatus.PROMPTED
BOTH = (PAIN, HEADACHE)


def row(row_id, kind, day, status=SCHEDULED, measures=BOTH, hour=10):
    """A stored check-in due at `hour` local on 2026-05-`day`."""
    return ExistingCheckIn(row_id, 1, kind, measures, local(NEW_YORK, 2026, 5, day, hour), status)


def test_day3_on_the_day_of_a_previous_day7_merges_into_one_check_in():
    # Session 1 on Mon 05-04 (day3 Thu 05-07 done, day7 Mon 05-11); session 2 on Fri 05-08.
    existing = (row(1, "day3", 7, COMPLETED, (PAIN,)), row(2, "day7", 11))
    result = plan(local(NEW_YORK, 2026, 5, 8, 12), patient(), existing)
    assert result.merge_into == ((2, BOTH),)
    assert result.cancel == ()
    assert [(c.kind, c.due_at) for c in result.new] == [("day7", local(NEW_YORK, 2026, 5, 15, 10))]


def test_merged_check_in_asks_the_union_of_measures():
    policy = CheckInPolicy(
        kinds=(
            PlannedKind("day3", 3, (PAIN,), SESSION),
            PlannedKind("day7", 7, (HEADACHE,), SESSION),
        )
    )
    existing = (row(2, "day7", 11, measures=(HEADACHE,)),)
    result = plan(local(NEW_YORK, 2026, 5, 8, 12), patient(), existing, policy=policy)
    assert result.merge_into == ((2, (PAIN, HEADACHE)),)


def test_two_new_check_ins_on_one_day_become_one_prompt_listing_both_kinds():
    policy = CheckInPolicy(
        kinds=(
            PlannedKind("pain_day4", 4, (PAIN,), SESSION),
            PlannedKind("headache_day4", 4, (HEADACHE,), SESSION),
        )
    )
    (only,) = plan(local(NEW_YORK, 2026, 5, 4, 12), policy=policy).new
    assert (only.kind, only.merged_kinds, only.measures) == ("headache_day4", ("pain_day4",), BOTH)


def test_new_session_cancels_earlier_check_ins_still_to_come_and_says_why():
    existing = (row(1, "day3", 7, measures=(PAIN,)), row(2, "day7", 11))
    result = plan(local(NEW_YORK, 2026, 5, 5, 12), patient(), existing)  # Tue after Mon
    label = "superseded by session on 2026-05-05"
    assert result.cancel == (
        (1, f"{label}: it would measure fresh needling soreness"),
        (2, f"{label}: that session's own check-ins replace it"),
    )
    assert [c.kind for c in result.new] == ["day3", "day7"]


def test_new_session_keeps_check_ins_already_prompted_completed_or_due_before_it():
    existing = (
        row(1, "day3", 1, COMPLETED, (PAIN,)),
        row(2, "day7", 4, hour=9),  # due before the session at noon: still sent
        row(3, "day3", 7, PROMPTED, (PAIN,)),  # recorded late: this one went out this morning
        row(4, "day7", 11),
    )
    result = plan(
        local(NEW_YORK, 2026, 5, 5, 12), patient(), existing, now=local(NEW_YORK, 2026, 5, 7, 12)
    )
    assert [row_id for row_id, _ in result.cancel] == [4]


def test_day_that_already_had_its_prompt_pushes_the_new_check_in_to_the_next_day():
    # Two sessions on Mon, the second recorded on Thu after Thu's prompt of the first went out.
    existing = (row(1, "day3", 7, PROMPTED, (PAIN,)), row(2, "day7", 11))
    now = local(NEW_YORK, 2026, 5, 7, 12)
    result = plan(local(NEW_YORK, 2026, 5, 4, 17), patient(), existing, now=now)
    assert [(c.kind, c.due_at) for c in result.new] == [("day3", local(NEW_YORK, 2026, 5, 8, 10))]
    assert result.merge_into == ((2, BOTH),)  # its day7 rides on the first session's day7
    assert result.cancel == ()


def test_check_in_over_the_weekly_cap_moves_to_the_next_day_that_fits():
    # Three prompts Fri-Sun: a fourth before Fri 10:00 + 7 days would make 4 in one week.
    existing = tuple(row(i, "day7", day, COMPLETED) for i, day in enumerate((1, 2, 3), start=1))
    result = plan(local(NEW_YORK, 2026, 5, 4, 12), patient(), existing)
    assert [(c.kind, c.due_at) for c in result.new] == [
        ("day3", local(NEW_YORK, 2026, 5, 8, 10)),
        ("day7", local(NEW_YORK, 2026, 5, 11, 10)),
    ]


def test_check_in_that_would_slip_more_than_half_its_offset_is_skipped_for_the_weekly_cap():
    # Sat, Sun and Mon morning prompts: day3 would have to wait until Sat 05-09, 3 days late.
    existing = (
        row(1, "day7", 2, COMPLETED),
        row(2, "day7", 3, COMPLETED),
        row(3, "day7", 4, hour=9),
    )
    result = plan(local(NEW_YORK, 2026, 5, 4, 12), patient(), existing)
    assert [(c.kind, c.status, c.skip_reason) for c in result.new] == [
        ("day3", SKIPPED, "weekly_cap"),
        ("day7", SCHEDULED, None),
    ]


def discharge(discharged_at, who, existing=()):
    return plan_discharge(
        discharged_at, who, existing, DEFAULT_POLICY, time(10), QuietHours(), discharged_at
    )


def test_discharge_plans_follow_ups_at_two_four_and_twelve_weeks():
    result = discharge(local(NEW_YORK, 2026, 5, 4, 12), patient())
    assert [(c.kind, c.due_at, c.measures) for c in result.new] == [
        ("followup_2w", local(NEW_YORK, 2026, 5, 18, 10), BOTH),
        ("followup_4w", local(NEW_YORK, 2026, 6, 1, 10), BOTH),
        ("followup_12w", local(NEW_YORK, 2026, 7, 27, 10), BOTH),
    ]


def test_discharged_patient_still_gets_follow_ups():
    who = patient(can_text=False, skip_reason="discharged")
    result = discharge(local(NEW_YORK, 2026, 5, 4, 12), who)
    assert [c.status for c in result.new] == [SCHEDULED] * 3


def test_opted_out_patient_gets_skipped_follow_ups_with_the_reason():
    who = patient(can_text=False, skip_reason="opted_out")
    result = discharge(local(NEW_YORK, 2026, 5, 4, 12), who)
    assert [(c.status, c.skip_reason) for c in result.new] == [(SKIPPED, "opted_out")] * 3


def test_discharge_cancels_session_check_ins_still_to_come():
    existing = (row(1, "day3", 4, COMPLETED, (PAIN,)), row(2, "day7", 8))
    result = discharge(local(NEW_YORK, 2026, 5, 5, 12), patient(), existing)
    reason = "superseded by discharge on 2026-05-05: only follow-ups are sent now"
    assert result.cancel == ((2, reason),)
