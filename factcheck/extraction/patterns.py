"""Word lists and compiled cue patterns shared by the extraction rules.

The regular expressions here are alternations of literal words with bounded
gaps only (no nested unbounded repeats), so their cost stays linear in the
length of the text they scan. Category, hedge and opinion cues that are read
word by word live in ``cues``.
"""

from __future__ import annotations

import re

from .caching import bounded_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def alternation(words) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


# Besides its two cases, the characters re's IGNORECASE matching takes for an ASCII letter.
_IGNORECASE_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def word_search(alternatives, ignorecase: bool = True) -> re.Pattern:
    r"""The pattern ``\b(?:alt1|alt2|...)`` (case-insensitive unless told), compiled in a form
    that ``search`` runs fast; each alternative is a regex opening with a plain ASCII letter.

    sre cannot skip ahead through a text for a pattern opening with ``\b``, nor for any
    case-insensitive one: it tries the whole alternation at every character. So the pattern
    is written to open with the class of the alternatives' first letters (in every case the
    flag would match), which sre scans for in a tight loop; then the word boundary before that
    letter is a lookbehind (the letter is a word character, so ``\b`` before it is "no word
    character before it"), and the alternatives follow, each after a lookbehind for its own
    first letter, in their given order. Only alternatives opening with the letter found can
    match there, and they are tried in the original order, so the matches are the same.
    """
    alternatives = list(alternatives)
    by_first: dict[str, list[str]] = {}
    for alternative in alternatives:
        first = alternative[0]
        # (a plain first letter, no capturing group whose number would move)
        assert first.isascii() and first.isalpha() and alternative[1:2] not in ("?", "*", "+", "{") \
            and re.compile(alternative).groups == 0, alternative
        by_first.setdefault(first.lower() if ignorecase else first, []).append(alternative[1:])
    if ignorecase:
        letters = "".join(c + c.upper() + _IGNORECASE_EXTRA.get(c, "") for c in by_first)
    else:
        letters = "".join(by_first)
    branches = "|".join(f"(?<={c})(?:{'|'.join(rests)})" for c, rests in by_first.items())
    return re.compile(f"[{letters}](?<!\\w\\w)(?{'i' if ignorecase else ''}:{branches})")



def caseless_alternation(alternatives) -> str:
    r"""The source of ``(?i:alt1|alt2|...)`` for a pattern compiled without IGNORECASE, in a form
    that sre tries faster; each alternative is a regex opening with a plain character.

    In a case-insensitive alternation sre cannot tell from an alternative's first letter that it
    cannot match (it does so only for a case-sensitive literal or class), so it enters every
    alternative in turn. Here the alternatives are grouped by their first character, each group
    opening with the class of the characters the flag would match for it (the two cases, plus
    the odd ones of _IGNORECASE_EXTRA) and then the rests of its alternatives, in their given
    order, case-insensitive. Only the group of the character at hand can match, and its
    alternatives are tried in the original order, so the matches are the same.
    """
    by_first: dict[str, list[str]] = {}
    for alternative in alternatives:
        first = alternative[0]
        # (a plain first character, no capturing group whose number would move)
        assert first not in "\\[(.^$|?*+{" and alternative[1:2] not in ("?", "*", "+", "{") \
            and re.compile(alternative).groups == 0, alternative
        by_first.setdefault(first.lower(), []).append(alternative[1:])
    branches = []
    for c, rests in by_first.items():
        if c.isascii() and c.isalpha():
            opener = f"[{c}{c.upper()}{_IGNORECASE_EXTRA.get(c, '')}]"
        else:
            assert not c.isalpha() and c.lower() == c == c.upper(), c  # an uncased mark ("°"): itself only
            opener = re.escape(c)
        branches.append(f"{opener}(?i:{'|'.join(rests)})")
    return f"(?:{'|'.join(branches)})"


# --- closed word classes ---------------------------------------------------------------------

