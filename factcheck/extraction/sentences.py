"""Sentences, tokens and clauses, all as character offsets into the original text.

Nothing here copies or normalises the input: every span is a pair of offsets
into the string the caller passed, so quotes cut from them are exact.
"""

from __future__ import annotations

import re
from itertools import compress, repeat
from typing import NamedTuple

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


class TokenList(list):
    """Tokens of a stretch of text, with parallel lists of their texts, lowercase forms and
    start offsets (so that rules can scan them with C-level map/compress, not Python loops)."""

    __slots__ = ("texts", "lows", "starts")


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int


OPEN_QUOTES = frozenset("“‘\"«")
CLOSE_QUOTES = frozenset("”’\"»")
QUOTES = OPEN_QUOTES | CLOSE_QUOTES

# Numbers keep their separators ("1,500"); words keep inner hyphens and
# apostrophes ("al-Moallem", "Iran’s", "S-300"); anything else is one mark.
_TOKEN_RE = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\S")


def lowercase(text: str) -> str | None:
    """A lowercased copy with offsets intact (curly apostrophes made straight), or None when
    lowercasing would change the length (a few non-ASCII letters)."""
    lowered = text.lower().replace("’", "'")
    return lowered if len(lowered) == len(text) else None


def tokenize(text: str, start: int, end: int, lowered: str | None = None) -> TokenList:
    """The tokens of text[start:end]; ``lowered`` is ``lowercase(text)`` if already computed.

    Built with map/zip only: tokenising is the one step that touches every
    character, so it avoids a Python-level loop.
    """
    tokens = TokenList()
    spans = list(map(_MATCH_SPAN, _TOKEN_RE.finditer(text, start, end)))
    if not spans:
        tokens.texts, tokens.lows, tokens.starts = [], [], []
        return tokens
    starts, ends = zip(*spans)
    slices = list(map(slice, starts, ends))
    texts = list(map(text.__getitem__, slices))
    if lowered is not None:
        lows = list(map(lowered.__getitem__, slices))
    else:
        lows = [t.lower().replace("’", "'") for t in texts]
    tokens.extend(map(_NEW_TUPLE, repeat(Token), zip(texts, starts, ends, lows)))
    tokens.texts, tokens.lows, tokens.starts = texts, lows, list(starts)
    return tokens


_MATCH_SPAN = re.Match.span
_NEW_TUPLE = tuple.__new__


# --- sentences -------------------------------------------------------------------------------

