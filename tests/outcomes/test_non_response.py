"""non_response: expired check-ins in a row open an info flag."""

from server.enums import FlagRule, Severity
from server.outcomes import DEFAULT_RULES, RuleSet, evaluate_non_response


def test_two_expired_check_ins_in_a_row_flag_info():
    finding = evaluate_non_response(["expired", "expired", "completed"], DEFAULT_RULES)
    assert finding is not None
    assert (finding.rule, finding.severity, finding.measure) == (
        FlagRule.NON_RESPONSE,
        Severity.INFO,
        None,
    )
    assert finding.reason == "2 check-ins in a row expired without a reply."
    assert finding.evidence_score_ids == ()


def test_one_expired_check_in_does_not_flag():
    assert evaluate_non_response(["expired", "completed", "expired"], DEFAULT_RULES) is None


def test_a_reply_since_the_expired_check_ins_does_not_flag():
    assert evaluate_non_response(["completed", "expired", "expired"], DEFAULT_RULES) is None


def test_unsent_and_pending_check_ins_do_not_break_the_run():
    statuses = ["scheduled", "prompted", "expired", "cancelled", "skipped", "expired", "expired"]
    finding = evaluate_non_response(statuses, DEFAULT_RULES)
    assert finding is not None
    assert finding.reason.startswith("3 check-ins in a row")


def test_clinic_can_require_more_expired_check_ins():
    rules = RuleSet.from_mapping({"non_response_expired_in_row": 3})
    assert evaluate_non_response(["expired", "expired", "completed"], rules) is None


def test_no_check_ins_do_not_flag():
    assert evaluate_non_response([], DEFAULT_RULES) is None
