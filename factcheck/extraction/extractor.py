"""The rule-based claim extractor: article text in, candidate claims out.

Pipeline, per sentence:

1. find attribution frames (``attribution.find_frames``) and cut them out;
2. split what is left into clauses (``sentences.split_clauses``);
3. for each figure in a clause, propose the smallest phrase carrying it: from
   the verb that governs it ("flew 355 miles ...", "capable of carrying over
   1,500 pounds ...") or from the start of its noun phrase ("The six
   missiles fired from ...") up to the next clause, figure or infinitive;
4. propose the rest of each clause (or the whole clause if it has no figure)
   when it carries a category cue, a source or a name;
5. give each proposal a category, claimant, hedges and a check-worthiness
   score, and keep those scoring at least ``MIN_SCORE``.

Hedges that reach across sentences ("However, Reuters could not
independently verify the report.") are applied once the whole text is read.
Everything is deterministic and linear in the length of the text: each rule
looks at a bounded window of tokens.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .attribution import (
    ArticleContext,
    Frame,
    clean_claimant,
    find_frames,
    governing,
)
from .cues import Annotations, choose_category
from .model import Candidate
from .numbers import QuantityMention, candidate_starts, find_quantities
from .patterns import (
    AUXILIARIES,
    DETERMINERS,
    LEADING_CONNECTORS,
    PREPOSITIONS,
    PRONOUNS,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    looks_like_verb,
)
from .sentences import (
    OPEN_QUOTES,
    Sentence,
    Token,
    TokenList,
    is_list_comma,
    lowercase,
    split_clauses,
    split_sentences,
    strip_leading_connectors,
    tokenize,
    trim_tokens,
)

MIN_SCORE = 0.4
_MAX_CLAUSE_TOKENS = 60  # longer "clauses" are run-on text, not one claim
_MAX_SENTENCE_TOKENS = 200  # longer "sentences" are read in windows of this many tokens
_CHUNK_CHARS = 64_000
_LEFT_WINDOW = 12
_RIGHT_WINDOW = 25

_DATELINE_RE = re.compile(
    r"[A-Z][A-Z’'.\- ]{2,40}(?:,[ \t]*[A-Z][\w’'.\- ]{1,40}?)?(?:[ \t]*\([^)\n]{1,40}\))?[ \t]+[-–—]+[ \t]+"
)
_CLAIM_APPOSITIVE_NOUNS = frozenset("claim claims allegation allegations assertion charge accusation".split())
_APPOSITIVE_OPENERS = _CLAIM_APPOSITIVE_NOUNS | {"a", "an", "the"}
_LEADERS = LEADING_CONNECTORS | frozenset(",;:")  # words and marks strip_leading_connectors removes
_FIGURE_WORDS = frozenset("figure figures number numbers toll count data statistics".split())
_CASUALTY_WORDS = frozenset("casualty casualties death deaths dead killed wounded injured injuries".split())


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    category: str
    claimant: str | None
    mention: QuantityMention | None
    hedges: list[str]
    cues: set[str]  # categories and "date", "opinion", "name", "verb" seen in the span
    words: int


@dataclass
class _SentenceResult:
    paragraph: int
    drafts: list[_Draft]
    disclaimer: str | None = None  # a main-clause "could not verify" that reaches back


@contextmanager
def _cyclic_gc_paused():
    """Pause the cyclic garbage collector, restoring its previous state afterwards.

    Extraction allocates hundreds of thousands of small tuples (tokens, spans)
    and creates no reference cycles; left on, the collector rescans the live
    ones over and over, which costs more than the extraction itself.
    Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def extract_claims(text: str) -> list[Candidate]:
    """Propose the checkable claims in an article body (see the module docstring)."""
    if not isinstance(text, str):
        raise TypeError("extract_claims expects a str")
    if not text.strip():
        return []
    with _cyclic_gc_paused():
        return _extract(text)


