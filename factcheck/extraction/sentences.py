"""Sentences, tokens and clauses, all as character offsets into the original text.

Nothing here copies or normalises the input: every span is a pair of offsets
into the string the caller passed, so quotes cut from them are exact.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from itertools import accumulate, compress, repeat
from typing import NamedTuple

from .caching import bounded_cache
from .patterns import (
    AUXILIARIES,
    CONJUNCTIONS,
    DETERMINERS,
    LEADING_CONNECTORS,
    PREPOSITIONS,
    RELATIVES,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    looks_like_verb,
)


class Token(NamedTuple):
    text: str
    start: int
    end: int
    lower: str  # lowercase, curly apostrophe made straight


class TokenList:
    """The tokens of a stretch of text as parallel lists: their texts, lowercase forms, start
    and end offsets and first characters, and the indices of the tokens that contain a hyphen.

    Rules read ``tokens.texts[i]``, ``tokens.lows[i]`` ... directly, and scan slices of them
    with C-level map/compress rather than Python loops; no per-token object is built (there
    are hundreds of thousands per megabyte). ``tokens[i]`` still gives a ``Token``.
    """

    __slots__ = ("texts", "lows", "starts", "ends", "firsts", "hyphenated")

    def __init__(self, texts: list[str], lows: list[str], starts: list[int], ends: list[int],
                 hyphenated: list[int] | None = None) -> None:
        self.texts, self.lows, self.starts, self.ends = texts, lows, starts, ends
        self.firsts = list(map(_FIRST_CHAR, texts))
        if hyphenated is None:
            hyphenated = list(compress(range(len(lows)), map(operator.contains, lows, repeat("-"))))
        self.hyphenated = hyphenated

    @classmethod
    def of(cls, tokens: list[Token]) -> TokenList:
        """The parallel lists of a plain list of tokens."""
        return cls([t.text for t in tokens], [t.lower for t in tokens], [t.start for t in tokens],
                   [t.end for t in tokens])

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i: int) -> Token:
        return Token(self.texts[i], self.starts[i], self.ends[i], self.lows[i])

    def __iter__(self):
        return map(Token, self.texts, self.starts, self.ends, self.lows)


_FIRST_CHAR = operator.itemgetter(0)


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int


OPEN_QUOTES = frozenset("“‘\"«")
CLOSE_QUOTES = frozenset("”’\"»")
QUOTES = OPEN_QUOTES | CLOSE_QUOTES

# Numbers keep their separators ("1,500"); words keep inner hyphens and
# apostrophes ("al-Moallem", "Iran’s", "S-300"); anything else is one mark. The one group
# makes ``split`` return the tokens themselves between the (whitespace) gaps. The pattern
# opens with the class of a token's first character (\S), which the engine uses to skip the
# whitespace between tokens in a tight loop; a lookbehind on that character then picks the
# word or the number branch (an empty third branch leaves a lone mark). The possessive
# repeats (a word never gives back letters: what follows them is not a letter) spare the
# engine its backtracking bookkeeping, and the rare possessive ’ of "officials’ " and of "the
# Dockers’ Union" (before a word, not before "said" or a pronoun, in any case) is tested
# as a literal first (the lookbehind for its "s" only when there is one).
# The two rare parts after a word, its inner marks ("al-Moallem", "Iran’s") and that possessive,
# are each written as a choice with an empty second branch, "(?:[’'-]...|)" rather than
# "(?:[’'-]+\w+)*+" and "(?:’...)?": sre skips a branch whose first character does not match in
# one test, where entering a repeat costs it its bookkeeping at every word. (The same matches:
# the first branch is the repeat's first round, its marks taken possessively as they are no word
# characters, and the empty branch is its zero rounds.)
_TOKEN_RE = re.compile(
    r"(\S(?:(?<=[^\W\d_])\w*+(?:[’'-][’'-]*+\w++(?:[’'-]+\w+)*+|)"
    r"(?:’(?<=s’)(?=[ \t]+[A-Za-z])(?![ \t]+(?i:said|says|added|adds|told|tells|wrote|writes|according|warned|insisted|"
    r"claimed|stated|she|he|they|we|i|it|the|a|an|this|his|her|their|its|our)\b)|)"
    r"|(?<=\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)|))"
)


def lowercase(text: str) -> str | None:
    """A lowercased copy with offsets intact (curly apostrophes made straight), or None when
    lowercasing would change the length (a few non-ASCII letters)."""
    lowered = text.lower().replace("’", "'")
    return lowered if len(lowered) == len(text) else None


def tokenize(text: str, start: int, end: int, lowered: str | None = None) -> TokenList:
    """The tokens of text[start:end]. (``lowered``, ``lowercase(text)``, is accepted for
    compatibility; the lowercase forms are made from the tokens themselves.)

    Built with split/map/accumulate only: tokenising is the one step that
    touches every character, so it avoids a Python-level loop. ``split`` hands
    back plain strings (no match objects), and the offsets are running sums of
    their lengths.
    """
    parts = _TOKEN_RE.split(text[start:end])  # [gap, token, gap, token, ..., gap]
    texts = parts[1::2]
    if not texts:
        return TokenList([], [], [], [])
    offsets = list(accumulate(map(len, parts), initial=start))
    starts = offsets[1:-1:2]
    lows = list(map(lower_token, texts))
    if "May" in texts:
        _month_may(texts, lows)
    # Hyphens are rare: the tokens holding one are found from where they are in the text (a
    # fast literal search), not by looking into every token.
    hyphens = _HYPHEN_RE.finditer(text, start, end)
    hyphenated = list(dict.fromkeys([bisect_right(starts, match.start()) - 1 for match in hyphens]))
    return TokenList(texts, lows, starts, offsets[2::2], hyphenated)


def _month_may(texts: list[str], lows: list[str]) -> None:
    """Keep the month "May" apart from the auxiliary "may", which several rules read as a verb
    (a modal that starts a predicate, or a forecast): a capitalised "May" after a word, a figure
    or a comma ("launched in May had brought in", "on 3 May", "in early May,") or before a figure
    ("May 12") is the month, so its lowercase form stays "May". (At a sentence's start the word
    is left to the rules, as before.)"""
    i = texts.index("May")
    while True:
        before = texts[i - 1] if i else ""
        if before[:1].isalnum() or before == "," or i + 1 < len(texts) and texts[i + 1][:1].isdigit():
            lows[i] = "May"
        try:
            i = texts.index("May", i + 1)
        except ValueError:
            return


@bounded_cache(maxsize=65536, max_key_chars=50)
def lower_token(token: str) -> str:
    """A token's lowercase form, curly apostrophe made straight. Cached (a hit is one C-level
    dict lookup): every occurrence of a word then shares one lowercase string, not made, hashed
    by the first set or dict that reads it, and freed again for each token."""
    return token.lower().replace("’", "'")


_HYPHEN_RE = re.compile("-")


# --- sentences -------------------------------------------------------------------------------

# A blank line (paragraph), a line break, or sentence-final punctuation. The pattern opens with
# the character class of its first character, which the engine uses to skip straight to the
# next candidate (a leading lookahead would not: every position would be tried); what that
# character was then picks the branch, by a lookbehind.
# A run of marks is taken whole, from its first mark and without giving any back (possessive):
# where it is not followed by a blank ("....x") no part of it can be, and trying again from
# each later mark of the run would read the rest of the run each time (quadratic in its length).
# (The second branch's lookbehind "not two marks" is "no mark before the first one".)
_BREAK_RE = re.compile(r"[\n.!?](?:(?<=\n)(?:[ \t\r\f\v]*\n\s*)?|(?<![.!?][.!?])[.!?]*+[\"”’')\]]*+(?=\s|$))")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr col gen lt cmdr capt sgt maj adm rep sen gov st no vs jan feb mar apr jun jul
    aug sep sept oct nov dec inc corp co ltd jr sr prof rev brig cpl pvt fr mt ft approx est cdr supt insp det
    e.g i.e a.m p.m u.s u.n u.k e.u d.c""".split()
)
_NEXT_START_RE = re.compile(r"\s*([\"“‘(\[]*)(\S?)")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with paragraph numbers; blank lines separate paragraphs.

    A full stop after a known abbreviation ("Col.", "U.S.") or an initial
    does not end a sentence; "?" and "!" do, also inside a quotation when the
    next word is capitalised. A single line break ends a sentence only after
    a short line (a heading or list item); long lines are taken as wrapped text.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    start = 0
    for match in _BREAK_RE.finditer(text):
        mark = match.group()
        if mark[0] == "\n":
            if "\n" in mark[1:]:
                _add(text, start, match.start(), paragraph, sentences)
                paragraph += 1
                start = match.end()
            else:
                line_start = text.rfind("\n", 0, match.start()) + 1
                if match.start() - line_start < 60 or text[match.start() - 1:match.start()] in (".", ":", "!", "?"):
                    _add(text, start, match.start(), paragraph, sentences)
                    start = match.end()
            continue
        nxt = _NEXT_START_RE.match(text, match.end())
        following = nxt.group(2)
        if following and not (following.isupper() or following.isdigit() or nxt.group(1)):
            continue  # "... region … removing", "e.g. the"
        if mark.startswith(".") and len(mark.rstrip("\"”’')]")) == 1:
            word_start = _word_before_dot(text, max(0, match.start() - 15), match.start())
            if word_start is not None:
                w = text[word_start:match.start()].lower()
                if w == "no" and not following.isdigit():
                    pass  # "No. We declared ...": an answer, not "No. 5"
                elif w in _ABBREVIATIONS or "." in w or len(w) == 1 and not text[word_start - 1:word_start].isdigit():
                    continue  # "Col.", "U.S.", an initial (but not the "s" of "1970s.")
        _add(text, start, match.end(), paragraph, sentences)
        start = match.end()
    _add(text, start, len(text), paragraph, sentences)
    return sentences


