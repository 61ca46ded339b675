"""Examples of the patient record as staff read it: patient, consent, sessions, scores, texts."""

ROSA = {
    "id": 42, "external_ref": "EMR-20931", "first_name": "Rosa", "phone": "+16175550123",
    "phone_valid": True, "timezone": "America/New_York", "language": "en",
    "measures": ["pain_nprs", "headache_days_7d"], "program": None,
    "returning_to_sport": False, "primary_therapist_id": 2, "care_status": "active",
    "consent_status": "opted_in", "created_at": "2026-11-02T14:05:00+00:00",
    "discharged_at": None, "latest_pain": 4, "latest_pain_at": "2026-11-27T19:40:00+00:00",
    "pain_change": -3, "pain_change_percent": -42.9, "pain_mcid": "much_better",
    "headache_responder": True,
}
ROSA_LISTED = ROSA | {"open_flags": 0}
CONSENT_EVENT = {
    "id": 81, "action": "granted", "source": "intake_form", "wording_version": "2026-01",
    "occurred_at": "2026-11-02T14:06:00+00:00", "actor_type": "staff", "actor_id": 2,
    "evidence_message_id": None, "note": "Signed at the front desk",
}
IN_CLINIC_SCORE = {
    "id": 301, "measure": "pain_nprs", "value": 6, "reported_at": "2026-11-24T15:00:00+00:00",
    "source": "clinic", "check_in_id": None, "message_id": None, "raw_text": None,
    "parser_version": None, "hours_since_session": None, "in_post_needling_window": False,
    "late": False,
}
SMS_SCORE = IN_CLINIC_SCORE | {
    "id": 295, "value": 9, "reported_at": "2026-11-13T19:42:00+00:00", "source": "sms",
    "check_in_id": 50, "message_id": 903, "raw_text": "9", "parser_version": "1.1",
    "hours_since_session": 76.7,
}
DAY3 = {
    "id": 55, "patient_id": 42, "session_id": 7, "kind": "day3",
    "measures": ["pain_nprs", "headache_days_7d"], "answered": [],
    "due_at": "2026-11-27T19:00:00+00:00", "window_end": "2026-11-29T19:00:00+00:00",
    "status": "scheduled", "status_reason": None, "prompted_at": None, "completed_at": None,
    "reminder_count": 0,
}
DAY7 = DAY3 | {"id": 56, "kind": "day7", "due_at": "2026-12-01T19:00:00+00:00",
               "window_end": "2026-12-03T19:00:00+00:00"}
SESSION = {
    "id": 7, "patient_id": 42, "therapist_id": 2, "occurred_at": "2026-11-24T15:00:00+00:00",
    "regions": ["upper trapezius"], "in_clinic_score": IN_CLINIC_SCORE, "checkins": [DAY3, DAY7],
}
PSFS_ACTIVITY = {"id": 5, "label": "Walking to the shops",
                 "created_at": "2026-11-24T15:10:00+00:00", "retired_at": None}
PROMPT = {
    "id": 902, "direction": "outbound", "purpose": "prompt",
    "body": "Northside PT: On a scale of 0-10 (0=no pain, 10=worst imaginable), what was your "
            "AVERAGE pain over the last 24 hours? Reply a number 0-10.",
    "from_number": "+16175550199", "to_number": "+16175550123", "status": "delivered",
    "error_code": None, "segments": 1, "attempts": 1, "check_in_id": 50, "reply_to_id": None,
    "created_at": "2026-11-13T19:00:00+00:00", "processed_at": None,
    "sent_at": "2026-11-13T19:00:02+00:00",
    "status_history": [
        {"status": "accepted", "error_code": None, "occurred_at": "2026-11-13T19:00:02+00:00"},
        {"status": "sent", "error_code": None, "occurred_at": "2026-11-13T19:00:03+00:00"},
        {"status": "delivered", "error_code": None, "occurred_at": "2026-11-13T19:00:05+00:00"},
    ],
}
