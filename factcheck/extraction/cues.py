"""Category, hedge, opinion and date cues, read off the tokens of the text.

Cues are looked up word by word (one dictionary lookup per token) with a few
two-word rules ("carried out", "strike group", "missile strikes"); this is
both clearer and far faster than running a dozen large regular expressions
over every candidate. ``Annotations`` does it once for a stretch of tokens;
any span's cues are then read from slices of its arrays.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import compress

from .numbers import NUMBER_WORDS
from .patterns import CLAIM_FORMS, MONTHS, WEEKDAYS, claims_lives, looks_like_verb
from .sentences import TokenList


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
        approached arrive arrived completed posted shot began started resumed collapsed scheduled
        sentenced convicted jailed acquitted arrested detained declared appointed resigned evacuated
        rescued awarded fined investigation inquiry probe scrapped annulled suspended cancelled canceled banned
        refused postponed halted teargas tear-gas alight torched looted smashed vandalised vandalized stormed
        pelted ransacked remanded custody proceedings"""),
    **_tag("attribution", """blame blamed blames blaming responsibility accuse accused accuses accusing
        denied denies deny denying rejected rejects disinformation propaganda retaliation retaliatory
        retaliate retaliated unverified unconfirmed"""),
    **_tag("casualties", """killed kill kills killing dead death deaths died dies dying wounded wounding
        wounds injured injuries injury injuring casualty casualties massacre massacres fatality
        fatalities toll bodies slain executed neutralised neutralized harmed hurt missing hospitalised
        hospitalized drowned drowning survived survivors survivor treated treatment hypothermia concussion
        fractured fracture fractures martyred"""),
}
CATEGORY_ORDER = ("attribution", "event", "distance", "weapons", "forces")
# Words of the forces and weapons families that civilian articles use in their own sense (a
# company's "technology division", "based in", a bank's payment "systems", a carmaker's
# "vehicles", water "tanks", an airline's "aircraft", "prison officers"): they make a claim one
# of troops or weapons only in an article that has named troops, weapons or the military.
MILITARY_AMBIGUOUS = frozenset(
    """unit units division divisions base bases based presence controls force personnel fleet
    carrier carriers convoy occupation withdrawal patrol patrols deploy deployed deployment
    deployments deploying deploys arms tanks shells systems batteries vehicles aircraft jets
    rounds officers ships vessels boats craft guards control helicopters""".split()
)
MILITARY_CONTEXT = frozenset(
    w for w, c in CATEGORY_WORDS.items() if c in ("forces", "weapons") and w not in MILITARY_AMBIGUOUS
) | frozenset("military militaries armed defence defense war wars combat airstrike airstrikes".split())

