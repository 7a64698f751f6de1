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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter

from .caching import bounded_cache
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
    MONTHS,
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
    WEEKDAYS,
    claims_lives,
    WRITING_VERBS,
    looks_like_verb,
    word_search,
)
from .numbers import NUMBER_WORDS
from .sentences import CLOSE_QUOTES, GERUND_PREPOSITIONS, OPEN_QUOTES, TokenList, is_abbreviation_dot

# Before the subject of a sentence: "Similarly, ...", "On Sunday, ...", "After X went ..., ...".
_INTRO_WORDS = PREPOSITIONS | SUBORDINATORS | frozenset(
    """however meanwhile similarly separately still yet but and so also then now moreover instead
    indeed earlier later last overall nonetheless nevertheless furthermore""".split()
)
_PHRASAL_SPEECH = {("pointed", "out"), ("points", "out"), ("point", "out"), ("spelled", "out"),
                   ("spelt", "out")}
_TELL_OBJECTS = frozenset("reporters journalists the press a news conference lawmakers parliament briefing us analysts investors "
                           "shareholders delegates supporters viewers listeners mps senators councillors".split())
_SOURCE_NOUNS = MEDIA_NOUNS | frozenset(
    "officials official sources witnesses analysts diplomats residents statement statements documents "
    "spokesman spokeswoman spokesperson authorities observers experts monitors prosecutors prosecutor "
    "investigators police doctors researchers organisers organizers rescuers".split()
)
_ORG_WORDS = frozenset(
    """ministry department office agency programme program organization organisation group front army
    navy corps council committee government regime forces command fleet administration union nations
    institute bank fund police court parliament senate house pentagon coalition directorate authority
    authorities team media broadcaster newspaper report reports sources trust""".split()
)
# Nouns that head a source: people, organisations, and these (lowercase in "the mine operator said").
_MORE_SOURCES = frozenset(
    "management operator company board hospital commission party campaign association charity court "
    "judge jury club federation firm watchdog regulator coastguard guard service utility opposition "
    "coroner inquest inquiry audit auditor study survey review force monitor observatory network".split()
)
_SOURCE_HEADS = PERSON_WORDS | _ORG_WORDS | _MORE_SOURCES
_TRAILING_NP_JUNK = TIME_WORDS | AUXILIARIES | frozenset("also later earlier previously again repeatedly".split())
_MAX_SUBJECT_TOKENS = 14
_PASSIVE_AUX = frozenset("be been being is are was were".split())
_LEADING_STOPS = SPEECH_VERBS | frozenset(w for w, _ in _PHRASAL_SPEECH) | OPEN_QUOTES
_TRAILING_MARKS = CLOSE_QUOTES | {","}
_RELATIVE_PRONOUNS = frozenset("who which whose whom".split())  # ", who asked not to be named,"
_NOT_IN_SUBJECT = OPEN_QUOTES | CLOSE_QUOTES | {";", ":"}
_ENDS_SOURCE = OPEN_QUOTES | CLOSE_QUOTES | frozenset(",;:.!?")  # a trailing source is read up to these
# A sentence without one of these words has no attribution frame at all.
_FRAME_TRIGGERS = _LEADING_STOPS | SPEECH_PARTICIPLES | CLAIM_NOUNS | CITING_VERBS | frozenset({"according", "if"})
_INNER_FRAME_WORDS = SPEECH_PARTICIPLES | CLAIM_NOUNS | frozenset({"and", "but"})
# What each word can be in a frame (bit flags), keyed by lowercase form: a speech verb or
# quote that may start or end one, a mark a trailing frame may follow (a curly closing
# quote is "'" in lowercase form), a participle, claim noun or conjunction inside a sentence,
# or the start of a sentence-wide one ("if the report is true", "according to").
_STOP, _MARK, _INNER, _SENTENCE_WIDE = 1, 2, 4, 8


def _frame_word_kinds() -> dict[str, int]:
    kinds: dict[str, int] = {}
    for words, kind in (
        (_LEADING_STOPS, _STOP), (_TRAILING_MARKS | {"'"}, _MARK), (_INNER_FRAME_WORDS, _INNER),
        ({"if", "according"}, _SENTENCE_WIDE),
    ):
        for word in words:
            kinds[word] = kinds.get(word, 0) | kind
    return kinds


_FRAME_WORD_KINDS = _frame_word_kinds()
_EVIDENCE_NOUNS = frozenset("data figures estimates statistics information results calculations records".split())
_PUBLISHED = frozenset("published released issued compiled".split())
_DOCUMENT_NOUNS = frozenset("report study audit survey review analysis inquiry assessment findings".split())
_AUTHOR_RE = re.compile(
    r"^(?:(?:an?|the)\s+)?(?:(?:new|latest|own|recent|annual|internal|independent)\s+)*"
    r"(?:report|study|audit|survey|review|analysis|assessment|findings|statement|communiqué|bulletin|"
    r"press\s+release)\s+(?:by|from|of)\s+(?P<by>.+)$"
    r"|^(?:(?:an?|the|new|latest|official|monthly|provisional|preliminary|first|flash)\s+)*"
    r"(?:figures|data|statistics|estimates?|numbers|results|count)\s+"
    r"(?:(?:published|released|issued)\s+)?(?:from|by)\s+(?P<source>.+)$"
    r"|^(?P<owner>.+?)(?:'s|’s)\s+(?:(?:own|latest|new|annual|internal|official|market)\s+)*"
    r"(?:report|study|audit|survey|review|analysis|assessment|findings|data|figures|estimates|statistics|"
    r"records|monitors)$",
    re.IGNORECASE,
)


@bounded_cache(maxsize=4096)  # (a pure function of a source's name; the same names recur)
def _evidence_author(name: str | None) -> str | None:
    """A document or a body's figures stand for whoever wrote them: "A report by the national
    transport auditor" -> "the national transport auditor", "the agency's figures" -> "the agency"."""
    if not name:
        return name
    calling = _CALLING_ITSELF_RE.search(name)
    if calling:
        return calling.group(1)  # "A group calling itself Black Lantern" is Black Lantern
    match = _AUTHOR_RE.match(name)
    if not match:
        return name
    author = match.group("by") or match.group("source") or match.group("owner")
    if author:
        author = _WHEN_AFTER_AUTHOR_RE.sub("", author)  # "... auditor last spring"
    return author if author and author.lower() not in ("its", "their", "his", "her") else name


_CALLING_ITSELF_RE = re.compile(r"\b(?:calling|called|which\s+calls|that\s+calls)\s+(?:itself|themselves)\s+(.+)$",
                                re.IGNORECASE)
_WHEN_AFTER_AUTHOR_RE = re.compile(r"\s+(?:(?:last|this|earlier|in)\s+\w+|in\s+\d{4})$", re.IGNORECASE)


@dataclass(slots=True)
class Frame:
    """Attribution words at tokens[start:end] (excluded from content)."""

    start: int
    end: int
    claimant: str | None
    hedge: str | None
    scope: str  # "after" | "before" | "around" | "sentence"
    kind: str
    quotes: bool = False  # attributes a direct quotation
    own: bool = False  # hedged as the source's own account of the content (not for the source itself)
    text: str | None = None  # the attribution's words ("Police said"), the note of an own act (see own_act)


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
        ctx.seq += 1  # (ctx.next_seq(), without the call: one of these per sentence)
        self.seq = ctx.seq
        self.value, self.done = value, done

    def get(self) -> str | None:
        if not self.done:
            self.done = True
            raw, _ = sentence_subject(self.text, self.tokens, self.lo, self.hi)
            if raw and raw[-1].isdigit():
                raw = _AGE_AFTER_NAME_RE.sub("", raw)  # "Raymond Tull, 61" is Raymond Tull
            self.value = self.ctx.resolve(raw, before=self.seq) if raw else None
        return self.value


@dataclass(slots=True)
class SentenceFrames:
    frames: list[Frame]
    subject: LazySubject  # the sentence's grammatical subject, resolved on demand


