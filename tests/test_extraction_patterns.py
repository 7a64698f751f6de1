"""word_search compiles ``\\b(?:alt1|alt2|...)`` in a form sre searches fast; it must match
exactly where the plain pattern does."""

from __future__ import annotations

import random
import re

from factcheck.extraction.patterns import word_search

ALTERNATIVES = [r"killed\b", r"kill\b", r"died\b", r"dead\b", r"hack(?:ers?|ed|ing)?\b", r"stolen\b[^.;]{0,20}\bdata\b",
                r"is\s+not\b", r"it[ \t]+has\b", r"set\s+aside\b", r"signs?\b"]
PIECES = ["killed", "Killed", "KİLLED", "kılled", "\u212aill", "ſigns", "SIGNS", "dead", "deadline", "undead", "_dead",
          "died", "hackers", "Hacked", "stolen", "data", "is", "not", "it", "has", "set", "aside", "sign", "2dead",
          "é", "’", " ", "  ", "\t", ",", ".", ";", "-"]


def _cases() -> list[str]:
    rng = random.Random(11)
    return ["".join(rng.choice(PIECES) + rng.choice(["", " "]) for _ in range(rng.randint(1, 12)))
            for _ in range(4000)]


def _same(plain: re.Pattern, fast: re.Pattern) -> None:
    rng = random.Random(5)
    for case in _cases():
        a, b = plain.search(case), fast.search(case)
        assert (a and a.span()) == (b and b.span()), case
        i, j = rng.randint(0, len(case)), rng.randint(0, len(case))
        a, b = plain.search(case, i, j), fast.search(case, i, j)
        assert (a and a.span()) == (b and b.span()), (case, i, j)


def test_word_search_matches_like_the_plain_pattern() -> None:
    _same(re.compile(r"\b(?:" + "|".join(ALTERNATIVES) + ")", re.IGNORECASE), word_search(ALTERNATIVES))


def test_word_search_case_sensitive() -> None:
    _same(re.compile(r"\b(?:" + "|".join(ALTERNATIVES) + ")"), word_search(ALTERNATIVES, ignorecase=False))