_TWO_WORD = {
    ("carried", "out"): "event", ("shot", "down"): "event", ("left", "port"): "event",
    ("broke", "out"): "event", ("broken", "out"): "event", ("breaks", "out"): "event",
    ("broke", "through"): "event", ("broken", "through"): "event",
    ("set", "fire"): "event", ("sets", "fire"): "event", ("opened", "fire"): "event", ("open", "fire"): "event",
    ("fired", "at"): "event", ("into", "effect"): "event", ("took", "effect"): "event",
    ("tear", "gas"): "event", ("water", "cannon"): "event", ("water", "cannons"): "event",
    ("air", "defense"): "weapons", ("air", "defence"): "weapons", ("fighter", "jets"): "weapons",
    ("range", "of"): "distance", ("strike", "group"): "forces", ("aircraft", "carrier"): "forces",
    ("under", "control"): "forces", ("state", "control"): "forces",
    ("claimed", "responsibility"): "attribution", ("charged", "with"): "attribution",
    ("charging", "with"): "attribution", ("charges", "with"): "attribution",
}
_FIRE_WORDS = frozenset("fire fires blaze blazes flames wildfire wildfires inferno".split())
_MODIFIER_OF_EVENT = frozenset("strike strikes attack attacks fire".split())  # "missile strikes" is an event
_FORCE_NOUNS = frozenset("soldiers servicemen troops men fighters sailors lives personnel".split())
_COPULAS = frozenset("is are was were be held hold holds".split())
_VERIFY_WORDS = frozenset(
    "verify verified confirm confirmed corroborate corroborated authenticate authenticated verifiable "
    "checked confirmation verification".split()
)
_CLAIM_AS_NOUN_BEFORE = frozenset("insurance compensation damage damages thousands hundreds new pending".split())
_VERIFY_NOUNS = frozenset("confirmation verification".split())
_APPEAR_WORDS = frozenset("appeared appears appear".split())
_REPORTED_WORDS = frozenset("said believed thought estimated understood rumoured rumored reported alleged".split())
_COPULAS_BE = frozenset("is are was were be been".split())
# "cannot be verified", "unable to confirm", "impossible / difficult / hard to verify"
_CANNOT_WORDS = frozenset("cannot unable impossible difficult hard".split())
_NEGATIONS = frozenset("not never".split())
# "gave no source for the figure", "provided no evidence", "without citing evidence", "did not say
# how he arrived at the figure": the article notes that a figure's basis is missing.
_BASIS_WORDS = frozenset("source sources evidence basis proof how where".split())
# "did not say where its rent figure came from"
_CAME_FROM_RE = re.compile(r"(?:\w+ ){0,4}(?:came|comes|come) from\b")
_GIVING_VERBS = frozenset(
    "give gave given giving provide provided providing offer offered offering cite cited citing present "
    "presented presenting produce produced say said explain explained specify specified".split()
)

HEDGE_WORDS = frozenset(
    """claim claims claimed claiming purported purportedly alleged allegedly allegation allegations
    reportedly unverified unconfirmed preliminary provisional supposed supposedly""".split()
)
_OPINION_WORDS = frozenset(
    "should must might ought perhaps probably arguably seems seem seemed believes think thinks feels "
    "hopes wants so-called indeed".split()
)
# What footage is said to show ("A video shared online appears to show ...") is described, not
# judged: after one of these words "appears to" is no opinion of the writer's (still a hedge).
MEDIA_WORDS = frozenset("footage video videos images image photos photographs pictures recording recordings".split())
_OPINION_PAIRS = frozenset({("appears", "to"), ("appear", "to"), ("could", "prove"), ("may", "well"),
                            ("only", "serve"), ("far", "from"), ("every", "indication")})
_MONTH_NAMES = frozenset(MONTHS.split("|"))
_WEEKDAY_NAMES = frozenset(WEEKDAYS.split("|"))
_CLOCK_LEAD = frozenset("at by since until from before after".split())
_YEAR_LEAD = frozenset("in since by until till before after from during of the".split())
_RELATIVE_TIME = frozenset("week month year night weekend".split())
_DATE_LEAD = frozenset("on in last this next early late since".split())
_DATE_WORDS = frozenset("yesterday tonight overnight last this next".split())
_CALENDAR_NAMES = _MONTH_NAMES | _WEEKDAY_NAMES
# Verbs whose subject is the claimant of their own clause ("Tehran has blamed ...",
# "the group claimed responsibility ...", "the ministry denied ...").
ACCUSATION_WORDS = frozenset(
    "blamed blames blame accused accuses accuse denied denies deny rejected rejects claimed claims".split()
)
# Acts of officials, bodies and crews as the predicate of a clause ("140 inmates had been moved",
# "the committee voted", "it approved three car parks", "17 crew were airlifted"); not as a
# participle after a figure or an article ("the 230 million approved by the council").
_ACTION_VERBS = frozenset(
    "moved transferred relocated voted approved airlifted ordered deported expelled freed raised lowered "
    "cut closed reopened dismissed occurred demanded demanding stole diverted".split()
)
_NOT_BEFORE_ACTION = frozenset("the a an million billion thousand hundred".split())
_PRONOUNS_WHAT = frozenset("it they he she".split())
_SAID_WHAT = frozenset("said says claimed claims called calls described".split())
_DEMAND_WORDS = frozenset("demanded demanding demands".split())
_RANSOM_WORDS = frozenset("ransom bitcoin cryptocurrency".split())
_PEOPLE_NOUNS = frozenset("people persons passengers crew workers miners residents climbers children men women "
                          "migrants tourists villagers fishermen hikers".split())