_LETTERS_AND_DOTS_RE = re.compile(r"(?:[^\W\d_]|\.)*")


def _word_before_dot(text: str, lo: int, dot: int) -> int | None:
    r"""Where the word of letters and dots ("Col", "U.S", "Kollár") that ends at the full stop
    text[dot] begins, looking no further back than ``lo``; None if there is none: the leftmost
    letter from which only letters and dots run to the stop. Any letters count (with [A-Za-z]
    only, the "r" after the "á" of "Kollár." read as an initial). (Read back from the stop, as a
    match on the reversed window: a regex search for ``([^\W\d_](?:[^\W\d_]|\.)*)\.$`` tries
    every start in the window, each one read on to the stop, and was a share of the sentence split.)"""
    start = dot - _LETTERS_AND_DOTS_RE.match(text[lo:dot][::-1]).end()
    while start < dot and text[start] == ".":
        start += 1  # (the word opens with a letter)
    return start if start < dot else None


def _add(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence(start, end, paragraph))


# --- trimming spans --------------------------------------------------------------------------

_LEAD_MARKS = frozenset(",;:.-–—…)]")
_TAIL_MARKS = frozenset(",;:-–—…([“‘\"")
_TAIL_WORDS = frozenset("and or but that which who as while".split())


def trim_tokens(tokens: TokenList, a: int, b: int) -> tuple[int, int]:
    """Shrink tokens[a:b] to its words: no dangling punctuation, no leading connective
    ("and", "which", "from which"), no trailing "and"/"that", no unbalanced quote mark."""
    texts, lows = tokens.texts, tokens.lows
    if _nothing_to_trim(texts, lows, a, b):
        return a, b  # the usual case
    if texts[b - 1] == "." and _nothing_to_trim(texts, lows, a, b - 1) and not is_abbreviation_dot(tokens, b - 1) \
            and not (lows[a] in PREPOSITIONS and lows[a + 1] in ("which", "whom", "whose")):
        return a, b - 1  # the next most usual: a clause ending the sentence (what the loop below gives)
    for _ in range(12):
        before = (a, b)
        while a < b and (texts[a] in _LEAD_MARKS or lows[a] in LEADING_CONNECTORS and a + 1 < b):
            a += 1
        if a + 2 < b and lows[a] in PREPOSITIONS and lows[a + 1] in ("which", "whom", "whose"):
            a += 2  # "from which the White House withdrew"
        while b > a and (texts[b - 1] in _TAIL_MARKS or lows[b - 1] in _TAIL_WORDS and b - 1 > a):
            b -= 1
        if b > a and texts[b - 1] == "." and not is_abbreviation_dot(tokens, b - 1):
            b -= 1
        if b > a:
            span = texts[a:b]
            opens, closes = span.count("“"), span.count("”")
            if texts[a] == "“" and closes < opens:
                a += 1
            elif texts[b - 1] == "”" and opens < closes:
                b -= 1
            elif span.count('"') % 2 == 1:
                if texts[a] == '"':
                    a += 1
                elif texts[b - 1] == '"':
                    b -= 1
            elif texts[a] == "‘" and "’" not in span[1:]:
                a += 1
        if (a, b) == before:
            break
        if _nothing_to_trim(texts, lows, a, b) and not (
            a + 2 < b and lows[a] in PREPOSITIONS and lows[a + 1] in ("which", "whom", "whose")
        ):
            break  # another round would change nothing (the usual case after a final full stop)
    return a, b


