"""SMS templates: one GSM-7 segment, clinic name first, nothing clinical beyond the question."""

import re

import pytest

from server.enums import Language, Measure
from server.sms.parser import Keyword, parse_labelled_scores, parse_reply
from server.sms.privacy import privacy_problem
from server.sms.templates import (
    MAX_CLINIC_NAME,
    MAX_FIRST_NAME,
    Template,
    is_gsm7,
    render,
)

CLINIC = "Northside Wellness Center Main"
FIRST_NAME = "Maximiliana Alexandr"
HELP_PHONE = "+1 (555)123-4567"
CODE = "123456"
BANNED = (
    "needl", "migrain", "neck", "back", "shoulder", "knee", "hip", "spine", "lumbar", "cervical",
    "diagnos", "treatment", "therap", "tension", "injur", "aguja", "migra", "cuello", "espalda",
    "hombro", "rodilla", "cadera", "columna", "diagnost", "tratamiento", "terapi", "tension",
    "lesion",
)  # fmt: skip
EXTENSION_TABLE = "\f^{}\\[~]|€"
CASES = [
    (template, language, measure)
    for template in Template
    for language in Language
    for measure in (
        Measure if template in (Template.CLARIFY, Template.QUESTION) else [Measure.PAIN]
    )
]
ACTIVITY = "Carry the shopping up three flights"  # a PSFS activity at its 35-character limit


def full(template: Template, language: str, measure: Measure = Measure.PAIN) -> str:
    """`template` rendered with every field at its longest allowed length."""
    return render(
        template,
        language,
        clinic_name=CLINIC,
        first_name=FIRST_NAME,
        help_phone=HELP_PHONE,
        code=CODE,
        measure=measure,
        activity=ACTIVITY,
    )


def test_worst_case_fields_are_at_their_limits():
    assert (len(CLINIC), len(FIRST_NAME), len(HELP_PHONE), len(CODE)) == (
        MAX_CLINIC_NAME,
        MAX_FIRST_NAME,
        16,
        6,
    )


@pytest.mark.parametrize(("template", "language", "measure"), CASES)
def test_every_body_fits_one_gsm7_segment(template, language, measure):
    body = full(template, language, measure)
    assert is_gsm7(body)
    assert len(body) + sum(char in EXTENSION_TABLE for char in body) <= 160


@pytest.mark.parametrize(("template", "language", "measure"), CASES)
def test_every_body_starts_with_the_clinic_name(template, language, measure):
    assert full(template, language, measure).startswith(f"{CLINIC}: ")


@pytest.mark.parametrize(("template", "language", "measure"), CASES)
def test_no_body_names_a_diagnosis_body_region_or_treatment(template, language, measure):
    body = full(template, language, measure).lower()
    assert [word for word in BANNED if word in body] == []


@pytest.mark.parametrize(("template", "language", "measure"), CASES)
def test_the_first_name_appears_only_in_the_reminder(template, language, measure):
    assert (FIRST_NAME in full(template, language, measure)) == (template is Template.REMINDER)


def test_template_values_are_lower_snake_case():
    assert all(template.value == template.name.lower() for template in Template)


def test_the_pain_question_is_the_nprs_wording():
    assert full(Template.QUESTION, "en", Measure.PAIN) == (
        f"{CLINIC}: On a scale of 0-10 (0=no pain, 10=worst imaginable), what was your AVERAGE "
        "pain over the last 24 hours? Reply a number 0-10."
    )


def test_the_headache_question_asks_for_days_in_the_last_week():
    body = full(Template.QUESTION, "en", Measure.HEADACHE_DAYS)
    assert "last 7 days" in body and body.endswith("Reply a number 0-7.")


@pytest.mark.parametrize(
    ("measure", "low", "top"),
    [
        (Measure.PAIN, 0, 10),
        (Measure.HEADACHE_DAYS, 0, 7),
        (Measure.PGIC, 1, 7),
        (Measure.SANE, 0, 100),
    ],
)
def test_clarify_names_the_range_of_the_measure(measure, low, top):
    assert full(Template.CLARIFY, "en", measure).endswith(f"one whole number from {low} to {top}.")
    assert full(Template.CLARIFY, "es", measure).endswith(f"del {low} al {top}.")