_FLASH_OBJECTS = frozenset("estimate estimates figure figures reading readings data".split())
_COUNTED_WORDS = frozenset("counted reporting tallied".split())


def _partial_count_start(lows, i: int, lo: int) -> int | None:
    """The "with" of "With 64 percent of (polling) stations counted" ending at lows[i], or None."""
    for j in range(i - 2, max(lo, i - 8) - 1, -1):
        if lows[j] == "with":
            return j if "percent" in lows[j:i] or "%" in lows[j:i] else None
    return None


_CONTEXT_WORDS = (
    frozenset(w for w, _ in _TWO_WORD) | _MODIFIER_OF_EVENT | _DATE_WORDS | _VERIFY_WORDS | _BASIS_WORDS
    | frozenset("death lost responsible response launched unverified unconfirmed square cubic hospital hospitals broke "
                "broken breaks what flash unaccounted life-threatening".split()) | _DEMAND_WORDS | _COUNTED_WORDS
    | _ACTION_VERBS
    | frozenset(w for w, _ in _OPINION_PAIRS) | _REPORTED_WORDS | _APPEAR_WORDS
)
# Words that may carry a cue beyond their plain category (month and weekday names lowercased).
_SPECIAL_WORDS = (
    HEDGE_WORDS | _OPINION_WORDS | ACCUSATION_WORDS | _CONTEXT_WORDS
    | frozenset(name.lower() for name in _CALENDAR_NAMES)
    | frozenset(("May",))  # (the month's lowercase form within a sentence: see sentences._month_may)
    | MEDIA_WORDS  # (carry no cue: their places are only noted, see mentions_media)
)