def _nothing_to_trim(texts: list[str], lows: list[str], a: int, b: int) -> bool:
    """No end of tokens[a:b] is a mark, connective or quote that trim_tokens would take off."""
    return (
        b - a > 1 and texts[a] not in _LEAD_STOPS and lows[a] not in LEADING_CONNECTORS
        and texts[b - 1] not in _TAIL_STOPS and lows[b - 1] not in _TAIL_WORDS
    )


# (one set lookup per end instead of three: the marks, the quotes and, at the tail, the full stop)
_LEAD_STOPS = _LEAD_MARKS | QUOTES
_TAIL_STOPS = _TAIL_MARKS | QUOTES | {"."}


# --- clauses ---------------------------------------------------------------------------------

_HARD_BREAKS = frozenset(";—…")
_NO_SPLIT_AFTER_COMMA = frozenset("including such like plus notably especially namely".split())
_TIME_NOUNS = frozenset(
    "day night morning afternoon evening week month year time moment visit period season point".split()
)
_POSTMODIFIERS = frozenset("capable able responsible designed intended".split())
_COPULAS = AUXILIARIES | frozenset("not become became remain remained seem seemed".split())
_AS_NOT_CLAUSE = frozenset("well long soon many much far part such if though".split())  # "as well as"
_NOT_AS_CLAUSE_BEFORE = _AS_NOT_CLAUSE | frozenset("as such so same".split())  # "as long as", "such as"
_NUMBER_LEAD = frozenset("more at about nearly almost up over some around roughly approximately an".split())


