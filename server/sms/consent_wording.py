"""The words a patient agrees to when they consent to check-in texts, by wording version.

Staff record the version with each grant (the consent log keeps it); the dashboard shows these
words so the staff member reads what the patient agreed to.
"""

CONSENT_WORDINGS: dict[str, str] = {
    "intake-2026-01": (
        "I agree that my clinic may text me short questions about my pain after my treatments, "
        "at most 3 a week. Message and data rates may apply. Reply STOP to stop, HELP for help. "
        "Agreeing is not a condition of treatment."
    ),
}
CURRENT_WORDING = "intake-2026-01"