@dataclass(slots=True)
class ArticleContext:
    # Sources and subjects named so far, newest last: (sequence number, (name, is_person) or
    # a LazySubject not yet worked out).
    entities: list[tuple[int, object]] = field(default_factory=list)
    claimants: list[str] = field(default_factory=list)
    people: set[str] = field(default_factory=set)  # surnames seen in full names
    organisations: set[str] = field(default_factory=set)  # names seen after a role ("grid operator Nordstrom Energi")
    paragraph: int = -1
    quote_speaker: tuple[str | None, str | None] | None = None  # (claimant, hedge) of an open quotation
    source_hedges: dict[str, str] = field(default_factory=dict)  # claimant key -> hedge, this paragraph
    own_hedges: set[str] = field(default_factory=set)  # those of source_hedges that are own accounts
    provisional: dict[str, str] = field(default_factory=dict)  # sources of preliminary figures, whole text
    paragraph_source: tuple[str, str] | None = None  # (claimant, words) of this paragraph's last attribution
    results_source: tuple[str, str, int] | None = None  # (claimant, words, paragraph) of preliminary results
    military: bool = False  # a sentence so far has named troops, weapons or the military
    author: frozenset = frozenset()  # words of the body issuing the text, when it is its own statement
    statement_by: str | None = None  # the last source said to speak "in a statement"
    seq: int = 0

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def start_sentence(self, paragraph: int) -> None:
        if paragraph != self.paragraph:
            self.paragraph = paragraph
            self.quote_speaker = None
            self.source_hedges = {}
            self.own_hedges = set()
            self.paragraph_source = None

    def remember(self, name: str | None, claimant: bool = False) -> None:
        if not name or name.lower() in SUBJECT_PRONOUNS:
            return
        person = self.is_person(name)
        words = name.split()
        if person and len(words) >= 2:
            self.people.add(words[-1])
        elif not person and len(words) >= 3 and (words[0][:1].islower() or words[0] in ("The", "A", "An")) \
                and len(self.organisations) < 50:
            # "grid operator Nordstrom Energi": the capitalised name after the role is an
            # organisation's, so "Nordstrom Energi says ... . It denied ..." can resolve "it"
            tail = []
            for word in reversed(words):
                if not word[:1].isupper():
                    break
                tail.append(word)
            if 2 <= len(tail) < len(words):
                self.organisations.add(" ".join(reversed(tail)))
        self.entities.append((self.next_seq(), (name, person)))
        if claimant:
            self.claimants.append(name)
        del self.entities[:-20], self.claimants[:-20]

    def full_name(self, claimant: str) -> str:
        """The fullest name this article gave a claimant known by its surname ("Dahl" -> "State
        Secretary Henrik Dahl"), else the claimant."""
        if " " in claimant:
            return claimant
        return next((n for n in reversed(self.claimants) if n != claimant and n.rsplit(None, 1)[-1] == claimant),
                    claimant)

    def remember_subject(self, subject: LazySubject) -> None:
        self.entities.append((subject.seq, subject))
        del self.entities[:-20]

    def is_person(self, name: str) -> bool:
        if name in self.organisations:
            return False
        words = name.split()
        return _is_person(name, words[-1] in self.people if words else False)

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
        if lower in ("it", "its"):
            # "it" is one thing: not "Eight officers" or "the protesters" named before
            return next((n for n, person in self._named(before) if not person and not _plural(n)), None)
        if lower in ("they", "their"):
            return next((n for n, person in self._named(before) if not person), None)
        first, _, rest = lower.partition(" ")
        if first in ("its", "their") and rest and rest.count(" ") <= 2:
            # "Its market monitors": the monitors of the organisation named before
            owner = next((n for n in reversed(self.claimants) if not self.is_person(n)), None)  # a source
            if owner:
                return f"{owner}'s {name.split(' ', 1)[1]}"
        words = lower.split()
        if 2 <= len(words) <= 4 and words[0] == "the":
            # "the commission", "the electoral board": a source named in full before
            named = frozenset(words[1:])
            for earlier in reversed(self.claimants):
                if named <= _lower_words(earlier) and earlier.lower() != lower:
                    return earlier
            if len(words) == 2 and words[1] in ("statement", "communiqué") and self.statement_by:
                return self.statement_by  # "according to the statement": the statement someone was said to make
            if len(words) == 2 and words[1] in ANAPHORIC_SOURCE_NOUNS and self.claimants \
                    and not self.is_person(self.claimants[-1]):
                return self.claimants[-1]  # (not "the governor said ... | the agency said": no agency)
            if words[-1] in _COMPANY_NOUNS:
                # "the company", "the grid operator": the company named before (Holvik Motors,
                # Skerrow Fishing Ltd), read from its name
                company = next((n for n, person in self._named(before)
                                if not person and (_has_proper_name(n) or named <= _lower_words(n))
                                and not _COMPANY_MARKERS.isdisjoint(_lower_words(n))), None)
                # (a name or the same description, not "The bank" before "the insurer": another firm)
                if company:
                    return company
        return name

    def named(self, claimant: str) -> str:
        """The name to show for a claimant the rules know by a description: "company" ->
        "Medivale" (a firm named without a marker such as Ltd: the last source with a proper name
        that is no person, public body, outlet or charity), "auditors" -> "National Audit Office".
        Only for display: the hedging rules read the description, which says what kind of source
        it is."""
        # (what the pattern matches says "spokes...", which lowercased contains "poke": a plain
        # test first, for the many claimants that are no spokesperson)
        lowered = claimant.lower()
        spoke = _SPOKESPERSON_RE.match(claimant) if "poke" in lowered else None
        if spoke and (spoke.group("body") or spoke.group("for")):
            # "a ministry spokesman", "a spokeswoman for the ombudsman": the body they speak for
            claimant = (spoke.group("body") or spoke.group("for")).strip()
            lowered = claimant.lower()
        words = lowered.split()
        if len(words) == 2 and words[0] == "same":
            # "the same office", "the same report": the last source named with that noun
            return next((n for n in reversed(self.claimants)
                         if words[1] in _lower_words(n) and not n.lower().startswith(("same", "the same"))), claimant)
        if not words or len(words) > 2 or claimant[:1].isupper() and words[0] != "the":
            return claimant
        last = words[-1]
        if last in _FIRM_NOUNS and len(words) == 1:  # (not "rail operator": a kind of its own)
            # (a one-word name is a firm's unless a full name gave it as a surname: "Dravenna", not "Dahl")
            return next((n for n in map(clean_claimant, reversed(self.claimants)) if n and n[:1].isupper()
                         and all(w[:1].isupper() for w in n.split()) and not n.split()[0].lower() in _COUNTING_WORDS
                         and (" " not in n or not _COMPANY_MARKERS.isdisjoint(_lower_words(n)))
                         and not (self.is_person(n) and (" " in n or n in self.people))
                         and not _is_institution(n) and not is_second_hand(n) and not _is_observer(n)
                         and n.split()[0] not in ("The", "A", "An")), claimant)
        if last in _BODY_BY_MEMBERS:
            stem = _BODY_BY_MEMBERS[last]
            return next((n for n in reversed(self.claimants) if any(
                w[:1].isupper() and w.lower().startswith(stem) for w in n.split())), claimant)
        return claimant


@bounded_cache(maxsize=4096)
def _plural(name: str) -> bool:
    """A counted or plural common noun phrase ("Eight officers", "the protesters", "300 fans"),
    which "it" cannot stand for (a name such as "Kelsford Police" or "Reuters" can)."""
    words = name.split()
    last = words[-1]
    if last[:1].isdigit() or len(words) == 1 and last.lower() in _COUNTING_WORDS:
        return True  # a bare count ("21", "Twelve") as the subject: people, not an "it"
    if last[:1].isupper() or not last.endswith("s") or last.endswith(("ss", "us", "is")):
        return False
    first = words[0].lower()
    return first[:1].isdigit() or first in _COUNTING_WORDS or len(words) <= 3


_COUNTING_WORDS = frozenset(
    "the these those some many several most all both two three four five six seven eight nine ten eleven "
    "twelve dozens hundreds thousands".split()
)


_COMPANY_NOUNS = frozenset(
    "company firm carmaker operator airline bank club group insurer retailer lender manufacturer utility "
    "owner owners brewer producer supplier chain".split()
)
_SPOKESPERSON_RE = re.compile(
    r"(?:an?|the)[ \t]+(?:(?P<body>(?-i:[a-z][\w’'-]*)(?:[ \t]+(?-i:[a-z][\w’'-]*)){0,2})[ \t]+)?"
    r"spokes(?:man|woman|person)(?:[ \t]+for[ \t]+(?:the[ \t]+)?(?P<for>[\w’' -]{2,60}))?$",
    re.IGNORECASE,
)
# (the company nouns that name a firm of no particular kind: not "the bank", "the club", "the group")
_FIRM_NOUNS = _COMPANY_NOUNS - frozenset("bank club group insurer owner owners chain".split())
_BODY_BY_MEMBERS = {"auditors": "audit", "inspectors": "inspect", "regulators": "regulat"}
_COMPANY_MARKERS = frozenset(
    "motors railways railway lines ltd ltd. inc inc. sa ag plc corp corp. group bank airlines airways fishing "
    "holdings energy telecom data systems limited llc co co. gmbh nv bv spa industries foods shipping fc afc "
    "hotels resorts pharmaceuticals pharma technologies labs networks stores brands logistics mining steel "
    "insurance petroleum chemicals quarries engineering".split()
)
_COMPANY_WORDS = (_COMPANY_NOUNS | _COMPANY_MARKERS) - {"club", "owner", "owners", "data", "group", "utility"}


@bounded_cache(maxsize=4096)
def _bare_words(claimant: str) -> frozenset[str]:
    """A source's words, lowercased, without the punctuation around them."""
    return frozenset(w.strip(".,’'").lower() for w in claimant.split())


@bounded_cache(maxsize=4096)
def _source_words(claimant: str) -> frozenset[str]:
    """A source's words as _bare_words, with a possessive 's taken off ("Commissioner's" -> commissioner)."""
    return frozenset(w.removesuffix("’s").removesuffix("'s") for w in _bare_words(claimant))


@bounded_cache(maxsize=4096)
def _lower_words(name: str) -> frozenset[str]:
    return frozenset(name.lower().split())


@bounded_cache(maxsize=4096)
def _is_person(name: str, known_surname: bool) -> bool:
    words = [w.strip(".,()").lower() for w in name.split()]
    if words[-2:] == ["general", "staff"]:
        return False  # "Dovrenia's general staff": the army's command, not a general
    if any(w in PERSON_WORDS for w in words):
        return True
    if any(w in _ORG_WORDS or w in _COMPANY_MARKERS for w in words) or OUTLET_NAMES_RE.search(name) \
            or COUNTRY_OR_CAPITAL_RE.search(name):
        return False  # ("Holvik Motors", "Skerrow Fishing Ltd": companies)
    if known_surname:
        return True
    if name.endswith(("s'", "s’")):
        return False  # "Nurses' starting salaries": a plural possessive, not a name
    capitalised = [w for w in name.split() if w[:1].isupper()]
    return bool(capitalised) and len(capitalised) == len(name.split()) and len(words) <= 3


# --- noun phrases ----------------------------------------------------------------------------


def _np_text(text: str, tokens: TokenList, lo: int, hi: int) -> str:
    """The words of tokens[lo:hi], leaving out relative clauses (", who asked not to be named,")."""
    if hi <= lo:
        return ""
    if "," not in tokens.texts[lo:hi]:  # the usual case: no relative clause to leave out
        return text[tokens.starts[lo]:tokens.ends[hi - 1]].strip(" ,")
    texts, lows = tokens.texts, tokens.lows
    parts: list[tuple[int, int]] = []
    i = lo
    seg_start = lo
    while i < hi:
        if texts[i] == "," and i + 1 < hi and lows[i + 1] in _RELATIVE_PRONOUNS:
            if i > seg_start:
                parts.append((seg_start, i))
            j = i + 1
            while j < hi and texts[j] != ",":
                j += 1
            i = seg_start = j + 1
            continue
        i += 1
    if seg_start < hi:
        parts.append((seg_start, hi))
    return ", ".join(text[tokens.starts[a]:tokens.ends[b - 1]] for a, b in parts if a < b).strip(" ,")


_LEADING_CONJUNCTION_RE = re.compile(r"^(?:(?:and|but|while|whereas|although|though|as|yet|when|with)\s+)+",
                                     re.IGNORECASE)


def _has_proper_name(name: str) -> bool:
    """Does ``name`` hold a proper name ("Holvik Motors", "A group calling itself Greywater"), not
    only a description with a capital at the start of its sentence ("The bank")?"""
    words = name.split()
    if not words:
        return False
    first, rest = words[0], words[1:]
    return first[:1].isupper() and first not in ("The", "A", "An") or any(w[:1].isupper() for w in rest)


@bounded_cache(maxsize=4096)
def clean_claimant(name: str | None) -> str | None:
    """"Trump’s national security adviser, John Bolton" -> "John Bolton"; "the Pentagon" -> "Pentagon"."""
    if not name:
        return None
    name = name.strip(" ,;:“”\"").lstrip("-–—•*· ")  # (a bulleted line's "- ")
    calling = _CALLING_ITSELF_RE.search(name)
    if calling:
        name = calling.group(1)  # "A group calling itself Black Heron" is Black Heron
    parts = [p.strip() for p in name.split(",") if p.strip()]
    names = [p for p in parts if _is_proper_name(p)]
    if not names and len(parts) > 1 and (not parts[0][:1].isupper() or parts[0].split()[0] in ("The", "A", "An")):
        # "the state electricity company, Elcal": a one-word name in apposition to a description
        names = [p for p in parts[1:] if " " not in p and p[:1].isupper() and p not in _CALENDAR_WORDS]
    if len(parts) > 1 and names:
        name = names[0]
    elif parts:
        name = parts[0]
    name = _LEADING_CONJUNCTION_RE.sub("", name)  # "while organisers", "whereas the police"
    name = re.sub(r"^(?:the|The)\s+", "", name)
    name = re.sub(r"\s+(?:who|whose)\s.*$", "", name)  # "Two passengers who had been in the carriage"
    if (adverbs := _TRAILING_ADVERBS_RE.search(name, max(0, len(name) - 60))) is not None:
        name = name[:adverbs.start()]  # "The Ministry of the Interior categorically (denies)" (a bounded tail)
    return name or None


