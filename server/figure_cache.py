"""Clinic-wide figures served for up to OVERVIEW_MAX_AGE_SECONDS, per clinic and process.

The overview's figures are 7- and 30-day aggregates: at 20,000 patients they take about 170 ms
(the API's) and 330 ms (the page's, with the per-therapist figures and charts) to compute from
some 160,000 check-ins, and a minute's age changes nothing a clinician acts on. Both show when
they were computed (`as_of`), and 0 turns the reuse off (the test suites, where the clock stands
still between tests). Each process keeps its own: a gunicorn worker computes them at most once a
minute per clinic, and nothing is shared between clinics (the clinic id is the key).
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def served(name: str, clinic_id: int, now: datetime, compute: Callable[[int, datetime], T]) -> T:
    """compute(clinic_id, now), or what it returned for this clinic less than the max age ago."""
    max_age = timedelta(seconds=current_app.config["OVERVIEW_MAX_AGE_SECONDS"])
    kept: dict = current_app.extensions.setdefault("figure_cache", {})
    computed_at, figures = kept.get((name, clinic_id), (None, None))
    if computed_at is not None and timedelta(0) <= now - computed_at < max_age:
        return figures
    figures = compute(clinic_id, now)
    kept[name, clinic_id] = (now, figures)
    return figures


def forget(clinic_id: int) -> None:
    """Drop what this process keeps for the clinic (its rules or programs just changed)."""
    kept: dict = current_app.extensions.get("figure_cache", {})
    for key in [key for key in kept if key[1] == clinic_id]:
        del kept[key]
