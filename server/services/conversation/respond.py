"""The SMS conversation: what a known patient's reply means, what is stored, what goes back.

DESIGN.md section 4. Every function adds to the caller's transaction; inbound.py commits.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from server.enums import (
    ConsentStatus,
    Measure,
    MessagePurpose,
    ScoreSource,
)
from server.extensions import db
from server.models import CheckIn, Clinic, Message, Patient
from server.services import psfs_activities, scores
from server.services.checkins import state as checkin_state
from server.services.conversation import keywords
from server.services.conversation.replies import Reply, reply
from server.services.flags import reply_review
from server.sms.parser import (
    PARSER_VERSION,
    ParsedReply,
    ReplyKind,
    is_bare_number,
    parse_labelled_scores,
    parse_reply,
)
from server.sms.templates import Template, question

CLARIFICATIONS = 1  # per check-in; the next unusable reply goes to staff instead
LATE_HORIZON = timedelta(days=7)  # a reply this long after a prompt still answers it (late)


def respond(inbound: Message, patient: Patient, clinic: Clinic, now: datetime) -> Reply | None:
    """Act on one reply of a known patient; the reply to send back, or None for silence."""
    checkin = checkin_state.open_checkin(patient.id, now)
    questions = _unanswered(checkin) if checkin else []
    parsed = parse_reply(inbound.body, questions, patient.language)
    if keywords.applies(parsed, patient):
        answer = keywords.act(parsed.keyword, inbound, patient, clinic, now)
    elif checkin is not None:
        answer = _answer_open(parsed, checkin, inbound, patient, clinic, now)
    else:
        answer = _answer_without_open(inbound, patient, clinic, now)
    opted_out = patient.consent_status == ConsentStatus.OPTED_OUT
    # An opted-out patient still gets HELP and consent confirmations, nothing else.
    if answer is not None and opted_out and answer.purpose is not MessagePurpose.KEYWORD:
        return None
    return answer


def _unanswered(checkin: CheckIn) -> list[Measure]:
    return checkin.unanswered()


def _answer_open(
    parsed: ParsedReply, checkin: CheckIn, inbound: Message, patient, clinic, now
) -> Reply | None:
    """Store the answers and ask the next question, or clarify an unusable reply once."""
    inbound.check_in_id = checkin.id
    if parsed.kind is not ReplyKind.ANSWERS:
        return _unusable(checkin, inbound, patient, clinic, now)
    for measure, value in parsed.answers.items():
        activity = psfs_activities.asked(checkin, patient.id, measure)
        _add_score(patient, measure, value, inbound, now, check_in_id=checkin.id, **activity)
        checkin_state.record_answer(checkin, measure, now)
    following = checkin.next_question()
    if following is None:
        return reply(Template.THANKS, patient, clinic, check_in_id=checkin.id)
    activity = psfs_activities.next_label(checkin, patient.id)
    body = question(following, patient.language, clinic.name, activity)
    return Reply(body, MessagePurpose.REPLY, checkin.id)


def _unusable(checkin: CheckIn, inbound: Message, patient, clinic, now) -> Reply | None:
    """One clarification; after that the text goes to staff as a reply_review flag."""
    checkin.unusable_replies += 1
    if checkin.unusable_replies <= CLARIFICATIONS:
        measure = Measure(checkin.next_question() or Measure.PAIN)
        purpose = MessagePurpose.REPROMPT
        return reply(
            Template.CLARIFY, patient, clinic, purpose, check_in_id=checkin.id, measure=measure
        )
    reply_review.after_unusable_replies(patient, checkin.unusable_replies, inbound.body, now)
    return None


def _answer_without_open(inbound: Message, patient, clinic, now) -> Reply | None:
    """A late answer to a recent check-in, an unsolicited labelled score, or a pointer to HELP."""
    recent = _recently_prompted(patient.id, now)
    if recent is not None:
        parsed = parse_reply(inbound.body, _late_questions(recent), patient.language)
        if parsed.kind is ReplyKind.ANSWERS:
            inbound.check_in_id = recent.id
            for measure, value in parsed.answers.items():
                activity = psfs_activities.asked(recent, patient.id, measure)
                links = {"check_in_id": recent.id, "late": True, **activity}
                _add_score(patient, measure, value, inbound, now, **links)
            return reply(Template.LATE_THANKS, patient, clinic, check_in_id=recent.id)
    labelled = parse_labelled_scores(inbound.body, patient.language)
    # A PSFS score needs its activity: only a check-in's question says which one.
    tracked = {m: v for m, v in labelled.items() if m in patient.measures and m != Measure.PSFS}
    if tracked:
        for measure, value in tracked.items():
            _add_score(patient, measure, value, inbound, now)
        return reply(Template.THANKS, patient, clinic)
    if is_bare_number(inbound.body):
        return reply(Template.NO_OPEN_CHECKIN, patient, clinic)
    return None  # "thanks!", "ok": kept in the transcript, nothing to answer


def _recently_prompted(patient_id: int, now: datetime) -> CheckIn | None:
    """The patient's latest check-in prompted within LATE_HORIZON (closed, as none is open)."""
    return db.session.scalar(
        select(CheckIn)
        .where(CheckIn.patient_id == patient_id, CheckIn.prompted_at >= now - LATE_HORIZON)
        .order_by(CheckIn.prompted_at.desc(), CheckIn.id.desc())
        .limit(1)
    )


def _late_questions(checkin: CheckIn) -> Sequence[Measure]:
    """What a late reply answers: the questions left open, else all of them (a duplicate)."""
    return _unanswered(checkin) or list(checkin.measures)


def _add_score(patient, measure, value, inbound: Message, now, **links) -> None:
    scores.add_score(
        patient,
        measure,
        value,
        now,
        ScoreSource.SMS,
        now,
        message_id=inbound.id,
        raw_text=inbound.body,
        parser_version=PARSER_VERSION,
        **links,
    )