_TRAILING_ADVERBS_RE = re.compile(r"(?:[ \t]+(?:[a-z]+ly|also|again|now|still|today|yesterday))+$")


_CALENDAR_WORDS = frozenset(WEEKDAYS.split("|")) | frozenset(MONTHS.split("|"))


def _is_proper_name(part: str) -> bool:
    words = part.split()
    particles = {"al", "bin", "de", "van", "von", "der", "da", "du", "le", "la", "ibn", "abu"}
    return len(words) >= 2 and all(
        w[:1].isupper() or w.lower() in particles or w.lower().startswith(("al-", "el-")) for w in words
    )


def _plausible_subject(tokens: TokenList, lo: int, hi: int) -> bool:
    """A short noun phrase: no verb outside a comma-enclosed relative clause, no quotation."""
    if hi <= lo:
        return False
    texts, lows = tokens.texts, tokens.lows
    if lows[lo] in PREPOSITIONS or lows[lo] in SUBORDINATORS or texts[lo] in OPEN_QUOTES:
        return False
    count = 0
    i = lo
    while i < hi:
        word = texts[i]
        if word == "," and i + 1 < hi and lows[i + 1] in _RELATIVE_PRONOUNS:
            j = i + 1
            while j < hi and texts[j] != ",":
                j += 1
            if j >= hi:
                return False  # the relative clause runs into the verb: not a subject
            i = j + 1
            continue
        if lows[i] in ("who", "whose") and i > lo and texts[i - 1] != "," and hi - i <= 10 and count:
            # "Two passengers who had been in the fourth carriage (told ...)": a restrictive relative
            return not any(t in _NOT_IN_SUBJECT or t in ",." for t in texts[i:hi])
        if word in _NOT_IN_SUBJECT or (word == "." and not is_abbreviation_dot(tokens, i)):
            return False
        if lows[i] in ("calling", "called") and i > lo and i + 2 < hi and lows[i + 1] in ("itself", "themselves") \
                and texts[i + 2][:1].isupper():
            i += 2  # "A group calling itself Nightjar": the name it goes by
            continue
        if looks_like_verb(word) and lows[i] not in ("’s", "'s") and not (
                i > lo and i + 1 < hi and (lows[i] in _NOUN_LIKE_VERBS or lows[i - 1] in DETERMINERS)
                and texts[i + 1][0].isalpha()):
            # (but "the fire service", "the strike group": a noun before a noun; "the outgoing
            # government", "a retired general": after a determiner, a modifier of the noun)
            return False
        count += 1
        i += 1
    return 0 < count <= _MAX_SUBJECT_TOKENS


# Speech verbs that also take a plain object; followed by a figure or a determiner they do.
_OBJECT_VERBS = frozenset("added adds reported reports noted notes cited cites stated states".split())
_OBJECT_OPENERS = frozenset(
    "a an its their his her more nearly about almost over some at up record".split()
)
_NOUN_LIKE_VERBS = frozenset("fire strike hit launch control report cost run show use estimate total".split())


def _speech_verb(tokens: TokenList, i: int, hi: int) -> int | None:
    """End index of a speech verb starting at tokens[i] ("said", "points out"), else None."""
    lows = tokens.lows
    w = lows[i]
    if i + 1 < hi and (w, lows[i + 1]) in _PHRASAL_SPEECH:
        return i + 2
    if w in SPEECH_VERBS and tokens.texts[i][0].islower():
        if claims_lives(lows, i, hi):
            return None  # "avalanches have claimed nine lives": they took them, nobody said anything
        return i + 1
    return None


def _find_that(tokens: TokenList, j: int, hi: int, limit: int = 9) -> int | None:
    """Index after a "that" within a short prepositional run ("said in his speech on Sunday that")."""
    texts, lows = tokens.texts, tokens.lows
    for k in range(j, min(hi, j + limit)):
        if lows[k] == "that":
            return k + 1
        if texts[k] in ",;:." or texts[k] in OPEN_QUOTES or looks_like_verb(texts[k]):
            return None
    return None


def _trim_np_end(tokens: TokenList, lo: int, hi: int) -> int:
    texts, lows = tokens.texts, tokens.lows
    while hi > lo and (lows[hi - 1] in _TRAILING_NP_JUNK or texts[hi - 1] == ","):
        hi -= 1
    return hi


def _skip_intro(tokens: TokenList, pos: int, hi: int) -> int:
    """Past an introductory phrase ending in a comma ("Similarly,", "After X went to Y,")."""
    if pos >= hi:
        return pos
    first = tokens.lows[pos]
    if first in _INTRO_WORDS or first.endswith("ly") or first.endswith("ing") and first[0].isalpha() \
            and tokens.texts[pos][0].isupper():  # ("Writing on X, the minister said")
        texts = tokens.texts
        for k in range(pos + 1, min(hi, pos + 22)):
            if texts[k] == ",":
                return k + 1
            if texts[k] in ";:" or texts[k] in OPEN_QUOTES:
                break
    return pos


def sentence_subject(text: str, tokens: TokenList, pos: int, hi: int) -> tuple[str | None, int]:
    """The subject noun phrase of the main clause, and where it ends (its verb's index)."""
    pos = _skip_intro(tokens, pos, hi)
    if pos >= hi or tokens.texts[pos] in OPEN_QUOTES:
        return None, pos
    i = pos
    while i < hi and i - pos <= _MAX_SUBJECT_TOKENS:
        word = tokens.texts[i]
        if word == "," and i + 1 < hi and tokens.lows[i + 1] in _RELATIVE_PRONOUNS:
            j = i + 1
            while j < hi and tokens.texts[j] != ",":
                j += 1
            i = j + 1
            continue
        if tokens.lows[i] in ("calling", "called") and i + 2 < hi and tokens.lows[i + 1] in ("itself", "themselves") \
                and tokens.texts[i + 2][:1].isupper():
            i += 3  # "A group calling itself Black Heron posted ...": the name is part of the subject
            while i < hi and tokens.texts[i][:1].isupper():
                i += 1
            continue
        if looks_like_verb(word) or word in ";:" or word in OPEN_QUOTES or tokens.lows[i] in SPEECH_VERBS:
            break
        i += 1
    if i >= hi or i == pos or i - pos > _MAX_SUBJECT_TOKENS:
        return None, pos
    end = _trim_np_end(tokens, pos, i)
    if end <= pos:
        return None, pos
    return _np_text(text, tokens, pos, end), i


# --- hedges ----------------------------------------------------------------------------------


@bounded_cache(maxsize=4096)
def is_second_hand(claimant: str | None) -> bool:
    """An outlet, a report or unnamed sources: content from them is relayed second-hand."""
    if not claimant:
        return False
    if OUTLET_NAMES_RE.search(claimant):
        return True
    words = _source_words(claimant)
    if "news" in words:
        return True
    media = words & MEDIA_NOUNS
    if media and media <= _DOCUMENT_WORDS and _OWNED_RE.search(claimant):
        return False  # "the ministry’s annual readiness report", "a report by the audit office": its author's own
    if media == _PLURAL_DOCUMENT and _POSSESSED_RE.search(claimant):
        return False  # "the board’s annual reports": its own series (not "reports of fighting")
    # "the state news agency" relays; "the provincial public health agency" speaks for itself
    return bool(media - _AGENCY_WORDS) or bool(media) and not words.isdisjoint(("press", "wire", "state")) \
        and words.isdisjoint(_AGENCY_DOMAINS)  # (not "the state weather agency")


_AGENCY_WORDS = frozenset(("agency", "agencies"))
_AGENCY_DOMAINS = frozenset(
    "weather meteorological health environment environmental space nuclear energy food statistics statistical "
    "protection safety emergency civil medicines drug drugs water forestry geological seismological".split()
)
_RECEIVED_RE = re.compile(
    r"\W*(?:it|they|we)\s+(?:had|has|have)\s+(?:so\s+far\s+|already\s+)?(?:received|recorded|registered|logged|counted)\b",
    re.IGNORECASE,
)
_DOCUMENT_WORDS = frozenset(("report",))  # (one report with its author; "reports" of something are relayed)
_PLURAL_DOCUMENT = frozenset(("reports",))
_POSSESSED_RE = re.compile(r"[’']s\b|\bby\b", re.IGNORECASE)
# A record kept by somebody is no party acting: "according to the national rail register, the
# junction opened in 1962" is not the operator's account of its own services.
_RECORD_NOUNS = frozenset("register registry records database archive archives report reports yearbook".split())
_OWNED_RE = re.compile(r"[’']s\b|\bby\b|\bof\s+the\b", re.IGNORECASE)


# What a government did, as the subject of what a minister says: "the government's cap on fuel
# prices ...", "a crackdown on VAT fraud launched in January ...", "the programme had put ...",
# "our soldiers are ...", "62 percent of state schools ..." (not "inflation fell", "private
# employers hired", "Iran had expanded", "Iran's nuclear programme": the country's figures or
# another party's acts)
_MINISTERS_OWN_RE = re.compile(
    r"[\W]*(?:(?![\w.-]*[’']s\b)[\w,.’'-]+[ \t]+){0,4}?(?i:government|government’s|government's|ministry|state|programme|scheme|"
    r"subsidy|subsidies|crackdown|increase|cut|reform|our|we)\b"
)