# Number words and quantifiers that head "one of whom", "most of whom", "two of whom".
_PARTITIVE_HEADS = frozenset("one two three four five six seven eight nine ten dozens most many some all half".split())


# Counts written as words that begin a list item ("120 rescuers, | two helicopters"); shared with the extractor.
SMALL_COUNT_WORDS = frozenset("two three four five six seven eight nine ten eleven twelve".split())


def _is_number(word: str) -> bool:
    return word[0].isdigit()


def _has_verb(tokens: TokenList, lo: int, hi: int) -> bool:
    return any(map(looks_like_verb, tokens.texts[lo:hi]))


def _clause_follows(tokens: TokenList, i: int, hi: int, window: int = 7) -> bool:
    """A finite-looking verb (or a subject pronoun) soon after position i, before punctuation."""
    if i < hi and tokens.lows[i] in SUBJECT_PRONOUNS:
        return True
    for word in tokens.texts[i:min(hi, i + window)]:
        if word in ",;:" or word in _HARD_BREAKS:
            return False
        if looks_like_verb(word):
            return True
    return False


def _verb_starts_clause(tokens: TokenList, j: int, hi: int) -> bool:
    """Is tokens[j] a verb opening a new predicate ("and wounded 70", "and destroying their")?

    An -ed/-ing word followed by a plain noun is a modifier ("and unexploded
    ordnance"); followed by a determiner, number, preposition, particle,
    pronoun, name or mark it is a verb.
    """
    texts, lows = tokens.texts, tokens.lows
    if not looks_like_verb(texts[j]):
        return False
    w = lows[j]
    if w in AUXILIARIES or not (w.endswith("ed") or w.endswith("ing")):
        return True
    if j + 1 >= hi:
        return True
    first, nxt = texts[j + 1][0], lows[j + 1]
    return (
        not first.isalpha()
        or first.isupper()
        or nxt in DETERMINERS
        or nxt in PREPOSITIONS
        or nxt in SUBJECT_PRONOUNS
        or nxt in ("away", "off", "out", "up", "down", "back", "them", "him", "her", "us")
        or nxt.endswith("ly")
    )


