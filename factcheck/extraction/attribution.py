"""Who asserts what: attribution frames, claimants and hedges.

A *frame* is the run of words that attributes content to a source ("Tehran
said that", ", Reuters reported,", "according to Fars News", "The newspaper
cites James Jeffrey ... as stating that", "If the report is true,"). Frames
are cut out of the sentence; the clauses left over are the content, and each
frame tells which of them it governs (``scope``), who the claimant is, and
whether the attribution itself keeps the article at a distance (``hedge``).

``ArticleContext`` carries what one sentence needs from the ones before it:
the last people and organisations named (for "he said", "it claimed", "the
newspaper"), the speaker of an unfinished quotation, and hedges that belong
to a source for the rest of a paragraph (an anonymous doctor, a minister
"charging" the coalition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress

from .patterns import (
    ANAPHORIC_SOURCE_NOUNS,
    ANONYMITY_RE,
    AUXILIARIES,
    CITING_VERBS,
    CLAIM_NOUNS,
    CLAIM_VERBS,
    CONDITIONAL_RE,
    COUNTRY_OR_CAPITAL_RE,
    DETERMINERS,
    HEDGE_WORD_RE,
    HEDGING_PARTICIPLES,
    MEDIA_NOUNS,
    OUTLET_NAMES_RE,
    OWN_ACCOUNT_RE,
    PARTY_NAME_RE,
    PARTY_OF,
    PARTY_WORDS,
    PERSON_WORDS,
    PREPOSITIONS,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    TIME_WORDS,
    WEAK_SPEECH_VERBS,
    WRITING_VERBS,
    looks_like_verb,
)
from .sentences import CLOSE_QUOTES, OPEN_QUOTES, Token, is_abbreviation_dot

# Before the subject of a sentence: "Similarly, ...", "On Sunday, ...", "After X went ..., ...".
_INTRO_WORDS = PREPOSITIONS | SUBORDINATORS | frozenset(
    """however meanwhile similarly separately still yet but and so also then now moreover instead
    indeed earlier later last overall nonetheless nevertheless furthermore""".split()
)
_PHRASAL_SPEECH = {("pointed", "out"), ("points", "out"), ("point", "out"), ("spelled", "out"),
                   ("spelt", "out")}
_TELL_OBJECTS = frozenset("reporters journalists the press a news conference lawmakers parliament".split())
_SOURCE_NOUNS = MEDIA_NOUNS | frozenset(
    "officials official sources witnesses analysts diplomats residents statement statements documents "
    "spokesman spokeswoman spokesperson authorities observers experts monitors".split()
)
_ORG_WORDS = frozenset(
    """ministry department office agency programme program organization organisation group front army
    navy corps council committee government regime forces command fleet administration union nations
    institute bank fund police court parliament senate house pentagon coalition directorate authority
    authorities team media broadcaster newspaper report reports sources""".split()
)
_TRAILING_NP_JUNK = TIME_WORDS | AUXILIARIES | frozenset("also later earlier previously again repeatedly".split())
_MAX_SUBJECT_TOKENS = 14
_PASSIVE_AUX = frozenset("be been being is are was were".split())
_LEADING_STOPS = SPEECH_VERBS | frozenset(w for w, _ in _PHRASAL_SPEECH) | OPEN_QUOTES
_TRAILING_MARKS = CLOSE_QUOTES | {","}
# A sentence without one of these words has no attribution frame at all.
_FRAME_TRIGGERS = _LEADING_STOPS | SPEECH_PARTICIPLES | CLAIM_NOUNS | CITING_VERBS | frozenset({"according", "if"})
_INNER_FRAME_WORDS = SPEECH_PARTICIPLES | CLAIM_NOUNS | frozenset({"and", "but"})
_EVIDENCE_NOUNS = frozenset("data figures estimates statistics information results calculations records".split())


@dataclass
class Frame:
    """Attribution words at tokens[start:end] (excluded from content)."""

    start: int
    end: int
    claimant: str | None
    hedge: str | None
    scope: str  # "after" | "before" | "around" | "sentence"
    kind: str
    quotes: bool = False  # attributes a direct quotation


class LazySubject:
    """The subject of a sentence, worked out only when something asks for it.

    Only pronoun claimants ("he said"), participle frames and accusations need
    a sentence's subject, so most are never computed. A pronoun subject is
    resolved against the sources named before its own sentence, as if it had
    been computed on the spot.
    """

    __slots__ = ("text", "tokens", "lo", "hi", "ctx", "seq", "value", "done")

    def __init__(self, text, tokens, lo, hi, ctx: ArticleContext, value: str | None = None, done: bool = False):
        self.text, self.tokens, self.lo, self.hi, self.ctx = text, tokens, lo, hi, ctx
        self.seq = ctx.next_seq()
        self.value, self.done = value, done

    def get(self) -> str | None:
        if not self.done:
            self.done = True
            raw, _ = sentence_subject(self.text, self.tokens, self.lo, self.hi)
            self.value = self.ctx.resolve(raw, before=self.seq) if raw else None
        return self.value


@dataclass
class SentenceFrames:
    frames: list[Frame]
    subject: LazySubject  # the sentence's grammatical subject, resolved on demand


@dataclass
class ArticleContext:
    # Sources and subjects named so far, newest last: (sequence number, (name, is_person) or
    # a LazySubject not yet worked out).
    entities: list[tuple[int, object]] = field(default_factory=list)
    claimants: list[str] = field(default_factory=list)
    people: set[str] = field(default_factory=set)  # surnames seen in full names
    paragraph: int = -1
    quote_speaker: tuple[str | None, str | None] | None = None  # (claimant, hedge) of an open quotation
    source_hedges: dict[str, str] = field(default_factory=dict)  # claimant key -> hedge, this paragraph
    seq: int = 0

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def start_sentence(self, paragraph: int) -> None:
        if paragraph != self.paragraph:
            self.paragraph = paragraph
            self.quote_speaker = None
            self.source_hedges = {}

    def remember(self, name: str | None, claimant: bool = False) -> None:
        if not name or name.lower() in SUBJECT_PRONOUNS:
            return
        person = self.is_person(name)
        words = name.split()
        if person and len(words) >= 2:
            self.people.add(words[-1])
        self.entities.append((self.next_seq(), (name, person)))
        if claimant:
            self.claimants.append(name)
        del self.entities[:-20], self.claimants[:-20]

    def remember_subject(self, subject: LazySubject) -> None:
        self.entities.append((subject.seq, subject))
        del self.entities[:-20]

    def is_person(self, name: str) -> bool:
        return _is_person(name, name.split()[-1] in self.people if name.split() else False)

    def _named(self, before: int | None):
        """(name, is_person) of the entities named before sequence number ``before``, newest first."""
        for seq, entry in reversed(self.entities):
            if before is not None and seq >= before:
                continue
            if isinstance(entry, LazySubject):
                name = entry.get()
                if not name or name.lower() in SUBJECT_PRONOUNS:
                    continue
                yield name, self.is_person(name)
            else:
                yield entry

    def resolve(self, name: str | None, before: int | None = None) -> str | None:
        """Pronouns and definite descriptions ("the newspaper") to the source they stand for."""
        if not name:
            return None
        lower = name.lower()
        if lower in ("he", "she", "him", "her"):
            return next((n for n, person in self._named(before) if person), None)
        if lower in ("it", "they", "its", "their"):
            return next((n for n, person in self._named(before) if not person), None)
        words = lower.split()
        if len(words) == 2 and words[0] == "the":
            head = words[1]
            for earlier in reversed(self.claimants):
                if head in earlier.lower().split() and earlier.lower() != lower:
                    return earlier
            if head in ANAPHORIC_SOURCE_NOUNS and self.claimants:
                return self.claimants[-1]
        return name


@lru_cache(maxsize=4096)
def _is_person(name: str, known_surname: bool) -> bool:
    words = [w.strip(".,()").lower() for w in name.split()]
    if any(w in PERSON_WORDS for w in words):
        return True
    if any(w in _ORG_WORDS for w in words) or OUTLET_NAMES_RE.search(name) or COUNTRY_OR_CAPITAL_RE.search(name):
        return False
    if known_surname:
        return True
    capitalised = [w for w in name.split() if w[:1].isupper()]
    return bool(capitalised) and len(capitalised) == len(name.split()) and len(words) <= 3


# --- noun phrases ----------------------------------------------------------------------------


def _np_text(text: str, tokens: list[Token], lo: int, hi: int) -> str:
    """The words of tokens[lo:hi], leaving out relative clauses (", who asked not to be named,")."""
    parts: list[tuple[int, int]] = []
    i = lo
    seg_start = lo
    while i < hi:
        if tokens[i].text == "," and i + 1 < hi and tokens[i + 1].lower in ("who", "which", "whose", "whom"):
            if i > seg_start:
                parts.append((seg_start, i))
            j = i + 1
            while j < hi and tokens[j].text != ",":
                j += 1
            i = seg_start = j + 1
            continue
        i += 1
    if seg_start < hi:
        parts.append((seg_start, hi))
    return ", ".join(text[tokens[a].start:tokens[b - 1].end] for a, b in parts if a < b).strip(" ,")


@lru_cache(maxsize=4096)
def clean_claimant(name: str | None) -> str | None:
    """"Trump’s national security adviser, John Bolton" -> "John Bolton"; "the Pentagon" -> "Pentagon"."""
    if not name:
        return None
    name = name.strip(" ,;:“”\"")
    parts = [p.strip() for p in name.split(",") if p.strip()]
    names = [p for p in parts if _is_proper_name(p)]
    if len(parts) > 1 and names:
        name = names[0]
    elif parts:
        name = parts[0]
    name = re.sub(r"^(?:the|The)\s+", "", name)
    return name or None


def _is_proper_name(part: str) -> bool:
    words = part.split()
    particles = {"al", "bin", "de", "van", "von", "der", "da", "du", "le", "la", "ibn", "abu"}
    return len(words) >= 2 and all(
        w[:1].isupper() or w.lower() in particles or w.lower().startswith(("al-", "el-")) for w in words
    )


def _plausible_subject(tokens: list[Token], lo: int, hi: int) -> bool:
    """A short noun phrase: no verb outside a comma-enclosed relative clause, no quotation."""
    if hi <= lo:
        return False
    if tokens[lo].lower in PREPOSITIONS or tokens[lo].lower in SUBORDINATORS or tokens[lo].text in OPEN_QUOTES:
        return False
    count = 0
    i = lo
    while i < hi:
        tok = tokens[i]
        if tok.text == "," and i + 1 < hi and tokens[i + 1].lower in ("who", "which", "whose", "whom"):
            j = i + 1
            while j < hi and tokens[j].text != ",":
                j += 1
            if j >= hi:
                return False  # the relative clause runs into the verb: not a subject
            i = j + 1
            continue
        if tok.text in OPEN_QUOTES or tok.text in CLOSE_QUOTES or tok.text in ";:" or (
            tok.text == "." and not is_abbreviation_dot(tokens, i)
        ):
            return False
        if looks_like_verb(tok.text) and tok.lower not in ("’s", "'s"):
            return False
        count += 1
        i += 1
    return 0 < count <= _MAX_SUBJECT_TOKENS


def _speech_verb(tokens: list[Token], i: int, hi: int) -> int | None:
    """End index of a speech verb starting at tokens[i] ("said", "points out"), else None."""
    w = tokens[i].lower
    if i + 1 < hi and (w, tokens[i + 1].lower) in _PHRASAL_SPEECH:
        return i + 2
    if w in SPEECH_VERBS and tokens[i].text[0].islower():
        return i + 1
    return None


def _find_that(tokens: list[Token], j: int, hi: int, limit: int = 9) -> int | None:
    """Index after a "that" within a short prepositional run ("said in his speech on Sunday that")."""
    for k in range(j, min(hi, j + limit)):
        tok = tokens[k]
        if tok.lower == "that":
            return k + 1
        if tok.text in ",;:." or tok.text in OPEN_QUOTES or looks_like_verb(tok.text):
            return None
    return None


def _trim_np_end(tokens: list[Token], lo: int, hi: int) -> int:
    while hi > lo and (tokens[hi - 1].lower in _TRAILING_NP_JUNK or tokens[hi - 1].text == ","):
        hi -= 1
    return hi


def _skip_intro(tokens: list[Token], pos: int, hi: int) -> int:
    """Past an introductory phrase ending in a comma ("Similarly,", "After X went to Y,")."""
    if pos >= hi:
        return pos
    first = tokens[pos].lower
    if first in _INTRO_WORDS or first.endswith("ly"):
        for k in range(pos + 1, min(hi, pos + 22)):
            if tokens[k].text == ",":
                return k + 1
            if tokens[k].text in ";:" or tokens[k].text in OPEN_QUOTES:
                break
    return pos


def sentence_subject(text: str, tokens: list[Token], pos: int, hi: int) -> tuple[str | None, int]:
    """The subject noun phrase of the main clause, and where it ends (its verb's index)."""
    pos = _skip_intro(tokens, pos, hi)
    if pos >= hi or tokens[pos].text in OPEN_QUOTES:
        return None, pos
    i = pos
    while i < hi and i - pos <= _MAX_SUBJECT_TOKENS:
        tok = tokens[i]
        if tok.text == "," and i + 1 < hi and tokens[i + 1].lower in ("who", "which", "whose", "whom"):
            j = i + 1
            while j < hi and tokens[j].text != ",":
                j += 1
            i = j + 1
            continue
        if looks_like_verb(tok.text) or tok.text in ";:" or tok.text in OPEN_QUOTES or tok.lower in SPEECH_VERBS:
            break
        i += 1
    if i >= hi or i == pos or i - pos > _MAX_SUBJECT_TOKENS:
        return None, pos
    end = _trim_np_end(tokens, pos, i)
    if end <= pos:
        return None, pos
    return _np_text(text, tokens, pos, end), i


# --- hedges ----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def is_second_hand(claimant: str | None) -> bool:
    """An outlet, a report or unnamed sources: content from them is relayed second-hand."""
    if not claimant:
        return False
    if OUTLET_NAMES_RE.search(claimant):
        return True
    return any(w.strip(".,’'s").lower() in MEDIA_NOUNS or w.lower() == "news" for w in claimant.split())


def own_account(claimant: str | None, content: str) -> bool:
    """A party describing its own action ("Tehran said the Iranian-made missiles ...",
    "the ministry said its air force ...")."""
    if not claimant:
        return False
    own_names, party_noun = _party(claimant)
    if own_names is not None and (own_names.search(content) or OWN_ACCOUNT_RE.search(content)):
        return True
    return party_noun and OWN_ACCOUNT_RE.search(content) is not None


@lru_cache(maxsize=4096)
def _party(claimant: str) -> tuple[re.Pattern | None, bool]:
    """The pattern of the country a claimant speaks for (if any), and whether it names a
    party to a conflict or a government body ("ministry", "army", "spokesman")."""
    party = PARTY_NAME_RE.search(claimant)
    words = {w.strip(".,’'s").lower() for w in claimant.split()}
    return (PARTY_OF[party.group(1)] if party else None), bool(words & PARTY_WORDS)


def _frame_hedge(kind: str, verb: str, claimant: str | None, frame_text: str) -> str | None:
    """Why an attribution keeps the article at a distance, or None."""
    lowered = frame_text.lower()
    # The patterns are only tried when a cheap substring test says they might match.
    if any(stem in lowered for stem in _ANONYMITY_STEMS):
        anonymous = ANONYMITY_RE.search(frame_text)
        if anonymous:
            return anonymous.group()
    if kind == "cite" or verb in CLAIM_VERBS or verb in WRITING_VERBS or verb in HEDGING_PARTICIPLES:
        return frame_text
    if is_second_hand(claimant):
        return frame_text
    if any(stem in lowered for stem in _HEDGE_STEMS) and HEDGE_WORD_RE.search(frame_text):
        return frame_text
    return None


_ANONYMITY_STEMS = ("anonym", "not to be", "authori")
_HEDGE_STEMS = ("claim", "purport", "alleg", "reportedly", "unverif", "unconfirm", "prelimin", "suppos")


# --- frames ----------------------------------------------------------------------------------


def find_frames(text: str, tokens: list[Token], lo: int, hi: int, ctx: ArticleContext) -> SentenceFrames:
    """Attribution frames of the sentence tokens[lo:hi], in order."""
    frames: list[Frame] = []
    subject = LazySubject(text, tokens, lo, hi, ctx)
    if _FRAME_TRIGGERS.isdisjoint(tokens.lows[lo:hi]):
        return SentenceFrames(frames, subject)  # nothing attributes here

    # Sentence-wide: conditionals and "according to" (cheap word checks first).
    words = set(tokens.lows[lo:hi])
    if "if" in words:
        for match in CONDITIONAL_RE.finditer(text, tokens[lo].start, tokens[hi - 1].end):
            a, b = _token_range(tokens, lo, hi, match.start(), match.end())
            if b < hi and tokens[b].text == ",":
                b += 1
            frames.append(Frame(a, b, None, match.group(), "sentence", "conditional"))
    if "according" in words:
        for i in range(lo, hi - 1):
            if tokens[i].lower == "according" and tokens[i + 1].lower == "to":
                frames.append(_according_frame(text, tokens, i, hi, ctx))

    # Mid and trailing: ", Reuters reported", ",” he said in a statement", ",” said one member".
    for i in compress(range(lo, hi - 1), map(_TRAILING_MARKS.__contains__, tokens.texts[lo:hi - 1])):
        if i > lo or tokens[i].text == ",":
            frame = _trailing_frame(text, tokens, i, lo, hi, frames, ctx)
            if frame and not any(f.start <= frame.start < f.end for f in frames):
                frames.append(frame)

    # Leading: "[intro,] [as X reported,] Subject [has] said [in ... ] [that|,]".
    pos = lo
    for _ in range(5):
        blocking = next((f for f in frames if f.start <= pos < f.end or f.start == pos), None)
        if blocking:
            pos = blocking.end
            continue
        as_frame = _as_frame(text, tokens, pos, hi, ctx)
        if as_frame:
            frames.append(as_frame)
            pos = as_frame.end
            continue
        new = _skip_intro(tokens, pos, hi)
        if new == pos:
            break
        pos = new
    leading = _leading_frame(text, tokens, pos, hi, ctx)
    if leading and not any(leading.start <= f.start < leading.end for f in frames):
        frames.append(leading)
        if leading.kind != "cite":
            subject = LazySubject(text, tokens, lo, hi, ctx, leading.claimant, done=True)

    # Participles, continuations and claim nouns inside the sentence.
    for i in compress(range(lo + 1, hi), map(_INNER_FRAME_WORDS.__contains__, tokens.lows[lo + 1:hi])):
        tok = tokens[i]
        if any(f.start <= i < f.end for f in frames):
            continue
        if tok.lower in SPEECH_PARTICIPLES:
            frames.append(_participle_frame(text, tokens, i, lo, hi, subject, ctx))
        elif tok.lower in ("and", "but") and i + 1 < hi:
            end = _speech_verb(tokens, i + 1, hi)
            if end is not None and tokens[i + 1].lower not in WEAK_SPEECH_VERBS:
                frames.append(_continuation_frame(text, tokens, i, end, hi, frames, subject))
        elif tok.lower in CLAIM_NOUNS and tokens[i - 1].lower not in SUBJECT_PRONOUNS:
            frame = _claim_noun_frame(text, tokens, i, lo, hi, ctx)
            if frame:
                frames.append(frame)
    if tokens[lo].lower in CLAIM_NOUNS and not any(f.start <= lo < f.end for f in frames):
        frame = _claim_noun_frame(text, tokens, lo, lo, hi, ctx)  # "Allegations ... that ..." opening the sentence
        if frame:
            frames.append(frame)
    frames.sort(key=lambda f: (f.start, f.end))
    _resolve_scopes(tokens, lo, hi, frames)
    return SentenceFrames(frames, subject)


def _token_range(tokens: list[Token], lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    a = next((k for k in range(lo, hi) if tokens[k].end > start), hi)
    b = next((k for k in range(a, hi) if tokens[k].start >= end), hi)
    return a, b


def _according_frame(text, tokens, i, hi, ctx) -> Frame:
    j = i + 2
    k = j
    while k < hi and k - j < 12:
        tok = tokens[k]
        if is_abbreviation_dot(tokens, k):
            k += 1
            continue
        if tok.text in ",;:.!?" or tok.text in CLOSE_QUOTES or tok.text in OPEN_QUOTES:
            break
        if tok.lower in ("which", "who", "that", "in", "on", "at", "when", "while", "as"):
            break
        k += 1
    start = i - 1 if i > 0 and tokens[i - 1].text == "," else i
    end = k + 1 if k < hi and tokens[k].text == "," else k
    claimant = ctx.resolve(_np_text(text, tokens, j, k)) if k > j else None
    if claimant and claimant.split()[-1].lower() in _EVIDENCE_NOUNS:
        claimant = None  # "according to preliminary data": evidence, not a source that asserts
    frame_text = text[tokens[i].start:tokens[k - 1].end] if k > i else "according to"
    hedge = frame_text if (is_second_hand(claimant) or HEDGE_WORD_RE.search(frame_text)) else None
    return Frame(start, end, claimant, hedge, "sentence", "according")


def _as_frame(text, tokens, pos, hi, ctx) -> Frame | None:
    """"as the Washington Post spelled out in a lead article Monday," (sentence-wide)."""
    if pos >= hi or tokens[pos].lower != "as":
        return None
    for k in range(pos + 2, min(hi, pos + 9)):
        end = _speech_verb(tokens, k, hi)
        if end is None and k + 1 < hi and tokens[k].lower == "put" and tokens[k + 1].lower == "it":
            end = k + 2  # "as one official put it,"
        if end is not None:
            if not _plausible_subject(tokens, pos + 1, k):
                return None
            stop = end
            while stop < hi and stop - end < 12 and tokens[stop].text != ",":
                stop += 1
            claimant = ctx.resolve(_np_text(text, tokens, pos + 1, k))
            return Frame(pos, min(hi, stop + 1), claimant, _frame_hedge("as", tokens[k].lower, claimant,
                         text[tokens[pos].start:tokens[end - 1].end]), "sentence", "as")
    return None


def _leading_frame(text, tokens, pos, hi, ctx) -> Frame | None:
    lows = tokens.lows
    stop = min(hi, pos + 30)
    for k in compress(range(pos + 1, stop), map(_LEADING_STOPS.__contains__, lows[pos + 1:stop])):
        if tokens[k].text in OPEN_QUOTES:
            return None
        end = _speech_verb(tokens, k, hi)
        if end is None:
            continue
        verb = tokens[k].lower
        if k > pos and tokens[k - 1].lower in _PASSIVE_AUX:
            return None  # "Two deaths have been reported": the subject is what was reported
        if end < hi and tokens[end].lower in ("responsibility", "credit"):
            return None  # "claimed responsibility for ...": an attribution claim, not reported speech
        subj_end = k
        while subj_end > pos and tokens[subj_end - 1].lower in _TRAILING_NP_JUNK:
            subj_end -= 1
        if not _plausible_subject(tokens, pos, subj_end):
            return None
        if verb in CITING_VERBS:
            return _cite_frame(text, tokens, pos, subj_end, k, end, hi, ctx)
        content = end
        if content < hi and tokens[content].lower == "that":
            content += 1
        elif content < hi and tokens[content].text in ",:":
            content += 1
        else:
            after_that = _find_that(tokens, content, hi)
            if after_that is not None:
                content = after_that
            elif verb in WEAK_SPEECH_VERBS:
                return None
            elif verb == "told" or verb == "tells":
                return None  # "told reporters ..." without "that": not reported content
        raw = _np_text(text, tokens, pos, subj_end)
        claimant = ctx.resolve(raw)
        frame_text = text[tokens[pos].start:tokens[end - 1].end]
        hedge = _frame_hedge("speech", verb, claimant, text[tokens[pos].start:tokens[content - 1].end])
        quotes = content < hi and tokens[content].text in OPEN_QUOTES
        return Frame(pos, content, claimant, hedge or _own_hedge(text, tokens, claimant, content, hi, frame_text),
                     "after", "speech", quotes)
    return None


def _own_hedge(text, tokens, claimant, a, b, frame_text) -> str | None:
    if a < b and own_account(claimant, text[tokens[a].start:tokens[b - 1].end]):
        return frame_text
    return None


def _cite_frame(text, tokens, pos, subj_end, k, end, hi, ctx) -> Frame | None:
    """"The newspaper cites James Jeffrey, ..., as stating that ..." -> claimant James Jeffrey."""
    for m in range(end + 1, min(hi - 1, end + 25)):
        if tokens[m].lower == "as" and tokens[m + 1].lower in SPEECH_PARTICIPLES | {"telling", "writing"}:
            content = m + 2
            if content < hi and tokens[content].lower == "that":
                content += 1
            claimant = clean_claimant(_np_text(text, tokens, end, _trim_np_end(tokens, end, m)))
            hedge = text[tokens[pos].start:tokens[end - 1].end]
            return Frame(pos, content, claimant, hedge, "after", "cite")
    return None


def _trailing_frame(text, tokens, i, lo, hi, frames, ctx) -> Frame | None:
    """An attribution after a comma or closing quote: ", Reuters reported", ",” said X"."""
    if not any(map(_LEADING_STOPS.__contains__, tokens.lows[i + 1:min(hi, i + 16)])):
        return None  # no speech verb within reach: the usual case, decided without a scan
    j = i + 1
    quotes = tokens[i].text in CLOSE_QUOTES
    if j < hi and tokens[j].text in CLOSE_QUOTES:
        j += 1
        quotes = True
    if j >= hi:
        return None
    # Inverted: ",” said one senior PMF member." / ", writes Carnahan."
    end = _speech_verb(tokens, j, hi)
    if end is not None and tokens[j].lower not in WEAK_SPEECH_VERBS and (
        quotes or tokens[j].lower in ("said", "says", "writes", "wrote", "added", "adds")
    ):
        k = end
        while k < hi and (tokens[k].text not in ",.;!?" or is_abbreviation_dot(tokens, k)) and k - end < 10:
            k += 1
        if k == end or (k < hi and tokens[k].text not in ",.;!?"):
            return None
        if not _plausible_subject(tokens, end, k) or tokens[end].text[0].isdigit():
            return None  # ", said 52 people were wounded": the verb opens the content, not a source
        claimant = ctx.resolve(_np_text(text, tokens, end, k))
        stop = hi if k >= hi or tokens[k].text in ".!?" else k
        return _finish_trailing(text, tokens, i, j, end, stop, lo, hi, claimant, frames, quotes, ctx)
    # Normal: ", Reuters reported", ",” US military spokesman Col. Sean Ryan said in a statement."
    for k in range(j + 1, min(hi, j + 14)):
        tok = tokens[k]
        if is_abbreviation_dot(tokens, k):
            continue
        if tok.text in ",;:.!?" or tok.text in OPEN_QUOTES or tok.text in CLOSE_QUOTES:
            return None
        end = _speech_verb(tokens, k, hi)
        if end is None:
            if looks_like_verb(tok.text) and tok.lower not in _TRAILING_NP_JUNK:
                return None
            continue
        if tokens[k].lower in WEAK_SPEECH_VERBS or tokens[k - 1].lower in _PASSIVE_AUX:
            return None
        subj_end = k
        while subj_end > j and tokens[subj_end - 1].lower in _TRAILING_NP_JUNK:
            subj_end -= 1
        if not _plausible_subject(tokens, j, subj_end) or not _looks_like_source(tokens, j, subj_end):
            return None
        # Tail: "in a statement", "on condition of anonymity", "Friday", "told reporters ...".
        stop = end
        while stop < hi and tokens[stop].text not in ",;.!?" and tokens[stop].text not in OPEN_QUOTES and stop - end < 14:
            if stop == end and not (
                tokens[stop].lower in PREPOSITIONS or tokens[stop].lower in TIME_WORDS
                or tokens[stop].lower in _TELL_OBJECTS or tokens[stop].text[0].isupper()
            ):
                return None
            stop += 1
        if stop < hi and tokens[stop].text not in ",;.!?":
            return None
        claimant = ctx.resolve(_np_text(text, tokens, j, subj_end))
        return _finish_trailing(text, tokens, i, j, end, stop, lo, hi, claimant, frames, quotes, ctx)
    return None


def _finish_trailing(text, tokens, i, j, verb_end, stop, lo, hi, claimant, frames, quotes, ctx) -> Frame:
    verb = tokens[verb_end - 1].lower
    frame_start = i if tokens[i].text == "," else i + 1
    frame_end = stop + 1 if stop < hi and tokens[stop].text == "," else stop
    at_end = frame_end >= hi or (
        hi - frame_end <= 3 and all(t.text in ".!?" or t.text in CLOSE_QUOTES for t in tokens[frame_end:hi])
    )
    scope = "before"
    if not at_end:
        earlier = max((f.end for f in frames if f.end <= frame_start), default=lo)
        if not any(looks_like_verb(t.text) for t in tokens[max(earlier, frame_start - 40):frame_start]):
            scope = "around"  # "The Pentagon, the Journal reported, “has scaled back ...”"
    frame_text = text[tokens[j].start:tokens[max(j, stop - 1)].end]
    hedge = _frame_hedge("speech", verb, claimant, frame_text)
    if hedge is None and claimant:
        content = text[tokens[lo].start:tokens[frame_start - 1].end] if frame_start > lo else ""
        if own_account(claimant, content):
            hedge = frame_text
    return Frame(frame_start, frame_end, claimant, hedge, scope, "speech", quotes)


def _looks_like_source(tokens: list[Token], lo: int, hi: int) -> bool:
    """A name, a pronoun or a source noun; not an ordinary clause subject."""
    words = tokens[lo:hi]
    return any(
        t.text[0].isupper() or t.lower in SUBJECT_PRONOUNS or t.lower in _SOURCE_NOUNS for t in words
    )


def _participle_frame(text, tokens, i, lo, hi, subject, ctx) -> Frame:
    """", claiming that ...", "reports stating that ...", "... on Saturday charging X with ..."."""
    end = i + 1
    if end < hi and tokens[end].lower == "that":
        end += 1
    claimant = None
    if tokens[i - 1].text != "," and tokens[i - 1].lower in _SOURCE_NOUNS:
        k = i - 1
        while k > lo and i - k < 5 and not looks_like_verb(tokens[k - 1].text) and tokens[k - 1].text not in ",;:" \
                and tokens[k - 1].lower not in SUBJECT_PRONOUNS:
            k -= 1
        claimant = ctx.resolve(_np_text(text, tokens, k, i))
    else:
        claimant = subject.get()
    verb = tokens[i].lower
    frame_text = text[tokens[i - 1 if tokens[i - 1].text != "," else i].start:tokens[end - 1].end]
    hedge = _frame_hedge("participle", verb, claimant, frame_text)
    if verb in HEDGING_PARTICIPLES:
        hedge = tokens[i].text
    hedge = hedge or _own_hedge(text, tokens, claimant, end, hi, frame_text)
    return Frame(i, end, claimant, hedge, "after", "participle")


def _continuation_frame(text, tokens, i, end, hi, frames, subject) -> Frame:
    """"..., and added that ...", "... and said the drone ...": same speaker, content after."""
    content = end
    if content < hi and tokens[content].lower == "that":
        content += 1
    previous = next((f for f in reversed(frames) if f.claimant and f.start < i), None)
    claimant = previous.claimant if previous else subject.get()
    hedge = previous.hedge if previous else _frame_hedge("speech", tokens[end - 1].lower, claimant, "")
    return Frame(i, content, claimant, hedge, "after", "speech")


def _claim_noun_frame(text, tokens, i, lo, hi, ctx) -> Frame | None:
    """"Allegations published by certain foreign media that ..." -> hedged, claimant the media."""
    claimant = None
    for k in range(i + 1, min(hi, i + 9)):
        tok = tokens[k]
        if tok.lower == "that":
            if k + 1 < hi and looks_like_verb(tokens[k + 1].text):
                return None  # "reports that appeared": a relative clause, not a claim
            start = i - 1 if i > lo and tokens[i - 1].lower in DETERMINERS else i
            hedge = text[tokens[start].start:tokens[i].end]
            return Frame(start, k + 1, ctx.resolve(claimant), hedge, "after", "allegation")
        if tok.lower in ("by", "from") and claimant is None:
            m = k + 1
            while m < hi and tokens[m].lower != "that" and tokens[m].text not in ",;:" and m - k < 7:
                m += 1
            claimant = _np_text(text, tokens, k + 1, m) if m > k + 1 else None
        if tok.text in ",;:" or tok.text in OPEN_QUOTES:
            return None
        if looks_like_verb(tok.text) and tok.lower not in ("published", "made", "carried", "circulated", "aired"):
            return None
    return None


def _resolve_scopes(tokens: list[Token], lo: int, hi: int, frames: list[Frame]) -> None:
    """A trailing frame that is followed by more of the sentence governs only what precedes it."""
    for frame in frames:
        if frame.scope == "before" and frame.end < hi and hi - frame.end <= 3:
            rest = tokens[frame.end:hi]
            if all(t.text in ".!?" or t.text in CLOSE_QUOTES for t in rest):
                frame.end = hi


@dataclass
class Governance:
    claimant: str | None
    hedges: list[str]


def governing(frames: list[Frame], piece_start: int, piece_end: int, fronted: bool, background: bool = False) -> Governance:
    """Who the clause tokens[piece_start:piece_end] is attributed to, and the hedges that reach it.

    The nearest preceding "after" frame wins, then the nearest following
    "before"/"around" frame (not for a fronted subordinate clause, which is
    background the writer presupposes), then sentence-wide ones. A
    non-restrictive ", where ..." clause is the writer's own description of a
    place and is attributed to nobody.
    """
    if background or not frames:
        return Governance(None, [])
    claimant = None
    hedges: list[str] = []
    after = [f for f in frames if f.scope == "after" and f.end <= piece_start]
    before = [f for f in frames if f.scope in ("before", "around") and f.start >= piece_end]
    around = [f for f in frames if f.scope == "around" and f.end <= piece_start]
    sentence = [f for f in frames if f.scope == "sentence"]
    chosen = None
    if after:
        chosen = after[-1]
        blocking = [f for f in frames if f.scope == "before" and chosen.end <= f.start < piece_start]
        if blocking:
            chosen = None  # "A, X said, B": the frame between closes A's attribution
    if chosen is None and before and not fronted:
        chosen = before[0]
    if chosen is None and around:
        chosen = around[-1]
    if chosen is not None:
        claimant = chosen.claimant
        if chosen.hedge:
            hedges.append(chosen.hedge)
    for frame in sentence:
        if fronted and frame.kind == "according":
            continue
        if frame.hedge:
            hedges.append(frame.hedge)
        if claimant is None and frame.claimant:
            claimant = frame.claimant
    return Governance(claimant, hedges)
