"""A patient's scores as a FHIR R4 Bundle (type collection) for the clinic's EHR.

Pain is LOINC 72514-3; headache days have no verified LOINC code, so they carry PainLine's own
code (a code system under PUBLIC_BASE_URL) plus SNOMED CT 25064002 "Headache (finding)".
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from server.enums import Measure, ScoreSource
from server.measures import LOCAL, spec
from server.models import Patient, Score
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


def measure_system(base_url: str) -> str:
    """PainLine's local code system for its measures, under the public base URL."""
    return LOCAL.format(base=base_url)


def patient_bundle(
    patient: Patient, scores: Iterable[Score], base_url: str, now: datetime
) -> dict[str, Any]:
    """A collection Bundle: the patient, then one final survey Observation per score."""
    window = clinic_rules(patient.clinic_id).post_needling_hours
    sore = SORENESS_NOTE.format(hours=window)
    patient_url = _urn(base_url, f"Patient/{patient.id}")
    entries = [{"fullUrl": patient_url, "resource": _patient(patient, base_url)}]
    entries += [
        {
            "fullUrl": _urn(base_url, f"Observation/score-{score.id}"),
            "resource": _observation(score, patient_url, base_url, sore),
        }
        for score in scores
    ]
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


def _observation(score: Score, patient_url: str, base_url: str, sore: str) -> dict[str, Any]:
    observation = {
        "resourceType": "Observation",
        "id": f"score-{score.id}",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": _code(score.measure, base_url),
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


def _code(measure: Measure, base_url: str) -> dict[str, Any]:
    entry = spec(measure)
    coding = [{**c, "system": c["system"].format(base=base_url)} for c in entry.fhir_coding]
    return {"coding": coding} | ({"text": entry.fhir_text} if entry.fhir_text else {})