def own_account(claimant: str | None, content: str) -> bool:
    """A party describing its own action ("Tehran said the Iranian-made missiles ...",
    "the ministry said its air force ...")."""
    if not claimant:
        return False
    if "minister" in _source_words(claimant) and not TOLL_RE.search(content) \
            and (_OWN_ARM_RE.match(content) is not None or _MINISTERS_OWN_RE.match(content) is not None):
        # A minister speaks for the government: what the minister says the government, its
        # programme or its forces did is its own account ("Housing Minister ... said the programme
        # had completed 14,600 homes"; the tuning labels hedge 43 of 52 non-toll claims of
        # ministers, and the rest are the country's figures, "2.61 million people were in work").
        return True
    own_names, party_noun = _party(claimant)
    if own_names is not None and (own_names.search(content) or OWN_ACCOUNT_RE.search(content)):
        return True
    if party_noun and OWN_ACCOUNT_RE.search(content) is not None:
        return True
    # An institution on what its own people did or will do: "the interior minister said the army
    # had deployed ...", "the emergency service says 30 ambulances have been sent", "the
    # ministry says spending will rise".
    if _is_institution(claimant) and not _is_observer(claimant) and _OWN_ARM_RE.match(content) is not None \
            and not TOLL_RE.search(content):
        return True  # (an official giving a toll of their own people is not hedged for it)
    # Organisers counting their own event's crowd ("organisers said 15,000 people took part")
    if _ORGANISER_RE.search(claimant) is not None and _TURNOUT_RE.search(content) is not None:
        return True
    # A company on its own business: its results, sales, customers, payouts ("the bank said
    # revenue fell ...", "the airline said bookings ..."), not what befell others.
    if _is_company(claimant) and _BUSINESS_RE.search(content) is not None and not TOLL_RE.search(content):
        return True
    # A company on its own workforce, even in an accident ("Carrow Mining said 96 miners were on
    # the night shift ... 18 are unaccounted for", "the company said all 230 workers on the shift
    # have been accounted for"): who was at work and where is its own record
    if _is_company(claimant) and _STAFF_RE.search(content) is not None:
        return True
    # An organisation (not a person, not an aid agency or observer reporting what it found) on
    # what it did itself: "Nordnet said it has 2,300 engineers in the field".
    if _is_observer(claimant) or not (
            _is_institution(claimant) or _is_organisation(claimant) or _no_person_words(claimant)):
        return False  # (what the rest asks of the source, read from its name before searching the content)
    if _RECEIVED_RE.match(content) is not None:
        return False  # "it had received more than 7,000 complaints": what came to it, not what it did
    if _is_overseer(claimant):
        return False  # a regulator, panel or weather centre on what it found or was told
    self_ = _SELF_RE.match(content) or _THAT_SELF_RE.search(content)
    # ("Halvorsen Marine said it had hired 280 welders": "it" says the source is not a person;
    # not a regulator, panel or weather centre on what it found or was told)
    return self_ is not None and not _is_observer(claimant) and (
        _is_institution(claimant) or _is_organisation(claimant)
        or _IT_RE.match(content, self_.start()) is not None and _no_person_words(claimant))


# A sentence that goes on with an organisation's account by its pronoun: "It has sent 150
# wardens", "It has 1,200 line workers on standby" (not "It was the worst storm", "It is
# unclear", "It has taken 60 firefighters 12 hours", "It destroyed 40 homes": "it" may be the
# storm or stand for nothing; nor "Its front measured 400 metres").
_IT_GOES_ON_RE = re.compile(r"it[ \t]+(?:had|has)[ \t]+(?!been\b|to\b|not\b|no\b|taken\b)", re.IGNORECASE)


def goes_on_by_pronoun(claimant: str, content: str) -> tuple[bool, bool]:
    """(Is ``content``, a sentence without attribution opening with "it has", the
    organisation ``claimant`` of the sentence before going on? Is it its own account?)"""
    if _IT_GOES_ON_RE.match(content) is None or not _no_person_words(claimant) or _is_person(claimant, False):
        return False, False
    return True, own_account(claimant, content)


# "Police said 19 were arrested. | Officers also seized 40 flares.": the source's own people,
# named as the sentence's subject, go on with its account
_OWN_PEOPLE_OPENER_RE = re.compile(r"(?:police|officers|police[ \t]+officers)[ \t]+(?:also[ \t]+)?[a-z]+ed\b",
                                   re.IGNORECASE)


def goes_on_by_own_people(claimant: str, content: str) -> bool:
    """Is ``content`` (a sentence without attribution) the police source ``claimant`` of the
    sentence before going on, its officers as the subject ("Officers also seized 40 flares")?"""
    return _OWN_PEOPLE_OPENER_RE.match(content) is not None and _is_law_enforcement(claimant)


@bounded_cache(maxsize=4096)
def _no_person_words(claimant: str) -> bool:
    return _bare_words(claimant).isdisjoint(PERSON_WORDS)


def own_act(claimant: str | None, clause: str) -> bool:
    """A source on its own action, read in the one clause that carries the claim (not in the
    rest of the sentence): the police on their arrests, a ministry on the government's scheme,
    an ambulance or fire service on its crews, a company on a breach of its own systems, an
    operator on its services, a movement on its march's turnout. Never a toll."""
    if not claimant or not _may_report_own_acts(claimant) or TOLL_RE.search(clause) \
            or claimant.rsplit(None, 1)[-1].lower() in _RECORD_NOUNS:
        return False  # (each case below needs a source of its kind: most sources are none of them)
    # (Below, the clause is known to name no toll: TOLL_RE need not be searched again.)
    # A minister or ministry on the government's own programme, scheme or spending ("the finance
    # minister said 23,000 families had bought a home with help from the government's scheme",
    # "the ministry said the real overrun was 840 million").
    if _is_government_voice(claimant) and _GOVERNMENT_ACT_RE.search(clause) is not None:
        return True
    # The police and prosecutors on their own arrests, charges and releases ("police said 19
    # people were arrested", "prosecutors said 14 were released without charge").
    if _is_law_enforcement(claimant) and _CUSTODY_RE.search(clause) is not None:
        return True
    # An ambulance service on the people its crews treated or took to hospital ("the ambulance
    # service said it had treated 17 people"): its own action, not a toll.
    if is_medical_service(claimant) and TREATED_RE.search(clause) is not None:
        return True
    # A company or agency on a breach of its own systems ("the hotel chain said hackers had
    # accessed the details of 2.3 million guests", "its central database had not been affected").
    if _is_breached_party(claimant) and (
            _BREACH_RE.search(clause) is not None or _DATA_BREACH_RE.search(clause) is not None):
        return True
    # A fire or rescue service on its own firefighting ("130 firefighters were involved", "the
    # fire is under control", "its teams lifted 64 people from roofs").
    if _is_fire_service(claimant) and _FIREFIGHTING_RE.search(clause) is not None:
        return True
    # An operator on its own services ("the rail operator said 1,100 trains were cancelled", "the
    # airline said it had grounded 40 aircraft", "power has been restored to 180,000 homes").
    if _is_operator(claimant) and _OPERATIONS_RE.search(clause) is not None:
        return True
    # A union, federation, alliance or party on its own march's turnout ("the confederation said
    # 70,000 had marched")
    if _is_movement(claimant) and _TURNOUT_RE.search(clause) is not None:
        return True
    return False


# An officer of a body on what that body did: "State Secretary Henrik Dahl said the ministry had
# already raised the budget", "chief executive Pieter Maas said the company had found no
# evidence", "Governor Irina Vos said the bank had sold 1.1 billion euros". The body's noun must
# be the one the title belongs to (a minister on "the company" speaks of a contractor), and the
# title must be in the name the article gave (an analyst or a critic on "the ministry" reports).
_BODIES_BY_TITLE = {
    "minister": "ministry government", "secretary": "ministry government", "premier": "government",
    "chancellor": "government", "executive": "company group firm bank airline", "ceo": "company group firm bank",
    "chairman": "company group firm bank club board", "chairwoman": "company group firm bank club board",
    "governor": "bank", "mayor": "council city municipality", "commander": "army navy force forces",
    "superintendent": "police force", "commissioner": "police force commission",
}
_TITLE_BODY_RE = {
    title: re.compile(r"\W*(?:that[ \t]+)?the[ \t]+(?:[a-z-]+[ \t]+)?(?:" + "|".join(bodies.split()) + r")(?:[’']s)?\b",
                      re.IGNORECASE)
    for title, bodies in _BODIES_BY_TITLE.items()
}


# An estimate put on something: "police put the crowd at 6,500", "the council estimated the
# damage at 85,000 euros" (the noun group is what is counted or measured)
# (The pattern "\b(?:puts?|putting|estimated?|estimates|estimating)\s+..." with re.IGNORECASE,
# written as word_search writes one, which it cannot here for the named group: opening with the
# class of the first letters (no other character matches "p" or "e" case-blind), so that search
# skips to the next "p" or "e" in a fast scan instead of trying the verbs at every character;
# the lookbehinds then test the word boundary and pick the verb by its first letter.)
PUT_AT_RE = re.compile(
    r"[pPeE](?<!\w\w)(?i:(?<=p)(?:uts?|utting)|(?<=e)(?:stimated?|stimates|stimating))"
    r"(?i:\s+(?:the|its|their)\s+(?:[\w-]+\s+){0,2}?(?P<noun>\w+)\s+at\b)"
)


def speaks_for_own_body(full_name: str | None, clause: str) -> bool:
    """Does the person ``full_name`` (with the title the article gave them) tell of what their own
    body did, in ``clause`` (the claim from its attribution on)?"""
    if not full_name:
        return False
    words = full_name.lower().replace("-", " ").split()
    if _TITLE_BODY_RE.keys().isdisjoint(words):
        return False  # no title of a body's officer (most names: decided before searching the clause)
    if TOLL_RE.search(clause) or PUT_AT_RE.search(clause):
        return False  # (an official giving a toll, or the body's estimate of a damage, is not its act)
    if not _NOT_GOVERNMENT_WORDS.isdisjoint(words):
        return False  # "the shadow chancellor said the government's scheme ...": the other side's
    for word in words:
        pattern = _TITLE_BODY_RE.get(word)
        if pattern is not None and pattern.match(clause) is not None:
            return True
    return False


@bounded_cache(maxsize=4096)
def _may_report_own_acts(claimant: str) -> bool:
    """Is the source of a kind own_act looks at (decided from the name alone, before any search)?"""
    return _is_government_voice(claimant) or _is_law_enforcement(claimant) or is_medical_service(claimant) \
        or _is_breached_party(claimant) or _is_fire_service(claimant) or _is_operator(claimant) \
        or _is_movement(claimant)


# "four in ten mothers", "nine out of 10 respondents" (not "Police in Korvath": a place)
_SMALL_NUMBERS = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + "|a)"
_SHARE_SUBJECT_RE = re.compile(
    r"(?:about|some|nearly|almost|over|more[ \t]+than|fewer[ \t]+than|less[ \t]+than|just[ \t]+under|just[ \t]+over)?[ \t]*"
    r"(?:\d[\d.,]*[ \t]*(?:%|percent\b|per[ \t]+cent\b)|(?:\d+|" + _SMALL_NUMBERS + r")[ \t]+(?:in|out[ \t]+of)[ \t]+"
    r"(?:\d+|" + _SMALL_NUMBERS + r")\b)",
    re.IGNORECASE,
)
_OVERSEER_WORDS = frozenset(
    "centre center panel tribunal supervisory institute weather meteorological statistics statistical".split()
)


@bounded_cache(maxsize=4096)
def _is_overseer(claimant: str) -> bool:
    words = _source_words(claimant)
    return not words.isdisjoint(_NOT_BREACHED_WORDS) or not words.isdisjoint(_OVERSEER_WORDS)


# "... said the gearbox problem had been solved and that it had delivered 12 vehicles"
_IT_ACTED = (r"(?:it[ \t]+(?:had|has)[ \t]+(?:(?:so[ \t]+far|already|now|also|since|just|[a-z]+ly)[ \t]+)?(?!been\b|to\b)[a-z]+"
             r"|it[ \t]+(?:had|has)[ \t]+(?:(?:about|some|more[ \t]+than|over|nearly|almost|only)[ \t]+)?\d|its[ \t])")
