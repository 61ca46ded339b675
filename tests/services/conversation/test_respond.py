"""The SMS conversation (DESIGN.md section 4): answers, clarifications, late and unsolicited."""

from datetime import timedelta

from server.enums import CheckInStatus, FlagRule, Language, MessageStatus, Severity
from server.extensions import db
from server.models import Flag, Message, Score
from server.services.outbox.queue import enqueue
from server.sms.parser import PARSER_VERSION
from tests.assertions import count
from tests.services.conversation.conftest import reply_of


def scores() -> list[tuple[str, int]]:
    rows = db.session.execute(db.select(Score.measure, Score.value).order_by(Score.id)).all()
    return [(str(measure), value) for measure, value in rows]


def test_valid_answer_is_stored_with_its_timing_text_and_parser_version(
    send, make, clock, patient, clinic, prompted
):
    make.session(patient, occurred_at=clock.now - timedelta(days=7))
    checkin = prompted(patient)
    assert reply_of(send("seven", patient, clinic)).startswith("Northside PT: Thank you")
    score = db.session.scalar(db.select(Score))
    assert (score.value, score.source, score.raw_text) == (7, "sms", "seven")
    assert score.parser_version == PARSER_VERSION
    assert score.hours_since_session == 168.0 and score.in_post_needling_window is False
    assert score.check_in_id == checkin.id and score.late is False
    assert score.message_id == db.session.scalar(db.select(Message.id).order_by(Message.id))
    db.session.refresh(checkin)
    assert checkin.status == CheckInStatus.COMPLETED and checkin.completed_at == clock.now


def test_answer_within_72_hours_of_needling_is_marked_post_needling(
    send, make, clock, patient, clinic, prompted
):
    make.session(patient, occurred_at=clock.now - timedelta(hours=30))
    prompted(patient)
    send("8", patient, clinic)
    score = db.session.scalar(db.select(Score))
    assert score.hours_since_session == 30.0 and score.in_post_needling_window is True


def test_zero_is_an_answer_not_a_missing_one(send, patient, clinic, prompted):
    prompted(patient)
    assert "Thank you" in reply_of(send("0", patient, clinic))
    assert scores() == [("pain_nprs", 0)]


def test_first_answer_is_followed_by_the_next_question_then_a_thank_you(
    send, patient, clinic, prompted
):
    checkin = prompted(patient, measures=("pain_nprs", "headache_days_7d"))
    assert "how many days did you have a headache" in reply_of(send("6", patient, clinic))
    assert "Thank you" in reply_of(send("2", patient, clinic))
    assert scores() == [("pain_nprs", 6), ("headache_days_7d", 2)]
    db.session.refresh(checkin)
    assert checkin.status == CheckInStatus.COMPLETED


def test_one_reply_can_answer_several_questions(send, patient, clinic, prompted):
    checkin = prompted(patient, measures=("pain_nprs", "headache_days_7d"))
    assert "Thank you" in reply_of(send("pain 6 headache 2", patient, clinic))
    assert scores() == [("pain_nprs", 6), ("headache_days_7d", 2)]
    db.session.refresh(checkin)
    assert checkin.answered == ["pain_nprs", "headache_days_7d"]


def test_completing_a_checkin_by_sms_cancels_its_queued_reminder(
    send, clock, patient, clinic, prompted
):
    checkin = prompted(patient)
    reminder = enqueue(
        clinic,
        patient,
        "reminder",
        "Northside PT: Hi",
        clock.now,
        send_at=clock.now + timedelta(hours=4),
        check_in_id=checkin.id,
    )
    db.session.commit()
    send("3", patient, clinic)
    db.session.refresh(reminder)
    assert reminder.status == MessageStatus.CANCELLED


def test_unusable_reply_gets_one_clarification_and_stores_nothing(send, patient, clinic, prompted):
    checkin = prompted(patient)
    answer = reply_of(send("5-6", patient, clinic))
    assert answer == "Northside PT: Please reply with one whole number from 0 to 10."
    assert scores() == [] and count(Flag) == 0
    db.session.refresh(checkin)
    assert checkin.unusable_replies == 1 and checkin.status == CheckInStatus.PROMPTED


