"""Read a patient's SMS reply: a keyword, answers to the open questions, or a need to clarify.

Deterministic and versioned: PARSER_VERSION is stored with every score it produces. It never
guesses: anything but one clear whole number per question comes back as CLARIFY with a reason.
Opting out beats everything, a score included (revocation "by any reasonable means").
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from server.enums import Measure
from server.measures import CATALOG
from server.sms.numbers import Label, Number, Token, canonical, tokenize
from server.sms.reply_words import answer_in_words
from server.sms.vocabulary import Keyword, keyword_of

__all__ = ["PARSER_VERSION", "Keyword", "ParsedReply", "ReplyKind", "parse_reply"]

PARSER_VERSION = "1.1"  # 1.1: the catalog's measures, their ranges and reply words


class ReplyKind(StrEnum):
    ANSWERS = "answers"
    KEYWORD = "keyword"
    CLARIFY = "clarify"


@dataclass(frozen=True)
class ParsedReply:
    """What a reply says. `reason` says why it needs a CLARIFY: empty, no_number, no_question,
    two_numbers, decimal, range, negative, denominator, mismatch or out_of_range (below the
    measure's lowest answer too: PGIC starts at 1)."""

    kind: ReplyKind
    answers: dict[Measure, int]  # empty unless ANSWERS; ordered like the questions answered
    keyword: Keyword | None = None
    reason: str = ""


_CHANGE = re.compile(r"\b(?:from|de) [0-9]+ (?:to|a) [0-9]")  # "went from 8 to 5"
_DECIMAL = re.compile(r"[0-9][.,][0-9]|[0-9] (?:and a half|y medi[oa])\b")
_RANGE = re.compile(
    r"[0-9] ?(?:-|~|\b(?:to|or|o|a|hasta|thru|through)\b) ?(?:(?:a|an|un|una) )?[0-9]"
    r"|\b(?:between|entre) [0-9]+ (?:and|y) [0-9]"
)
_NEGATIVE = re.compile(r"(?<![0-9a-z])-[0-9]")
_UNCLEAR_NUMBERS = (
    ("two_numbers", _CHANGE),
    ("decimal", _DECIMAL),
    ("range", _RANGE),
    ("negative", _NEGATIVE),
)
_SCALE = {m: s.high for m, s in CATALOG.items()}  # "7/10" is a pain score, "2/7" days
_FORWARD_GAP = 4  # "pain was about a 4": a label names a number at most this many words on
# "2 days of headaches": only these words may stand between a number and a label after it.
_BACKWARD_FILLER = frozenset({"day", "days", "dia", "dias", "of", "with", "de", "con", "bad"})
_HEDGES = frozenset({"about", "around", "maybe", "like", "a", "an", "id", "say", "i", "its"})
_HEDGES |= {"it", "is", "um", "como", "un", "unos"}


class _Unclear(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Reading:
    number: Number
    measure: Measure | None  # None: unlabelled, answers the next open question
    explicit: bool  # named by a label word in the reply ("pain 4", "2 headaches")


def parse_reply(text: str, open_questions: Sequence[Measure], language: str = "en") -> ParsedReply:
    """Read one SMS reply against the questions still open on the patient's check-in."""
    canon = canonical(text, language)
    tokens = tokenize(canon)
    if not tokens:
        return _clarify("empty" if not text.strip() else "no_number")
    keyword = keyword_of(canon, tokens)
    if keyword is not None:
        return ParsedReply(ReplyKind.KEYWORD, {}, keyword)
    questions = [Measure(question) for question in dict.fromkeys(open_questions)]
    if not questions:
        return _clarify("no_question")
    in_words = answer_in_words(canon, questions[0], language)
    if in_words is not None:  # "much improved", "not at all": the open question's own words
        return ParsedReply(ReplyKind.ANSWERS, {questions[0]: in_words})
    try:
        _reject_unclear_numbers(canon)
        return ParsedReply(ReplyKind.ANSWERS, _allocate(_readings(tokens), questions))
    except _Unclear as unclear:
        return _clarify(unclear.reason)


def parse_labelled_scores(text: str, language: str = "en") -> dict[Measure, int]:
    """Scores a reply names explicitly ("pain 4", "dolor 5", "headache 2"), else {}."""
    canon = canonical(text, language)
    tokens = tokenize(canon)
    if keyword_of(canon, tokens) is not None:
        return {}
    try:
        _reject_unclear_numbers(canon)
        readings = _readings(tokens)
        if not all(reading.explicit for reading in readings):
            return {}
        return _allocate(readings, list(Measure))
    except _Unclear:
        return {}


def is_bare_number(text: str) -> bool:
    """True for a lone unlabelled number ("7", "seven", "about a 4", "7/10")."""
    tokens = tokenize(canonical(text))
    numbers = [token for token in tokens if isinstance(token, Number)]
    others = [token for token in tokens if not isinstance(token, Number) and token not in _HEDGES]
    return len(numbers) == 1 and numbers[0].measure is None and not others


def _clarify(reason: str) -> ParsedReply:
    return ParsedReply(ReplyKind.CLARIFY, {}, reason=reason)


def _reject_unclear_numbers(canon: str) -> None:
    for reason, pattern in _UNCLEAR_NUMBERS:
        if pattern.search(canon):
            raise _Unclear(reason)


def _readings(tokens: list[Token]) -> list[_Reading]:
    """Every number in the reply with the measure its label (or its own words) gives it."""
    named = max((_bind(tokens, steps) for steps in ((1,), (-1,), (1, -1))), key=len)
    first_named = min(named, default=len(tokens))
    readings = []
    for at, token in enumerate(tokens):
        if not isinstance(token, Number):
            continue
        label = named.get(at)
        if label is not None and token.measure not in (None, label):
            raise _Unclear("mismatch")
        if label is None and token.measure is None and at > first_named:
            raise _Unclear("two_numbers")  # "pain was 8 now 5": the 5 is not the next answer
        readings.append(_Reading(token, label or token.measure, label is not None))
    return readings


def _bind(tokens: list[Token], steps: tuple[int, ...]) -> dict[int, Measure]:
    """Number positions named by labels, each label looking in `steps` directions in turn."""
    named: dict[int, Measure] = {}
    for at, token in enumerate(tokens):
        if not isinstance(token, Label):
            continue
        for step in steps:
            target = _named_number(tokens, at, step)
            if target is not None and target not in named:
                named[target] = token.measure
                break
    return named


def _named_number(tokens: list[Token], at: int, step: int) -> int | None:
    """The number a label names, forwards after a few words or backwards over filler only."""
    for gap, position in enumerate(range(at + step, len(tokens) if step > 0 else -1, step)):
        token = tokens[position]
        if isinstance(token, Number):
            return position
        if isinstance(token, Label) or gap >= _FORWARD_GAP:
            return None
        if step < 0 and token not in _BACKWARD_FILLER:
            return None
    return None


def _allocate(readings: list[_Reading], questions: list[Measure]) -> dict[Measure, int]:
    """Labelled readings answer their own question, unlabelled ones the next open questions."""
    named = [reading for reading in readings if reading.measure is not None]
    if len({reading.measure for reading in named}) < len(named):
        raise _Unclear("two_numbers")
    found = {r.measure: r.number for r in named if r.measure in questions}
    free = [question for question in questions if question not in found]
    for reading in readings:
        if reading.measure is None:
            if not free:
                raise _Unclear("two_numbers")
            found[free.pop(0)] = reading.number
    if not found:
        raise _Unclear("no_number")
    answered = [question for question in questions if question in found]
    return {question: _checked(question, found[question]) for question in answered}


def _checked(measure: Measure, number: Number) -> int:
    if number.scale not in (None, _SCALE[measure]):
        raise _Unclear("denominator")
    if not measure.min_value <= number.value <= measure.max_value:
        raise _Unclear("out_of_range")
    return number.value
