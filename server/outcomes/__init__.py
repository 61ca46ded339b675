"""Pure clinical logic: baseline, change, MCID, trends and regression rules (no Flask, no DB).

Callers pass readings (aware UTC), `now` and the patient's time zone; nothing here reads a
clock, the environment or the database.
"""

from server.outcomes.findings import Finding, evaluate_non_response
from server.outcomes.measures import (
    Change,
    McidCategory,
    baseline,
    best,
    change_from_baseline,
    is_headache_responder,
    mcid_category,
    trend_readings,
)
from server.outcomes.readings import POST_NEEDLING_HOURS, Reading, within_post_needling_window
from server.outcomes.regression import evaluate
from server.outcomes.rules import DEFAULT_RULES, RULES_VERSION, RuleSet
from server.outcomes.trend import TrendSummary, rolling_mean, summarize

__all__ = [
    "DEFAULT_RULES",
    "POST_NEEDLING_HOURS",
    "RULES_VERSION",
    "Change",
    "Finding",
    "McidCategory",
    "Reading",
    "RuleSet",
    "TrendSummary",
    "baseline",
    "best",
    "change_from_baseline",
    "evaluate",
    "evaluate_non_response",
    "is_headache_responder",
    "mcid_category",
    "rolling_mean",
    "summarize",
    "trend_readings",
    "within_post_needling_window",
]