class Annotations:
    """Cues of every token, computed once, read for any span in C-speed slices.

    The common case (a word's own category) is a dictionary lookup mapped over
    all tokens; only the few words that can carry another cue (a hedge or
    opinion word, an accusation, a date) or need context ("strike" before
    "group", "lost" before "soldiers", a month name next to a number, a negated
    "verify") get a Python-level look.
    """

    __slots__ = ("category", "date", "hedge", "opinion", "disclaimer", "passive", "accusation",
                 "rare", "word", "capital", "years", "media")

    def __init__(self, tokens: TokenList, lo: int, hi: int, digits: list[int] | None = None) -> None:
        lows, texts = tokens.lows, tokens.texts
        n = len(tokens)
        firsts = tokens.firsts
        self.category: list[str | None] = list(map(CATEGORY_WORDS.get, lows))
        self.word = list(map(str.isalnum, firsts))
        self.capital = list(map(str.isupper, firsts))
        self.hedge = [False] * n
        self.opinion = [False] * n
        self.accusation = [False] * n
        self.date = [False] * n
        self.disclaimer = [False] * n  # a negated verification verb ("could not verify")
        self.passive = [False] * n  # ... in the passive ("could not be verified")
        self.rare = [False] * n  # any of hedge, opinion, accusation, date, disclaimer (few spans have one)
        self.media: list[int] = []  # where footage, videos, images are named (see mentions_media)
        # (the lists under local names: the loops below set them word by word)
        category, hedge, opinion, accusation = self.category, self.hedge, self.opinion, self.accusation
        date, disclaimer, rare = self.date, self.disclaimer, self.rare
        # The rarer cues are set word by word, for the few words (one in twenty) that can carry one.
        for i in compress(range(n), map(_SPECIAL_WORDS.__contains__, lows)):
            w = lows[i]
            if w in MEDIA_WORDS:  # (a word of no other set here: no cue to set)
                self.media.append(i)
                continue
            if w in CLAIM_FORMS and claims_lives(lows, i, n):  # (the call only for a form of "claim")
                category[i] = "casualties"  # "the floods have claimed 14 lives": a toll, not a claim
                continue
            if w in HEDGE_WORDS and not (w in ("claims", "claim") and i > 0 and (
                    firsts[i - 1].isdigit() or lows[i - 1] in _CLAIM_AS_NOUN_BEFORE)):
                hedge[i] = True  # (not "41,000 claims", "insurance claims": the noun)
            if w in _OPINION_WORDS:
                opinion[i] = True
            if w in ACCUSATION_WORDS:
                accusation[i] = True
            if not lo <= i < hi:
                rare[i] = hedge[i] or opinion[i] or accusation[i]
                continue
            if w in _CONTEXT_WORDS:
                nxt = lows[i + 1] if i + 1 < hi else ""
                category[i] = _category_at(tokens, i, lo, hi, w, nxt)
                if i > lo and w in _MODIFIER_OF_EVENT and category[i - 1] == "weapons":
                    category[i - 1] = "event"  # "missile strikes", "rocket attacks", "rocket fire"
                if w in ("square", "cubic") and i + 1 < hi and category[i + 1] == "distance":
                    category[i + 1] = None  # "40 square kilometres" is an area, "cubic metres" a volume
                if w in _APPEAR_WORDS and nxt == "to" and i + 2 < hi and lows[i + 2] == "show" \
                        and not MEDIA_WORDS.isdisjoint(lows[max(lo, i - 10):i]):
                    # "Footage posted online appears to show the coach on its roof": what it shows
                    # happened (an event, hedged below), not the writer's opinion
                    category[i] = category[i] or "event"
                elif (w, nxt) in _OPINION_PAIRS:
                    opinion[i] = True
                if nxt == "to" and (w in _APPEAR_WORDS or w in _REPORTED_WORDS and i > lo and lows[i - 1] in _COPULAS_BE):
                    # "is said to have lost 12 tanks", "is estimated to have 8,000 fighters",
                    # "a video that appeared to show ...": the article keeps its distance
                    hedge[i] = True
                if w == "what" and i + 3 < hi and lows[i + 1] in _PRONOUNS_WHAT and lows[i + 2] in _SAID_WHAT:
                    hedge[i] = True  # "It posted what it said were 2,000 passport images": its word only
                elif w == "unaccounted" and not _PEOPLE_NOUNS.isdisjoint(lows[max(lo, i - 6):i]):
                    category[i] = "casualties"  # "Fourteen people are still unaccounted for" (not rifles)
                elif w == "flash" and i + 1 < hi and lows[i + 1] in _FLASH_OBJECTS:
                    hedge[i] = True  # "the flash estimate": a first, provisional figure
                elif w in _COUNTED_WORDS and _partial_count_start(lows, i, lo) is not None:
                    hedge[i] = True  # "With 64 percent of stations counted, ...": a partial count, provisional
                elif w in _DEMAND_WORDS and not _RANSOM_WORDS.isdisjoint(lows[i + 1:min(hi, i + 8)]):
                    # "demanded 4 million dollars in bitcoin": a ransom demand is known from the
                    # criminals' or the victim's word only
                    hedge[i] = True
                if w in _DATE_WORDS:
                    date[i] = _is_date_at(tokens, i, lo, hi)
                if w in _VERIFY_WORDS or w in ("unverified", "unconfirmed"):
                    self._disclaimer(tokens, i, lo, w)
                elif w in _BASIS_WORDS:
                    self._no_basis(tokens, i, lo)
            if texts[i] in _CALENDAR_NAMES:
                date[i] = _is_date_at(tokens, i, lo, hi)
            rare[i] = (
                hedge[i] or opinion[i] or accusation[i] or date[i] or disclaimer[i]
            )
        for i in tokens.hyphenated[bisect_left(tokens.hyphenated, lo):bisect_left(tokens.hyphenated, hi)]:
            category[i] = category[i] or _hyphenated_category(texts[i], lows[i])
        # Years ("since 2002", "in 1986", "the 1970s") date a statement: token index -> whether it
        # is a state lasting since then ("had not been inspected since 2002").
        self.years: dict[int, bool] = {}
        if digits is None:
            digits = compress(range(lo + 1, hi), map(str.isdigit, firsts[lo + 1:hi]))
        for i in digits:  # (few tokens are numbers)
            if not lo < i < hi:
                continue
            year = texts[i]
            if len(year) == 4 and "1800" <= year <= "2100" and year.isdigit() and lows[i - 1] in _YEAR_LEAD and (
                    lows[i - 1] != "the" or i + 1 < hi and lows[i + 1] == "s"):
                self.years[i] = lows[i - 1] == "since"
                date[i] = rare[i] = True
            elif len(year) <= 2 and i + 2 < hi and texts[i + 1] == ":" and len(texts[i + 2]) == 2 \
                    and lows[i - 1] in _CLOCK_LEAD:
                # "lifted at 18:30", "restored by 13:40": an act timed to the minute, a statement's log
                date[i] = rare[i] = True

    def _disclaimer(self, tokens: TokenList, i: int, lo: int, w: str) -> None:
        """"could not independently verify", "could not yet be confirmed", "couldn't verify",
        "unable to verify", "unverified"."""
        if w in ("unverified", "unconfirmed"):
            self.disclaimer[i] = self.passive[i] = True
            return
        window = tokens.lows[max(lo, i - 4):i]
        if w in _VERIFY_NOUNS:
            # "There was no independent confirmation", "Independent verification was not possible"
            after = tokens.lows[i + 1:i + 4]
            if "no" in window or "without" in window or "not" in after and "possible" in after \
                    or "impossible" in after:
                self.disclaimer[i] = self.passive[i] = True
            return
        wide = tokens.lows[max(lo, i - 6):i]
        if any(t in _NEGATIONS or t.endswith("n't") or t in _CANNOT_WORDS for t in window) or (
                "neither" in wide or "none" in wide or "no" in wide and "one" in wide):
            if w == "checked" and "independently" not in tokens.lows[max(lo, i - 4):i + 2]:
                return  # ("had not been checked since 2019" is a fact, not a disclaimer)
            self.disclaimer[i] = True
            self.passive[i] = "be" in window or "been" in window or w == "verifiable"

    def _no_basis(self, tokens: TokenList, i: int, lo: int) -> None:
        """"gave no source", "did not provide evidence", "without citing a source", "did not say
        how": a giving or saying verb, negated, just before (not "found no evidence", a finding)."""
        window = tokens.lows[max(lo, i - 4):i]
        if not window or _GIVING_VERBS.isdisjoint(window) and not (tokens.lows[i] == "how" and window[-1] == "clear"):
            return
        if tokens.lows[i] in ("how", "where"):
            if tokens.lows[i] == "where" and not _CAME_FROM_RE.match(" ".join(tokens.lows[i + 1:i + 7])):
                return  # ("did not say where the talks would be held": no figure's basis)
            if window[-1] in ("say", "explain", "specify") and ("not" in window or any(
                    t.endswith("n't") for t in window)) or window[-1] == "clear" and "not" in window:
                self.disclaimer[i] = True  # "did not say how ...", "It is not clear how ..."
            return
        verb = max(k for k, t in enumerate(window) if t in _GIVING_VERBS)
        before, after = window[:verb], window[verb + 1:]
        if "no" in after or "without" in before or "not" in before or any(t.endswith("n't") for t in before):
            self.disclaimer[i] = True

    def span(self, tokens: TokenList, a: int, b: int, sentence_start: int) -> tuple[set[str], str | None]:
        """What a proposal tokens[a:b] cues, read in one go: the categories, plus "date",
        "disclaimer", "opinion", "name" (a capitalised word that does not open the sentence
        or a quotation) and, for short spans, "verb" (see the extractor's _score); and the
        first word that calls it a claim ("purported", "allegedly", "reportedly"), if any."""
        found = set(filter(None, self.category[a:b]))  # (the categories, without the None of most words)
        hedge = None
        if any(self.rare[a:b]):
            if any(self.date[a:b]):
                found.add("date")
                if self.years:
                    for i in compress(range(a, b), self.date[a:b]):
                        if i in self.years:
                            found.add("year")
                            if self.years[i]:
                                found.add("lasting")
            if any(self.disclaimer[a:b]):
                found.add("disclaimer")
            if any(self.opinion[a:b]):
                found.add("opinion")
            if any(self.hedge[a:b]):
                at = self.hedge.index(True, a, b)
                hedge = tokens.texts[at]
                if tokens.lows[at] == "what":
                    hedge = " ".join(tokens.texts[at:at + 4])  # "what it said were"
                elif tokens.lows[at] in _COUNTED_WORDS:
                    opener = _partial_count_start(tokens.lows, at, 0)
                    hedge = " ".join(tokens.texts[opener:at + 1])  # "With 64 percent of stations counted"
        texts, capital = tokens.texts, self.capital
        i = a if a > sentence_start else sentence_start + 1
        # (each capitalised word in turn, found by list.index in C: no range, slice or compress
        # to build for the one or two words looked at; ValueError when there is none left)
        try:
            while True:
                i = capital.index(True, i, b)
                if texts[i][0].isalpha() and texts[i - 1] not in "“\"‘":
                    found.add("name")
                    break
                i += 1
        except ValueError:
            pass
        if b - a <= 6 and any(map(looks_like_verb, texts[a:b])):
            found.add("verb")
        return found, hedge

    def has_cue(self, a: int, b: int) -> bool:
        """Any category cue, date or disclaimer in tokens[a:b] (or an accusation, whose
        subject becomes the claimant)."""
        return any(self.category[a:b]) or any(self.rare[a:b]) and (
            any(self.date[a:b]) or any(self.disclaimer[a:b]) or any(self.accusation[a:b])
        )

    def disclaimer_at(self, a: int, b: int) -> tuple[int, bool] | None:
        """Where a verification disclaimer is in tokens[a:b], and whether it is passive."""
        if not any(self.disclaimer[a:b]):
            return None
        i = self.disclaimer.index(True, a, b)
        return i, self.passive[i]

    def accusation_at(self, a: int, b: int) -> int | None:
        """An accusation or denial verb in tokens[a:b] ("blamed", "denied")."""
        return self.accusation.index(True, a, b) if any(self.accusation[a:b]) else None

    def mentions_media(self, a: int, b: int) -> bool:
        """Does tokens[a:b] name footage, a video or images (MEDIA_WORDS)? (Noted while the cues
        are read, so that no sentence's words need a scan of their own for it.)"""
        k = bisect_left(self.media, a)
        return k < len(self.media) and self.media[k] < b

    def words(self, a: int, b: int) -> int:
        return self.word[a:b].count(True)


