"""The reply parser: the shared fixture, Spanish, multi-question replies, opt-outs, properties."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.enums import Language, Measure
from server.sms.parser import (
    PARSER_VERSION,
    Keyword,
    ParsedReply,
    ReplyKind,
    is_bare_number,
    parse_labelled_scores,
    parse_reply,
)

PAIN, HEADACHE = Measure.PAIN, Measure.HEADACHE_DAYS
BOTH = [PAIN, HEADACHE]
# The shared fixture is vendored so a clean clone (CI) has it; the copy is checked against
# ../shared when that folder is beside the checkout.
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sms_replies.tsv"
SHARED_FIXTURE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "sms_replies.tsv"
OPEN_QUESTIONS = {"pain": [PAIN], "headache": [HEADACHE], "both": BOTH}
MEASURE_NAMES = {"pain": PAIN, "headache": HEADACHE}


def fixture_rows() -> list[tuple[str, str, str]]:
    # A missing fixture must fail the run, not skip it: read it at collection time.
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            open_question, reply, expected = line.split("\t")
            rows.append((open_question, reply, expected))
    return rows


def outcome(reply: ParsedReply) -> str:
    """The fixture's notation for a parsed reply: "pain=7;headache=2", clarify, opt_out..."""
    if reply.kind is ReplyKind.ANSWERS:
        names = {measure: name for name, measure in MEASURE_NAMES.items()}
        return ";".join(f"{names[measure]}={value}" for measure, value in reply.answers.items())
    if reply.kind is ReplyKind.KEYWORD:
        return str(reply.keyword)
    return "clarify"


def answers(text: str, questions=(PAIN,), language: str = "en") -> dict[Measure, int]:
    reply = parse_reply(text, list(questions), language)
    assert reply.kind is ReplyKind.ANSWERS, reply
    return reply.answers


def clarify_reason(text: str, questions=(PAIN,), language: str = "en") -> str:
    reply = parse_reply(text, list(questions), language)
    assert reply.kind is ReplyKind.CLARIFY and reply.answers == {}, reply
    return reply.reason


def keyword(text: str, language: str = "en") -> Keyword | None:
    return parse_reply(text, [PAIN], language).keyword


def test_fixture_file_is_present_and_has_rows():
    assert FIXTURE.is_file(), f"missing fixture {FIXTURE}"
    assert len(fixture_rows()) >= 40


@pytest.mark.skipif(not SHARED_FIXTURE.is_file(), reason="../shared is not beside this checkout")
def test_vendored_fixture_is_the_shared_one():
    assert FIXTURE.read_bytes() == SHARED_FIXTURE.read_bytes()


@pytest.mark.parametrize(("open_question", "reply", "expected"), fixture_rows())
def test_every_fixture_reply_is_read_as_expected(open_question, reply, expected):
    assert outcome(parse_reply(reply, OPEN_QUESTIONS[open_question])) == expected


def test_parser_version_is_a_string_stored_with_scores():
    assert PARSER_VERSION == "1.1"  # 1.1 reads the catalog's new measures (issue 14)


def test_zero_is_a_valid_answer_not_a_missing_one():
    assert answers("0") == {PAIN: 0}
    assert answers("zero", [HEADACHE]) == {HEADACHE: 0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7⃣", 7),  # keycap without the variation selector
        ("٧", 7),  # Arabic-Indic digit
        ("🔟", 10),
        ("Pain: 4!", 4),
        ("pain4", 4),
        ("about a 4", 4),
        ("my pain is about a 6 today", 6),
        ("10/10", 10),
        ("pain - 4", 4),
    ],
)
def test_other_ways_of_writing_a_pain_score_are_read(text, expected):
    assert answers(text) == {PAIN: expected}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5 or 6", "range"),
        ("5 to 6", "range"),
        ("between 5 and 6", "range"),
        ("6 and a half", "decimal"),
        ("6,5", "decimal"),
        ("½", "denominator"),
        ("3/7", "denominator"),
        ("pain -4", "negative"),
        ("12/10", "out_of_range"),
        ("1" * 5000, "out_of_range"),
        ("8 now 5", "two_numbers"),
        ("once", "no_number"),  # an English word, not eleven
        ("headache 2", "no_number"),  # answers a question that is not open
        ("every day", "no_number"),  # headache days can never be a pain score
        ("😀", "no_number"),
        ("   ", "empty"),
    ],
)
def test_unclear_pain_replies_ask_to_clarify_with_a_reason(text, reason):
    assert clarify_reason(text) == reason


