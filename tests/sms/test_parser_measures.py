"""The parser on the catalog's new measures: the shared fixture, ranges, words, languages."""

from pathlib import Path

import pytest

from server.enums import Measure
from server.sms.parser import ParsedReply, ReplyKind, parse_labelled_scores, parse_reply

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sms_replies_measures.tsv"
SHARED_FIXTURE = Path("/work/shared/fixtures/sms_replies_measures.tsv")


def measure_fixture_rows() -> list[tuple[list[Measure], str, str]]:
    # A missing fixture must fail the run, not skip it: read it at collection time.
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            open_questions, reply, expected = line.split("\t")
            rows.append(([Measure(m) for m in open_questions.split("+")], reply, expected))
    return rows


def outcome(reply: ParsedReply) -> str:
    """The fixture's notation: "psfs=6", "pain_nprs=4;sleep_interference=2" or clarify."""
    if reply.kind is ReplyKind.ANSWERS:
        return ";".join(f"{measure}={value}" for measure, value in reply.answers.items())
    return "clarify" if reply.kind is ReplyKind.CLARIFY else str(reply.keyword)


def test_measure_fixture_is_present_and_covers_every_new_measure():
    rows = measure_fixture_rows()
    assert len(rows) >= 27
    asked = {measure for questions, _, _ in rows for measure in questions}
    assert asked == set(Measure) - {Measure.HEADACHE_DAYS}


@pytest.mark.skipif(not SHARED_FIXTURE.is_file(), reason="the shared fixtures are not here")
def test_vendored_measure_fixture_is_the_shared_one():
    assert FIXTURE.read_bytes() == SHARED_FIXTURE.read_bytes()


@pytest.mark.parametrize(("questions", "reply", "expected"), measure_fixture_rows())
def test_every_measure_fixture_reply_is_read_as_expected(questions, reply, expected):
    assert outcome(parse_reply(reply, questions)) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("sleep 4", "en", {Measure.SLEEP_INTERFERENCE: 4}),
        ("sueño 4", "es", {Measure.SLEEP_INTERFERENCE: 4}),
        ("meds 2", "en", {Measure.ACUTE_MED_DAYS: 2}),
        ("medicina 3", "es", {Measure.ACUTE_MED_DAYS: 3}),
        ("dolor 5 sueño 6", "es", {Measure.PAIN: 5, Measure.SLEEP_INTERFERENCE: 6}),
        ("recovery 85%", "en", {Measure.SANE: 85}),
        ("dolor de cabeza 3", "es", {Measure.HEADACHE_DAYS: 3}),
    ],
)
def test_labels_in_english_and_spanish_name_their_measure(text, language, expected):
    assert parse_labelled_scores(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("very much improved", "en", 1),
        ("Much improved!", "en", 2),
        ("minimally worse", "en", 5),
        ("very much worse", "en", 7),
        ("mucho mejor", "es", 2),
        ("muchísimo mejor", "es", 1),
        ("sin cambios", "es", 4),
    ],
)
def test_pgic_words_read_by_the_longest_match(text, language, value):
    assert parse_reply(text, [Measure.PGIC], language).answers == {Measure.PGIC: value}


def test_words_answer_only_the_open_question():
    # "not at all" is 0 for interference, and nothing on the pain scale.
    assert parse_reply("not at all", [Measure.PAIN]).kind is ReplyKind.CLARIFY
    assert parse_reply("para nada", [Measure.SLEEP_INTERFERENCE], "es").answers == {
        Measure.SLEEP_INTERFERENCE: 0
    }


def test_words_beside_a_number_are_not_guessed():
    assert parse_reply("much improved 3", [Measure.PGIC]).answers == {Measure.PGIC: 3}
    assert parse_reply("much improved 3 or 2", [Measure.PGIC]).kind is ReplyKind.CLARIFY


@pytest.mark.parametrize(
    ("measure", "text", "reason"),
    [(Measure.PGIC, "0", "out_of_range"), (Measure.SANE, "85/10", "denominator"),
     (Measure.ACUTE_MED_DAYS, "3/10", "denominator"), (Measure.SANE, "80-90", "range")],
)  # fmt: skip
def test_each_measure_keeps_its_own_range_and_scale(measure, text, reason):
    reply = parse_reply(text, [measure])
    assert reply.kind is ReplyKind.CLARIFY and reply.reason == reason