DETERMINERS = _words(
    "the a an this that these those its their his her our my your some any no each every all "
    "both either neither another such several many few"
)
PREPOSITIONS = _words(
    "of in on at from to with by for over into onto near across against since during under "
    "within without toward towards after before between through throughout per about around "
    "along amid among beyond via upon off inside outside behind below above beside despite like "
    "until till than including"
)
CONJUNCTIONS = _words("and or but nor")  # not "yet": usually "not yet"
SUBJECT_PRONOUNS = _words("i we you he she it they")
PRONOUNS = SUBJECT_PRONOUNS | _words("him her them us me one")
AUXILIARIES = _words(
    "is are was were be been being am has have had having do does did will would shall should "
    "can could may might must isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't "
    "didn't won't wouldn't can't couldn't shouldn't 's 're 've 'd"
)
RELATIVES = _words("that which who whom whose where when")
SUBORDINATORS = _words(
    "because although though whereas unless until while before after since once as if"
)
LEADING_CONNECTORS = RELATIVES | SUBORDINATORS | CONJUNCTIONS | _words(
    "so then however meanwhile also and thus therefore moreover still"
)
# Irregular past forms and participles that act as verbs before a figure or object.
IRREGULAR_VERBS = _words(
    "flew hit struck fired shot fought fled led left lost sent went came took taken gave given held "
    "made met won began begun broke broken brought built bought caught chose drew drove fell felt "
    "found got grew heard hid kept knew laid lay meant paid put ran rose said saw seen sat sold set "
    "shook sought spent spoke stood stole swept taught thought threw told tore understood woke wore "
    "wrote written overran overtook withdrew withdrawn undertook beat bore cut dug fed hung quit "
    "rode rang sank slew slain sprang spread stuck strode swore swung thrust wept became become "
    "done gone known shown shut split upheld cast"
)
# Present-tense verbs that commonly govern a count ("carries 7,500 sailors").
COMMON_VERBS = _words(
    "carries includes operates has says holds contains controls numbers totals employs houses hosts "
    "fields deploys kills remains estimates claims shows costs runs owns uses seeks "
    "carry include operate hold contain control total employ deploy kill estimate claim show cost "
    "died dies remain remained hit launch fire strike reach exceed see sees hear hears know knows think thinks "
    "lies stretches spans measures denies rejects dismisses disputes"
)
# -ed words that are (almost always) adjectives or nouns: "armed forces", "unexploded ordnance".
ED_NON_VERBS = _words(
    "hundred red bed shed speed need seed breed feed deed creed weed greed steed sacred kindred "
    "hatred naked wicked rugged ragged beloved united limited armed unarmed unexploded unidentified "
    "unnamed advanced detailed"
)
ING_NON_VERBS = _words(
    "morning evening building buildings during thing things nothing something anything everything "
    "king ring spring string wing ceiling meeting meetings funding bombing bombings shelling "
    "fighting training housing clothing offing wedding ending beginning"
)
TIME_WORDS = _words(
    "early late earlier later monday tuesday wednesday thursday friday saturday sunday morning "
    "night afternoon evening yesterday today tonight overnight last this week month year weekend "
    "recently previously on again now then also just"
)
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)


def is_verb_form(lower: str) -> bool:
    """A word that is (almost always) a finite verb or participle; no context."""
    return lower in AUXILIARIES or lower in IRREGULAR_VERBS or lower in COMMON_VERBS


@bounded_cache(maxsize=65536, max_key_chars=50)
def looks_like_verb(word: str) -> bool:
    """A verb by form: lexicon, or a lowercase -ed / -ing word that is not a known noun."""
    if not word or not word[0].isalpha() or word[0].isupper() or "-" in word:
        return False
    lower = word.lower().replace("’", "'")
    if is_verb_form(lower):
        return True
    if len(lower) > 4 and lower.endswith("ed") and lower not in ED_NON_VERBS:
        return True
    return len(lower) > 5 and lower.endswith("ing") and lower not in ING_NON_VERBS


# --- attribution -----------------------------------------------------------------------------

# Verbs that introduce reported content ("X said that ...", "..., X said").
SPEECH_VERBS = _words(
    "said says say told tells reported reports claimed claims stated states announced announces "
    "added adds noted notes note wrote writes warned warns vowed vows insisted insists argued "
    "argues alleged alleges asserted asserts acknowledged acknowledges admitted admits confirm confirmed "
    "confirms estimated estimates explained explains declared declares maintained maintains "
    "stressed stresses emphasised emphasized emphasises emphasizes concluded concludes predicted "
    "predicts revealed reveals disclosed discloses cited cites quoted quotes publicized publicised "
    "contended contends charged charges accused accuses observed observes suggested suggests "
    "believe believes believed found finds show shows showed ruled rules "
    "informs informed recalls recalled indicates indicated specifies specified underlines underlined"
)
# Speech verbs that need "that" to count (otherwise they take a plain object).
WEAK_SPEECH_VERBS = _words(
    "estimated estimates believe believes believed suggested suggests observed observes "
    "predicted predicts concluded concludes acknowledged acknowledges admitted admits "
    "confirm confirmed confirms revealed reveals disclosed discloses publicized publicised "
    "charged charges accused accuses declared declares announced announces found finds show shows showed "
    "informs informed recalls recalled indicates indicated specifies specified underlines underlined"
)
CITING_VERBS = _words("cites cited quotes quoted")
WRITING_VERBS = _words("wrote writes")
CLAIM_VERBS = _words("claimed claims claim alleged alleges charged charges accused accuses")
SPEECH_PARTICIPLES = _words(
    "claiming saying stating charging alleging accusing insisting arguing adding warning asserting "
    "contending maintaining"
)
HEDGING_PARTICIPLES = _words("claiming charging alleging accusing")
CLAIM_FORMS = _words("claim claims claimed claiming")  # (the words claims_lives looks at)