def test_a_reply_with_no_open_question_asks_to_clarify():
    assert clarify_reason("7", questions=()) == "no_question"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 pain 2 headache", {PAIN: 6, HEADACHE: 2}),
        ("Pain 6. Headache 2.", {PAIN: 6, HEADACHE: 2}),
        ("headache 2, pain 6", {PAIN: 6, HEADACHE: 2}),
        ("pain 6, 2 headaches", {PAIN: 6, HEADACHE: 2}),
        ("6 pain, headache 2", {PAIN: 6, HEADACHE: 2}),
        ("2 days of headaches, pain 6", {PAIN: 6, HEADACHE: 2}),
        ("6/10 2/7", {PAIN: 6, HEADACHE: 2}),
        ("no pain, headache 2", {PAIN: 0, HEADACHE: 2}),
        ("6, no headaches", {PAIN: 6, HEADACHE: 0}),
        ("6, every day", {PAIN: 6, HEADACHE: 7}),
        ("6", {PAIN: 6}),
        ("headache 3", {HEADACHE: 3}),
        ("every day", {HEADACHE: 7}),
    ],
)
def test_a_reply_answers_several_open_questions_by_label_or_in_order(text, expected):
    reply_answers = answers(text, BOTH)
    assert reply_answers == expected
    assert list(reply_answers) == [measure for measure in BOTH if measure in expected]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("went from 8 to 5", "two_numbers"),
        ("pain was 8 now 5", "two_numbers"),
        ("pain 4 pain 5", "two_numbers"),
        ("6 2 3", "two_numbers"),
        ("6-2", "range"),
        ("6,2", "decimal"),
        ("3/7", "denominator"),
        ("pain every day", "mismatch"),
        ("pain 6 headache 9", "out_of_range"),
    ],
)
def test_ambiguous_replies_to_two_questions_store_nothing(text, reason):
    assert clarify_reason(text, BOTH) == reason


def test_a_label_for_a_question_not_asked_is_ignored():
    assert answers("pain 7, headache 2") == {PAIN: 7}


@pytest.mark.parametrize(
    ("text", "questions", "expected"),
    [
        ("cinco", [PAIN], {PAIN: 5}),
        ("diez", [PAIN], {PAIN: 10}),
        ("cero", [PAIN], {PAIN: 0}),
        ("sin dolor", [PAIN], {PAIN: 0}),
        ("nada", [PAIN], {PAIN: 0}),
        ("dolor: 4", [PAIN], {PAIN: 4}),
        ("como un 4", [PAIN], {PAIN: 4}),
        ("7 de 10", [PAIN], {PAIN: 7}),
        ("me ha dolido 5", [PAIN], {PAIN: 5}),  # "ha" is a verb in Spanish
        ("dos", [HEADACHE], {HEADACHE: 2}),
        ("ninguno", [HEADACHE], {HEADACHE: 0}),
        ("Todos los días", [HEADACHE], {HEADACHE: 7}),
        ("2 días con dolor de cabeza", [HEADACHE], {HEADACHE: 2}),
        ("sin dolor de cabeza", BOTH, {HEADACHE: 0}),
        ("dolor 5, dolor de cabeza 2", BOTH, {PAIN: 5, HEADACHE: 2}),
        ("5 de dolor y 1 de cabeza", BOTH, {PAIN: 5, HEADACHE: 1}),
    ],
)
def test_spanish_replies_are_read(text, questions, expected):
    assert answers(text, questions, Language.ES) == expected


@pytest.mark.parametrize(("text", "reason"), [("once", "out_of_range"), ("5 a 6", "range")])
def test_unclear_spanish_replies_ask_to_clarify(text, reason):
    assert clarify_reason(text, language=Language.ES) == reason


@pytest.mark.parametrize(
    "text",
    [
        "STOPALL", "Unsubscribe!", "cancel", "END", "quit", "revoke", "OPTOUT", "parar", "baja",
        "stop please", "STOP STOP", "please stop texting me", "stop texting me",
        "Stop messaging me", "unsubscribe me please", "don't text me anymore", "Do not contact me",
        "no more texts",
        "stop sending me these messages", "remove me from this list", "leave me alone",
        "no me envíen más mensajes", "ya no quiero recibir mensajes", "dejen de enviarme mensajes",
        "darme de baja", "4 STOP", "Stop. Pain 4", "stop texting me, pain is 3", "help stop",
    ],
)  # fmt: skip
def test_opt_out_in_any_reasonable_words_beats_answering(text):
    assert keyword(text) is Keyword.OPT_OUT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the pain won't stop, 8", {PAIN: 8}),
        ("hoping it will stop. 5", {PAIN: 5}),
        ("no pain", {PAIN: 0}),
        ("el dolor baja a 3", {PAIN: 3}),
        ("yes 4", {PAIN: 4}),
        ("start 4", {PAIN: 4}),
    ],
)
def test_stop_words_that_are_not_an_opt_out_leave_the_answer(text, expected):
    assert answers(text, language=Language.ES if "dolor" in text else "en") == expected


