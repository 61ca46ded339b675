"""Examples of the patient app's answers: Rosa signed in on her phone."""

from server.api.schemas.examples.records import DAY7

PATIENT_TOKEN = {"token": "k9dF2-example-token", "expires_at": "2026-12-27T19:30:00+00:00"}
PROFILE = {
    "role": "patient", "id": 42, "first_name": "Rosa", "language": "en",
    "measures": ["pain_nprs", "headache_days_7d"], "consent_status": "opted_in",
    "clinic": {"name": "Northside PT", "help_phone": "+16175550100"},
}
PAIN_QUESTION = {
    "measure": "pain_nprs", "label": "Pain (0-10)", "min": 0, "max": 10, "better": "lower",
    "min_means": "no pain", "max_means": "worst imaginable", "answered": False,
}
HEADACHE_QUESTION = {
    "measure": "headache_days_7d", "label": "Headache days (last 7)", "min": 0, "max": 7,
    "better": "lower", "min_means": "no headache days", "max_means": "every day",
    "answered": False,
}
MY_CHECK_IN = {
    "id": DAY7["id"], "kind": "day7", "status": "prompted", "due_at": DAY7["due_at"],
    "answer_by": DAY7["window_end"], "completed_at": None,
    "questions": [PAIN_QUESTION, HEADACHE_QUESTION],
}
MY_PAIN = {
    "id": 302, "measure": "pain_nprs", "value": 4, "reported_at": "2026-11-27T19:40:00+00:00",
    "source": "app", "check_in_id": 55, "late": False, "in_post_needling_window": False,
}
MY_HEADACHE = MY_PAIN | {"id": 303, "measure": "headache_days_7d", "value": 1}
ANSWER_RESULT = {
    "check_in": {
        "id": 55, "kind": "day3", "status": "completed", "due_at": "2026-11-27T19:00:00+00:00",
        "answer_by": "2026-11-29T19:00:00+00:00", "completed_at": MY_PAIN["reported_at"],
        "questions": [PAIN_QUESTION | {"answered": True}, HEADACHE_QUESTION | {"answered": True}],
    },
    "scores": [MY_PAIN, MY_HEADACHE],
}
SCORES_RESULT = {"scores": [MY_PAIN]}


def _reading(value: int, when: str, source: str) -> dict:
    return {"value": value, "reported_at": when, "source": source, "late": False,
            "in_post_needling_window": False}


BASELINE = _reading(7, "2026-11-10T15:00:00+00:00", "clinic")
LATEST = _reading(4, MY_PAIN["reported_at"], "app")
MY_TRENDS = {
    "measures": [{
        "measure": "pain_nprs",
        "series": [BASELINE, _reading(9, "2026-11-13T19:42:00+00:00", "sms"),
                   _reading(6, "2026-11-24T15:00:00+00:00", "clinic"), LATEST],
        "baseline": BASELINE, "latest": LATEST, "change_points": -3, "change_percent": -42.9,
        "category": "much_better",
        "message": "Your pain was 7 out of 10 when you started and is 4 now: 3 points lower "
                   "(43% lower). That is a clear improvement.",
    }],
}
APP_CONSENT_EVENT = {"action": "revoked", "source": "app",
                     "occurred_at": "2026-12-01T15:00:00+00:00"}
