"""Every case of shared/fixtures/sms_replies.tsv, sent through the signed webhook end to end."""

import pytest

from server.enums import ConsentAction, ConsentStatus
from server.extensions import db
from server.models import ConsentEvent, Score
from tests.services.conversation.conftest import reply_of
from tests.sms.test_parser import fixture_rows

NAMES = {"pain_nprs": "pain", "headache_days_7d": "headache"}
ANSWERED_BEFORE = {"pain": [], "both": [], "headache": ["pain_nprs"]}


def stored_scores() -> str:
    rows = db.session.execute(db.select(Score.measure, Score.value).order_by(Score.id)).all()
    return ";".join(f"{NAMES[str(measure)]}={value}" for measure, value in rows)


@pytest.mark.parametrize(("open_question", "text", "expected"), fixture_rows())
def test_fixture_reply_through_the_webhook(
    send, patient, clinic, prompted, open_question, text, expected
):
    measures = ["pain_nprs"] if open_question == "pain" else ["pain_nprs", "headache_days_7d"]
    prompted(patient, measures=measures, answered=ANSWERED_BEFORE[open_question])
    answer = reply_of(send(text, patient, clinic))
    consent = db.session.scalars(db.select(ConsentEvent.action)).all()
    db.session.refresh(patient)
    if expected == "clarify":
        assert answer.endswith("Please reply with one whole number from 0 to 10.") or (
            answer.endswith("from 0 to 7.") and open_question == "headache"
        )
        assert stored_scores() == "" and consent == []
    elif expected == "opt_out":
        assert consent == [ConsentAction.REVOKED]
        assert patient.consent_status == ConsentStatus.OPTED_OUT and stored_scores() == ""
    elif expected == "opt_in":
        assert consent == [ConsentAction.GRANTED] and answer is None  # Twilio confirmed it
    elif expected == "help":
        assert clinic.help_phone in answer and "STOP" in answer and consent == []
    else:
        assert stored_scores() == expected and consent == []
        assert answer.startswith("Northside PT: ")
