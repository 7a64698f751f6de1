"""Category, hedge, opinion and date cues, read off the tokens of the text.

Cues are looked up word by word (one dictionary lookup per token) with a few
two-word rules ("carried out", "strike group", "missile strikes"); this is
both clearer and far faster than running a dozen large regular expressions
over every candidate. ``Annotations`` does it once for a stretch of tokens;
any span's cues are then read from slices of its arrays.
"""

from __future__ import annotations

import re
from itertools import compress, repeat
from operator import itemgetter

from .patterns import MONTHS, WEEKDAYS, looks_like_verb
from .sentences import Token, TokenList


def _tag(category: str, words: str) -> dict[str, str]:
    return dict.fromkeys(words.split(), category)


# Single words that signal a category (lowercase). Order of precedence is in CATEGORY_ORDER.
CATEGORY_WORDS: dict[str, str] = {
    **_tag("forces", """troop troops soldier soldiers force forces militia militias militiamen fighter
        fighters unit units battalion battalions brigade brigades division divisions regiment regiments
        army navy marine marines sailors servicemen personnel deploy deployed deployment deployments
        deploying deploys presence based stationed garrison carrier warship warships destroyer
        destroyers frigate frigates submarine submarines fleet patrol patrols occupy occupation
        controls withdrawal convoy base bases"""),
    **_tag("weapons", """missile missiles rocket rockets drone drones bomb bombs explosive explosives
        warhead warheads munition munitions ordnance mines shells artillery launcher launchers payload
        payloads weapon weapons arms rifle rifles booby-trapped ied ieds ballistic torpedo torpedoes
        anti-ship armored armoured tanks warplanes interceptor interceptors patriot missile-defense
        missile-defence"""),
    **_tag("distance", "mile miles kilometer kilometers kilometre kilometres km yards metres meters nautical distance"),
    **_tag("event", """strike strikes airstrike airstrikes struck attack attacks attacked raid raids
        bombed bombing bombings shelled shelling shoot-down downed clash clashes clashed offensive ambush
        ambushed explosion explosions blast blasts hit targeted targeting conducted destroy destroyed
        destroying destroys captured seized liberated recaptured retook overran withdrew invaded visit
        visited visits speech summit talks sanction sanctions legislation passed signed publicized
        publicised rally ceasefire truce election elections protest protests intercepted test-fired
        approached arrive arrived completed posted shot began started resumed collapsed scheduled"""),
    **_tag("attribution", """blame blamed blames blaming responsibility accuse accused accuses accusing
        denied denies deny denying rejected rejects disinformation propaganda retaliation retaliatory
        retaliate retaliated unverified unconfirmed"""),
    **_tag("casualties", """killed kill kills killing dead death deaths died dies dying wounded wounding
        wounds injured injuries injury injuring casualty casualties massacre massacres fatality
        fatalities toll bodies slain executed neutralised neutralized harmed hurt"""),
}
CATEGORY_ORDER = ("attribution", "event", "distance", "weapons", "forces")

_TWO_WORD = {
    ("carried", "out"): "event", ("shot", "down"): "event", ("left", "port"): "event",
    ("fired", "at"): "event", ("into", "effect"): "event", ("took", "effect"): "event",
    ("air", "defense"): "weapons", ("air", "defence"): "weapons", ("fighter", "jets"): "weapons",
    ("range", "of"): "distance", ("strike", "group"): "forces", ("aircraft", "carrier"): "forces",
    ("under", "control"): "forces", ("state", "control"): "forces",
    ("claimed", "responsibility"): "attribution", ("charged", "with"): "attribution",
    ("charging", "with"): "attribution", ("charges", "with"): "attribution",
}
_MODIFIER_OF_EVENT = frozenset("strike strikes attack attacks fire".split())  # "missile strikes" is an event
_FORCE_NOUNS = frozenset("soldiers servicemen troops men fighters sailors lives personnel".split())
_COPULAS = frozenset("is are was were be held hold holds".split())
_VERIFY_WORDS = frozenset(
    "verify verified confirm confirmed corroborate corroborated authenticate authenticated verifiable".split()
)
_NEGATIONS = frozenset("not never".split())

HEDGE_WORDS = frozenset(
    """claim claims claimed claiming purported purportedly alleged allegedly allegation allegations
    reportedly unverified unconfirmed preliminary supposed supposedly""".split()
)
_OPINION_WORDS = frozenset(
    "should must might ought perhaps probably arguably seems seem seemed believes think thinks feels "
    "hopes wants so-called indeed".split()
)
_OPINION_PAIRS = frozenset({("appears", "to"), ("appear", "to"), ("could", "prove"), ("may", "well"),
                            ("only", "serve"), ("far", "from"), ("every", "indication")})