_THAT_SELF_RE = word_search([r"and[ \t]+that[ \t]+" + _IT_ACTED])
# "it had hired", "its engineers": an organisation's own act (not "it would cost", "it took 40 minutes")
_IT_RE = re.compile(r"[\W]*(?:and[ \t]+that[ \t]+)?" + _IT_ACTED, re.IGNORECASE)


@bounded_cache(maxsize=4096)
def is_a_side(claimant: str) -> bool:
    """Can ``claimant`` be one side of a dispute whose accounts a disclaimer doubts together
    ("could not confirm either side's account"): not an observer, an aid agency, a regulator or
    panel, an outlet or a report relaying it, nor a hospital or its doctors counting the dead and
    wounded brought to them?"""
    return not (_is_observer(claimant) or _is_overseer(claimant) or is_second_hand(claimant)
                or not _bare_words(claimant).isdisjoint(_MEDICAL_WITNESS_WORDS))


_MEDICAL_WITNESS_WORDS = frozenset("hospital hospitals doctor doctors dr surgeon surgeons medics morgue clinic".split())


@bounded_cache(maxsize=4096)
def _is_observer(claimant: str) -> bool:
    return not _bare_words(claimant).isdisjoint(_AID_WORDS)


@bounded_cache(maxsize=4096)
def _is_organisation(claimant: str) -> bool:
    words = _bare_words(claimant)
    if not words.isdisjoint(_AID_WORDS) or not words.isdisjoint(PERSON_WORDS):
        return False  # aid agencies, observers and critics report; they do not give their own account
    return not words.isdisjoint(_COMPANY_MARKERS) or not words.isdisjoint(_ORG_WORDS) or (
        claimant[:1].isupper() and not _is_person(claimant, False))


@bounded_cache(maxsize=4096)
def _is_company(claimant: str) -> bool:
    words = _source_words(claimant)
    return words.isdisjoint(_AID_WORDS) and not words.isdisjoint(_COMPANY_WORDS)


_GOVERNMENT_VOICE_WORDS = frozenset("minister ministry government chancellor premier".split())
_NOT_GOVERNMENT_WORDS = frozenset("shadow opposition union unions".split())
# the government's own scheme, programme or crackdown (not "Iran's nuclear programme", "private
# employers hired"), its overrun, its own hiring, a state agency's acts
_GOVERNMENT_ACT_RE = word_search(
    [owner + r"[ \t]+(?:[\w-]+[ \t]+){0,3}?(?:scheme|programme|program|subsid(?:y|ies)|crackdown)\b"
     for owner in (r"the[ \t]+government[’']s", r"the[ \t]+ministry[’']s", "our", r"the[ \t]+government")]
    + [who + r"[ \t]+(?:had|has|have)[ \t]+hired\b" for who in ("government", "ministry", "we")]
    + [r"overrun\b", r"state[ \t]+(?:export|agency|company|aid)\b"]
)


@bounded_cache(maxsize=4096)
def _is_government_voice(claimant: str) -> bool:
    words = _source_words(claimant)
    return not words.isdisjoint(_GOVERNMENT_VOICE_WORDS) and words.isdisjoint(_AID_WORDS) \
        and words.isdisjoint(_NOT_GOVERNMENT_WORDS)


_LAW_WORDS = frozenset("police policing officers prosecutors prosecutor prosecutor’s prosecutor's gendarmerie "
                       "constabulary force interior".split())
_CUSTODY_RE = word_search(
    word + r"\b(?<!\bno arrests)(?<!without arrests)"
    for word in (r"arrested", r"arrests", r"detained", r"detentions",
                 r"charged(?![ \t]+(?:customers|clients|users|fees|interest|\d))", r"released(?![ \t]+by\b)",
                 r"custody", r"fined", r"cautioned", r"remanded", r"dispersed", r"kettled", r"investigation",
                 r"on[ \t]+suspicion", r"held[ \t]+for[ \t]+questioning", r"seized", r"confiscated", r"recovered")
)


@bounded_cache(maxsize=4096)
def _is_law_enforcement(claimant: str) -> bool:
    return not _bare_words(claimant).isdisjoint(_LAW_WORDS)


_OPERATIONS_RE = word_search(
    word + r"\b" for word in (
        "cancell?ed suspended restored resumed grounded diverted rerouted replacement reopened "
        "running carrying carried inspected renewed maintained serviced upgraded").split()
)
_OPERATOR_WORDS = frozenset("operator operators airline airlines railway railways rail utility grid lines ferries "
                            "airport energi energy power bahn".split())


@bounded_cache(maxsize=4096)
def _is_operator(claimant: str) -> bool:
    words = _source_words(claimant)
    return (not words.isdisjoint(_OPERATOR_WORDS) or _is_company(claimant)) and not _is_observer(claimant) \
        and words.isdisjoint(_NOT_BREACHED_WORDS) and words.isdisjoint(_NOT_OPERATOR_WORDS)


# a body named after a trade is no operator ("International Energy Agency", "Rail Accident
# Investigation Branch", "the rail union")
_NOT_OPERATOR_WORDS = frozenset("agency office branch investigation union unions association group federation "
                                "institute workers staff employees passengers residents".split())


_FIRE_SERVICE_WORDS = frozenset("fire brigade brigades firefighters rescue".split())
_FIREFIGHTING_RE = word_search(
    word + r"\b" for word in (
        "firefighters", r"fire[ \t]?fighters", "crews", "engines", "teams", r"under[ \t]+control", "contained",
        "extinguished", "rescued", "freed", "lifted", "evacuated", "airlifted")
)


@bounded_cache(maxsize=4096)
def _is_fire_service(claimant: str) -> bool:
    words = _source_words(claimant)
    if _is_observer(claimant):
        return False  # ("the German Red Cross rescue service": an aid agency reporting what it did)
    return not words.isdisjoint(_FIRE_SERVICE_WORDS) and ("service" in words or "brigade" in words
                                                          or "brigades" in words or "department" in words) \
        or {"civil", "protection"} <= words or "emergency" in words and not words.isdisjoint(_EMERGENCY_BODIES)


_EMERGENCY_BODIES = frozenset("service services agency authority management centre center".split())


_MEDICAL_WORDS = frozenset("ambulance ambulances paramedics paramedic".split())
TREATED_RE = word_search(
    [word + r"\b" for word in ("treated", "treating", "transported", "airlifted")]
    + [verb + r"(?:[ \t]+[\w’'-]+){0,4}?[ \t]+to[ \t]+hospitals?\b" for verb in ("taken", "took", "brought", "ferried")]
)


@bounded_cache(maxsize=4096)
def is_medical_service(claimant: str) -> bool:
    """An ambulance service or an emergency medical service (not a medical charity or a hospital)."""
    lower = claimant.lower()
    return (not _bare_words(claimant).isdisjoint(_MEDICAL_WORDS)
            or "medical service" in lower) and not _is_observer(claimant)


_BREACHED_THINGS = "data records details files numbers database servers? accounts systems?".split()
_BREACH_RE = word_search(
    [word + r"\b" for word in ("hack(?:ers?|ed|ing)?", "attackers", "intrusion", "ransomware", "cyber[ -]?attack",
                                "cyberattack")]
    + [verb + r"\b[^.;]{0,60}\b(?:" + "|".join(_BREACHED_THINGS) + r")\b"
       for verb in ("stolen", "stole", "accessed", "copied", "leaked", "compromised")]
    + [thing + r"\b[^.;]{0,60}\b(?:stolen|accessed|copied|leaked|compromised|affected)\b" for thing in _BREACHED_THINGS]
)
# a breach of systems, not of a dam: "the breach affected the records of ...", "data breach"
_DATA_BREACH_RE = word_search(
    [thing + r"\b[^.;]{0,60}\bbreach(?:ed|es)?\b" for thing in ("data", "records", "systems?", "servers?", "files",
                                                                 "database")]
    + [r"breach(?:ed|es)?\b[^.;]{0,140}\b(?:data|records|systems?|servers?|files|database|customers|details)\b"]
)
_NOT_BREACHED_WORDS = frozenset(
    "protection regulator regulators commissioner commission authority watchdog researcher researchers expert "
    "experts analyst analysts police prosecutors prosecutor cybersecurity security insurance insurer".split()
)


@bounded_cache(maxsize=4096)
def _is_breached_party(claimant: str) -> bool:
    words = _source_words(claimant)
    return words.isdisjoint(_NOT_BREACHED_WORDS) and not _is_observer(claimant) and (
        _is_company(claimant) or _is_institution(claimant) or _is_organisation(claimant))


_MOVEMENT_WORDS = frozenset(
    "union unions federation confederation alliance party movement association".split())
_NOT_MOVEMENT_WORDS = frozenset("european eu african soviet".split())  # ("The European Union said 4,000 gathered")


@bounded_cache(maxsize=4096)
def _is_movement(claimant: str) -> bool:
    words = _source_words(claimant)
    return not words.isdisjoint(_MOVEMENT_WORDS) and words.isdisjoint(_LAW_WORDS) and not _is_observer(claimant) \
        and words.isdisjoint(_NOT_MOVEMENT_WORDS)


_ORGANISER_RE = word_search([r"organi[sz]ers?\b"])


def counts_own_event(claimant: str) -> bool:
    """Organisers, or a union, federation or party that called the protest: an estimate they put
    on it ("the union put the number at more than 3,000") is their own event's count."""
    return _ORGANISER_RE.search(claimant) is not None or _is_movement(claimant)


_TURNOUT_RE = word_search(
    word + r"\b" for word in (
        r"took\s+part taken\s+part take\s+part marched attended joined turned\s+out gathered rallied "
        r"demonstrated protested crowd turnout participants marchers protesters demonstrators").split()
)
_BUSINESS_RE = word_search(
    word + r"\b" for word in (
        r"its revenues? sales profits? loss losses earnings turnover deliveries dividends? bookings orders "
        r"compensation invested investment set\s+aside passengers").split()
)


_STAFF_RE = word_search(word + r"\b" for word in "workers miners employees staff crew".split())


_AID_WORDS = frozenset(
    "red cross crescent programme program unicef unhcr who charity aid relief monitors monitor observers "
    "watch rights amnesty oxfam ngo mission refugee un united nations doctors médecins msf "
    "auditors auditor audit inspectors inspector regulator watchdog court judge coroner opposition "
    "councillors critics residents witnesses analysts fiscal".split()
)


@bounded_cache(maxsize=4096)
def _is_institution(claimant: str) -> bool:
    words = _bare_words(claimant)
    return not words.isdisjoint(_INSTITUTION_WORDS)


