"""Realistic, deterministic demo histories: sessions, check-ins and scores per patient.

Pure: returns plain dicts for bulk insertion, so 20,000 patients seed in seconds.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.enums import CheckInStatus, Measure, ScoreSource

TRAJECTORIES = ("improving", "improving", "regressing", "flat", "improving_headache")


@dataclass(frozen=True)
class DemoPatientPlan:
    trajectory: str
    tracks_headache: bool
    first_session: datetime
    session_count: int


def plan_patient(rng: random.Random, index: int, now: datetime) -> DemoPatientPlan:
    """Choose a trajectory and session schedule for the index-th demo patient."""
    trajectory = TRAJECTORIES[index % len(TRAJECTORIES)]
    weeks_ago = rng.randint(4, 8)
    first = (now - timedelta(weeks=weeks_ago)).replace(minute=0, second=0, microsecond=0)
    first = first.replace(hour=rng.choice((14, 15, 16, 17, 18, 19)))  # clinic day, in UTC
    return DemoPatientPlan(
        trajectory,
        trajectory.endswith("headache") or index % 4 == 0,
        first,
        min(weeks_ago, rng.randint(3, 6)),
    )


def pain_at(plan: DemoPatientPlan, week: float, rng: random.Random) -> int:
    """The patient's typical pain `week` weeks into care, with day-to-day noise."""
    start = 7
    if plan.trajectory.startswith("improving"):
        level = start - 1.0 * week
    elif plan.trajectory == "regressing":
        level = start - 1.2 * week if week < 3 else start - 3.6 + 1.5 * (week - 3)
    else:
        level = start - 0.2 * week
    return max(0, min(10, round(level + rng.choice((-1, 0, 0, 1)))))


def headache_at(plan: DemoPatientPlan, week: float, rng: random.Random) -> int:
    """Headache days in the last 7 days, `week` weeks into care."""
    level = 5 - 0.6 * week if plan.trajectory != "regressing" else 4 + 0.3 * week
    return max(0, min(7, round(level + rng.choice((-1, 0, 1)))))


def history(plan: DemoPatientPlan, rng: random.Random, now: datetime) -> dict[str, list[dict]]:
    """Sessions (weekly), an in-clinic score each, and day3/day7 check-ins with SMS answers."""
    out: dict[str, list[dict]] = {"sessions": [], "checkins": [], "scores": []}
    for number in range(plan.session_count):
        at = plan.first_session + timedelta(weeks=number)
        out["sessions"].append({"occurred_at": at, "regions": ["upper trapezius"]})
        out["scores"].append(
            _score(Measure.PAIN, pain_at(plan, number, rng), at, ScoreSource.CLINIC, number, None)
        )
        for days in (3, 7):
            _add_checkin(out, plan, rng, number, at + timedelta(days=days), days, now)
    return out


def _add_checkin(out, plan, rng, session_no, due, days, now) -> None:
    measures = [Measure.PAIN] + (
        [Measure.HEADACHE_DAYS] if plan.tracks_headache and days == 7 else []
    )
    if due > now:
        status = CheckInStatus.SCHEDULED
    else:
        status = CheckInStatus.EXPIRED if rng.random() < 0.12 else CheckInStatus.COMPLETED
    reply_at = due + timedelta(minutes=rng.randint(3, 240))
    out["checkins"].append(
        {
            "session_no": session_no,
            "kind": f"day{days}",
            "due_at": due,
            "measures": [str(m) for m in measures],
            "status": status,
            "reply_at": reply_at if status == CheckInStatus.COMPLETED else None,
        }
    )
    if status == CheckInStatus.COMPLETED:
        _add_answers(out, plan, rng, session_no, due, days, reply_at, measures)


def _add_answers(out, plan, rng, session_no, due, days, reply_at, measures) -> None:
    week = session_no + days / 7
    hours = (reply_at - (due - timedelta(days=days))).total_seconds() / 3600
    source = ScoreSource.APP if rng.random() < 0.25 else ScoreSource.SMS
    checkin_index = len(out["checkins"]) - 1
    values = {Measure.PAIN: pain_at(plan, week, rng)}
    if Measure.HEADACHE_DAYS in measures:
        values[Measure.HEADACHE_DAYS] = headache_at(plan, week, rng)
    out["scores"] += [
        _score(measure, value, reply_at, source, session_no, checkin_index, hours)
        for measure, value in values.items()
    ]


def _score(measure, value, at, source, session_no, checkin_index, hours=None) -> dict:
    return {
        "measure": measure,
        "value": value,
        "reported_at": at,
        "source": source,
        "session_no": session_no,
        "checkin_index": checkin_index,
        "hours_since_session": hours,
        "raw_text": str(value) if source == "sms" else None,
    }