def _extract(text: str) -> list[Candidate]:
    lowered = lowercase(text)
    ctx = ArticleContext()
    results: list[_SentenceResult] = []
    sentences = split_sentences(text)
    for chunk in _chunks(sentences):
        # Tokens, their cues and the figures are computed for a chunk of whole sentences at a
        # time: once per chunk rather than per sentence (cheaper), but not for the whole text
        # at once (a multi-megabyte working set is slow).
        tokens = tokenize(text, chunk[0].start, chunk[-1].end, lowered)
        if not tokens:
            continue
        cues = Annotations(tokens, 0, len(tokens))
        mentions = find_quantities(
            text, chunk[0].start, chunk[-1].end, candidate_starts(tokens.starts, tokens.lows), lowered
        )
        mention_starts = [m.number_start for m in mentions]
        for sentence in chunk:
            ctx.start_sentence(sentence.paragraph)
            lo = bisect.bisect_left(tokens.starts, sentence.start)
            hi = bisect.bisect_left(tokens.starts, sentence.end, lo)
            if sentence is sentences[0]:
                lo = _dateline_end(text, tokens, lo, hi)
            # A run-on "sentence" (no punctuation for pages) is read in bounded windows, so
            # that no rule's work grows with its length.
            for window_lo in range(lo, hi, _MAX_SENTENCE_TOKENS):
                window_hi = min(hi, window_lo + _MAX_SENTENCE_TOKENS)
                worker = _SentenceWorker(
                    text, tokens, window_lo, window_hi, cues, sentence.paragraph, mentions, mention_starts, ctx
                )
                results.append(worker.run())
    _carry_disclaimers(results)
    return _finalise(text, results)


def _chunks(sentences: list[Sentence]) -> Iterator[list[Sentence]]:
    """Consecutive runs of whole sentences of about _CHUNK_CHARS characters."""
    chunk: list[Sentence] = []
    for sentence in sentences:
        if chunk and sentence.end - chunk[0].start > _CHUNK_CHARS:
            yield chunk
            chunk = []
        chunk.append(sentence)
    if chunk:
        yield chunk


def _dateline_end(text: str, tokens: list[Token], lo: int, hi: int) -> int:
    """Skip a wire dateline ("TAL HARUF, Marenia (Reuters) - ")."""
    match = _DATELINE_RE.match(text, tokens[lo].start) if lo < hi else None
    if not match:
        return lo
    return next((i for i in range(lo, hi) if tokens[i].start >= match.end()), hi)