def _closes_apposition(tokens: TokenList, i: int, lo: int) -> bool:
    """Is the comma tokens[i] the end of an apposition opened at most 12 tokens before?"""
    texts = tokens.texts
    for k in range(i - 1, max(lo, i - _APPOSITION_SPAN) - 1, -1):
        if texts[k] in ";:":
            return False
        if texts[k] == ",":
            return apposition_end(tokens, k, i + 2) == i
    return False


def apposition_end(tokens: TokenList, i: int, hi: int) -> int | None:
    """If the comma tokens[i] opens an apposition that adds to the noun before it and the
    sentence then goes on with that noun's verb (", including eight women, were killed",
    ", most of them unvaccinated, have needed", ", the strongest of magnitude 4.8, had been
    recorded"), the index of its closing comma; else None. Looks at most 12 tokens ahead."""
    texts, lows = tokens.texts, tokens.lows
    j = i + 1
    if j + 1 >= hi:
        return None
    opens = lows[j] in _APPOSITION_WORDS or (
        j + 2 < hi and lows[j + 1] == "of" and lows[j + 2] in ("them", "whom")
    ) or (lows[j] == "the" and lows[j + 1] in _SUPERLATIVES)
    if not opens:
        return None
    for k in range(j + 1, min(hi - 1, j + _APPOSITION_SPAN)):
        word = texts[k]
        if word in ";:.!?":
            return None
        if word == ",":
            nxt = lows[k + 1]
            return k if nxt in AUXILIARIES or looks_like_verb(texts[k + 1]) else None
    return None


_APPOSITION_SPAN = 12
_SUPERLATIVES = frozenset(
    "strongest largest biggest smallest youngest oldest deadliest worst best highest lowest most".split()
)
_APPOSITION_WORDS = frozenset("including among".split())


def _comma_splits(tokens: TokenList, i: int, lo: int, hi: int) -> bool:
    j = i + 1
    if j >= hi:
        return False
    texts, lows = tokens.texts, tokens.lows
    nxt = lows[j]
    if texts[j] in CLOSE_QUOTES:
        return False
    if nxt in _NO_SPLIT_AFTER_COMMA:
        return False
    if nxt == "as" and j + 1 < hi and lows[j + 1] == "well":
        return False
    if nxt in PREPOSITIONS and nxt not in ("after", "before", "since", "until", "like"):
        return False  # ", on Wednesday", ", in return for": the phrase belongs to the clause
    after = lows[j + 1] if j + 1 < hi else ""
    if after == "," and _is_number(texts[j]) and texts[i - 1][0].isupper() \
            or i - 3 >= lo and texts[i - 2] == "," and _is_number(texts[i - 1]) and texts[i - 3][0].isupper():
        return False  # "Marta Quell, 44, was fined": a name's age
    if after == "of" and j + 2 < hi and lows[j + 2] in ("them", "whom"):
        # "140 others were injured, 19 of them seriously", "300 patients, most of them unvaccinated, have"
        if _is_number(texts[j]) or nxt in _COUNT_WORDS or apposition_end(tokens, i, hi) is not None:
            return False
    elif nxt == "among" or nxt == "the" and after in _SUPERLATIVES:
        if apposition_end(tokens, i, hi) is not None:
            return False  # ", the strongest of magnitude 4.8, had been recorded"
    if (nxt in AUXILIARIES or looks_like_verb(texts[j])) and _closes_apposition(tokens, i, lo):
        return False  # "31 villagers, including eight women, were killed": one clause
    if nxt in CONJUNCTIONS:
        m = j + 1
        while m < hi and texts[m] not in ",;.:!?" and m - j <= 3:
            m += 1
        list_end = (m >= hi or texts[m] in ",;.:!?") and m - j <= 3 and not _has_verb(tokens, j + 1, m)
        return not list_end
    return not is_list_comma(tokens, i, lo, hi)


