"""The clinic's RuleSet is the one post-needling window: /scores, the CSV, FHIR and /trends agree.

A score 30 h after a session is inside the default 72 h window and outside a 24 h one.
"""

import csv
import io
from datetime import timedelta

import pytest

from server.enums import Measure, ScoreSource
from server.extensions import db
from server.services import scores


def _score_30_hours_after_a_session(make, patient, clock):
    make.session(patient, occurred_at=clock.now - timedelta(hours=30))
    scores.add_score(patient, Measure.PAIN, 6, clock.now, ScoreSource.SMS, clock.now)
    db.session.commit()


def _views(client, patient, headers, admin_headers) -> dict[str, bool]:
    base = f"/api/v1/patients/{patient.id}"
    [stored] = client.get(f"{base}/scores", headers=headers).get_json()
    [row] = list(
        csv.DictReader(
            io.StringIO(
                client.get("/api/v1/exports/scores.csv", headers=admin_headers).get_data(
                    as_text=True
                )
            )
        )
    )
    bundle = client.get(f"{base}/fhir", headers=headers).get_json()
    [observation] = [e["resource"] for e in bundle["entry"][1:]]
    trends = client.get(f"{base}/trends", headers=headers).get_json()
    [point] = next(m for m in trends["measures"] if m["measure"] == "pain_nprs")["series"]
    return {
        "scores": stored["in_post_needling_window"],
        "csv": row["in_post_needling_window"] == "true",
        "fhir": "note" in observation,
        "trends": point["in_post_needling_window"],
    }


@pytest.mark.parametrize("overrides, sore", [({}, True), ({"post_needling_hours": 24}, False)])
def test_every_view_marks_the_window_with_the_clinics_rules(
    client, make, clinic, patient, clock, headers, admin_headers, overrides, sore
):
    clinic.rule_overrides = overrides
    db.session.commit()
    _score_30_hours_after_a_session(make, patient, clock)

    views = _views(client, patient, headers, admin_headers)

    assert views == dict.fromkeys(views, sore)


def test_the_fhir_note_names_the_clinics_window(client, make, clinic, patient, clock, headers):
    clinic.rule_overrides = {"post_needling_hours": 48}
    db.session.commit()
    _score_30_hours_after_a_session(make, patient, clock)

    bundle = client.get(f"/api/v1/patients/{patient.id}/fhir", headers=headers).get_json()

    [note] = bundle["entry"][1]["resource"]["note"]
    assert "within 48 h after a needling session" in note["text"]