class _SentenceWorker:
    """Turns one sentence into drafts; holds the per-sentence state the rules share."""

    def __init__(self, text, tokens, lo, hi, cues, paragraph, mentions, mention_starts, ctx: ArticleContext):
        self.text = text
        self.tokens = tokens
        self.lo = lo
        self.hi = hi
        self.cues = cues
        self.paragraph = paragraph
        self.mentions = mentions
        self.mention_starts = mention_starts
        self.ctx = ctx
        self.drafts: list[_Draft] = []

    # -- the sentence -------------------------------------------------------------------

    def run(self) -> _SentenceResult:
        analysis = find_frames(self.text, self.tokens, self.lo, self.hi, self.ctx)
        self.frames = analysis.frames
        self.subject = analysis.subject
        if self.frames or self.tokens[self.lo].text in OPEN_QUOTES or self.ctx.quote_speaker:
            self._continue_quotation()
            self._source_hedges()
            first_content = self._first_content()
            regions = self._content_regions()
        else:  # the common case: nobody is quoted or cited, the whole sentence is content
            first_content, regions = self.lo, [(self.lo, self.hi)]
        sentence_hedges: list[str] = []
        disclaimer = None
        tokens, lows, flagged = self.tokens, self.tokens.lows, self.cues.disclaimer
        for region_start, region_end in regions:
            pieces = split_clauses(tokens, region_start, region_end)
            for number, (a, b) in enumerate(pieces):
                first = lows[a]
                fronted = a == first_content and first in SUBORDINATORS
                start = strip_leading_connectors(tokens, a, b) if first in _LEADERS else a
                if start >= b:
                    continue
                following = pieces[number + 1] if number + 1 < len(pieces) else None
                background = first == "where" and a > self.lo and tokens[a - 1].text == ","
                if True in flagged[start:b]:  # a "could not be verified" disclaimer
                    note = self._text_of(start, b)
                    sentence_hedges.append(note)
                    if start <= first_content + 2:
                        disclaimer = note  # a main-clause disclaimer also reaches back
                if lows[start] in _APPOSITIVE_OPENERS and self._is_claim_appositive(start, b):
                    sentence_hedges.append(self._text_of(start, b))
                self._piece(start, b, following, fronted, background)
        for draft in self.drafts:
            for note in sentence_hedges:
                if note not in draft.hedges:
                    draft.hedges.append(note)
        for frame in self.frames:
            self.ctx.remember(frame.claimant, claimant=True)
        self.ctx.remember_subject(self.subject)
        return _SentenceResult(self.paragraph, self.drafts, disclaimer)

    def _text_of(self, a: int, b: int) -> str:
        a, b = trim_tokens(self.tokens, a, b)
        return self.text[self.tokens[a].start:self.tokens[b - 1].end] if b > a else ""

    def _is_claim_appositive(self, a: int, b: int) -> bool:
        """"..., a claim the group rejects": the sentence calls itself a claim."""
        tokens = self.tokens
        first = a + 1 if tokens[a].lower in ("a", "an", "the") and a + 1 < b else a
        return tokens[first].lower in _CLAIM_APPOSITIVE_NOUNS and not looks_like_verb(tokens[min(first + 1, b - 1)].text)

    def _first_content(self) -> int:
        pos = self.lo
        for frame in self.frames:
            if frame.start <= pos < frame.end or frame.start == pos:
                pos = max(pos, frame.end)
        while pos < self.hi and self.tokens[pos].text in OPEN_QUOTES:
            pos += 1
        return pos

    def _continue_quotation(self) -> None:
        """A sentence that opens a quotation without saying whose continues the last speaker's."""
        opens_quote = self.tokens[self.lo].text in OPEN_QUOTES
        speaker_frames = [f for f in self.frames if f.claimant and f.kind in ("speech", "participle", "cite")]
        if opens_quote and not speaker_frames and self.ctx.quote_speaker:
            claimant, hedge = self.ctx.quote_speaker
            self.frames.append(Frame(self.lo, self.lo, claimant, hedge, "sentence", "quotation"))
        quoting = [f for f in self.frames if f.quotes]
        if quoting:
            self.ctx.quote_speaker = (quoting[-1].claimant, quoting[-1].hedge)
        elif not opens_quote:
            self.ctx.quote_speaker = None

    def _source_hedges(self) -> None:
        """A source hedged once in a paragraph (anonymous, "charging") stays hedged there."""
        for frame in self.frames:
            if not frame.claimant or frame.kind in ("according", "conditional"):
                continue
            key = frame.claimant.lower()
            if frame.hedge:
                self.ctx.source_hedges.setdefault(key, frame.hedge)
            elif key in self.ctx.source_hedges:
                frame.hedge = self.ctx.source_hedges[key]

    def _content_regions(self) -> list[tuple[int, int]]:
        regions = []
        pos = self.lo
        for frame in sorted(self.frames, key=lambda f: f.start):
            if frame.start > pos:
                regions.append((pos, frame.start))
            pos = max(pos, frame.end)
        if pos < self.hi:
            regions.append((pos, self.hi))
        return regions

    # -- one clause ---------------------------------------------------------------------

    def _piece(self, a: int, b: int, following: tuple[int, int] | None, fronted: bool, background: bool) -> None:
        tokens = self.tokens
        start = tokens[a].start
        first = bisect.bisect_left(self.mention_starts, start)
        last = bisect.bisect_left(self.mention_starts, tokens[b - 1].end, first)
        mentions = [m for m in self.mentions[first:last] if m.start >= start] if last > first else []
        extend_to = None
        if following and tokens.lows[b - 1] in PREPOSITIONS:
            extend_to = following[1]  # "three miles from | where troops are based": take the object too
        if not mentions:
            # Decided before any further work: a clause without a figure that is too short, too
            # long, or has neither a cue nor a source cannot reach MIN_SCORE (see _score).
            end = extend_to if extend_to is not None else b
            if self.cues.words(a, b) < 3 or b - a > _MAX_CLAUSE_TOKENS:
                return
            if not self.frames and not self.cues.has_cue(a, end):
                return
        governance = governing(self.frames, a, b, fronted, background)
        covered: list[tuple[int, int]] = []
        if mentions:
            token_of = _token_index(tokens, a, b)
            lefts = []
            previous_end = a
            for mention in mentions:
                q = token_of(mention.start)
                lefts.append(self._left_boundary(a, q, previous_end))
                previous_end = token_of(mention.end - 1) + 1
            if lefts[0] > a and self._is_short_subject(a, lefts[0]):
                lefts[0] = a  # "The Strait of Velmar | is about 21 nautical miles wide": one clause
            for index, mention in enumerate(mentions):
                last = token_of(mention.end - 1)
                stop = lefts[index + 1] if index + 1 < len(mentions) else b
                right = self._right_boundary(last, stop)
                covered.append((lefts[index], right + 1))
                end = extend_to if extend_to is not None and right == b - 1 else right + 1
                self._add(lefts[index], end, governance, mention)
        for run_start, run_end in _uncovered(a, b, covered):
            if self.cues.words(run_start, run_end) < 3 or run_end - run_start > _MAX_CLAUSE_TOKENS:
                continue
            end = extend_to if extend_to is not None and run_end == b else run_end
            if governance.claimant is None and not self.cues.has_cue(run_start, end):
                continue  # without a figure, a cue or a source it cannot reach MIN_SCORE (see _score)
            self._add(run_start, end, governance, None)

    def _is_short_subject(self, a: int, b: int) -> bool:
        """A bare noun phrase (no verb, no comma) short enough to be just the subject."""
        run = self.tokens[a:b]
        return len(run) <= 8 and not any(
            t.text in ",;:" or looks_like_verb(t.text) or t.lower in ("and", "or", "but") for t in run
        )

    def _left_boundary(self, a: int, q: int, floor: int) -> int:
        """Where the phrase carrying a figure starts: its governing verb, else its noun phrase.

        Walks left from the figure over its noun phrase and prepositions; the
        first verb met starts the phrase (with its auxiliaries, and an
        adjective + "of"/"to" before it: "capable of carrying"); a comma or
        "and" ends the walk; with neither, the clause start is used.
        """
        tokens = self.tokens
        floor = max(a, floor)
        k = q - 1
        while k >= floor and q - k <= _LEFT_WINDOW:
            tok = tokens[k]
            if tok.text in ",;:" or tok.lower in ("and", "or", "but"):
                return k + 1
            if looks_like_verb(tok.text) and not (k > floor and tokens[k - 1].lower in DETERMINERS):
                return self._verb_group_start(k, floor)
            k -= 1
        return floor if q - floor <= _LEFT_WINDOW else q

    def _verb_group_start(self, j: int, floor: int) -> int:
        """Extend a verb leftwards over its auxiliaries and adverbs, a coordinated verb
        ("damaged or destroyed"), a catenative verb ("is estimated to have") and an
        adjective that takes it ("capable of carrying")."""
        tokens = self.tokens
        for _ in range(4):
            while j - 1 >= floor and (tokens[j - 1].lower in AUXILIARIES or tokens[j - 1].lower in (
                    "not", "also", "already", "reportedly", "allegedly", "never") or tokens[j - 1].lower.endswith("ly")):
                j -= 1
            if j - 2 >= floor and tokens[j - 1].lower in ("to", "and", "or") and looks_like_verb(tokens[j - 2].text):
                j -= 2
                continue
            if j - 2 >= floor and tokens[j - 1].lower in ("of", "to") and tokens[j - 2].text.isalpha() \
                    and not looks_like_verb(tokens[j - 2].text) and tokens[j - 2].lower not in DETERMINERS:
                j -= 2
            break
        return j

    def _right_boundary(self, last: int, stop: int) -> int:
        """Where the phrase carrying a figure ends: before punctuation, the next figure's
        phrase, a new predicate ("and wounded ...") or a purpose clause ("to hit ...")."""
        tokens = self.tokens
        end = last
        k = last + 1
        while k < stop and k - last <= _RIGHT_WINDOW:
            tok = tokens[k]
            if tok.text in ";:" or tok.text in ("—", "–", "…"):
                break
            if tok.text == "," and not is_list_comma(tokens, k, last, stop):
                break
            if tok.lower in ("and", "or", "but") and k + 1 < stop:
                nxt = tokens[k + 1]
                if nxt.text[0].isdigit() or nxt.lower in SUBJECT_PRONOUNS or looks_like_verb(nxt.text):
                    break
            if tok.lower == "to" and k + 1 < stop:
                nxt = tokens[k + 1]
                if nxt.text[0].isalpha() and nxt.text[0].islower() and nxt.lower not in DETERMINERS \
                        and nxt.lower not in PRONOUNS and nxt.lower not in PREPOSITIONS \
                        and nxt.lower not in ("more", "about", "around", "nearly", "almost", "over", "under"):
                    break
            end = k
            k += 1
        return end

    # -- a proposal ---------------------------------------------------------------------

    def _add(self, a: int, b: int, governance, mention: QuantityMention | None) -> None:
        """Propose tokens[a:b] as a claim."""
        tokens = self.tokens
        a, b = trim_tokens(tokens, a, b)
        if b <= a:
            return
        start, end = tokens[a].start, tokens[b - 1].end
        claimant = governance.claimant
        hedges = list(governance.hedges)
        cues = self.cues
        seen = cues.categories(a, b)
        accusation = cues.accusation_at(a, b) if "attribution" in seen else None
        if accusation is not None:
            hedges.append(tokens[accusation].text)
            if claimant is None:
                claimant = self._subject_before(a, accusation)
        if "disclaimer" in seen and claimant is None:
            at, passive = cues.disclaimer_at(a, b)
            if not passive:
                claimant = self._subject_before(a, at)  # "Reuters could not verify", not "could not be verified"
        word = cues.hedge_word(tokens, a, b)
        if word:
            hedges.append(word)
        if cues.is_opinion(a, b):
            seen.add("opinion")
        if cues.has_name(tokens, a, b, self.lo):
            seen.add("name")
        if b - a <= 6 and cues.has_verb(a, b):
            seen.add("verb")  # only matters for short spans (see _score)
        category = choose_category(seen, mention.unit_category if mention else None)
        self.drafts.append(
            _Draft(start, end, category, clean_claimant(claimant), mention, hedges, seen, cues.words(a, b))
        )

    def _subject_before(self, a: int, verb: int) -> str | None:
        """The subject of an accusation or disclaimer: "Tehran has blamed", "Reuters could not verify"."""
        tokens = self.tokens
        end = verb
        while end > a and (tokens[end - 1].lower in AUXILIARIES or tokens[end - 1].lower in (
                "not", "also", "independently", "never") or tokens[end - 1].lower.endswith("n't")):
            end -= 1
        if end <= a:
            return self.subject.get()
        words = tokens[a:end]
        if len(words) == 1 and words[0].lower in SUBJECT_PRONOUNS:
            subject = self.subject.get()
            if subject and subject.lower() not in SUBJECT_PRONOUNS:
                return subject  # "militia members that it charged": the sentence's subject
            return self.ctx.resolve(words[0].text)
        if len(words) > 8 or any(looks_like_verb(t.text) for t in words):
            return None
        return self.text[tokens[a].start:tokens[end - 1].end]