def is_list_comma(tokens: TokenList, i: int, lo: int, hi: int) -> bool:
    """A comma between list items: "Washington, Tel Aviv and Riyadh", "ships, planes and missiles".

    The next item is short, verbless and followed by another comma or
    "and"/"or", and both items start alike (both names or both common words).
    """
    j = i + 1
    if i <= lo or j >= hi:
        return False
    texts, lows = tokens.texts, tokens.lows
    k = j
    while k < hi and k - j <= 3 and texts[k] != "," and lows[k] not in ("and", "or"):
        k += 1
    if not (k < hi and k - j <= 3 and (texts[k] == "," or lows[k] in ("and", "or"))):
        return False
    if _has_verb(tokens, j, k - 1) or k - j > 1 and _has_verb(tokens, k - 1, k) and lows[k - 2] in DETERMINERS:
        return False  # (the item's last word may look like a verb: "phone numbers and", "running costs,")
    prev, nxt = texts[i - 1][0], texts[j][0]
    if nxt.isdigit() or lows[j] in SMALL_COUNT_WORDS:
        # "sent 120 rescuers, | 14 ambulances and two helicopters": counts in a list, when the
        # item before is a count too
        if not any(texts[m][0].isdigit() or lows[m] in SMALL_COUNT_WORDS for m in range(max(lo, i - 4), i)):
            return False
    elif not (prev.isalpha() and nxt.isalpha() and prev.isupper() == nxt.isupper()):
        return False
    # "After Trump went ..., Khamenei and other officials have escalated": the "list" is
    # the subject of the next clause when a verb follows it.
    for m in range(k + 1, min(hi, k + 8)):
        if texts[m] in ",;:.!?" or lows[m] in RELATIVES or lows[m] in PREPOSITIONS:
            break
        if looks_like_verb(texts[m]):
            return False
    return True


def is_abbreviation_dot(tokens: TokenList, k: int) -> bool:
    """The full stop of "Col." or "U.S." inside a name, not the end of a sentence."""
    if tokens.texts[k] != "." or k == 0:
        return False
    prev = tokens.texts[k - 1]
    return tokens.ends[k - 1] == tokens.starts[k] and (
        len(prev) == 1 and prev.isupper() and not (k > 1 and tokens.ends[k - 2] == tokens.starts[k - 1]
                                                   and tokens.firsts[k - 2].isdigit())  # ("46.9C.": a unit)
        or tokens.lows[k - 1] in _ABBREVIATIONS
    )


