"""Answers given in words: a measure's own anchor phrases ("much improved", "not at all").

The phrases live in the measure catalog; they answer only the question that is open, and
the longest phrase found wins ("very much improved" is 1, not "much improved"'s 2).
"""

import re
from functools import cache

from server.enums import Measure
from server.measures import spec
from server.sms.numbers import Number, canonical, tokenize


def answer_in_words(canon: str, measure: Measure, language: str) -> int | None:
    """The value `canon` (a text from `canonical`) gives `measure` in words, else None."""
    for pattern, value in _phrases(measure, language):
        found = pattern.search(canon)
        if found is None:
            continue
        rest = canon[: found.start()] + " " + canon[found.end() :]
        # A number beside the words ("much improved, 3") is read as numbers are, not guessed.
        return None if any(isinstance(t, Number) for t in tokenize(rest)) else value
    return None


@cache
def _phrases(measure: Measure, language: str) -> tuple[tuple[re.Pattern, int], ...]:
    """The measure's phrases in canonical form, longest first."""
    phrases = {
        canonical(phrase, language): value for phrase, value in spec(measure).reply_words.items()
    }
    return tuple(
        (re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"), value)
        for phrase, value in sorted(phrases.items(), key=lambda item: -len(item[0]))
    )