_MONTH_NAMES = frozenset(MONTHS.split("|"))
_WEEKDAY_NAMES = frozenset(WEEKDAYS.split("|"))
_RELATIVE_TIME = frozenset("week month year night weekend".split())
_DATE_LEAD = frozenset("on in last this next early late since".split())
_DATE_WORDS = frozenset("yesterday tonight overnight last this next".split())
_CALENDAR_NAMES = _MONTH_NAMES | _WEEKDAY_NAMES
# Verbs whose subject is the claimant of their own clause ("Tehran has blamed ...",
# "the group claimed responsibility ...", "the ministry denied ...").
ACCUSATION_WORDS = frozenset(
    "blamed blames blame accused accuses accuse denied denies deny rejected rejects claimed claims".split()
)
_CONTEXT_WORDS = (
    frozenset(w for w, _ in _TWO_WORD) | _MODIFIER_OF_EVENT | _DATE_WORDS | _VERIFY_WORDS
    | frozenset("death lost responsible response launched unverified unconfirmed square".split())
    | frozenset(w for w, _ in _OPINION_PAIRS)
)


class Annotations:
    """Cues of every token, computed once, read for any span in C-speed slices.

    The common case (a word's own category, hedge or opinion value) is a
    dictionary lookup mapped over all tokens; only the few words that need
    context ("strike" before "group", "lost" before "soldiers", a month name
    next to a number, a negated "verify") get a Python-level look.
    """

    __slots__ = ("category", "date", "hedge", "opinion", "disclaimer", "passive", "accusation",
                 "word", "capital", "texts")

    def __init__(self, tokens: TokenList, lo: int, hi: int) -> None:
        lows, texts = tokens.lows, tokens.texts
        n = len(tokens)
        firsts = list(map(itemgetter(0), texts))
        self.category: list[str | None] = list(map(CATEGORY_WORDS.get, lows))
        self.hedge = list(map(HEDGE_WORDS.__contains__, lows))
        self.opinion = list(map(_OPINION_WORDS.__contains__, lows))
        self.accusation = list(map(ACCUSATION_WORDS.__contains__, lows))
        self.word = list(map(str.isalnum, firsts))
        self.capital = list(map(str.isupper, firsts))
        self.texts = texts
        self.date = [False] * n
        self.disclaimer = [False] * n  # a negated verification verb ("could not verify")
        self.passive = [False] * n  # ... in the passive ("could not be verified")
        for i in compress(range(lo, hi), map(_CONTEXT_WORDS.__contains__, lows[lo:hi])):
            w = lows[i]
            nxt = lows[i + 1] if i + 1 < hi else ""
            self.category[i] = _category_at(tokens, i, lo, hi, w, nxt)
            if i > lo and w in _MODIFIER_OF_EVENT and self.category[i - 1] == "weapons":
                self.category[i - 1] = "event"  # "missile strikes", "rocket attacks", "rocket fire"
            if w == "square" and i + 1 < hi and self.category[i + 1] == "distance":
                self.category[i + 1] = None  # "40 square kilometres" is an area, not a distance
            if (w, nxt) in _OPINION_PAIRS:
                self.opinion[i] = True
            if w in _DATE_WORDS:
                self.date[i] = _is_date_at(tokens, i, lo, hi)
            if w in _VERIFY_WORDS or w in ("unverified", "unconfirmed"):
                self._disclaimer(tokens, i, lo, w)
        for i in compress(range(lo, hi), map(_CALENDAR_NAMES.__contains__, texts[lo:hi])):
            self.date[i] = _is_date_at(tokens, i, lo, hi)
        for i in compress(range(lo, hi), map(str.__contains__, lows[lo:hi], repeat("-"))):
            self.category[i] = self.category[i] or _hyphenated_category(texts[i], lows[i])

    def _disclaimer(self, tokens: list[Token], i: int, lo: int, w: str) -> None:
        """"could not independently verify", "could not yet be confirmed", "couldn't verify",
        "unable to verify", "unverified"."""
        if w in ("unverified", "unconfirmed"):
            self.disclaimer[i] = self.passive[i] = True
            return
        window = tokens[max(lo, i - 4):i]
        if any(t.lower in _NEGATIONS or t.lower.endswith("n't") or t.lower == "unable" for t in window):
            self.disclaimer[i] = True
            self.passive[i] = any(t.lower in ("be", "been") for t in window) or w == "verifiable"

    def categories(self, a: int, b: int) -> set[str]:
        """Categories cued in tokens[a:b], plus "date" and "disclaimer" when present."""
        found = set(self.category[a:b])
        found.discard(None)
        if True in self.date[a:b]:
            found.add("date")
        if True in self.disclaimer[a:b]:
            found.add("disclaimer")
        return found

    def has_cue(self, a: int, b: int) -> bool:
        """Any category cue, date or disclaimer in tokens[a:b] (or an accusation, whose
        subject becomes the claimant)."""
        return (
            any(self.category[a:b]) or True in self.date[a:b] or True in self.disclaimer[a:b]
            or True in self.accusation[a:b]
        )

    def disclaimer_at(self, a: int, b: int) -> tuple[int, bool] | None:
        """Where a verification disclaimer is in tokens[a:b], and whether it is passive."""
        if True not in self.disclaimer[a:b]:
            return None
        i = self.disclaimer.index(True, a, b)
        return i, self.passive[i]

    def hedge_word(self, tokens: list[Token], a: int, b: int) -> str | None:
        """A word that calls the clause a claim ("purported", "allegedly", "reportedly")."""
        return tokens[self.hedge.index(True, a, b)].text if True in self.hedge[a:b] else None

    def accusation_at(self, a: int, b: int) -> int | None:
        """An accusation or denial verb in tokens[a:b] ("blamed", "denied")."""
        return self.accusation.index(True, a, b) if True in self.accusation[a:b] else None

    def words(self, a: int, b: int) -> int:
        return self.word[a:b].count(True)

    def has_verb(self, a: int, b: int) -> bool:
        return any(map(looks_like_verb, self.texts[a:b]))

    def has_name(self, tokens: list[Token], a: int, b: int, sentence_start: int) -> bool:
        """A capitalised word that does not open the sentence or a quotation: a named place,
        person or organisation."""
        lo = max(a, sentence_start + 1)
        for i in compress(range(lo, b), self.capital[lo:b]):
            if tokens[i].text[0].isalpha() and tokens[i - 1].text not in "“\"‘":
                return True
        return False

    def is_opinion(self, a: int, b: int) -> bool:
        return True in self.opinion[a:b]


