"""pain_rise, pain_jump and pain_severe, from worked clinical examples (DESIGN.md section 6)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from server.enums import FlagRule, Measure, Severity
from server.outcomes import DEFAULT_RULES, Finding, RuleSet, evaluate
from tests.outcomes.test_readings import clinic_pain, pain

TZ = ZoneInfo("America/New_York")


def rules_found(readings, rules=DEFAULT_RULES, tz=TZ) -> dict[FlagRule, Finding]:
    return {finding.rule: finding for finding in evaluate(readings, rules, tz)}


def test_soreness_at_48_hours_does_not_flag():
    assert evaluate([clinic_pain(5, 0), pain(7, 2, sore=True)], DEFAULT_RULES, TZ) == []


def test_two_sore_readings_do_not_make_a_rise():
    readings = [clinic_pain(5, 0), pain(3, 7), pain(7, 8, sore=True), pain(7, 9, sore=True)]
    assert evaluate(readings, DEFAULT_RULES, TZ) == []


def test_two_readings_two_points_above_best_flag_warning():
    start, lowest = clinic_pain(6, 0), pain(3, 14)
    first, second = pain(5, 21), pain(5, 28)
    found = rules_found([start, pain(4, 7), lowest, first, second])
    assert set(found) == {FlagRule.PAIN_RISE}
    rise = found[FlagRule.PAIN_RISE]
    assert rise.severity == Severity.WARNING
    assert rise.measure == Measure.PAIN
    assert rise.evidence_score_ids == (lowest.score_id, first.score_id, second.score_id)
    assert rise.reason == (
        "Pain 5/10 on Nov 22 and 5/10 on Nov 29, "
        "at least 2 points above the best reading of 3 on Nov 15."
    )


def test_two_readings_above_baseline_flag_urgent():
    start, lowest, first, second = clinic_pain(4, 0), pain(2, 7), pain(6, 14), pain(7, 21)
    rise = rules_found([start, lowest, first, second])[FlagRule.PAIN_RISE]
    assert rise.severity == Severity.URGENT
    assert rise.evidence_score_ids == tuple(r.score_id for r in (start, lowest, first, second))
    assert rise.reason.endswith(
        "above the best reading of 2 on Nov 8, and above the baseline of 4."
    )


def test_a_single_reading_above_the_best_does_not_flag():
    assert evaluate([clinic_pain(5, 0), pain(3, 7), pain(5, 14)], DEFAULT_RULES, TZ) == []


def test_reference_is_the_best_of_the_last_four_weeks():
    # The 1/10 of Nov 8 is more than four weeks before the rise; 4/10 on Dec 1 is the reference.
    readings = [clinic_pain(5, 0), pain(1, 7), pain(4, 30), pain(5, 40), pain(6, 47)]
    assert FlagRule.PAIN_RISE not in rules_found(readings)
    assert FlagRule.PAIN_RISE in rules_found(readings, RuleSet.from_mapping({"reference_weeks": 6}))


def test_reference_falls_back_to_baseline():
    start, first, second = clinic_pain(3, 0), pain(5, 40), pain(6, 47)
    rise = rules_found([start, first, second])[FlagRule.PAIN_RISE]
    assert rise.severity == Severity.URGENT
    assert rise.reason == (
        "Pain 5/10 on Dec 11 and 6/10 on Dec 18, "
        "at least 2 points above the baseline of 3 on Nov 1."
    )
    assert rise.evidence_score_ids == (start.score_id, first.score_id, second.score_id)


def test_same_day_replies_do_not_confirm_a_rise():
    readings = [clinic_pain(5, 0), pain(3, 7), pain(5, 14), pain(5, 14.1)]
    assert FlagRule.PAIN_RISE not in rules_found(readings)


def test_readings_on_different_local_days_confirm_a_rise():
    # 01:00 and 20:00 UTC on Dec 3 fall on Dec 2 and Dec 3 in Los Angeles.
    def at(hour):
        return pain(6, at=datetime(2024, 12, 3, hour, 0, tzinfo=UTC))

    readings = [clinic_pain(5, 0), pain(3, 7), at(1), at(20)]
    assert FlagRule.PAIN_RISE in rules_found(readings, tz=ZoneInfo("America/Los_Angeles"))
    assert FlagRule.PAIN_RISE not in rules_found(readings, tz=ZoneInfo("UTC"))


def test_late_reply_counts_toward_a_rise():
    readings = [clinic_pain(4, 0), pain(2, 7), pain(5, 14), pain(5, 21, late=True)]
    assert FlagRule.PAIN_RISE in rules_found(readings)


def test_a_single_three_point_jump_flags_warning():
    before, after = pain(3, 7), pain(6, 14)
    found = rules_found([clinic_pain(5, 0), before, after])
    assert set(found) == {FlagRule.PAIN_JUMP}
    jump = found[FlagRule.PAIN_JUMP]
    assert jump.severity == Severity.WARNING
    assert jump.evidence_score_ids == (before.score_id, after.score_id)
    assert jump.reason == "Pain 6/10 on Nov 15, up 3 points from 3/10 on Nov 8."


def test_a_two_point_change_is_not_a_jump():
    assert evaluate([clinic_pain(5, 0), pain(3, 7), pain(5, 14)], DEFAULT_RULES, TZ) == []


def test_jump_skips_sore_readings_in_between():
    readings = [clinic_pain(5, 0), pain(3, 7), pain(1, 8, sore=True), pain(5, 14)]
    assert FlagRule.PAIN_JUMP not in rules_found(readings)


def test_pain_8_flags_urgent_even_inside_the_window():
    severe = pain(8, 1, sore=True)
    found = rules_found([clinic_pain(5, 0), severe])
    assert set(found) == {FlagRule.PAIN_SEVERE}
    assert found[FlagRule.PAIN_SEVERE].severity == Severity.URGENT
    assert found[FlagRule.PAIN_SEVERE].evidence_score_ids == (severe.score_id,)
    assert found[FlagRule.PAIN_SEVERE].reason == "Pain 8/10 on Nov 2 (severe)."


def test_pain_7_is_not_severe():
    assert evaluate([clinic_pain(6, 0), pain(7, 1, sore=True)], DEFAULT_RULES, TZ) == []


def test_severe_reason_uses_the_patients_local_date():
    # 03:00 UTC on Dec 3 is still the evening of Dec 2 in Los Angeles.
    severe = pain(9, at=datetime(2024, 12, 3, 3, 0, tzinfo=UTC))
    found = rules_found([severe], tz=ZoneInfo("America/Los_Angeles"))
    assert found[FlagRule.PAIN_SEVERE].reason == "Pain 9/10 on Dec 2 (severe)."
    assert rules_found([severe], tz=ZoneInfo("UTC"))[FlagRule.PAIN_SEVERE].reason == (
        "Pain 9/10 on Dec 3 (severe)."
    )


def test_findings_are_triggered_by_the_newest_reading_only():
    # The 9/10 and the rise were flagged when they arrived; a newer sore 4/10 raises nothing new.
    readings = [clinic_pain(4, 0), pain(2, 7), pain(6, 14), pain(9, 21), pain(4, 22, sore=True)]
    assert evaluate(readings, DEFAULT_RULES, TZ) == []
    assert set(rules_found(readings[:-1])) == {
        FlagRule.PAIN_RISE,
        FlagRule.PAIN_JUMP,
        FlagRule.PAIN_SEVERE,
    }
