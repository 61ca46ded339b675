"""PSFS in FHIR: each activity's score is its own Observation; each measurement (the answers
of one check-in, else of one day) adds a panel Observation with their mean and hasMember."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from server.enums import Measure
from server.extensions import db
from server.measures import LOCAL
from server.models import PsfsActivity, Score

PANEL_CODE = {
    "system": LOCAL,
    "code": "psfs_mean",
    "display": "Patient-Specific Functional Scale, mean of the activities",
}


def activity_labels(scores: list[Score]) -> dict[int, str]:
    """The label of each PSFS activity the scores name, by id."""
    ids = {score.activity_id for score in scores if score.activity_id is not None}
    if not ids:
        return {}
    query = select(PsfsActivity.id, PsfsActivity.label).where(PsfsActivity.id.in_(ids))
    return {activity_id: label for activity_id, label in db.session.execute(query)}


def psfs_panels(
    scores: list[Score], patient_url: str, urn: Callable[[str], str]
) -> list[dict[str, Any]]:
    """One panel entry per PSFS measurement, pointing at its activities' Observations."""
    groups: dict[str, list[Score]] = {}
    for score in scores:
        if score.measure == Measure.PSFS:
            key = (
                f"checkin-{score.check_in_id}"
                if score.check_in_id
                else f"day-{score.reported_at.date()}"
            )
            groups.setdefault(key, []).append(score)
    return [_panel(key, members, patient_url, urn) for key, members in groups.items()]


def _panel(key: str, members: list[Score], patient_url: str, urn) -> dict[str, Any]:
    last = max(members, key=lambda s: (s.reported_at, s.id))
    mean = round(sum(s.value for s in members) / len(members), 1)
    resource = {
        "resourceType": "Observation",
        "id": f"psfs-{key}",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                        "display": "Survey",
                    }
                ]
            }
        ],
        "code": {"coding": [dict(PANEL_CODE)], "text": "PSFS mean"},
        "subject": {"reference": patient_url},
        "effectiveDateTime": last.reported_at.isoformat(timespec="seconds"),
        "valueQuantity": {"value": mean, "unit": "score"},
        "hasMember": [{"reference": urn(f"Observation/score-{s.id}")} for s in members],
    }
    return {"fullUrl": urn(f"Observation/psfs-{key}"), "resource": resource}