@pytest.mark.parametrize("text", ["no more pain", "cancel my appointment", "the end"])
def test_phrases_near_opt_out_words_are_not_opt_outs(text):
    assert keyword(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("START", Keyword.OPT_IN),
        ("unstop", Keyword.OPT_IN),
        ("Yes!", Keyword.YES),
        ("yes please", Keyword.YES),
        ("Sí", Keyword.YES),
        ("HELP me", Keyword.HELP),
        ("Ayuda", Keyword.HELP),
    ],
)
def test_other_keywords_must_be_the_whole_reply(text, expected):
    assert keyword(text) is expected


def test_a_keyword_reply_carries_no_answers():
    assert parse_reply("YES", BOTH) == ParsedReply(ReplyKind.KEYWORD, {}, Keyword.YES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pain 4", {PAIN: 4}),
        ("Pain: 4", {PAIN: 4}),
        ("headache 2", {HEADACHE: 2}),
        ("dolor 5", {PAIN: 5}),
        ("DOLOR 4", {PAIN: 4}),
        ("no pain", {PAIN: 0}),
        ("pain 6 headache 2", {PAIN: 6, HEADACHE: 2}),
        ("headaches every day", {HEADACHE: 7}),
    ],
)
def test_labelled_scores_without_an_open_checkin_are_read(text, expected):
    assert parse_labelled_scores(text, Language.ES if "dolor" in text.lower() else "en") == expected


@pytest.mark.parametrize(
    "text",
    ["4", "seven", "7/10", "every day", "pain 4 and 6", "pain 4 headache 9", "pain 5-6",
     "stop pain 4", "pain 3/5", "lol", ""],
)  # fmt: skip
def test_anything_but_clear_labelled_scores_gives_no_unsolicited_score(text):
    assert parse_labelled_scores(text) == {}


@pytest.mark.parametrize("text", ["7", " 7! ", "seven", "Zero", "７", "7/10", "about a 4", "10"])
def test_a_lone_number_is_bare(text):
    assert is_bare_number(text)


@pytest.mark.parametrize("text", ["pain 4", "6 2", "every day", "lol", "", "stop", "no pain"])
def test_labels_words_and_several_numbers_are_not_a_bare_number(text):
    assert not is_bare_number(text)


NUMBERISH = st.sampled_from(
    ["0", "7", "10", "11", "-1", "5-6", "6.5", "3/5", "7/10", "2/7", "seven", "Zero", "ten",
     "once", "diez", "none", "nada", "7️⃣", "７", "99999999999", "½"]
)  # fmt: skip
WORDISH = st.sampled_from(
    ["pain", "pain:", "headache", "headaches", "HA", "dolor", "dolor de cabeza", "cabeza", "no",
     "sin", "every day", "todos los días", "about a", "out of", "of", "de", "to", "or", "and",
     "days", "stop", "STOP", "yes", "help", "start", "texting", "me", ",", ".", "!", "-", "/"]
)  # fmt: skip
QUESTIONS = st.lists(st.sampled_from(list(Measure)), max_size=3)
LANGUAGES = st.sampled_from(["en", "es", "fr", ""])


def assert_well_formed(reply: ParsedReply, questions: list[Measure]) -> None:
    assert isinstance(reply, ParsedReply)
    if reply.kind is not ReplyKind.ANSWERS:
        assert reply.answers == {}
        assert (reply.keyword is not None) == (reply.kind is ReplyKind.KEYWORD)
        return
    assert reply.answers and reply.keyword is None and reply.reason == ""
    for measure, value in reply.answers.items():
        assert measure in questions
        assert type(value) is int and 0 <= value <= measure.max_value


@given(st.text(), QUESTIONS, LANGUAGES)
def test_any_text_parses_without_raising_into_a_well_formed_reply(text, questions, language):
    assert_well_formed(parse_reply(text, questions, language), questions)


@given(st.lists(st.one_of(NUMBERISH, WORDISH), max_size=8), QUESTIONS, LANGUAGES)
def test_replies_built_from_numbers_and_words_stay_in_range(parts, questions, language):
    assert_well_formed(parse_reply(" ".join(parts), questions, language), questions)


@given(st.text(), LANGUAGES)
def test_no_checkin_helpers_never_raise_or_leave_the_scales(text, language):
    for measure, value in parse_labelled_scores(text, language).items():
        assert 0 <= value <= measure.max_value
    assert is_bare_number(text) in (True, False)


@given(st.integers(min_value=0, max_value=10))
def test_every_whole_number_on_the_scale_is_read_back(value):
    assert answers(str(value)) == {PAIN: value}
    assert answers(f"{value}/10") == {PAIN: value}
