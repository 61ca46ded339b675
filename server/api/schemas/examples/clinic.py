"""Examples of the clinic's answers: sign-in, flags, trends, overview, rules, alerts, FHIR."""

from server.api.schemas.examples.records import IN_CLINIC_SCORE, SMS_SCORE

TOKEN = {"token": "Yq3rV8-example-staff-token", "expires_at": "2026-12-02T03:00:00+00:00"}
CLINIC = {"id": 1, "name": "Northside PT", "timezone": "America/New_York"}
STAFF = {"id": 2, "email": "maria@northside.example", "name": "Maria Lopez",
         "role": "therapist", "clinic": CLINIC}
FLAG = {
    "id": 12, "patient_id": 42,
    "patient": {"id": 42, "first_name": "Rosa", "external_ref": "EMR-20931"},
    "measure": "pain_nprs", "rule": "pain_severe", "rule_version": "v1", "severity": "urgent",
    "reason": "Pain 9/10 on Nov 13 (severe).", "evidence_score_ids": [SMS_SCORE["id"]],
    "status": "resolved", "opened_at": "2026-11-13T19:42:00+00:00",
    "updated_at": "2026-11-14T15:10:00+00:00", "acknowledged_by_id": 2,
    "acknowledged_at": "2026-11-13T20:15:00+00:00",
    "acknowledge_note": "Called the patient; earlier visit booked", "resolved_by_id": 2,
    "resolved_at": "2026-11-14T15:10:00+00:00", "resolution": "contacted_patient",
    "resolve_note": "Pain settled after two days", "owner_id": 2, "snoozed_until": None,
    "snoozed_by_id": None, "snooze_note": None,
    "first_acknowledged_at": "2026-11-13T20:15:00+00:00", "hours_to_acknowledge": 0.55,
    "hours_to_resolve": 19.47,
}


def _reading(score: dict) -> dict:
    keys = ("value", "reported_at", "source", "hours_since_session", "in_post_needling_window",
            "late")
    return {"score_id": score["id"]} | {key: score[key] for key in keys}


FIRST_VISIT = IN_CLINIC_SCORE | {"id": 290, "value": 7, "reported_at": "2026-11-10T15:00:00+00:00"}
APP_ANSWER = SMS_SCORE | {"id": 302, "value": 4, "reported_at": "2026-11-27T19:40:00+00:00",
                          "source": "app", "check_in_id": 55, "message_id": None,
                          "raw_text": None, "parser_version": None}
PAIN_SERIES = [
    _reading(score) | {"rolling_mean": mean}
    for score, mean in [(FIRST_VISIT, 7.0), (SMS_SCORE, 8.0), (IN_CLINIC_SCORE, 7.3),
                        (APP_ANSWER, 6.3)]
]
PATIENT_TRENDS = {
    "patient_id": 42, "rule_version": "v1",
    "sessions": [{"id": 6, "occurred_at": FIRST_VISIT["reported_at"], "therapist_id": 2},
                 {"id": 7, "occurred_at": IN_CLINIC_SCORE["reported_at"], "therapist_id": 2}],
    "measures": [{
        "measure": "pain_nprs", "scale_max": 10, "series": PAIN_SERIES,
        "baseline": _reading(FIRST_VISIT), "latest": _reading(APP_ANSWER),
        "compared": _reading(APP_ANSWER), "change": {"points": -3, "percent": -42.9},
        "mcid": "much_better", "best": _reading(APP_ANSWER), "responder": None,
        "better": "lower", "activities": [],
    }],
}


def _counts(sent: int, completed: int, expired: int, waiting: int) -> dict:
    return {"sent": sent, "completed": completed, "expired": expired, "awaiting_reply": waiting,
            "response_rate": round(completed / (completed + expired), 3)}


CLINIC_OVERVIEW = {
    "as_of": "2026-12-01T15:00:00+00:00", "rule_version": "v1", "active_patients": 9,
    "checkins": {"last_7_days": _counts(14, 12, 0, 2), "last_30_days": _counts(63, 59, 2, 2)},
    "median_hours_to_reply": 0.33,
    "pain_much_better": {"patients_compared": 8, "improved": 3, "share": 0.375},
    "headache_responders": {"patients_compared": 2, "improved": 1, "share": 0.5},
    "much_better_by_measure": {
        "pain_nprs": {"patients_compared": 8, "improved": 3, "share": 0.375},
        "headache_days_7d": {"patients_compared": 2, "improved": 1, "share": 0.5},
    },
    "open_flags": {"urgent": 1, "warning": 4, "info": 0},
    "median_hours_to_acknowledge_urgent": 0.55, "urgent_open_over_48h": 0,
}
PROGRAM = {
    "id": "neck_back_pain", "label": "Neck and low-back pain",
    "measures": [{"measure": "pain_nprs", "cadence": "after_session"},
                 {"measure": "psfs", "cadence": "weekly"},
                 {"measure": "activity_interference", "cadence": "weekly"},
                 {"measure": "pgic", "cadence": "discharge_and_4_weekly"}],
    "weekday": "friday",
}
RULE_SET = {
    "version": "v1+3f9a2c1e", "overrides": {"severe_at": 9},
    "thresholds": [
        {"name": "post_needling_hours", "value": 72, "default": 72, "min": 0, "max": 336},
        {"name": "severe_at", "value": 9, "default": 8, "min": 1, "max": 10},
    ],
}
NOTIFICATION = {
    "id": 17, "recipient_id": 2, "channel": "email", "purpose": "urgent", "flag_ids": [12],
    "severity": "urgent", "to_address": "maria@northside.example",
    "subject": "[Northside PT] Urgent flag to review",
    "body": "An urgent flag at Northside PT needs a clinician. Please review it and acknowledge "
            "it.\n\nOpen it (sign-in required):\nhttps://painline.example/flags/12\n",
    "status": "sent", "attempts": 1, "error": None, "next_attempt_at": None,
    "sent_at": "2026-11-13T19:42:04+00:00", "created_at": "2026-11-13T19:42:00+00:00",
}
PATIENT_REF = "urn:uuid:0b7e1c4a-3f2d-5e8b-9a61-2c4d8f0e7a13"
FHIR_BUNDLE = {
    "resourceType": "Bundle", "id": "5f0c2b7e-8d41-4a9b-b3e6-1f7a9c2d4e60", "type": "collection",
    "timestamp": "2026-12-01T15:00:00+00:00",
    "entry": [
        {"fullUrl": PATIENT_REF, "resource": {
            "resourceType": "Patient", "id": "42",
            "identifier": [{"system": "https://painline.example/fhir/sid/patient-id",
                            "value": "42"},
                           {"type": {"coding": [{
                               "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                               "code": "MR", "display": "Medical record"}]},
                            "value": "EMR-20931"}]}},
        {"fullUrl": "urn:uuid:6d532428-5c74-58bc-809e-e309e039a24c", "resource": {
            "resourceType": "Observation", "id": "score-302", "status": "final",
            "category": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey", "display": "Survey"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3",
                                 "display": "Pain severity - 0-10 verbal numeric rating "
                                            "[Score] - Reported"}]},
            "subject": {"reference": PATIENT_REF},
            "effectiveDateTime": "2026-11-27T19:40:00+00:00",
            "issued": "2026-11-27T19:40:00.000+00:00", "valueInteger": 4}},
    ],
}