def choose_category(found: set[str], unit_category: str | None) -> str:
    """Disclaimers are attribution; casualty words win; then the unit of the figure; then cues
    in the order attribution > event > distance > weapons > forces; then a lasting state is
    other; then an official's or a crew's act as the predicate ("were moved", "voted") or a
    date is an event."""
    if "disclaimer" in found:
        return "attribution"
    if "casualties" in found:
        return "casualties"
    if unit_category:
        return unit_category
    for category in CATEGORY_ORDER:
        if category in found:
            return category
    if "lasting" in found:
        return "other"  # "had not been inspected since 2002": a state, not an event
    return "event" if "action" in found or "date" in found else "other"


def _category_at(tokens: TokenList, i: int, a: int, b: int, w: str, nxt: str) -> str | None:
    """The category of a word that needs its neighbours to decide."""
    if w == "charged" and i > a and tokens.lows[i - 1] in _PASSIVE_BE and (
            nxt in ("with", "over") or (nxt in _AFTER_CHARGED or not nxt.isalnum()) and _counted_people_before(tokens, i, a)):
        # "17 have been charged (with public order offences)", "he was charged with murder": a
        # prosecution (not "charged late fees", "the battery was charged for six hours", "the
        # atmosphere was charged")
        return "event"
    pair = _TWO_WORD.get((w, nxt))
    if pair == "forces" and w == "under" and not _FIRE_WORDS.isdisjoint(tokens.lows[a:i]):
        return "event"  # "the fire is under control", "firefighters brought the blaze under control"
    if pair:
        return pair  # "carried out", "strike group", "air defense", "charged with" (an accusation)
    if w == "death" and nxt == "to":
        return None  # the slogan "death to ..."
    lows = tokens.lows
    if w == "lost" and not _FORCE_NOUNS.isdisjoint(lows[i + 1:min(b, i + 4)]):
        return "casualties"
    if w == "responsible" and i > a and lows[i - 1] in _COPULAS:
        return "attribution"
    if w == "response" and nxt == "to" and i > a and lows[i - 1] in ("in", "a", "the"):
        return "attribution"
    if w == "launched" and not _LAUNCHED_OBJECTS.isdisjoint(lows[i + 1:min(b, i + 3)]):
        return "event"
    if w in ("hospital", "hospitals") and i > a and lows[i - 1] == "to":
        return "casualties"  # "two were taken to hospital"
    if w == "life-threatening":
        # "his condition was not life-threatening", "life-threatening injuries": a person's state
        # (not "a life-threatening shortage of insulin", "a life-threatening heatwave")
        return "casualties" if "not" in lows[max(a, i - 3):i] or nxt in ("injuries", "injury", "condition") \
            or "condition" in lows[max(a, i - 5):i] else None
    if w in _ACTION_VERBS:
        before = lows[i - 1] if i > a else ""
        if before in _NOT_BEFORE_ACTION or before[:1].isdigit() or not _NEGATIONS.isdisjoint(lows[max(a, i - 3):i]):
            return None  # "the 230 million approved", "could not be lowered": no act
        if w == "diverted" and nxt not in ("to", "via", "away", "around"):
            return None  # "had diverted the attention of the world": no ships or flights sent elsewhere
        return "action"
    return CATEGORY_WORDS.get(w)