def choose_category(found: set[str], unit_category: str | None) -> str:
    """Disclaimers are attribution; casualty words win; then the unit of the figure; then cues
    in the order attribution > event > distance > weapons > forces; then a date is an event."""
    if "disclaimer" in found:
        return "attribution"
    if "casualties" in found:
        return "casualties"
    if unit_category:
        return unit_category
    for category in CATEGORY_ORDER:
        if category in found:
            return category
    return "event" if "date" in found else "other"


def _category_at(tokens: list[Token], i: int, a: int, b: int, w: str, nxt: str) -> str | None:
    """The category of a word that needs its neighbours to decide."""
    pair = _TWO_WORD.get((w, nxt))
    if pair:
        return pair  # "carried out", "strike group", "air defense"
    if w == "death" and nxt == "to":
        return None  # the slogan "death to ..."
    if w == "lost" and any(t.lower in _FORCE_NOUNS for t in tokens[i + 1:min(b, i + 4)]):
        return "casualties"
    if w == "responsible" and i > a and tokens[i - 1].lower in _COPULAS:
        return "attribution"
    if w == "response" and nxt == "to" and i > a and tokens[i - 1].lower in ("in", "a", "the"):
        return "attribution"
    if w == "launched" and any(
        t.lower in ("attack", "attacks", "offensive", "operation", "raid", "raids") for t in tokens[i + 1:min(b, i + 3)]
    ):
        return "event"
    return CATEGORY_WORDS.get(w)


def _hyphenated_category(text: str, lower: str) -> str | None:
    if lower.endswith("-made") and text[0].isupper():
        return "weapons"  # "Iranian-made", "Russian-made"
    if _is_model_designation(text):
        return "weapons"  # "S-300", "F-16", "MiG-29"
    return None


def _is_model_designation(word: str) -> bool:
    """"S-300", "F-16", "Su-24", "MiG-29", "T-72B" (not "COVID-19"-like longer heads)."""
    return _MODEL_DESIGNATION_RE.fullmatch(word) is not None


_MODEL_DESIGNATION_RE = re.compile(r"[A-Z][A-Za-z]{0,2}-\d{1,3}[A-Z]?")


def _is_date_at(tokens: list[Token], i: int, a: int, b: int) -> bool:
    """"on Saturday", "September 22", "3 May", "last month", "in early March", "yesterday"."""
    text = tokens[i].text
    if text in _WEEKDAY_NAMES:
        return True
    if text in _MONTH_NAMES:
        before = tokens[i - 1] if i > a else None
        after = tokens[i + 1] if i + 1 < b else None
        return (after is not None and after.text[0].isdigit()) or (
            before is not None and (before.text[0].isdigit() or before.lower in _DATE_LEAD)
        )
    w = tokens[i].lower
    if w in ("yesterday", "tonight", "overnight"):
        return True
    if w in ("last", "this", "next") and i + 1 < b:
        nxt = tokens[i + 1]
        return nxt.lower in _RELATIVE_TIME or nxt.text in _MONTH_NAMES or nxt.text in _WEEKDAY_NAMES
    return False