_INSTITUTION_WORDS = PARTY_WORDS | frozenset(
    "minister ministry service services operator management police council commission authority "
    "department office company firm club railways railway motors airline airlines utility carmaker "
    "ltd inc plc sa ag corp board lines".split()
)
# An institution speaking of itself: "(the company said) it had spent ...", "the club had sold
# ...", "its engineers ...". (A quoted "we" is left to the speaker's own frame.)
_SELF_RE = re.compile(
    r"[\W]*(?:it\s+(?!(?:is|was)\s+(?:not\s+)?(?:clear|unclear|likely|unlikely|possible|unknown)\b)"
    r"|its\s+|they\s+(?!(?:are|were)\s+(?:not\s+)?(?:clear|unclear|likely|unlikely|aware|unaware|unable)\b)|their\s+"
    r"|(?:the\s+)?(?:company|club|council|firm|operator|ministry|government|police|board)\s)",
    re.IGNORECASE,
)
# The subject of the content: an optional determiner, at most two words without a capital (an
# "Iranian" or "Coalition" force is another party's) and the institution's own people or plans.
TOLL_RE = word_search(word + r"\b" for word in "killed injured wounded hurt died dead missing".split())
_OWN_ARM_RE = re.compile(
    r"[\W]*(?:(?:The|A|An|Its|Their|Our|All)[ \t]+)?(?:[a-z0-9][\w,.’'-]*[ \t]+){0,3}?"
    r"(?i:army|police|rescuers|clinics|teams|crews|ambulances|government|ministry|spending|budget|deficit|"
    r"firefighters|guards|inspectors|engineers|staff|agents|patrols|officers|units|troops|soldiers|battalions|"
    r"brigades)\b"
)


@bounded_cache(maxsize=4096)
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
    if any(map(lowered.__contains__, _ANONYMITY_STEMS)):
        anonymous = ANONYMITY_RE.search(frame_text)
        if anonymous:
            return anonymous.group()
    if kind == "cite" or verb in CLAIM_VERBS or verb in WRITING_VERBS or verb in HEDGING_PARTICIPLES:
        return frame_text
    if is_second_hand(claimant):
        return frame_text
    if any(map(lowered.__contains__, _HEDGE_STEMS)) and HEDGE_WORD_RE.search(frame_text):
        return frame_text
    return None


_ANONYMITY_STEMS = ("anonym", "not to be", "authori")
_HEDGE_STEMS = ("claim", "purport", "alleg", "reportedly", "unverif", "unconfirm", "prelimin", "provision", "suppos")


# --- frames ----------------------------------------------------------------------------------


def find_frames(text: str, tokens: TokenList, lo: int, hi: int, ctx: ArticleContext) -> SentenceFrames:
    """Attribution frames of the sentence tokens[lo:hi], in order."""
    frames: list[Frame] = []
    subject = LazySubject(text, tokens, lo, hi, ctx)
    words = tokens.lows[lo:hi]
    if _FRAME_TRIGGERS.isdisjoint(words):
        return SentenceFrames(frames, subject)  # nothing attributes here

    # Where the marks, speech verbs, participles, "if" and "according" are, in one pass over
    # the sentence (a dictionary lookup per word); the rules below look at those only.
    texts = tokens.texts
    marks, stops, inner, sentence_wide = [], [], [], []
    kinds = list(map(_FRAME_WORD_KINDS.get, words))
    for k in compress(range(lo, hi), kinds):
        kind = kinds[k - lo]
        if kind & _STOP:
            stops.append(k)
        if kind & _MARK and k < hi - 1 and texts[k] in _TRAILING_MARKS:
            marks.append(k)
        if kind & _INNER and k > lo:
            inner.append(k)
        if kind & _SENTENCE_WIDE:
            sentence_wide.append(k)

    # Sentence-wide: conditionals and "according to".
    lows = tokens.lows
    if sentence_wide and any(lows[k] == "if" for k in sentence_wide):  # (most have none: no generator then)
        for match in CONDITIONAL_RE.finditer(text, tokens.starts[lo], tokens.ends[hi - 1]):
            a, b = _token_range(tokens, lo, hi, match.start(), match.end())
            if b < hi and texts[b] == ",":
                b += 1
            frames.append(Frame(a, b, None, match.group(), "sentence", "conditional"))
    for i in sentence_wide:
        if lows[i] == "according" and i < hi - 1 and lows[i + 1] == "to":
            frames.append(_according_frame(text, tokens, i, hi, ctx, lo))

    # Mid and trailing: ", Reuters reported", ",” he said in a statement", ",” said one member".
    # Only a mark with a speech verb (or quote) within reach can start one.
    for i in marks:
        k = bisect_right(stops, i)
        if k == len(stops) or stops[k] >= i + 16 or not (i > lo or texts[i] == ","):
            continue  # no speech verb within reach: the usual case, decided without a scan
        frame = _trailing_frame(text, tokens, i, lo, hi, frames, ctx)
        if frame and not any(f.start <= frame.start < f.end for f in frames):
            frames.append(frame)

    # Leading: "[intro,] [as X reported,] Subject [has] said [in ... ] [that|,]".
    pos = lo
    for _ in range(5):
        blocking = next((f for f in frames if f.start <= pos < f.end or f.start == pos), None) if frames else None
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
    leading = _leading_frame(text, tokens, pos, hi, ctx, stops)
    if leading and not any(leading.start <= f.start < leading.end for f in frames):
        frames.append(leading)
        if leading.kind != "cite":
            subject = LazySubject(text, tokens, lo, hi, ctx, leading.claimant, done=True)

    # Participles, continuations and claim nouns inside the sentence.
    for i in inner:
        word = tokens.lows[i]
        if frames and any(f.start <= i < f.end for f in frames):
            continue
        if word in SPEECH_PARTICIPLES:
            if i > lo and tokens.lows[i - 1] in GERUND_PREPOSITIONS:
                continue  # "accused the police of charging strikers": a gerund, not who said what
            frames.append(_participle_frame(text, tokens, i, lo, hi, subject, ctx, frames))
        elif word in ("and", "but") and i + 1 < hi:
            end = _speech_verb(tokens, i + 1, hi)
            if end is not None and tokens.lows[i + 1] not in WEAK_SPEECH_VERBS:
                frames.append(_continuation_frame(text, tokens, i, end, hi, frames, subject))
            else:
                k = bisect_right(stops, i + 1)
                if k < len(stops) and stops[k] <= i + 5:
                    frame = _coordinated_speaker(text, tokens, i, stops[k], hi, ctx)
                    if frame:
                        frames.append(frame)
        elif word in CLAIM_NOUNS and tokens.lows[i - 1] not in SUBJECT_PRONOUNS:
            frame = _claim_noun_frame(text, tokens, i, lo, hi, ctx)
            if frame:
                frames.append(frame)
    if tokens.lows[lo] in CLAIM_NOUNS and not any(f.start <= lo < f.end for f in frames):
        frame = _claim_noun_frame(text, tokens, lo, lo, hi, ctx)  # "Allegations ... that ..." opening the sentence
        if frame:
            frames.append(frame)
    if len(frames) > 1:
        frames.sort(key=_frame_order)
    _resolve_scopes(tokens, lo, hi, frames)
    return SentenceFrames(frames, subject)


def _frame_order(frame: Frame) -> tuple[int, int]:
    return frame.start, frame.end