_BREAK_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*|[.!?]+[\"”’')\]]*(?=\s|$)|\n")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr col gen lt cmdr capt sgt maj adm rep sen gov st no vs jan feb mar apr jun jul
    aug sep sept oct nov dec inc corp co ltd jr sr prof rev brig cpl pvt fr mt ft approx est
    e.g i.e a.m p.m u.s u.n u.k e.u d.c""".split()
)
_WORD_BEFORE_DOT_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.[\"”’')\]]*$")
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
            word = _WORD_BEFORE_DOT_RE.search(text, max(0, match.start() - 15), match.end())
            if word:
                w = word.group(1).lower()
                if w in _ABBREVIATIONS or len(w) == 1 or "." in w:
                    continue
        _add(text, start, match.end(), paragraph, sentences)
        start = match.end()
    _add(text, start, len(text), paragraph, sentences)
    return sentences


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
    if (
        b - a > 1 and texts[a] not in _LEAD_MARKS and lows[a] not in LEADING_CONNECTORS
        and texts[b - 1] not in _TAIL_MARKS and lows[b - 1] not in _TAIL_WORDS and texts[b - 1] != "."
        and texts[a] not in QUOTES and texts[b - 1] not in QUOTES
    ):
        return a, b  # the usual case: nothing to trim
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
    return a, b


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


def _is_number(tok: Token) -> bool:
    return tok.text[0].isdigit()


def _has_verb(tokens: list[Token], lo: int, hi: int) -> bool:
    return any(looks_like_verb(t.text) for t in tokens[lo:hi])


def _clause_follows(tokens: list[Token], i: int, hi: int, window: int = 7) -> bool:
    """A finite-looking verb (or a subject pronoun) soon after position i, before punctuation."""
    if i < hi and tokens[i].lower in SUBJECT_PRONOUNS:
        return True
    for tok in tokens[i:min(hi, i + window)]:
        if tok.text in ",;:" or tok.text in _HARD_BREAKS:
            return False
        if looks_like_verb(tok.text):
            return True
    return False


def _verb_starts_clause(tokens: list[Token], j: int, hi: int) -> bool:
    """Is tokens[j] a verb opening a new predicate ("and wounded 70", "and destroying their")?

    An -ed/-ing word followed by a plain noun is a modifier ("and unexploded
    ordnance"); followed by a determiner, number, preposition, particle,
    pronoun, name or mark it is a verb.
    """
    tok = tokens[j]
    if not looks_like_verb(tok.text):
        return False
    if tok.lower in AUXILIARIES or not (tok.lower.endswith("ed") or tok.lower.endswith("ing")):
        return True
    if j + 1 >= hi:
        return True
    nxt = tokens[j + 1]
    return (
        not nxt.text[0].isalpha()
        or nxt.text[0].isupper()
        or nxt.lower in DETERMINERS
        or nxt.lower in PREPOSITIONS
        or nxt.lower in SUBJECT_PRONOUNS
        or nxt.lower in ("away", "off", "out", "up", "down", "back", "them", "him", "her", "us")
        or nxt.lower.endswith("ly")
    )


def _comma_splits(tokens: list[Token], i: int, lo: int, hi: int) -> bool:
    j = i + 1
    if j >= hi:
        return False
    nxt = tokens[j]
    if nxt.text in CLOSE_QUOTES:
        return False
    if nxt.lower in _NO_SPLIT_AFTER_COMMA:
        return False
    if nxt.lower == "as" and j + 1 < hi and tokens[j + 1].lower == "well":
        return False
    if nxt.lower in PREPOSITIONS and nxt.lower not in ("after", "before", "since", "until", "like"):
        return False  # ", on Wednesday", ", in return for": the phrase belongs to the clause
    if nxt.lower in CONJUNCTIONS:
        m = j + 1
        while m < hi and tokens[m].text not in ",;.:!?" and m - j <= 3:
            m += 1
        list_end = (m >= hi or tokens[m].text in ",;.:!?") and m - j <= 3 and not _has_verb(tokens, j + 1, m)
        return not list_end
    return not is_list_comma(tokens, i, lo, hi)


def is_list_comma(tokens: list[Token], i: int, lo: int, hi: int) -> bool:
    """A comma between list items: "Washington, Tel Aviv and Riyadh", "ships, planes and missiles".

    The next item is short, verbless and followed by another comma or
    "and"/"or", and both items start alike (both names or both common words).
    """
    j = i + 1
    if i <= lo or j >= hi:
        return False
    k = j
    while k < hi and k - j <= 3 and tokens[k].text != "," and tokens[k].lower not in ("and", "or"):
        k += 1
    if not (k < hi and k - j <= 3 and (tokens[k].text == "," or tokens[k].lower in ("and", "or"))):
        return False
    if _has_verb(tokens, j, k):
        return False
    prev, nxt = tokens[i - 1], tokens[j]
    if not (prev.text[0].isalpha() and nxt.text[0].isalpha() and prev.text[0].isupper() == nxt.text[0].isupper()):
        return False
    # "After Trump went ..., Khamenei and other officials have escalated": the "list" is
    # the subject of the next clause when a verb follows it.
    for tok in tokens[k + 1:min(hi, k + 8)]:
        if tok.text in ",;:.!?" or tok.lower in RELATIVES or tok.lower in PREPOSITIONS:
            break
        if looks_like_verb(tok.text):
            return False
    return True


def is_abbreviation_dot(tokens: list[Token], k: int) -> bool:
    """The full stop of "Col." or "U.S." inside a name, not the end of a sentence."""
    if tokens[k].text != "." or k == 0:
        return False
    prev = tokens[k - 1]
    return prev.end == tokens[k].start and (len(prev.text) == 1 and prev.text.isupper() or prev.lower in _ABBREVIATIONS)


def _conj_splits(tokens: list[Token], i: int, hi: int, piece_start: int) -> bool:
    """"and"/"but"/"or" that joins two clauses rather than two nouns."""
    j = i + 1
    if j >= hi or i == piece_start:
        return False
    nxt, prev = tokens[j], tokens[i - 1]
    if _is_number(prev) and any(t.lower == "between" for t in tokens[max(piece_start, i - 4):i]):
        return False  # "between 8,000 and 10,000"
    if nxt.lower in SUBJECT_PRONOUNS or nxt.lower in ("that", "which", "who") or nxt.lower in SPEECH_VERBS:
        return True
    left_has_verb = _has_verb(tokens, max(piece_start, i - 30), i)
    if _is_number(nxt) or (nxt.lower in _NUMBER_LEAD and j + 1 < hi and _starts_figure(tokens, j, hi)):
        return left_has_verb
    if nxt.lower in DETERMINERS or nxt.text[0].isupper():
        # "... occurred and no Coalition forces were in danger": a new subject and verb
        return left_has_verb and any(t.lower in AUXILIARIES for t in tokens[j:min(hi, j + 6)])
    if looks_like_verb(prev.text) or prev.lower in AUXILIARIES or prev.lower.endswith("ly"):
        return False  # "killed and wounded", "supporting and building"
    return _verb_starts_clause(tokens, j, hi)


def _starts_figure(tokens: list[Token], j: int, hi: int) -> bool:
    return any(_is_number(t) for t in tokens[j:min(hi, j + 4)])


def _relative_splits(tokens: list[Token], i: int, lo: int, hi: int) -> bool:
    tok = tokens[i]
    prev = tokens[i - 1] if i > lo else None
    nxt = tokens[i + 1] if i + 1 < hi else None
    if prev is None or nxt is None:
        return False
    if tok.lower == "that":
        if prev.lower in PREPOSITIONS or prev.lower in ("so", "such", "now", "all", "like", "is", "was"):
            return False
        if nxt.lower in _TIME_NOUNS or not nxt.text[0].isalnum() and nxt.text not in OPEN_QUOTES:
            return False
    return True


_BOUNDARY_WORDS = (
    _HARD_BREAKS | frozenset(",:–-") | CONJUNCTIONS | RELATIVES | SUBORDINATORS | SPEECH_PARTICIPLES
    | _POSTMODIFIERS | frozenset({"as"})
)


def split_clauses(tokens: list[Token], lo: int, hi: int) -> list[tuple[int, int]]:
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
    lows = tokens.lows if isinstance(tokens, TokenList) else [t.lower for t in tokens]
    # Only words and marks that can end a clause need a look (a small share of the tokens).
    for i in compress(range(lo, hi), map(_BOUNDARY_WORDS.__contains__, lows[lo:hi])):
        tok = tokens[i]
        w = tok.lower
        cut_at = i  # the clause boundary falls before tokens[cut_at]
        cut = drop = False  # drop: the boundary token itself (a comma, a dash) belongs to neither side
        if tok.text in _HARD_BREAKS or tok.text == "–" and not (
            i > lo and i + 1 < hi and _is_number(tokens[i - 1]) and _is_number(tokens[i + 1])
        ):
            cut = drop = True
        elif tok.text == ":" and i + 1 < hi and tokens[i + 1].start > tok.end:
            cut = drop = True
        elif tok.text == "-" and 0 < i - lo and i + 1 < hi and tokens[i - 1].end < tok.start < tok.end < tokens[i + 1].start:
            cut = drop = True  # a spaced hyphen used as a dash
        elif tok.text == ",":
            cut = drop = _comma_splits(tokens, i, lo, hi)
        elif i == piece_start:
            pass
        elif w in CONJUNCTIONS:
            cut = _conj_splits(tokens, i, hi, piece_start)
        elif w in RELATIVES:
            if w in ("which", "whom", "whose") and tokens[i - 1].lower in PREPOSITIONS and i - 1 > piece_start:
                cut, cut_at = True, i - 1  # "the accord | from which the White House withdrew"
            else:
                cut = _relative_splits(tokens, i, lo, hi)
        elif w in ("because", "although", "though", "whereas", "unless", "until", "while", "before",
                   "after", "since", "once", "if"):
            cut = _clause_follows(tokens, i + 1, hi)
        elif w == "as" and i + 1 < hi:
            nxt = tokens[i + 1]
            cut = nxt.lower not in _AS_NOT_CLAUSE and tokens[i - 1].lower not in _NOT_AS_CLAUSE_BEFORE and (
                nxt.lower in SUBJECT_PRONOUNS
                or (nxt.lower in DETERMINERS or nxt.text[0].isupper()) and _clause_follows(tokens, i + 1, hi, window=6)
            )
        elif w in SPEECH_PARTICIPLES:
            cut = True
        elif w in _POSTMODIFIERS and i + 1 < hi and tokens[i + 1].lower in ("of", "to", "for"):
            cut = tokens[i - 1].lower not in _COPULAS and not tokens[i - 1].lower.endswith("ly")
        if cut:
            if cut_at > piece_start:
                pieces.append((piece_start, cut_at))
            piece_start = cut_at + 1 if drop else cut_at
    if piece_start < hi:
        pieces.append((piece_start, hi))
    return pieces


def strip_leading_connectors(tokens: list[Token], lo: int, hi: int) -> int:
    while lo < hi and (tokens[lo].lower in LEADING_CONNECTORS or tokens[lo].text in ",;:"):
        lo += 1
    return lo