def test_clarification_names_the_range_of_the_open_question(send, patient, clinic, prompted):
    prompted(patient, measures=("pain_nprs", "headache_days_7d"), answered=["pain_nprs"])
    assert reply_of(send("8", patient, clinic)).endswith("from 0 to 7.")


def test_second_unusable_reply_opens_a_review_flag_and_stops_re_asking(
    send, patient, clinic, prompted
):
    prompted(patient)
    send("went from 8 to 5", patient, clinic)
    assert reply_of(send("better than last week", patient, clinic)) is None
    flag = db.session.scalar(db.select(Flag))
    assert (flag.rule, flag.severity) == (FlagRule.REPLY_REVIEW, Severity.INFO)
    assert "better than last week" in flag.reason
    bodies = db.session.scalars(db.select(Message.body).where(Message.direction == "inbound"))
    assert sorted(bodies) == ["better than last week", "went from 8 to 5"]  # the text is kept


def test_usable_answer_after_a_clarification_is_stored(send, patient, clinic, prompted):
    prompted(patient)
    send("6.5", patient, clinic)
    assert "Thank you" in reply_of(send("7", patient, clinic))
    assert scores() == [("pain_nprs", 7)]


def test_reply_after_the_window_closed_is_kept_as_a_late_score(
    send, clock, patient, clinic, prompted
):
    checkin = prompted(
        patient,
        prompted_at=clock.now - timedelta(days=3),
        window_end=clock.now - timedelta(days=1),
        status=CheckInStatus.EXPIRED,
    )
    assert "we kept your answer" in reply_of(send("4", patient, clinic))
    score = db.session.scalar(db.select(Score))
    assert (score.value, score.late, score.check_in_id) == (4, True, checkin.id)
    db.session.refresh(checkin)
    assert checkin.status == CheckInStatus.EXPIRED and checkin.answered == []


def test_late_reply_to_a_completed_checkin_never_overwrites(
    send, make, clock, patient, clinic, prompted
):
    checkin = prompted(
        patient, status=CheckInStatus.COMPLETED, answered=["pain_nprs"], completed_at=clock.now
    )
    first = make.score(patient, value=6, check_in_id=checkin.id)
    send("3", patient, clinic)
    assert scores() == [("pain_nprs", 6), ("pain_nprs", 3)]
    db.session.refresh(first)
    assert first.value == 6 and first.late is False
    assert db.session.scalar(db.select(Score.late).where(Score.value == 3)) is True


def test_labelled_score_with_no_open_checkin_is_kept_as_unsolicited(send, patient, clinic):
    assert "Thank you" in reply_of(send("pain 4", patient, clinic))
    score = db.session.scalar(db.select(Score))
    assert (score.value, score.check_in_id, score.late) == (4, None, False)


def test_headache_score_from_a_pain_only_patient_is_kept_as_text_only(send, make, clinic):
    patient = make.patient(clinic, tracks_headache=False)
    assert reply_of(send("headache 3", patient, clinic)) is None
    assert scores() == [] and count(Message) == 1


def test_bare_number_with_no_open_checkin_gets_a_short_help_reply(send, patient, clinic):
    answer = reply_of(send("4", patient, clinic))
    assert answer.startswith("Northside PT: There is no open question") and "PAIN 4" in answer
    assert scores() == [] and count(Message, Message.body == "4") == 1


def test_chatter_with_no_open_checkin_is_kept_without_a_reply(send, patient, clinic):
    assert reply_of(send("ok thanks!", patient, clinic)) is None
    assert count(Message) == 1


def test_spanish_speaking_patient_is_answered_in_spanish(send, make, clinic, prompted):
    patient = make.patient(clinic, language=Language.ES, tracks_headache=True)
    prompted(patient, measures=("pain_nprs", "headache_days_7d"))
    assert "dolor de cabeza" in reply_of(send("seis", patient, clinic))
    assert scores() == [("pain_nprs", 6)]