def _token_range(tokens: TokenList, lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    a = next((k for k in range(lo, hi) if tokens.ends[k] > start), hi)
    b = next((k for k in range(a, hi) if tokens.starts[k] >= end), hi)
    return a, b


def _according_frame(text, tokens, i, hi, ctx, lo: int = 0) -> Frame:
    j = i + 2
    k = j
    while k < hi and k - j < 12:
        if is_abbreviation_dot(tokens, k):
            k += 1
            continue
        if tokens.texts[k] in ",;:.!?" or tokens.texts[k] in CLOSE_QUOTES or tokens.texts[k] in OPEN_QUOTES:
            break
        if tokens.lows[k] in ("which", "who", "that", "in", "on", "at", "when", "while", "as"):
            break
        k += 1
    author = None
    last = k - 1
    if last > j and tokens.lows[last] in _PUBLISHED:
        last -= 1  # "estimates published [on Tuesday by ...]"
    if k > j and tokens.lows[last] in _EVIDENCE_NOUNS | _DOCUMENT_NOUNS:
        # "according to provisional estimates published on Tuesday by the Crop Monitoring Unit":
        # the evidence speaks for whoever published it
        by = k
        while by < hi and by - k < 8 and tokens.texts[by] not in ",;:.!?" and tokens.lows[by] not in ("by", "from"):
            by += 1
        if by < hi and tokens.lows[by] in ("by", "from") and by + 1 < hi:
            m = by + 1
            while m < hi and m - by <= 8 and tokens.texts[m] not in ",;:.!?" and tokens.lows[m] not in (
                    "which", "who", "that", "in", "on", "at", "when", "while", "as"):
                m += 1
            if m > by + 1 and any(t[:1].isupper() for t in tokens.texts[by + 1:m]):
                author, k = (by + 1, m), m
    start = i - 1 if i > 0 and tokens.texts[i - 1] == "," else i
    end = k + 1 if k < hi and tokens.texts[k] == "," else k
    named = ctx.resolve(_np_text(text, tokens, j, k)) if k > j else None
    if author:
        claimant = ctx.resolve(_np_text(text, tokens, *author))
    else:
        claimant = ctx.resolve(_evidence_author(named)) if named else None
    if claimant and claimant.split()[-1].lower() in _EVIDENCE_NOUNS:
        claimant = None  # "according to preliminary data": evidence, not a source that asserts
    frame_text = text[tokens.starts[i]:tokens.ends[k - 1]] if k > i else "according to"
    # (a report cited second-hand keeps its distance, whoever wrote it)
    hedge = frame_text if (is_second_hand(claimant) or HEDGE_WORD_RE.search(frame_text)) else None
    own = None
    if hedge is None and claimant and not author and _is_institution(claimant):
        # "According to the police, officers used a water cannon": the source's own account (the
        # content is what follows a fronted frame, else what precedes it)
        a, b = (end, hi) if i <= lo + 1 else (lo, start)
        own = _own_hedge(text, tokens, claimant, a, b, frame_text)
    return Frame(start, end, claimant, hedge or own, "sentence", "according", own=own is not None, text=frame_text)


def _as_frame(text, tokens, pos, hi, ctx) -> Frame | None:
    """"as the Washington Post spelled out in a lead article Monday," (sentence-wide)."""
    if pos >= hi or tokens.lows[pos] != "as":
        return None
    for k in range(pos + 2, min(hi, pos + 9)):
        end = _speech_verb(tokens, k, hi)
        if end is None and k + 1 < hi and tokens.lows[k] == "put" and tokens.lows[k + 1] == "it":
            end = k + 2  # "as one official put it,"
        if end is not None:
            if not _plausible_subject(tokens, pos + 1, k):
                return None
            stop = end
            while stop < hi and stop - end < 12 and tokens.texts[stop] != ",":
                stop += 1
            claimant = ctx.resolve(_np_text(text, tokens, pos + 1, k))
            return Frame(pos, min(hi, stop + 1), claimant, _frame_hedge("as", tokens.lows[k], claimant,
                         text[tokens.starts[pos]:tokens.ends[end - 1]]), "sentence", "as")
    return None


_FRONTED_PARTICIPLES = frozenset("asked pressed questioned speaking responding writing interviewed".split())


def _leading_frame(text, tokens, pos, hi, ctx, stops: list[int]) -> Frame | None:
    """``stops``: the positions of the words in _LEADING_STOPS in the sentence, in order."""
    stop = min(hi, pos + 30)
    apposition = _subject_apposition(tokens, pos, stop)
    for k in stops[bisect_right(stops, pos):bisect_left(stops, stop)]:
        if apposition is not None and apposition[0] < k < apposition[1]:
            continue  # ("who asked not to be named because staff have been told ...": not the source's verb)
        if tokens.texts[k] in OPEN_QUOTES:
            return None
        end = _speech_verb(tokens, k, hi)
        if end is None:
            continue
        verb = tokens.lows[k]
        if k > pos and tokens.lows[k - 1] in _PASSIVE_AUX:
            return None  # "Two deaths have been reported": the subject is what was reported
        if end < hi and tokens.lows[end] in ("responsibility", "credit"):
            return None  # "claimed responsibility for ...": an attribution claim, not reported speech
        subj_end = apposition[0] if apposition is not None and k == apposition[1] + 1 else k
        while subj_end > pos and tokens.lows[subj_end - 1] in _TRAILING_NP_JUNK:
            subj_end -= 1
        if not _plausible_subject(tokens, pos, subj_end):
            return None
        if _SHARE_SUBJECT_RE.match(text, tokens.starts[pos], tokens.ends[subj_end - 1]):
            return None  # "58 percent of respondents said that ...", "four in ten mothers said": a survey's result
        if verb in CITING_VERBS:
            return _cite_frame(text, tokens, pos, subj_end, k, end, hi, ctx)
        content = end
        if content < hi and tokens.lows[content] == "that":
            content += 1
        elif content < hi and tokens.texts[content] in ",:":
            content += 1
        else:
            after_that = _find_that(tokens, content, hi)
            if after_that is not None:
                content = after_that
            elif verb in WEAK_SPEECH_VERBS and not (verb in _SHOWING_VERBS and _auxiliary_follows(tokens, content, hi)):
                return None  # (but "Ministry figures show 40 people have been arrested": a clause, no "that")
            elif verb in _OBJECT_VERBS and content < hi and (
                    tokens.texts[content][0].isdigit() or tokens.lows[content] in _OBJECT_OPENERS):
                return None  # "Employers added 142,000 jobs", "the company reported a loss": an object
            elif verb == "told" or verb == "tells":
                return None  # "told reporters ..." without "that": not reported content
        subj_start = pos
        if tokens.lows[pos] in _FRONTED_PARTICIPLES:
            # "Asked about her findings, she said ...": the subject follows the participle's clause
            comma = next((c for c in range(pos + 1, subj_end) if tokens.texts[c] == ","), None)
            if comma is not None and comma + 1 < subj_end:
                subj_start = comma + 1
        raw = _evidence_author(_np_text(text, tokens, subj_start, subj_end))
        claimant = ctx.resolve(raw)
        frame_text = text[tokens.starts[pos]:tokens.ends[end - 1]]
        hedge = _frame_hedge("speech", verb, claimant, text[tokens.starts[pos]:tokens.ends[content - 1]])
        quotes = content < hi and tokens.texts[content] in OPEN_QUOTES
        own = None if hedge or verb in _FINDING_VERBS else _own_hedge(text, tokens, claimant, content, hi, frame_text)
        return Frame(pos, content, claimant, hedge or own, "after", "speech", quotes, own=own is not None,
                     text=frame_text)
    return None


_APPOSITION_OPENERS = _RELATIVE_PRONOUNS | frozenset(("speaking",))


def _subject_apposition(tokens: TokenList, pos: int, stop: int) -> tuple[int, int] | None:
    """(opening comma, closing comma) of an apposition after the sentence's first noun phrase,
    before its verb: "A nurse at the clinic, | who asked not to be named because staff have been
    told not to speak to reporters, | said ...", "An officer, | speaking on condition of
    anonymity, | said ...". Else None. (Bounded: the first comma within ``stop``.)"""
    texts = tokens.texts
    # (list.index and set.isdisjoint scan in C: this runs for every sentence with a speech verb)
    try:
        c = texts.index(",", pos + 1, stop - 1)
    except ValueError:
        return None
    if tokens.lows[c + 1] not in _APPOSITION_OPENERS or not _NOT_IN_SUBJECT.isdisjoint(texts[pos + 1:c]):
        return None
    try:
        d = texts.index(",", c + 2, stop)
    except ValueError:
        return None
    return (c, d) if _NOT_IN_SUBJECT.isdisjoint(texts[c + 2:d]) else None


_SHOWING_VERBS = frozenset("show shows showed suggest suggests suggested indicate indicates indicated".split())
_CLAUSE_REACH = 6


def _auxiliary_follows(tokens: TokenList, k: int, hi: int) -> bool:
    """Does a clause start at tokens[k]: an auxiliary within a few words, before any mark ("40
    people have been arrested", not "a rise of 4 percent")? (Only auxiliaries: unlike
    sentences._finite_follows, a past-tense word such as "expected" in "2,140 more deaths than
    expected" makes no clause here.)"""
    for j in range(k, min(hi, k + _CLAUSE_REACH)):
        if not tokens.texts[j][:1].isalnum():
            return False
        if tokens.lows[j] in AUXILIARIES:
            return j > k
    return False


# "The council also found that spending had reached ...": what a body found on others, not its account
_FINDING_VERBS = frozenset("found finds concluded concludes".split())


def _own_hedge(text, tokens, claimant, a, b, frame_text) -> str | None:
    if a < b and own_account(claimant, text[tokens.starts[a]:tokens.ends[b - 1]]):
        return frame_text
    return None


def _cite_frame(text, tokens, pos, subj_end, k, end, hi, ctx) -> Frame | None:
    """"The newspaper cites James Jeffrey, ..., as stating that ..." -> claimant James Jeffrey."""
    for m in range(end + 1, min(hi - 1, end + 25)):
        if tokens.lows[m] == "as" and tokens.lows[m + 1] in SPEECH_PARTICIPLES | {"telling", "writing"}:
            content = m + 2
            if content < hi and tokens.lows[content] == "that":
                content += 1
            claimant = clean_claimant(_np_text(text, tokens, end, _trim_np_end(tokens, end, m)))
            hedge = text[tokens.starts[pos]:tokens.ends[end - 1]]
            return Frame(pos, content, claimant, hedge, "after", "cite")
    return None


def _trailing_frame(text, tokens, i, lo, hi, frames, ctx) -> Frame | None:
    """An attribution after a comma or closing quote: ", Reuters reported", ",” said X".

    The caller has checked that a speech verb (or quote mark) follows within 15 tokens."""
    j = i + 1
    quotes = tokens.texts[i] in CLOSE_QUOTES
    if j < hi and tokens.texts[j] in CLOSE_QUOTES:
        j += 1
        quotes = True
    if j >= hi:
        return None
    # Inverted: ",” said one senior PMF member." / ", writes Carnahan."
    end = _speech_verb(tokens, j, hi)
    if end is not None and tokens.lows[j] not in WEAK_SPEECH_VERBS and (
        quotes or tokens.lows[j] in ("said", "says", "writes", "wrote", "added", "adds")
    ):
        k = end
        while k < hi and (tokens.texts[k] not in ",.;!?" or is_abbreviation_dot(tokens, k)) and k - end < 10:
            k += 1
        if k == end or (k < hi and tokens.texts[k] not in ",.;!?"):
            return None
        if not _plausible_subject(tokens, end, k) or tokens.texts[end][0].isdigit():
            return None  # ", said 52 people were wounded": the verb opens the content, not a source
        if not quotes and not _looks_like_source(tokens, end, k):
            return None  # ", added a further 900 million": a verb and its object, no source
        claimant = ctx.resolve(_np_text(text, tokens, end, k))
        stop = hi if k >= hi or tokens.texts[k] in ".!?" else k
        return _finish_trailing(text, tokens, i, j, end, stop, lo, hi, claimant, frames, quotes, ctx)
    # Normal: ", Reuters reported", ",” US military spokesman Col. Sean Ryan said in a statement."
    texts, lows = tokens.texts, tokens.lows
    for k in range(j + 1, min(hi, j + 14)):
        word, low = texts[k], lows[k]
        if word == "." and is_abbreviation_dot(tokens, k):
            continue
        if word == "," and lows[j] == "the" and k - j <= 5:
            named = _apposition_name_then_verb(tokens, k, hi)
            if named is not None and _plausible_subject(tokens, j, k) and _looks_like_source(tokens, j, k):
                # ", the operator, Valley Rail, says.": the source by the name in apposition
                name_end, verb_end = named
                stop = verb_end
                while stop < hi and texts[stop] not in ",;.!?" and stop - verb_end < 14:
                    stop += 1
                if stop >= hi or texts[stop] in ".!?":
                    claimant = ctx.resolve(_np_text(text, tokens, k + 1, name_end))
                    return _finish_trailing(text, tokens, i, j, verb_end, stop, lo, hi, claimant, frames, quotes, ctx)
            return None
        if word in _ENDS_SOURCE:
            return None
        end = _speech_verb(tokens, k, hi) if low in _LEADING_STOPS else None  # (a cheap pre-check)
        if end is None:
            if looks_like_verb(word) and low not in _TRAILING_NP_JUNK and not (
                    low in _NOUN_LIKE_VERBS and k + 1 < hi and texts[k + 1][0].isalpha()):
                return None  # (but ", the fire service said": a noun before a noun)
            continue
        if low in WEAK_SPEECH_VERBS and low not in _TRAILING_WEAK or lows[k - 1] in _PASSIVE_AUX:
            return None
        subj_end = k
        while subj_end > j and lows[subj_end - 1] in _TRAILING_NP_JUNK:
            subj_end -= 1
        if not _plausible_subject(tokens, j, subj_end) or not _looks_like_source(tokens, j, subj_end) \
                or tokens.firsts[j].isdigit() and "than" in lows[j:subj_end]:
            return None  # (", 1.3 billion more than the ministry told parliament": a comparison, no source)
        # Tail: "in a statement", "on condition of anonymity", "Friday", "told reporters ...".
        stop = end
        while stop < hi and texts[stop] not in ",;.!?" and texts[stop] not in OPEN_QUOTES and stop - end < 14:
            if stop == end and not (
                tokens.lows[stop] in PREPOSITIONS or tokens.lows[stop] in TIME_WORDS
                or tokens.lows[stop] in _TELL_OBJECTS and low in ("told", "tells") or tokens.texts[stop][0].isupper()
            ) or lows[stop] == "that":
                # (", the governor said the number of dead ...", "..., he said on Friday that ...":
                # what follows is what was said, not the tail of a source)
                return None
            stop += 1
        if stop < hi and tokens.texts[stop] not in ",;.!?":
            return None
        claimant = ctx.resolve(_evidence_author(_np_text(text, tokens, j, subj_end)))
        return _finish_trailing(text, tokens, i, j, end, stop, lo, hi, claimant, frames, quotes, ctx)
    return None


def _apposition_name_then_verb(tokens: TokenList, comma: int, hi: int) -> tuple[int, int] | None:
    """(end of the name, end of the verb) for ", Valley Rail, says" at tokens[comma]: one to four
    capitalised words, a comma and a speech verb; else None."""
    texts = tokens.texts
    k = comma + 1
    while k < hi and k - comma <= 4 and texts[k][:1].isupper():
        k += 1
    if k == comma + 1 or k + 1 >= hi or texts[k] != ",":
        return None
    verb_end = _speech_verb(tokens, k + 1, hi)
    return None if verb_end is None else (k, verb_end)


def _finish_trailing(text, tokens, i, j, verb_end, stop, lo, hi, claimant, frames, quotes, ctx) -> Frame:
    verb = tokens.lows[verb_end - 1]
    frame_start = i if tokens.texts[i] == "," else i + 1
    frame_end = stop + 1 if stop < hi and tokens.texts[stop] == "," else stop
    at_end = frame_end >= hi or (
        hi - frame_end <= 3 and all(t in ".!?" or t in CLOSE_QUOTES for t in tokens.texts[frame_end:hi])
    )
    scope = "before"
    if not at_end:
        earlier = max((f.end for f in frames if f.end <= frame_start), default=lo)
        if not any(map(looks_like_verb, tokens.texts[max(earlier, frame_start - 40):frame_start])):
            scope = "around"  # "The Pentagon, the Journal reported, “has scaled back ...”"
        elif frame_end < hi and (tokens.lows[frame_end] in _CONTINUING_WORDS and (
                verb_end == stop or tokens.lows[frame_end] not in _APPOSITION_STARTS) or (
                tokens.texts[frame_end][0].islower() and tokens.lows[frame_end].endswith(("ed", "ing"))
                and looks_like_verb(tokens.texts[frame_end]))):
            scope = "around"  # "A came second, the commission said, followed by B": B is theirs too
    frame_text = text[tokens.starts[j]:tokens.ends[max(j, stop - 1)]]
    hedge = _frame_hedge("speech", verb, claimant, frame_text)
    own = False
    if hedge is None and claimant:
        content = text[tokens.starts[lo]:tokens.ends[frame_start - 1]] if frame_start > lo else ""
        if own_account(claimant, content):
            hedge, own = frame_text, True
    return Frame(frame_start, frame_end, claimant, hedge, scope, "speech", quotes, own=own, text=frame_text)


def _looks_like_source(tokens: TokenList, lo: int, hi: int) -> bool:
    """A name, a pronoun or a source noun; not an ordinary clause subject."""
    lows = tokens.lows[lo:hi]
    return any(map(str.isupper, map(itemgetter(0), tokens.texts[lo:hi]))) or not (
        SUBJECT_PRONOUNS.isdisjoint(lows) and _SOURCE_NOUNS.isdisjoint(lows)
        and _SOURCE_HEADS.isdisjoint(lows)  # "the governor", "the army", "the ministry"
    )


def _participle_frame(text, tokens, i, lo, hi, subject, ctx, frames=()) -> Frame:
    """", claiming that ...", "reports stating that ...", "... on Saturday charging X with ...";
    ", officials said, adding that ...": the speaker of the frame right before."""
    end = i + 1
    if end < hi and tokens.lows[end] == "that":
        end += 1
    claimant = None
    before = next((f for f in frames if f.claimant and f.kind == "speech" and i - 1 <= f.end <= i), None)
    if before is not None:
        claimant = before.claimant
    elif tokens.texts[i - 1] != "," and tokens.lows[i - 1] in _SOURCE_NOUNS:
        k = i - 1
        while k > lo and i - k < 5 and not looks_like_verb(tokens.texts[k - 1]) and tokens.texts[k - 1] not in ",;:" \
                and tokens.lows[k - 1] not in SUBJECT_PRONOUNS:
            k -= 1
        claimant = ctx.resolve(_np_text(text, tokens, k, i))
    else:
        claimant = _as_source(subject.get())
    verb = tokens.lows[i]
    frame_text = text[tokens.starts[i - 1 if tokens.texts[i - 1] != "," else i]:tokens.ends[end - 1]]
    hedge = _frame_hedge("participle", verb, claimant, frame_text)
    if verb in HEDGING_PARTICIPLES:
        hedge = tokens.texts[i]
    elif hedge is None:
        disputed = next((k for k in range(max(lo, i - 4), i) if tokens.lows[k] in _DISPUTE_WORDS), None)
        if disputed is not None:
            hedge = tokens.texts[disputed]  # "The management disputed that, saying ...": one side's account
    own = None if hedge else _own_hedge(text, tokens, claimant, end, hi, frame_text)
    return Frame(i, end, claimant, hedge or own, "after", "participle", own=own is not None, text=frame_text)


@bounded_cache(maxsize=4096)
def _as_source(name: str | None) -> str | None:
    """``name`` if it can be a source (a person or organisation that says something): a name
    ("Reuters", "Dr. Hala bint Saeed") or a phrase with a source word ("officials", "the
    ministry", "a spokesman"); None for an ordinary subject ("Flash floods ..., warning that")."""
    if not name:
        return None
    words = [w.strip(".,()“”\"") for w in name.replace("’", "'").split()]
    lows = {w.lower().removesuffix("'s") for w in words}
    if not (_SOURCE_HEADS.isdisjoint(lows) and _SOURCE_NOUNS.isdisjoint(lows)):
        return name
    if all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words if w):
        return name
    return None