def claims_lives(lows: list[str], i: int, hi: int) -> bool:
    """Is lows[i] a form of "claim" whose object is lives ("the floods have claimed 14 lives"):
    a toll, not a claim or a speech verb? ("lives" within four words, before any full stop.)"""
    if lows[i] not in CLAIM_FORMS:
        return False
    for word in lows[i + 1:min(hi, i + 5)]:
        if word == "lives":
            return True
        if word == ".":
            return False
    return False


def looks_plural(word: str) -> bool:
    """A lowercase word in the plural by its ending ("shelters", "bodies"; not "crisis", "bus", "class")."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))
# Nouns whose "that"-clause is a claim being relayed ("allegations that ...").
CLAIM_NOUNS = _words(
    "allegation allegations claim claims report reports accounts rumours rumors assertions "
    "suggestions"
)

# Media and second-hand sources: a claim relayed from these is hedged.
OUTLET_NAMES_RE = re.compile(
    r"\b(?:Reuters|Associated Press|AP|AFP|Agence France-Presse|BBC|CNN|Al Jazeera|Bloomberg|"
    r"Xinhua|TASS|RIA|Interfax|IRNA|Fars|Tasnim|Mehr|ISNA|Anadolu|SANA|Yonhap|Kyodo|KCNA|"
    r"Guardian|Times|Post|Journal|Telegraph|Independent|Le Monde|Spiegel|NPR|Haaretz|Politico|"
    r"Axios|Economist|Tribune|Herald|Gazette|Chronicle|Daily|News)\b"
)
MEDIA_NOUNS = _words(
    "media newspaper newspapers paper daily agency agencies outlet outlets broadcaster broadcasters "
    "television tv radio channel station website magazine documentary article articles report "
    "reports reporting sources source tabloid press wire"
)
# Definite descriptions that refer back to the last source named ("the newspaper cites").
ANAPHORIC_SOURCE_NOUNS = _words(
    "newspaper paper article report agency organization organisation statement study survey "
    "documentary broadcaster outlet daily magazine force"
)
# A named person: titles and roles.
PERSON_WORDS = _words(
    "president minister spokesman spokeswoman spokesperson adviser advisor secretary general "
    "gen. col. colonel lt. cmdr. commander capt. captain maj. major sgt. sergeant adm. admiral "
    "mr. mrs. ms. dr. doctor governor mayor senator sen. rep. representative ambassador envoy "
    "chief director official member leader analyst officer correspondent reporter witness king "
    "prince premier chairman chairwoman fellow professor manager owner resident"
)
# Parties to a conflict or government bodies: their own account of their own action is hedged.
PARTY_WORDS = _words(
    "government ministry military army navy forces regime rebels militia group front "
    "spokesman spokeswoman commander command guard guards corps authorities"
)
OWN_FORCE_NOUNS = (
    "forces|troops|fighters|units|soldiers|men|servicemen|army|navy|air force|boats|ships|aircraft|"
    "missiles|drones|rockets|military|operation|strikes|warplanes|jets|militia|militias|artillery"
)
OWN_ACCOUNT_RE = word_search(rf"{owner}\s+(?:\w+\s+)?(?:{OWN_FORCE_NOUNS})\b" for owner in ("its", "their", "our"))

# Country names, capitals and demonyms: "Tehran said ... Iranian-made" is a party's own account.
_GAZETTEER = [
    ("Iran", "Tehran", "Iranian"), ("Iraq", "Baghdad", "Iraqi"), ("Syria", "Damascus", "Syrian"),
    ("Israel", "Jerusalem|Tel Aviv", "Israeli"), ("Russia", "Moscow|Kremlin", "Russian"),
    ("United States|US|U.S.|America", "Washington|White House", "American|US|U.S."),
    ("China", "Beijing", "Chinese"), ("Saudi Arabia", "Riyadh", "Saudi"),
    ("Turkey", "Ankara", "Turkish"), ("Ukraine", "Kyiv|Kiev", "Ukrainian"),
    ("Lebanon", "Beirut", "Lebanese"), ("Yemen", "Sanaa", "Yemeni"), ("Egypt", "Cairo", "Egyptian"),
    ("Jordan", "Amman", "Jordanian"), ("Qatar", "Doha", "Qatari"), ("Kuwait", "Kuwait City", "Kuwaiti"),
    ("United Kingdom|Britain|UK", "London|Downing Street", "British"), ("France", "Paris|Elysee", "French"),
    ("Germany", "Berlin", "German"), ("Pakistan", "Islamabad", "Pakistani"),
    ("India", "New Delhi|Delhi", "Indian"), ("Afghanistan", "Kabul", "Afghan"),
    ("North Korea", "Pyongyang", "North Korean"), ("South Korea", "Seoul", "South Korean"),
    ("Japan", "Tokyo", "Japanese"), ("Libya", "Tripoli", "Libyan"), ("Sudan", "Khartoum", "Sudanese"),
    ("Ethiopia", "Addis Ababa", "Ethiopian"), ("Venezuela", "Caracas", "Venezuelan"),
    ("Azerbaijan", "Baku", "Azerbaijani"), ("Armenia", "Yerevan", "Armenian"),
    ("Georgia", "Tbilisi", "Georgian"), ("Belarus", "Minsk", "Belarusian"),
    ("Poland", "Warsaw", "Polish"), ("Taiwan", "Taipei", "Taiwanese"),
    ("United Arab Emirates|UAE", "Abu Dhabi", "Emirati"), ("Bahrain", "Manama", "Bahraini"),
    ("Oman", "Muscat", "Omani"),
]


def _party_index() -> dict[str, re.Pattern]:
    """Any name, capital or demonym -> the pattern of that party's own names and demonyms."""
    index: dict[str, re.Pattern] = {}
    for names, capitals, demonyms in _GAZETTEER:
        own = (names + "|" + demonyms).split("|")
        own_re = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, own)) + r")(?![\w])")
        for name in (names + "|" + capitals + "|" + demonyms).split("|"):
            index.setdefault(name, own_re)
    return index