def _token_index(tokens: TokenList, lo: int, hi: int):
    """Char offset -> index of the token (within tokens[lo:hi]) that contains it."""
    starts = tokens.starts

    def index_of(char: int) -> int:
        return max(lo, bisect.bisect_right(starts, char, lo, hi) - 1)

    return index_of


def _uncovered(a: int, b: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    runs = []
    pos = a
    for start, end in sorted(covered):
        if start > pos:
            runs.append((pos, start))
        pos = max(pos, end)
    if pos < b:
        runs.append((pos, b))
    return runs


def _score(draft: _Draft) -> float:
    """Check-worthiness in [0, 1]: figures, sources, casualty/weapon cues and names raise it;
    opinion and fragments lower it."""
    score = 0.2
    if draft.mention is not None:
        score += 0.35
    if draft.category != "other":
        score += 0.2 if draft.category not in ("casualties", "weapons") else 0.25
    if draft.claimant:
        score += 0.1
    if "date" in draft.cues or "name" in draft.cues:
        score += 0.1
    if draft.hedges:
        score += 0.05
    if "opinion" in draft.cues:
        score -= 0.25
    if draft.words < 4 and draft.mention is None:
        score -= 0.15
    if draft.mention is None and draft.words <= 4 and "verb" not in draft.cues:
        score -= 0.2  # a bare noun phrase ("The strike group") asserts nothing
    if draft.words > 40:
        score -= 0.1
    return round(min(1.0, max(0.0, score)), 3)


def _carry_disclaimers(results: list[_SentenceResult]) -> None:
    """"Reuters could not independently verify the casualty figures." hedges the sentence
    before it, and casualty figures up to three sentences back (same or previous paragraph)."""
    for index, result in enumerate(results):
        note = result.disclaimer
        if not note:
            continue
        words = {w.strip(".,").lower() for w in note.split()}
        needs_figure = bool(words & _FIGURE_WORDS)
        needs_casualty = bool(words & _CASUALTY_WORDS) or any(w.startswith("casualt") for w in words)
        # Without a figure/casualty object ("the report"), earlier sentences are reached
        # only where they continue the source of the sentence right before.
        sources = {d.claimant for d in results[index - 1].drafts if d.claimant} if index else set()
        for back in range(1, 4):
            if index - back < 0:
                break
            earlier = results[index - back]
            if result.paragraph - earlier.paragraph > 1:
                break
            for draft in earlier.drafts:
                if needs_figure and draft.mention is None:
                    continue
                if needs_casualty and draft.category != "casualties":
                    continue
                if not (needs_figure or needs_casualty) and back > 1 and draft.claimant not in sources:
                    continue
                if note not in draft.hedges:
                    draft.hedges.append(note)


def _finalise(text: str, results: list[_SentenceResult]) -> list[Candidate]:
    best: dict[tuple[int, int], Candidate] = {}
    for result in results:
        for draft in result.drafts:
            score = _score(draft)
            if score < MIN_SCORE:
                continue
            hedges = list(dict.fromkeys(draft.hedges))
            candidate = Candidate(
                quote=text[draft.start:draft.end],
                span_start=draft.start,
                span_end=draft.end,
                category=draft.category,
                claimant=draft.claimant,
                quantity=draft.mention.quantity if draft.mention else None,
                hedged=bool(hedges),
                hedge_note="; ".join(hedges) if hedges else None,
                score=score,
            )
            key = (draft.start, draft.end)
            current = best.get(key)
            if current is None or (candidate.quantity is not None, candidate.score) > (
                current.quantity is not None, current.score
            ):
                best[key] = candidate
    return sorted(best.values(), key=lambda c: (c.span_start, c.span_end))
