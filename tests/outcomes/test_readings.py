"""Reading: the validated input of every clinical rule; also the factory the other tests use."""

import ast
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest

from server.enums import Measure, ScoreSource
from server.outcomes import POST_NEEDLING_HOURS, Reading, within_post_needling_window

# Nov 1 2024 15:00 UTC is 10:00 in New York and 07:00 in Los Angeles: the same date there.
START = datetime(2024, 11, 1, 15, 0, tzinfo=UTC)
_score_ids = count(1)


def reading(
    measure: Measure,
    value: int,
    day: float,
    *,
    source: ScoreSource = ScoreSource.SMS,
    sore: bool = False,
    late: bool = False,
    at: datetime | None = None,
    activity_id: int | None = None,
) -> Reading:
    """A score `day` days after START (or `at`); `sore` puts it 48 h after a session."""
    return Reading(
        score_id=next(_score_ids),
        measure=measure,
        value=value,
        reported_at=at or START + timedelta(days=day),
        source=source,
        hours_since_session=48.0 if sore else 120.0,
        in_post_needling_window=sore,
        late=late,
        activity_id=activity_id,
    )


def pain(value: int, day: float = 0, **options) -> Reading:
    """A pain (NPRS 0-10) reading; see `reading`."""
    return reading(Measure.PAIN, value, day, **options)


def clinic_pain(value: int, day: float = 0) -> Reading:
    """The in-clinic pain score taken at a session."""
    return reading(Measure.PAIN, value, day, source=ScoreSource.CLINIC)


def headache(value: int, day: float = 0, **options) -> Reading:
    """A headache-days-in-the-last-7-days reading; see `reading`."""
    return reading(Measure.HEADACHE_DAYS, value, day, **options)


def test_pain_above_ten_is_rejected():
    with pytest.raises(ValueError, match="0-10"):
        pain(11)


def test_headache_days_above_seven_are_rejected():
    with pytest.raises(ValueError, match="0-7"):
        headache(8)


def test_zero_is_a_valid_score():
    assert pain(0).value == 0


def test_naive_reported_at_is_rejected():
    with pytest.raises(ValueError, match="timezone-aware"):
        pain(3, at=datetime(2024, 11, 1, 15, 0))  # noqa: DTZ001 - the naive time under test


def test_boolean_value_is_rejected():
    with pytest.raises(ValueError, match="whole number"):
        pain(True)


@pytest.mark.parametrize(
    ("hours", "sore"),
    [(0.0, True), (48.0, True), (71.9, True), (72.0, False), (120.0, False), (None, False)],
)
def test_post_needling_window_is_the_first_72_hours_after_a_session(hours, sore):
    assert within_post_needling_window(hours) is sore


def test_post_needling_window_length_is_configurable():
    assert POST_NEEDLING_HOURS == 72
    assert within_post_needling_window(80.0, window_hours=96)


def test_outcomes_package_imports_no_flask_or_database():
    package = Path(__file__).parents[2] / "server" / "outcomes"
    imported = set()
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy", "marshmallow", "twilio"}