PARTY_OF = _party_index()
PARTY_NAME_RE = re.compile(r"(?<![\w.])(" + alternation(PARTY_OF) + r")(?![\w])")
COUNTRY_OR_CAPITAL_RE = re.compile(
    r"(?<![\w.])(?:" + "|".join(f"{n}|{c}" for n, c, _ in _GAZETTEER).replace(".", r"\.") + r")(?![\w])"
)

# --- hedges ----------------------------------------------------------------------------------

HEDGE_WORD_RE = re.compile(
    r"\b(?:claim(?:s|ed|ing)?|purported(?:ly)?|alleged(?:ly)?|allegations?|reportedly|"
    r"unverified|unconfirmed|preliminary|provisional|supposed(?:ly)?|flash[ \t]+(?:estimates?|figures?|readings?))\b",
    re.IGNORECASE,
)
ANONYMITY_RE = re.compile(
    r"\b(?:asked\s+not\s+to\s+be\s+(?:named|identified)|on\s+(?:the\s+)?condition\s+of\s+anonymity|"
    r"declined\s+to\s+be\s+(?:named|identified)|speaking\s+anonymously|requested\s+anonymity|"
    r"were\s+not\s+authori[sz]ed\s+to\s+speak|was\s+not\s+authori[sz]ed\s+to\s+speak)\b",
    re.IGNORECASE,
)
CONDITIONAL_RE = re.compile(
    r"\bif\s+(?:(?:the|this|that|these|those|such)\s+)?(?:report|reports|claim|claims|account|"
    r"accounts|allegations?|figures?|information|footage|video)\s+(?:is|are|was|were|proves?|turns?\s+out\s+to\s+be)\s+"
    r"(?:true|accurate|correct|confirmed|verified|genuine|authentic)\b"
    r"|\bif\s+(?:true|confirmed|verified|accurate|genuine)\b",
    re.IGNORECASE,
)