def _conj_splits(tokens: TokenList, i: int, hi: int, piece_start: int) -> bool:
    """"and"/"but"/"or" that joins two clauses rather than two nouns."""
    j = i + 1
    if j >= hi or i == piece_start:
        return False
    texts, lows = tokens.texts, tokens.lows
    nxt, prev = lows[j], lows[i - 1]
    if _is_number(texts[i - 1]) and "between" in lows[max(piece_start, i - 4):i]:
        return False  # "between 8,000 and 10,000"
    if nxt in SUBJECT_PRONOUNS or nxt in ("that", "which", "who") or nxt in SPEECH_VERBS:
        return True
    # (Whether the left side has a verb is a scan of up to 30 tokens: only done when it matters.)
    if _is_number(texts[j]) or (nxt in _NUMBER_LEAD and j + 1 < hi and _starts_figure(tokens, j, hi)) \
            or nxt in _COUNT_WORDS:
        # "... and 11 were wounded" opens a clause; "deployed 1,500 soldiers and 40 vehicles to
        # the area" and "in X and three surrounding villages" continue one.
        return _finite_follows(tokens, j + 1, hi) and _has_verb(tokens, max(piece_start, i - 30), i)
    if nxt in DETERMINERS or texts[j][0].isupper():
        # "... occurred and no Coalition forces were in danger": a new subject and verb
        return not AUXILIARIES.isdisjoint(lows[j:min(hi, j + 6)]) and _has_verb(
            tokens, max(piece_start, i - 30), i
        )
    if looks_like_verb(texts[i - 1]) or prev in AUXILIARIES or prev.endswith("ly"):
        return False  # "killed and wounded", "supporting and building"
    return _verb_starts_clause(tokens, j, hi)


def _finite_follows(tokens: TokenList, j: int, hi: int, window: int = 6) -> bool:
    """An auxiliary or a past-tense verb within a few words after tokens[j], before punctuation
    and before a word that opens a clause of its own ("and two drivers | when it left the road")."""
    texts, lows = tokens.texts, tokens.lows
    for k in range(j, min(hi, j + window)):
        w = lows[k]
        if texts[k] in ",;:.!?" or w in CONJUNCTIONS or w in RELATIVES or w in SUBORDINATORS:
            return False
        if w in AUXILIARIES or w in _PAST_VERBS:
            return True
        if w.endswith("ed") and looks_like_verb(texts[k]) and (
                k + 1 >= hi or not texts[k + 1][0].isalpha() or lows[k + 1] in PREPOSITIONS
                or lows[k + 1] in DETERMINERS or lows[k + 1] in _PARTICLES):
            return True  # 'and 43 wounded in ...', not 'and 25 armoured trucks'
    return False


_PARTICLES = frozenset("down up off out away back over".split())  # "rolled down", "broke off"
_PAST_VERBS = frozenset("fled died fell rose went came left lost remain remained".split())
_COUNT_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred".split()
)


def _starts_figure(tokens: TokenList, j: int, hi: int) -> bool:
    return any(map(_is_number, tokens.texts[j:min(hi, j + 4)]))


def _relative_splits(tokens: TokenList, i: int, lo: int, hi: int) -> bool:
    if i <= lo or i + 1 >= hi:
        return False  # no word before or after
    lows = tokens.lows
    if lows[i] == "that":
        prev, nxt = lows[i - 1], lows[i + 1]
        if prev in PREPOSITIONS or prev in ("so", "such", "now", "all", "like", "is", "was") or prev in _DENIALS:
            return False  # ("denied that ...": the denial and what it denies are one attribution claim)
        nxt_text = tokens.texts[i + 1]
        if nxt in _TIME_NOUNS or not nxt_text[0].isalnum() and nxt_text not in OPEN_QUOTES:
            return False
    return True


_DENIALS = frozenset("denied denies deny denying disputed disputes rejected rejects".split())
_BOUNDARY_WORDS = (
    _HARD_BREAKS | frozenset(",:–-") | CONJUNCTIONS | RELATIVES | SUBORDINATORS | SPEECH_PARTICIPLES
    | _POSTMODIFIERS | frozenset({"as"})
)


# After these a speech participle is a gerund ("accused the police of charging ..."), not a frame.
GERUND_PREPOSITIONS = frozenset("of for by without after before from in on".split())


