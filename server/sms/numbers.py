"""Turn an SMS reply into tokens: numbers, measure labels and the other words.

Whatever a patient may type for a number (full-width digits, keycap emoji, "seven", "siete",
"none", "no pain", "every day") becomes a Number, and the words that name a measure in the
catalog ("pain", "dolor", "headaches", "dolor de cabeza", "HA", "sleep", "sueño", "meds")
become Labels. Pure and deterministic.
"""

import re
import unicodedata
from dataclasses import dataclass

from server.enums import Language, Measure
from server.measures import CATALOG

EVERY_DAY = "everyday"  # "every day", "daily", "todos los dias": 7 headache days, not a pain score

# Accents, keycap enclosures (U+20E3), emoji variation selectors (U+FE0F), zero-width joiners.
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u2044\u2215", "/"),
        **dict.fromkeys("'`\u2018\u2019\u00b4", ""),  # "don't" -> "dont", "I'd" -> "id"
        "\U0001f51f": " 10 ",  # keycap ten emoji
    }
)

_EN_NUMBERS = {
    "zero": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_ES_NUMBERS = {
    "cero": 0, "nada": 0, "ninguno": 0, "ninguna": 0, "ningun": 0, "uno": 1, "dos": 2,
    "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
}  # fmt: skip
_NUMBER_WORDS = {**_EN_NUMBERS, **_ES_NUMBERS}
_ES_NUMBER_WORDS = {**_NUMBER_WORDS, "once": 11, "doce": 12}  # "once" is also an English word

_EVERY_DAY = (
    r"\b(?:every\s?day|daily|all\s+week|todos\s+los\s+dias|cada\s+dia|diari[oa]|diariamente"
    r"|toda\s+la\s+semana)\b"
)
_ZERO_KEYS = "|".join(s.reply_key for s in CATALOG.values() if s.absent_is_zero)
# Applied in order: labels first (each measure's words from the catalog become its reply key),
# so "no pain" and "headache free" can then become scores of 0.
_REWRITES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        *((s.reply_labels, s.reply_key) for s in CATALOG.values()),
        (rf"\b(?:no|sin|without)\s+({_ZERO_KEYS})\b", r"\1 0"),
        (rf"\b({_ZERO_KEYS})[\s-]?free\b", r"\1 0"),
        (_EVERY_DAY, EVERY_DAY),
    )
)
_DIGITS_AGAINST_LETTERS = re.compile(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])")  # "pain4"
_HA = re.compile(r"\bha\b")  # clinical shorthand for headache in English, a verb in Spanish
_WORD = re.compile(r"\b[a-z]+\b")
_TOKEN = re.compile(
    r"(?P<number>[0-9]+)(?: ?(?:/|\bout of\b|\bof\b|\bde\b|\bsobre\b) ?(?P<scale>[0-9]+))?"
    r"|(?P<word>[a-z]+)"
)
_LABELS = {s.reply_key: m for m, s in CATALOG.items()}


@dataclass(frozen=True)
class Number:
    value: int
    scale: int | None = None  # the denominator in "7/10", "7 out of 10"
    measure: Measure | None = None  # fixed by the words themselves: "every day"


@dataclass(frozen=True)
class Label:
    measure: Measure


Token = Number | Label | str  # str: any other word


def fold(text: str) -> str:
    """Lower-case `text` with accents, keycaps and selectors dropped and every digit in ASCII."""
    chars = []
    for char in unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold()):
        category = unicodedata.category(char)
        if category == "Nd":
            chars.append(str(unicodedata.decimal(char)))
        elif category not in _DROPPED_CATEGORIES:
            chars.append(char)
    return " ".join("".join(chars).translate(_PUNCTUATION).split())


def canonical(text: str, language: str = Language.EN) -> str:
    """`text` folded, with measure names as their reply keys and number words as digits."""
    text = _DIGITS_AGAINST_LETTERS.sub(" ", fold(text))
    if language != Language.ES:
        text = _HA.sub("headache", text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    words = _ES_NUMBER_WORDS if language == Language.ES else _NUMBER_WORDS
    text = _WORD.sub(lambda word: str(words.get(word[0], word[0])), text)
    return " ".join(text.split())


def tokenize(canon: str) -> list[Token]:
    """The numbers, labels and other words of `canon`, a text from `canonical`, in order."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(canon):
        word, number, scale = match["word"], match["number"], match["scale"]
        if word == EVERY_DAY:
            tokens.append(Number(Measure.HEADACHE_DAYS.max_value, measure=Measure.HEADACHE_DAYS))
        elif word in _LABELS:
            tokens.append(Label(_LABELS[word]))
        elif word:
            tokens.append(word)
        else:
            tokens.append(Number(_to_int(number), _to_int(scale) if scale else None))
    return tokens


def _to_int(digits: str) -> int:
    """The value of a run of ASCII digits; absurdly long runs read as 1000 (out of any range)."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 3 else 1000