# Weak speech verbs that still attribute what precedes them: "..., the budget office estimated."
_TRAILING_WEAK = frozenset(
    "estimated estimates concluded concludes confirmed confirms announced announces declared declares "
    "found finds showed shows show".split()  # "..., she found.", "..., figures from X showed."
)
_AGE_AFTER_NAME_RE = re.compile(r",\s*\d{1,3}$")
# After a mid-sentence ", X said,": what still belongs to X's statement ("followed by ...",
# "an increase of 22 percent", "up from 54 percent").
_CONTINUING_WORDS = frozenset("followed with including while ahead behind a an up down and".split())
_APPOSITION_STARTS = frozenset("a an up down".split())  # ("said Karim Dassou, a stall owner": about him)
_DISPUTE_WORDS = frozenset("disputed disputes denied denies rejected rejects contested contests".split())
_NAME_PARTICLES = frozenset("al bin de van von der da du le la ibn abu of the and for".split())


def _coordinated_speaker(text, tokens, i, k, hi, ctx) -> Frame | None:
    """", and officials warned that ...": a new source speaking after "and" (tokens[i]); the
    speech verb is tokens[k] and must be followed by "that"."""
    end = _speech_verb(tokens, k, hi)
    if end is None or end >= hi or tokens.lows[end] != "that" or tokens.lows[k - 1] in _PASSIVE_AUX:
        return None
    if not _plausible_subject(tokens, i + 1, k) or not _looks_like_source(tokens, i + 1, k):
        return None
    claimant = ctx.resolve(_np_text(text, tokens, i + 1, k))
    frame_text = text[tokens.starts[i + 1]:tokens.ends[end]]
    hedge = _frame_hedge("speech", tokens.lows[k], claimant, frame_text)
    return Frame(i, end + 1, claimant, hedge, "after", "speech")


def _continuation_frame(text, tokens, i, end, hi, frames, subject) -> Frame:
    """"..., and added that ...", "... and said the drone ...": same speaker, content after."""
    content = end
    if content < hi and tokens.lows[content] == "that":
        content += 1
    previous = next((f for f in reversed(frames) if f.claimant and f.start < i), None)
    claimant = previous.claimant if previous else _as_source(subject.get())
    hedge = previous.hedge if previous else _frame_hedge("speech", tokens.lows[end - 1], claimant, "")
    return Frame(i, content, claimant, hedge, "after", "speech")


def _claim_noun_frame(text, tokens, i, lo, hi, ctx) -> Frame | None:
    """"Allegations published by certain foreign media that ..." -> hedged, claimant the media."""
    claimant = None
    for k in range(i + 1, min(hi, i + 9)):
        word, low = tokens.texts[k], tokens.lows[k]
        if low == "that":
            if k + 1 < hi and looks_like_verb(tokens.texts[k + 1]):
                return None  # "reports that appeared": a relative clause, not a claim
            start = i - 1 if i > lo and tokens.lows[i - 1] in DETERMINERS else i
            hedge = text[tokens.starts[start]:tokens.ends[i]]
            return Frame(start, k + 1, ctx.resolve(claimant), hedge, "after", "allegation")
        if low in ("by", "from") and claimant is None:
            m = k + 1
            while m < hi and tokens.lows[m] != "that" and tokens.texts[m] not in ",;:" and m - k < 7:
                m += 1
            claimant = _np_text(text, tokens, k + 1, m) if m > k + 1 else None
        if word in ",;:" or word in OPEN_QUOTES:
            return None
        if looks_like_verb(word) and low not in ("published", "made", "carried", "circulated", "aired"):
            return None
    return None


def _resolve_scopes(tokens: TokenList, lo: int, hi: int, frames: list[Frame]) -> None:
    """A trailing frame that is followed by more of the sentence governs only what precedes it."""
    for frame in frames:
        if frame.scope == "before" and frame.end < hi and hi - frame.end <= 3:
            rest = tokens.texts[frame.end:hi]
            if all(t in ".!?" or t in CLOSE_QUOTES for t in rest):
                frame.end = hi


@dataclass(slots=True)
class Governance:
    claimant: str | None
    hedges: list[str]
    own: str | None = None  # the hedge that is the source's own account of the whole frame's content
    note: str | None = None  # the unhedged frame's words, should a clause be the source's own act
    frame_end: int | None = None  # the token after the governing frame (where its content starts, if before)


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
    # In one pass: the last "after" and the last "around" frame before the clause, the first
    # "before"/"around" frame after it, and the sentence-wide frames.
    after = before = around = None
    sentence = []
    for f in frames:
        scope = f.scope
        if scope == "after":
            if f.end <= piece_start:
                after = f
        elif scope == "sentence":
            sentence.append(f)
        else:  # "before" or "around"
            if before is None and f.start >= piece_end:
                before = f
            if scope == "around" and f.end <= piece_start:
                around = f
    chosen = after
    if chosen is not None and any(f.scope == "before" and chosen.end <= f.start < piece_start for f in frames):
        chosen = None  # "A, X said, B": the frame between closes A's attribution
    if chosen is None and before is not None and not fronted:
        chosen = before
    if chosen is None and around is not None:
        chosen = around
    own = note = frame_end = None
    if chosen is not None:
        claimant = chosen.claimant
        frame_end = chosen.end
        if chosen.hedge:
            hedges.append(chosen.hedge)
            if chosen.own:
                own = chosen.hedge
        else:
            note = chosen.text
    for frame in sentence:
        if fronted and frame.kind == "according":
            continue
        if frame.hedge:
            hedges.append(frame.hedge)
        if claimant is None and frame.claimant:
            claimant = frame.claimant
            if not frame.hedge and note is None:
                note, frame_end = frame.text, frame.end  # ("..., according to police": its words)
    return Governance(claimant, hedges, own, note, frame_end)