def _counted_people_before(tokens: TokenList, i: int, a: int) -> bool:
    """Is there a count or people noun in the few words before tokens[i] ("21 people had been",
    "Twelve have been", "six of the 11 had been")?"""
    for k in range(max(a, i - 6), i):
        low = tokens.lows[k]
        if tokens.firsts[k].isdigit() or low in _COUNT_WORDS or low in _CHARGEABLE_NOUNS:
            return True
    return False


_COUNT_WORDS = frozenset(NUMBER_WORDS) | frozenset("dozens hundreds thousands all both several many none some".split())
_CHARGEABLE_NOUNS = _PEOPLE_NOUNS | frozenset("protesters fans suspects officers youths teenagers activists supporters "
                                              "demonstrators rioters man woman".split())
_AFTER_CHARGED = frozenset("with over for in after on under and".split())
_LAUNCHED_OBJECTS = frozenset("attack attacks offensive operation raid raids".split())
_PASSIVE_BE = frozenset("been be was were is are being".split())


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


def _is_date_at(tokens: TokenList, i: int, a: int, b: int) -> bool:
    """"on Saturday", "September 22", "3 May", "last month", "in early March", "yesterday"."""
    texts = tokens.texts
    text = texts[i]
    if text in _WEEKDAY_NAMES:
        return True
    if text in _MONTH_NAMES:
        return (i + 1 < b and texts[i + 1][0].isdigit()) or (
            i > a and (texts[i - 1][0].isdigit() or tokens.lows[i - 1] in _DATE_LEAD)
        )
    w = tokens.lows[i]
    if w in ("yesterday", "tonight", "overnight"):
        return True
    if w in ("last", "this", "next") and i + 1 < b:
        return tokens.lows[i + 1] in _RELATIVE_TIME or texts[i + 1] in _MONTH_NAMES or texts[i + 1] in _WEEKDAY_NAMES
    return False