@pytest.mark.parametrize(("template", "language", "measure"), CASES)
def test_every_body_passes_the_one_privacy_check(template, language, measure):
    assert privacy_problem(full(template, language, measure)) is None


def test_the_psfs_question_names_the_activity_in_both_languages():
    for language in Language:
        assert ACTIVITY in full(Template.QUESTION, language, Measure.PSFS)


@pytest.mark.parametrize(
    ("text", "found"),
    [("Walking to work", None), ("Reaching overhead shelves", None), ("Neck turns", "neck"),
     ("Subir escaleras con la rodilla", "rodilla"), ("Tennis after surgery", "surgery"),
     ("Migraine days", "migraine"), ("Back to running", None), ("Bending the back", "back")],
)  # fmt: skip
def test_the_privacy_check_finds_body_regions_and_diagnoses(text, found):
    assert privacy_problem(text) == found


@pytest.mark.parametrize("language", list(Language))
def test_help_gives_the_help_phone_and_how_to_opt_out(language):
    body = full(Template.HELP, language)
    assert HELP_PHONE in body and "STOP" in body
    assert parse_reply("STOP", [Measure.PAIN], language).keyword is Keyword.OPT_OUT


def test_english_help_says_reply_stop_to_opt_out():
    assert "Reply STOP to opt out" in full(Template.HELP, "en")


def test_help_without_a_phone_still_reads_well():
    body = render(Template.HELP, "en", clinic_name="Northside PT")
    assert body.startswith("Northside PT: Questions? Call your clinic.")


def test_otp_code_gives_code_and_expiry():
    body = render(Template.OTP_CODE, "en", clinic_name="Northside PT", code="123456", minutes=10)
    assert body == (
        "Northside PT: Your sign-in code is 123456. It expires in 10 minutes. Do not share it."
    )


def test_reminder_without_a_first_name_greets_plainly():
    assert render(Template.REMINDER, "en", clinic_name="Northside PT").startswith(
        "Northside PT: Hi, a reminder"
    )


@pytest.mark.parametrize("language", ["fr", "", "EN"])
def test_unknown_language_falls_back_to_english(language):
    assert full(Template.THANKS, language) == full(Template.THANKS, "en")


@pytest.mark.parametrize("language", list(Language))
def test_the_no_open_checkin_example_is_a_score_the_parser_accepts(language):
    body = full(Template.NO_OPEN_CHECKIN, language)
    example = re.search(r"(?:example|ejemplo): ([A-Z]+ [0-9])\.", body)[1]
    assert parse_labelled_scores(example, language) == {Measure.PAIN: 4}


def test_names_outside_gsm7_are_spelled_in_gsm7():
    body = render(
        Template.REMINDER, "es", clinic_name="Clínica “Norte”", first_name="Ángela 😀 Núñez"
    )
    assert body.startswith('Clinica "Norte": Hola Angela Nuñez,')
    assert is_gsm7(body)


def test_a_long_first_name_is_cut_to_the_limit():
    body = render(Template.REMINDER, "en", clinic_name="Northside PT", first_name="A" * 40)
    assert f"Hi {'A' * MAX_FIRST_NAME}," in body


@pytest.mark.parametrize(
    "fields",
    [
        {"clinic_name": "C" * (MAX_CLINIC_NAME + 1)},
        {"clinic_name": "   "},
        {"clinic_name": "Northside PT", "help_phone": "1" * 17},
    ],
)
def test_fields_that_could_break_the_segment_are_refused(fields):
    with pytest.raises(ValueError):
        render(Template.HELP, "en", **fields)


@pytest.mark.parametrize("text", ["Plain text, 0-10: ok? (yes) ¿Si? ñ é ü à €", "a{b}[c]~|^\\", ""])
def test_gsm7_accepts_the_basic_set_and_extension_table(text):
    assert is_gsm7(text)


@pytest.mark.parametrize(
    "text", ["I\u2019m fine", "\u201cok\u201d", "pain 4 \U0001f600", "día", "ó", "`"]
)
def test_gsm7_rejects_curly_quotes_emoji_and_accents_it_lacks(text):
    assert not is_gsm7(text)