def split_clauses(tokens: TokenList, lo: int, hi: int) -> list[tuple[int, int]]:
    """Token ranges of the clauses in tokens[lo:hi].

    Cuts at semicolons and dashes; at commas unless they separate list items
    or introduce a phrase that belongs to the clause ("including", ", on
    Wednesday"); before relative words ("which", "that", "where"), and before
    a preposition that opens a relative ("from which"); before "and"/"but"
    when a new predicate follows; before subordinators that open a clause
    ("before hundreds of homes have been cleared"); before speech participles
    ("charging", "claiming") and post-nominal adjectives ("capable of").
    """
    pieces: list[tuple[int, int]] = []
    piece_start = lo
    if not isinstance(tokens, TokenList):
        tokens = TokenList.of(tokens)
    texts, lows, starts, ends = tokens.texts, tokens.lows, tokens.starts, tokens.ends
    # Only words and marks that can end a clause need a look (a small share of the tokens).
    for i in compress(range(lo, hi), map(_BOUNDARY_WORDS.__contains__, lows[lo:hi])):
        word = texts[i]
        w = lows[i]
        cut_at = i  # the clause boundary falls before tokens[cut_at]
        cut = drop = False  # drop: the boundary token itself (a comma, a dash) belongs to neither side
        if word in _HARD_BREAKS or word == "–" and not (
            i > lo and i + 1 < hi and _is_number(texts[i - 1]) and _is_number(texts[i + 1])
        ):
            cut = drop = True
        elif word == ":" and i + 1 < hi and starts[i + 1] > ends[i]:
            cut = drop = True
        elif word == "-" and 0 < i - lo and i + 1 < hi and ends[i - 1] < starts[i] < ends[i] < starts[i + 1]:
            cut = drop = True  # a spaced hyphen used as a dash
        elif word == ",":
            cut = drop = _comma_splits(tokens, i, lo, hi)
        elif i == piece_start:
            pass
        elif w in CONJUNCTIONS:
            cut = _conj_splits(tokens, i, hi, piece_start)
        elif w in RELATIVES:
            if w == "whom" and lows[i - 1] == "of" and i - 2 >= lo and texts[i - 2] == "," \
                    and i + 1 < hi and _is_number(texts[i + 1]):
                pass  # "58 people, of whom 12 were minors": an apposition of the count, like "19 of them"
            elif w == "whom" and lows[i - 1] == "of" and i - 2 >= lo and (i - 2 == lo or texts[i - 3] == ",") and (
                    _is_number(texts[i - 2]) or lows[i - 2] in _PARTITIVE_HEADS):
                # "Eight officers were hurt, one of whom needed hospital treatment": the same (also
                # when an attribution stands between: "..., police said, 11 of whom were ...")
                pass
            elif w in ("which", "whom", "whose") and lows[i - 1] in PREPOSITIONS and i - 1 > piece_start:
                cut, cut_at = True, i - 1  # "the accord | from which the White House withdrew"
            else:
                cut = _relative_splits(tokens, i, lo, hi)
        elif w in ("because", "although", "though", "whereas", "unless", "until", "while", "before",
                   "after", "since", "once", "if"):
            # ("since 2002 and that ...": a preposition before a year, not a clause)
            cut = not (i + 1 < hi and _is_number(texts[i + 1])) and _clause_follows(tokens, i + 1, hi)
        elif w == "as" and i + 1 < hi:
            nxt = lows[i + 1]
            cut = nxt not in _AS_NOT_CLAUSE and lows[i - 1] not in _NOT_AS_CLAUSE_BEFORE and (
                nxt in SUBJECT_PRONOUNS
                or (nxt in DETERMINERS or texts[i + 1][0].isupper()) and _clause_follows(tokens, i + 1, hi, window=6)
            )
        elif w in SPEECH_PARTICIPLES:
            cut = lows[i - 1] not in GERUND_PREPOSITIONS  # (not "accused them of charging ...")
        elif w in _POSTMODIFIERS and i + 1 < hi and lows[i + 1] in ("of", "to", "for"):
            cut = lows[i - 1] not in _COPULAS and not lows[i - 1].endswith("ly")
        if cut:
            if cut_at > piece_start:
                pieces.append((piece_start, cut_at))
            piece_start = cut_at + 1 if drop else cut_at
    if piece_start < hi:
        pieces.append((piece_start, hi))
    return pieces


def strip_leading_connectors(tokens: TokenList, lo: int, hi: int) -> int:
    texts, lows = tokens.texts, tokens.lows
    while lo < hi and (lows[lo] in LEADING_CONNECTORS or texts[lo] in ",;:"):
        lo += 1
    return lo
