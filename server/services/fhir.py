"""A patient's scores as a FHIR R4 Bundle (type collection) for the clinic's EHR.

Codings come from the measure catalog: pain is LOINC 72514-3; the other measures have no
verified LOINC code, so they carry PainLine's own code system (one canonical URL, the same on
every deployment), headache days plus SNOMED CT 25064002 "Headache (finding)". PSFS is one
Observation per activity plus, per measurement, a panel Observation (their mean) with hasMember.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from server.enums import Measure, ScoreSource
from server.measures import LOCAL, spec
from server.models import Patient, Score
from server.services import fhir_panels
from server.services.clinic_settings import clinic_rules

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
SOURCE_WORDS = {
    ScoreSource.SMS: "Patient-reported by SMS",
    ScoreSource.APP: "Patient-reported in the mobile app",
    ScoreSource.CLINIC: "Recorded in clinic",
}
# Only on scores inside the clinic's post-needling window (RuleSet.post_needling_hours).
SORENESS_NOTE = "Reported within {hours} h after a needling session: may reflect soreness."


def measure_system() -> str:
    """PainLine's local code system for its measures: the same URL on every deployment."""
    return LOCAL


def patient_bundle(
    patient: Patient, scores: Iterable[Score], base_url: str, now: datetime
) -> dict[str, Any]:
    """A collection Bundle: the patient, then one final survey Observation per score."""
    window = clinic_rules(patient.clinic_id).post_needling_hours
    sore = SORENESS_NOTE.format(hours=window)
    patient_url = _urn(base_url, f"Patient/{patient.id}")
    entries = [{"fullUrl": patient_url, "resource": _patient(patient, base_url)}]
    scores = list(scores)
    labels = fhir_panels.activity_labels(scores)
    entries += [
        {
            "fullUrl": _urn(base_url, f"Observation/score-{score.id}"),
            "resource": _observation(score, patient_url, sore, labels),
        }
        for score in scores
    ]
    entries += fhir_panels.psfs_panels(scores, patient_url, lambda p: _urn(base_url, p))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _instant(now),
        "entry": entries,
    }


def _urn(base_url: str, path: str) -> str:
    # Stable per record, so a re-export names the same resources; resolvable inside the bundle.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base_url}/fhir/{path}')}"


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _patient(patient: Patient, base_url: str) -> dict[str, Any]:
    # Minimum necessary: identifiers for matching in the EHR, no name, phone or diagnosis.
    identifiers = [{"system": f"{base_url}/fhir/sid/patient-id", "value": str(patient.id)}]
    if patient.external_ref:
        medical_record = {"system": IDENTIFIER_TYPE, "code": "MR", "display": "Medical record"}
        identifiers.append({"type": {"coding": [medical_record]}, "value": patient.external_ref})
    return {"resourceType": "Patient", "id": str(patient.id), "identifier": identifiers}


def _observation(score: Score, patient_url: str, sore: str, labels: dict) -> dict[str, Any]:
    observation = {
        "resourceType": "Observation",
        "id": f"score-{score.id}",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": code_of(score.measure, labels.get(score.activity_id)),
        "subject": {"reference": patient_url},
        "effectiveDateTime": _instant(score.reported_at),
        "issued": score.created_at.isoformat(timespec="milliseconds"),
        "valueInteger": score.value,
        "method": {"text": SOURCE_WORDS[score.source]},
    }
    if score.source != ScoreSource.CLINIC:
        observation["performer"] = [{"reference": patient_url}]
    if score.in_post_needling_window:
        observation["note"] = [{"text": sore}]
    return observation


def code_of(measure: Measure, activity: str | None = None) -> dict[str, Any]:
    """The measure's codings from the catalog; a PSFS item's text names its activity."""
    entry = spec(measure)
    text = f"{entry.fhir_text}: {activity}" if activity else entry.fhir_text
    return {"coding": [dict(c) for c in entry.fhir_coding]} | ({"text": text} if text else {})
