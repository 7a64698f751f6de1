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
   score, and keep those scoring at least ``MIN_SCORE``; where the cue words
   leave the category open (event, other, distance), weights learned from the
   tuning half may settle it (``category_model``).

Hedges that reach across sentences ("However, Reuters could not
independently verify the report.") are applied once the whole text is read.
Everything is deterministic and linear in the length of the text: each rule
looks at a bounded window of tokens, a sentence longer than 64,000 characters
(a text without punctuation) is read in pieces of at most that, and so is any
text in chunks: the working set stays small whatever the input.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import compress
from operator import itemgetter

from .attribution import (
    _evidence_author,
    ArticleContext,
    _as_source,
    Frame,
    Governance,
    clean_claimant,
    counts_own_event,
    LazySubject,
    own_act,
    PUT_AT_RE,
    TOLL_RE,
    _FRAME_TRIGGERS,
    find_frames,
    goes_on_by_own_people,
    goes_on_by_pronoun,
    governing,
    is_a_side,
    speaks_for_own_body,
)
from . import category_model
from .caching import bounded_cache
from .cues import MEDIA_WORDS as _MEDIA_WORDS
from .cues import MILITARY_AMBIGUOUS, MILITARY_CONTEXT, Annotations, choose_category
from .model import Candidate
from .numbers import (
    ANIMAL_UNITS,
    CHANGE_OPTIONAL_BY_RE,
    CHANGE_TO_BEFORE_RE,
    CHANGE_UNITS,
    MONEY_UNITS,
    NUMBER_WORDS,
    QuantityMention,
    candidate_starts,
    dates_back,
    find_quantities,
)
from .patterns import (
    AUXILIARIES,
    DETERMINERS,
    LEADING_CONNECTORS,
    MONTHS,
    PREPOSITIONS,
    PRONOUNS,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    looks_like_verb,
    word_search,
    looks_plural,
)
from .sentences import (
    OPEN_QUOTES,
    SMALL_COUNT_WORDS,
    apposition_end,
    Sentence,
    TokenList,
    is_list_comma,
    lower_token,
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
# A longer "sentence" (no punctuation for pages, a megabyte of dots) is read as pieces of at most
# this many characters, cut at a blank where there is one: tokens, cues and figures are held
# for a chunk at a time, and a chunk must stay small whatever the text.
_MAX_SENTENCE_CHARS = _CHUNK_CHARS
_LEFT_WINDOW = 12
_RIGHT_WINDOW = 25

_DATELINE_RE = re.compile(
    r"[A-Z][A-Z’'.\- ]{2,40}(?:,[ \t]*[A-Z][\w’'.\- ]{1,40}?)?(?:[ \t]*\([^)\n]{1,40}\))?[ \t]+[-–—]+[ \t]+"
    # a live blog's "23:58 — ", "2.15pm: ", "Update 13:30 — ", "14:05 Police say"
    r"|(?:Update[d]?[ \t,:]*)?\d{1,2}[:.]\d\d(?:[ \t]*(?:[ap]\.?m\.?|GMT|UTC|BST|CET|[A-Z]{3,4}))?"
    r"(?:[ \t]*[-–—:]+[ \t]+|[ \t]+(?=[A-Z]))"
)
_CLAIM_APPOSITIVE_NOUNS = frozenset("claim claims allegation allegations assertion charge accusation".split())
_APPOSITIVE_OPENERS = _CLAIM_APPOSITIVE_NOUNS | {"a", "an", "the"}
_LEADERS = LEADING_CONNECTORS | frozenset(",;:")  # words and marks strip_leading_connectors removes
# A disclaimer about two sides' accounts ("could not confirm either side's account", "Neither
# side's account could be independently verified", "neither version", "both sides' claims")
_EITHER_SIDE_RE = re.compile(
    r"\b(?:either|both|neither)[ \t]+(?:(?:side|sides|party|parties)[’']s?[ \t]+)?"
    r"(?:account|accounts|version|versions|claim|claims|figures|tolls)\b", re.IGNORECASE)
_EITHER_SIDE_SENTENCES = 6
_FIGURE_WORDS = frozenset("figure figures number numbers toll count data statistics".split())
_CASUALTY_WORDS = frozenset("casualty casualties death deaths dead killed wounded injured injuries".split())
_DISCLAIMER_ADJECTIVES = frozenset(("unverified", "unconfirmed"))
_APPOSITION_OPENERS = frozenset("including among".split())
_APPOSITION_ENDS = frozenset(", ; : — – ( )".split())
_TIME_UNITS = frozenset("minutes hours days weeks months".split())
_TIME_FRAME_WORDS = frozenset("in within over during inside for".split())
_MAX_WHEN_TOKENS = 30
_SHORT_CLAUSE = 5
_SHORT_SUBJECT = 10  # tokens: "The number of rural bus routes in the region | fell to 61"
_INCLUDING_WORDS = 10  # tokens of a subject's "including ..." apposition, its commas included
_QUOTE_MARKS = frozenset('“”«»"')
_CONJUNCTIONS = frozenset(("and", "or", "but"))
_CLAUSE_BREAKS = frozenset(",;:")
# "taken to hospital" is a place, not a purpose clause like "to hit"
_TO_PLACES = frozenset(
    "hospital hospitals court prison jail power safety school work sea shore other nearby neighbouring neighboring "
    "surrounding higher".split()
)
_TIME_VALUES = frozenset("years months weeks days hours minutes".split())  # (see numbers.dates_back)
# "told to leave", "forced to flee": the infinitive is what they were told, part of the claim
_TO_COMPLEMENT_VERBS = frozenset(
    "told ordered asked forced allowed urged advised instructed made able unable set due".split()
)
_COVERING = frozenset("covering affecting involving containing holding worth totalling totaling carrying".split())
_OBJECT_OPENERS_AFTER_VERB = frozenset("a an the its their his her about around nearly almost some more over".split())
_PLURAL_NOT_VERBS = frozenset("others times percent points years months weeks days hours".split())
_THRESHOLDS = frozenset(("over", "at least", "up to", "under"))  # ("waited more than 12 hours": how many did)
_OF_WHOM = frozenset("whom which them".split())
_WITH_FILLERS = frozenset("a an the total of some about around nearly almost more than over up to space room for capacity".split())
_ESTIMATE_REACH = 16  # "estimated | the damage to shop windows, street furniture and two tram shelters | at"
_ESTIMATING = frozenset("put puts putting estimated estimates estimate estimating".split())
_SCHEDULED_BE = frozenset("was were is are".split())
_STRIKE_PURPOSES = frozenset("hit strike destroy".split())
_COUNT_SUBJECTS = frozenset("number toll total tally count".split())
_ELAPSED_RE = re.compile(r"[ \t]+later[ \t]*(?:[.;,]|$)")
_HEADCOUNT_NOUNS = frozenset("number crowd crowds turnout attendance figure".split())
_PEOPLE_COUNTS = frozenset("crowd crowds turnout attendance toll dead audience".split())
_OWNER_RE = re.compile(r"\b(?:the|a|an)\s+((?:[\w-]+\s+){0,3}?[\w-]+)(?:'s|’s)\s+(?:\w+\s+)?"
                       r"(?:account|accounts|estimate|estimates|claim|claims|figure|figures|version|allegations?)\b",
                       re.IGNORECASE)
_PROVISIONAL_HEDGE_RE = word_search(word + r"\b" for word in ("preliminary", "provisional", "flash"))
_COMPARISON_BASE_RE = re.compile(
    r"\b(?:from|compared[ \t]+(?:with|to)|against|after[ \t,]+an?[ \t]+(?:\w+[ \t]+)?(?:contraction|fall|drop|rise|"
    r"increase|growth|decline)[ \t]+of)[ \t]+(?:about[ \t]+|around[ \t]+|some[ \t]+)?$",
    re.IGNORECASE,
)
_OWN_ACT_CHARS = 400  # (what leads to a claim from its attribution, read for an own act: bounded)
_HEDGE_BONUS = 0.05  # a hedged claim is worth a reviewer's look
_COURTESY_WORDS = frozenset("thanks thanked condolences gratitude sympathies".split())
# A sentence whose subject (up to eight words) appeals, calls on, urges or offers condolences
_APPEAL_REACH = 10
_APPEAL_WORDS = frozenset("appeals appealed calls called urges urged extends extended expresses expressed".split())
_APPEAL_RE = re.compile(
    r"(?:the[ \t]+)?(?:(?!who\b|which\b|that\b)[\w’'-]+[ \t]+){0,7}?(?:(?:appeals|appealed)[ \t]+to|(?:calls|called)[ \t]+on|urges|urged"
    r"|(?:extends|extended|expresses|expressed)[ \t]+(?:its|their|his|her)[ \t]+(?:[a-z]+[ \t]+)?"
    r"(?:condolences|sympathies|sympathy))\b",
    re.IGNORECASE,
)
_EDITORIAL_OPENERS = frozenset(
    "this correction clarification an editor's editors update updated translated unofficial the text communiqué "
    "statement official entries updates posts".split()
)
# Notes about the document itself: updates and corrections, and the header of a translated or
# reproduced statement ("Translated from Portuguese.", "Unofficial translation of a statement
# issued by ...", "The following is the text of a statement ...").
_EDITORIAL_RE = re.compile(
    r"(?:Update[d]?[^:\n]{0,24}:\s*)?(?:This (?:article|story|report|page|post|blog)\s+(?:has been|was|is being)\s+(?:updated|corrected|amended|changed)"
    r"|This (?:live )?(?:blog|coverage|live page)\s+(?:is now|has now|has)\s+(?:closed|ended|finished)"
    r"|(?:Entries|Updates|Posts) are (?:shown|listed|published) in the order"
    r"|Correction\s*:|Clarification\s*:|Editor['’]s note\s*:|An earlier version of this (?:article|story|report))",
    re.IGNORECASE,
)
_HEADER_RE = re.compile(
    r"(?:(?:Unofficial |Official )?translat(?:ed|ion)\b[^.\n]{0,60}\b(?:from|of)\b"
    r"|(?:The following is (?:the (?:full )?text of |an? (?:unofficial |official )?translation of )?)?"
    r"(?:a |the )?(?:communiqué|statement|press release|text)\s+(?:issued|released|published)\s+by\b"
    r"|The following is\b)",
    re.IGNORECASE,
)
_LIST_MARKS = frozenset((",", "and"))
_RELATIVE_OPENERS = frozenset(("which", "who", "whose"))
# "The mill, which opened in 1978, employs 1,150 people": one claim, the relative clause saying which
# mill; but "Karsten Hill, which opened in 1968, was designed for ...": a named thing's relative
# clause is a fact of its own
_SUBJECT_RELATIVES = frozenset(("which", "who"))
_COMMON_NOUN_OPENERS = frozenset("the a an its their his her".split())
_PLACE_PREPOSITIONS = frozenset("in at across".split())  # ("spent the night in 31 shelters")
# What makes a phrase without a figure more than a name (see _no_predicate): a record's words, and
# past forms the verb lexicon (patterns.IRREGULAR_VERBS) lacks; "based in" describes, it does not predicate
_RECORD_MARKS = frozenset("since first last most least than responsible blames blamed record".split())
_MORE_PAST_FORMS = frozenset("retook rebuilt read".split())
_DESCRIBING_PARTICIPLES = frozenset("based located headquartered".split())
_WRITER_OWN_REACH = 5  # tokens: "Last month my neighbour's daughter", "A friend of mine"
# (but "The union, which called the strike, put the number at 3,000", "..., blamed the government":
# the subject is the claim's source, not part of it)
_SOURCE_PREDICATES = frozenset("put puts estimated estimates blamed blames accused accuses denied denies".split())
_DAMAGE_WORDS = frozenset("destroyed destroy destroys destroying collapsed completed damaged hit".split())
_FIRST = itemgetter(0)
_NOTHING_JOINED: dict[int, int] = {}  # (never modified)
_TIME_FRAME_ONLY = frozenset("over in during within for the past last next first coming previous few".split())
_CLAUSE_MARKS = frozenset(";:—–()“”\"")
_QUOTE_REACH = 40
# A disclaimer whose object is plural ("the casualty figures", "their accounts") may cover
# several claims; a singular one ("the figure", "her account") the nearest claim(s) only.
_PLURAL_OBJECTS = frozenset(
    "figures numbers tolls counts data statistics casualties deaths accounts reports claims allegations "
    "these those their they them both all".split()
)
_NEGATORS = frozenset("never not n't no".split())
_DEADLINE_MARKERS = frozenset("would will promised pledged vowed".split())
_WE_ARE_TOLD_RE = re.compile(
    r"we\s+(?:are|were|have\s+been|had\s+been|keep\s+being|get)\s+(?:\w+\s+)?(?:told|promised|assured|reminded)\b",
    re.IGNORECASE,
)
_RECORD_WORDS = frozenset("since record history".split())
_RECORD_RE = re.compile(
    r"\b(?:is|was|are|were|has\s+been|had\s+been)\s+(?:the|its|their)\s+(?:\w+est|most\s+\w+|first|worst|best)\b"
    r"[^;:]{0,60}?\b(?:since\s+(?:\d{4}|\w+\s+\d{4}|records\s+began)|on\s+record|in\s+(?:[\w’']+\s+){0,3}history)\b",
    re.IGNORECASE,
)
# A superlative record that a "when" clause may follow: "was the deadliest crash in Norvessa since
# 2011" (not "was the clubs' first league meeting since 2009", where what happened then is the point)
_SUPERLATIVE_RECORD_RE = re.compile(
    r"\b(?:is|was|are|were|has\s+been|had\s+been)\s+(?:the|its|their)\s+(?:\w+est|most\s+\w+|worst|best)\b"
    r"[^;:]{0,60}?\bsince\s+(?:\d{4}|\w+\s+\d{4})\Z",
    re.IGNORECASE,
)
_ON_DUTY_RE = re.compile(
    r"\b(?:officers|police|units|riot\s+squads?)\b[^.;]{0,40}?\b(?:on\s+duty|deployed|mobili[sz]ed|drafted\s+in"
    r"|used\s+to\s+(?:separate|disperse|contain|clear))\b"
)
_TURNOUT_RE = word_search((word + r"\b" for word in (r"t[a-z]+\s+part", "marched", "attended", "rallied", r"turned\s+out")),
                          ignorecase=False)
_CALLING_ITSELF_RE = re.compile(r"\b(?:calling|called)\s+(?:itself|themselves)\s+([A-Z].*)$")
_NEGATIVE_FINDING_RE = word_search(
    [verb + r"\s+no\s+(?:\w+\s+){0,2}?(?:evidence|sign|signs|trace|traces|irregularities|irregularity|damage|fault|"
     r"faults|link|wrongdoing|officers?)\b" for verb in ("found", "detected", "identified", "recorded", "seen", "saw")]
    # "no card numbers or passwords had been taken", "No other mine ... has been affected" (not "No
    # decision has been taken", "No group has taken responsibility")
    + [r"no\s+(?!decisions?\b|action\b|steps?\b|measures?\b|notice\b|one\b)(?:[\w’'-]+,?\s+){0,6}?"
       r"(?:had|has|have|was|were)\s+(?:been\s+(?:found|detected|reported|recorded|identified|taken|stolen|accessed|"
       r"affected|compromised|exposed|damaged)|(?:found|detected|reported|recorded|identified))\b"]
    + [aux + r"\s+(?:been\s+)?(?:not|never)\s+(?:been\s+)?(?:affected|compromised|damaged|harmed|breached|accessed|"
       r"stored|stolen)\b" for aux in ("was", "were", "had", "has", "have")]
    + [aux + r"\s+not\s+(?:hold|store|keep|contain)\s+(?:any\s+)?(?:[\w-]+\s+)?"
       r"(?:data|records|details|information|numbers|passwords)\b" for aux in ("does", "do", "did")]
    + [aux + r"\s+not\s+(?:in\s+danger|life-threatening)\b" for aux in ("is", "are", "was", "were")]
)
_PASSIVE_AUX = frozenset("was were been is are be".split())
_STATE_PARTICIPLES = frozenset(
    "built laid made held kept left shut opened founded established renovated refurbished inspected surveyed "
    "replaced maintained upgraded installed decommissioned disconnected repaired serviced audited electrified "
    "resurfaced tested certified licensed insured".split()
)
_FUTURE_MARKERS = frozenset(
    "will 'll shall due plans plan planned planning intends intend intended aims going declined refused "
    "expect expects hope hopes hoped hoping would could may might promised promises pledged pledges vowed "
    "vows committed commits expected scheduled forecast forecasts projects predicts appear".split()
)
_PROMISE_VERBS = frozenset("promised pledged vowed".split())
# Endings of nouns, not of a verb's base form: "due to inflation", "due to a shortage", "due to
# bad weather" are causes, "due to present", "due to arrive" schedules
_NOUN_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ure", "age", "ism", "ther")

# Before "promised", a word that makes it a participle or a thing promised, not a party's promise:
# "the money already promised", "as promised", "had promised" (a past promise, on the record)
_NOT_A_PROMISER = frozenset("already as had has have the was were is are been being".split())


def _infinitive_at(tokens: TokenList, k: int) -> bool:
    """Can tokens[k], after "to", be an infinitive ("pledged to send") rather than whom the thing
    went to ("pledged to Drevania", "promised to the families", "promised to 40 schools")?"""
    word = tokens.texts[k]
    return word[:1].isalpha() and word[0].islower() and tokens.lows[k] not in DETERMINERS


# a count before "projects" makes it a noun ("cancelled 40 projects", "three projects a year")
_COUNT_WORDS = NUMBER_WORDS.keys() | frozenset("dozens hundreds thousands many several some all".split())
_FORECAST_VERBS = frozenset("forecast forecasts projects predicts".split())
_FORECAST_WORDS = frozenset("could may might".split())
_ADVERBS = frozenset("now also still not already widely generally".split())
# after a form of "be", "expected to" reports someone else's expectation ("is expected to arrive"), kept
_COPULAS_BE = frozenset("is are was were be been being".split())
_NAMING_REACH = 40  # (how far into a claim its naming verb is looked for: bounded work)
_NAMING_VERBS = frozenset("called calls branded brands dubbed labelled labeled termed".split())
# "she expected most of the troops to stay", "they expected both sides to agree": someone's
# expectation (not "economists had expected the rate to stay at 5.9 percent", a benchmark, nor
# "more households than ever expected unemployment to rise", a survey's finding)
_EXPECTING_PRONOUNS = frozenset("he she it they we i".split())
_SAY_WORDS = frozenset("say comment give disclose confirm specify elaborate discuss reveal name".split())
# Before "plans to", "aims to": the plan is a thing announced or a campaign's purpose, not the
# sentence's own intention.
_PLAN_AS_NOUN = frozenset("announced unveiled published approved presented its their the a new that which".split())
_MONTH_NAMES = frozenset(MONTHS.split("|"))
_GAPPED_PREPOSITIONS = frozenset("for on with".split())
_GAPPED_ITEM_RE = re.compile(r"[ \t]+(?:for|on)[ \t]")
_GAPPED_ITEM_WORDS = frozenset(("for", "on"))
_NAMING_DETERMINERS = frozenset(("the", "their"))
_CASUALTY_NOUNS = frozenset("injured wounded survivors missing dead bodies victims".split())
_ACTS_ON_PEOPLE = frozenset(
    "transported evacuated flown taken moved transferred disembarked recovered buried identified airlifted "
    "brought carried driven search searches continues resumed".split()
)
_NOUN_AFTER = frozenset(("under",))  # "under control", "under review": the word after is a noun
_BUILDING_VERBS = frozenset(
    "laid lay lays built builds build replaced replace replaces repaired repair repairs installed install installs "
    "dug dig paved resurfaced renewed renew upgraded upgrade constructed construct electrified cleared".split())
_ACCUSATION_AS_PREDICATE = 6  # (how far into a claim its denial or accusation verb may stand)
_PENALTY_WORDS = frozenset("fine fines fined prison jail penalties penalty sentences ban bans charges up".split())
# A strike or attack by a weapon ("drone strikes", "a missile attack", "air strikes"): an act the
# learned weights must not take for a labour strike's statistics
# (\b(?:drone|...|airstrike)[ \t]+(?:strikes?|attacks?)\b|\bairstrikes?\b, case-blind: in word_search's
# form, which search runs fast)
_ARMED_STRIKE_RE = word_search(
    [word + r"[ \t]+(?:strikes?|attacks?)\b"
     for word in ("drone", "missile", "rocket", "air", "artillery", "mortar", "airstrikes", "airstrike")]
    + [r"airstrikes?\b"])
_VERB_OBJECT_NOUNS = frozenset("fire control power".split())  # (verbs too: "fire", "control", "power")
_TAKES_NOUN_OBJECT = frozenset("set sets setting opened open opens opening caught catch ceased took take takes "
                               "taking lost lose loses regained seized".split())
_AND_GAP_RE = re.compile(r"[ \t]*,?[ \t]*and[ \t]+$")
_CHANGE_FILLER = frozenset("to from on in a an the year earlier ago previous month quarter average of".split())
_FROM_TO_FILLER = frozenset("to in on at about around nearly almost some just over under more less than the".split())
_FROM_TO_VERBS = frozenset(
    "has have had been was were is are fell fallen dropped risen rose grown grew increased decreased declined "
    "cut reduced".split()
)
_QUESTION_OPENERS = frozenset(
    "why how what when where who whom which whose is are was were do does did can could should will would "
    "has have had isn't aren't wasn't didn't doesn't".split()
)
_WE_OPINION = frozenset("should must need ought cannot".split())
# A penalty the law allows, stated anywhere in the clause ("Under the data law, companies can be
# fined up to 4 percent of their turnover", "fines can reach 4 percent of turnover", "a public
# body that fails ... can be fined up to 500,000 dinars"): what may happen, not what did (the
# fines a regulator imposed, "fined the bank 350,000 euros", stay claims)
_PENALTY_ALLOWED_RE = re.compile(
    r"\b(?:can|could|may)[ \t]+(?:also[ \t]+)?be[ \t]+(?:fined|jailed|imprisoned|punished)\b"
    r"|\b(?:fines|penalties)\b[^.;]{0,80}?\b(?:can|could|may)[ \t]+(?:reach|total|amount|run|be[ \t]+as)\b",
    re.IGNORECASE,
)
_PENALTY_ALLOWED_WORDS = frozenset("fined jailed imprisoned punished fines penalties".split())  # (one is needed)
_COPULA_FORMS = frozenset("is are was were 's".split())
_RHETORICAL_OPENERS = frozenset("imagine picture suppose ask consider remember compare".split())
# Words that send a sentence of one or two tokens down the whole path (_SentenceWorker.run).
_SHORT_PASS = (_EDITORIAL_OPENERS | _QUESTION_OPENERS | _RHETORICAL_OPENERS | _FRAME_TRIGGERS | MILITARY_CONTEXT
               | _NEGATORS | _RECORD_WORDS)
_NOT_IMPERATIVE_NEXT = frozenset("that was were is are has had said says of".split())  # "Compare was ...": a name
_RESULT_PARTICIPLES = frozenset("killing injuring wounding leaving displacing destroying damaging".split())
_SPEAKER_ACTS = frozenset("announced called urged demanded pledged promised vowed appealed unveiled launched".split())
_CIRCUMSTANCE_OPENERS = frozenset("when since before after until".split())
_HEIGHT_WORDS = frozenset(
    "height heights high tall level levels peaked altitude rainfall snow thick rose risen stands stood depth deep "
    "gauge".split()
)
_BACK_REFERENCES = frozenset("them it its their the those whom these".split())
_SHARE_WORDS = frozenset(
    "half third thirds quarter quarters fifth fifths tenth tenths most many some all none majority "
    "minority percent proportion share".split()
)
_SMALL_NUMBERS = frozenset("one two three four five six seven eight nine ten eleven twelve".split())
_ESTIMATE_VERBS = frozenset("run last take cost reach need be exceed fall rise".split())
# after "would" or "will": a party's next step, handing out or asking for something ("would send
# 2,000 soldiers", "will release 20 million crowns", "would report on the causes within 30 days")
_PLANNED_ACTS = frozenset("send release ask report provide give allocate donate".split())
# after a "would": a state that holds now and goes on ("would maintain its presence"), the
# adverbs between ("would not", "would also"), and the auxiliaries of a fact later in the clause
_CONTINUING_STATES = frozenset("maintain maintains continue keep remain stay".split())
_WOULD_ADVERBS = frozenset("not never also still immediately now soon then".split())
_FACT_AUXILIARIES = frozenset("has have had was were is are".split())
_RESULTS_RE = re.compile(r"\bresults\b", re.IGNORECASE)
_IN_A_YEAR_RE = re.compile(r"\b(?:in|of)[ \t]+(?:19|20)\d\d\b", re.IGNORECASE)
_RESULT_WORDS = frozenset("won took carried received came seats seat vote votes".split())
_FORCE_POSTURE_WORDS = frozenset("troops forces soldiers presence military army navy".split())
_FUTURE_TIMES = frozenset(
    "next tomorrow later soon coming monday tuesday wednesday thursday friday saturday sunday".split()
)
# Units that count people: two of them coordinated under one predicate ("312 passengers and nine
# crew", "40 adults and 12 children") are one count in parts.
_PEOPLE_UNITS = frozenset(
    "people persons passengers crew crews adults children men women boys girls staff employees workers residents "
    "patients pupils students visitors fans spectators migrants refugees civilians inmates prisoners drivers "
    "teachers nurses doctors volunteers".split()
)
_NOT_PEOPLE = frozenset(
    "tonnes tons kilograms fish trees oaks pines cattle sheep goats cows pigs animals livestock birds "
    "chickens hectares acres head".split()
)
_MAX_APPOSITION_TOKENS = 15
_RESTRICTIVE = frozenset(("who", "that"))
_POSSESSIVE_OPENERS = frozenset(("its", "the", "their", "his", "her"))
_ORDINAL_SUPERLATIVES = frozenset("first last second third most least worst best".split())
# What sets a second figure against the first: "up from", "down from", "against", "compared with".
_CONTRAST_OPENERS = frozenset(
    "up down from against compared versus vs than while whereas but and or higher lower more less fewer "
    "below above under over just short".split()
)
_APPOSITION_CLOSERS = frozenset(",;:.!?)”\"—–")
_CHANGE_NOUNS = frozenset("increase rise fall drop decline decrease jump gain loss cut reduction".split())
_PHRASE_BREAKS = frozenset(", ; : and or but".split())  # end a noun phrase (and the walk left from a figure)
_RIGHT_STOPS = frozenset(", ; : — – … and or but to )".split())  # what may end a figure's phrase


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    category: str
    claimant: str | None
    mention: QuantityMention | None
    hedges: list[str]
    dated_or_named: bool  # what _score reads of the span's cues (see Annotations.span)
    year: bool  # dated to a year ("built in 1974", "not inspected since 2002"): checkable on the record
    subjectless: bool  # opens with an auxiliary ("was treated for ..."): a predicate without its subject
    only_dated: bool  # an "event" only because it names a day ("stood up in parliament on Wednesday")
    opinion: bool
    verb: bool
    words: int
    fact: bool = False  # an "other" that reads as an event for the score (see _state_of_a_thing)
    shown: str | None = None  # the claimant by the name the article gave it, for the reviewer (see _shown)
    settled: bool = False  # the category is the structure's (a toll's people moved, an armed strike), not the weights'


@dataclass(slots=True)
class _SentenceResult:
    paragraph: int
    drafts: list[_Draft]
    disclaimer: str | None = None  # a main-clause "could not verify" that reaches back
    disclaimer_values: tuple = ()  # the figures the disclaimer names ("the 1,200 missing")
    media: bool = False  # mentions footage, video or images (what a disclaimer may be about)


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


_ARMS = frozenset(("forces", "weapons"))
_WEIGHT_OF_RE = re.compile(r"[ \t]+of\b")


# "Defence" in a court ("the defence lawyer"), a hospital ("a last line of defence") or on a coast
# ("flood defences"), and "brigades" of firefighters, name no military
_CIVIL_DEFENCE_BEFORE = frozenset("flood sea coastal civil self".split())
_CIVIL_DEFENCE_AFTER = frozenset("lawyer lawyers counsel attorney attorneys team barrister witness witnesses case".split())
_CIVIL_BRIGADE_BEFORE = frozenset("fire volunteer".split())


def _military_sense(lows: list[str], lo: int, hi: int) -> bool:
    """Is one of the military words of lows[lo:hi] used in its military sense (not "the defence
    lawyer", "a last line of defence", "flood defences", "the fire brigades")?"""
    for k in range(lo, hi):
        w = lows[k]
        if w not in MILITARY_CONTEXT:
            continue
        before = lows[k - 1] if k > lo else ""
        if w in ("defence", "defense", "defences", "defenses"):
            if before in _CIVIL_DEFENCE_BEFORE or k + 1 < hi and lows[k + 1] in _CIVIL_DEFENCE_AFTER \
                    or before == "of" and k - 2 >= lo and lows[k - 2] == "line":
                continue
        elif w in ("brigade", "brigades") and (before in _CIVIL_BRIGADE_BEFORE or k - 2 >= lo and lows[k - 2] == "fire"):
            continue  # "the fire brigade", "the Volunteer Fire Brigades", "the fire and rescue brigade"
        return True
    return False


@bounded_cache(maxsize=65536, max_key_chars=50)
def _predicate_word(word: str) -> bool:
    """Does the token ``word`` make a phrase more than a name (see _no_predicate): a verb, an
    auxiliary or a participle, or a record's word? A function of the word alone, so it is
    cached like looks_like_verb (one dict lookup per token of a figure-less proposal)."""
    low = lower_token(word)  # (the token's lowercase form, as tokenize makes it)
    return (looks_like_verb(word) or low.endswith("ed") and len(low) > 3 or low in _MORE_PAST_FORMS) \
        and low not in _DESCRIBING_PARTICIPLES \
        or low in AUXILIARIES or low in _RECORD_MARKS or (low.endswith("est") and len(low) > 4) \
        or low.endswith("-made")  # ("used", "retook"; not "a firm based in Norstad")


def _sum_or_share(text: str, mention: QuantityMention | None) -> bool:
    """Is the figure a sum of money or a share? "The army's programme to buy 312 armoured vehicles
    will cost 3.9 billion euros": a budget's or a statistic's figure, not troops or weapons (but
    "1,500 pounds of explosives" is a weight)."""
    if mention is None:
        return False
    unit = mention.quantity.unit
    return unit == "percent" or unit in MONEY_UNITS and not _WEIGHT_OF_RE.match(text, mention.end)
# The opening of a body's own statement: "PRESS RELEASE - Ministry of Defence of ...", "Communiqué
# issued by the Secretariat of Mines ...", "Unofficial translation of a statement issued ... by the
# Ministry of the Interior ...".
_STATEMENT_RE = re.compile(
    r"(?:press\s+release|communiqu[ée]|statement)\b(?:\s+no\.\s*[\d/]+)?[^.\n]{0,60}?(?:\s[-–—:]\s|\bby\s+(?:the\s+)?)"
    r"(?P<author>(?-i:[A-Z])[\w’'-]*(?:\s+(?:of\s+the|of|and|for|the|(?-i:[A-Z])[\w’'-]*)\b){0,6})",
    re.IGNORECASE,  # (but a name is capitalised: not "a statement by the army said ..."; and the "of" of "Office" is no "of")
)
# A header line that names the body: "Press release from the Maritime Prefecture ...", "Statement
# of the Ministry of Health on ..." (only at the start of a line: in a news article "said in a
# statement from ..." relays the statement).
_HEADER_AUTHOR_RE = re.compile(
    r"^[ \t]*(?i:(?:(?:un)?official\s+translation\s+of\s+)?(?:an?\s+|the\s+)?(?:press\s+release|communiqu[ée]|statement)"
    r"\s+(?:issued\s+)?(?:from|of)\s+(?:the\s+)?"
    # "[Unofficial translation from Portuguese, distributed by the Ministry of Health]"
    r"|\[(?:un)?official\s+translation\s+from\s+\w+,\s+distributed\s+by\s+(?:the\s+)?)"
    r"(?P<author>[A-Z][\w’'-]*(?:\s+(?:of\s+the|of|and|for|the|[A-Z][\w’'-]*)){0,6})",
    re.MULTILINE,
)
_AUTHOR_STOP = frozenset("of the and for republic state on in".split())


def _statement_author(text: str) -> frozenset:
    """The words naming the body whose own statement the text is (its release speaks for it, so
    its accounts are not relayed), or nothing for an ordinary article."""
    # (the header line first: "Press release no. 27 — Wednesday" names no author)
    found = _HEADER_AUTHOR_RE.search(text, 0, min(len(text), 400)) or _STATEMENT_RE.search(text, 0, min(len(text), 400))
    if found is None:
        return frozenset()
    return frozenset(w.lower() for w in found.group("author").split() if w.lower() not in _AUTHOR_STOP)



def _extract(text: str) -> list[Candidate]:
    lowered = lowercase(text)
    ctx = ArticleContext()
    ctx.author = _statement_author(text)
    results: list[_SentenceResult] = []
    sentences = _bounded(text, split_sentences(text))
    for chunk in _chunks(sentences):
        # Tokens, their cues and the figures are computed for a chunk of whole sentences at a
        # time: once per chunk rather than per sentence (cheaper), but not for the whole text
        # at once (a multi-megabyte working set is slow).
        tokens = tokenize(text, chunk[0].start, chunk[-1].end, lowered)
        if not tokens:
            continue
        digits = list(compress(range(len(tokens)), map(str.isdigit, tokens.firsts)))
        cues = Annotations(tokens, 0, len(tokens), digits)
        candidates = candidate_starts(tokens.starts, tokens.lows, tokens.hyphenated, tokens.firsts, digits)
        mentions = find_quantities(text, chunk[0].start, chunk[-1].end, candidates, lowered)
        worker = _SentenceWorker(text, tokens, cues, mentions, [m.number_start for m in mentions], ctx)
        starts = tokens.starts
        hi = 0
        paragraph = -1
        for sentence in chunk:
            ctx.start_sentence(sentence.paragraph)
            # Only whitespace lies between sentences, so a sentence's tokens start where the
            # previous sentence's ended; and it has at most one token per character.
            lo = hi
            hi = bisect.bisect_left(starts, sentence.end, lo, min(len(starts), lo + sentence.end - sentence.start))
            # A dateline ("HARROWGATE — ", "TAL HARUF, Marenia (Reuters) - ") or a live blog's
            # time stamp opens a paragraph, not a sentence's subject.
            first = lo
            if sentence.paragraph != paragraph:
                speaker = None
                if lo < hi and (tokens.texts[lo].isupper() or tokens.firsts[lo].isdigit()
                                or tokens.lows[lo] in ("update", "updated")):
                    first = _dateline_end(text, tokens, lo, hi)
                    if first == lo:
                        # A transcript's speaker label ("OKAFOR: ...", "Q (Radio X): ...") says
                        # who speaks for the whole paragraph.
                        first, speaker = _speaker_label(text, tokens, lo, hi)
            paragraph = sentence.paragraph
            # A run-on "sentence" (no punctuation for pages) is read in bounded windows, so
            # that no rule's work grows with its length.
            for window_lo in range(first, hi, _MAX_SENTENCE_TOKENS):
                result = worker.run(window_lo, min(hi, window_lo + _MAX_SENTENCE_TOKENS), sentence.paragraph)
                if speaker:
                    for draft in result.drafts:
                        if draft.claimant is None:
                            draft.claimant = draft.shown = speaker
                results.append(result)
    _carry_disclaimers(results)
    candidates = _finalise(text, results, ctx.author)
    # The sentences' subjects the context keeps (LazySubject) refer back to it: with that cycle
    # broken, reference counting frees the context and the chunk's tokens here, and the cyclic
    # collector does not have to find them (and walk the token lists) after every text.
    ctx.entities.clear()
    return candidates


def _bounded(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences, with any longer than _MAX_SENTENCE_CHARS cut into pieces no longer."""
    if all(s.end - s.start <= _MAX_SENTENCE_CHARS for s in sentences):
        return sentences  # the usual case
    out: list[Sentence] = []
    for sentence in sentences:
        start, end, paragraph = sentence
        while end - start > _MAX_SENTENCE_CHARS:
            limit = start + _MAX_SENTENCE_CHARS
            # The last blank up to the limit (looked for among the last few thousand characters
            # only), else the limit itself (a "word" of 64,000 characters is cut anywhere).
            lo = limit - _BLANK_SEARCH
            blank = max(text.rfind(" ", lo, limit), text.rfind("\n", lo, limit), text.rfind("\t", lo, limit))
            cut = blank if blank > start else limit
            out.append(Sentence(start, cut, paragraph))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            out.append(Sentence(start, end, paragraph))
    return out


_BLANK_SEARCH = 4096


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


_SPEAKER_RE = re.compile(r"(?P<name>[A-Z][A-Z’'.\-]+(?:[ \t]+[A-Z][A-Z’'.\-]+){0,3})(?:[ \t]*\([^)\n]{1,40}\))?:[ \t]+")
_NOT_SPEAKERS = frozenset("q question a answer reporter reporters moderator update note editor".split())


def _speaker_label(text: str, tokens: TokenList, lo: int, hi: int) -> tuple[int, str | None]:
    """Skip a transcript's speaker label; the speaker's name (None for a question) as well."""
    match = _SPEAKER_RE.match(text, tokens.starts[lo])
    if not match:
        return lo, None
    first = next((i for i in range(lo, hi) if tokens.starts[i] >= match.end()), hi)
    name = match.group("name")
    return first, None if name.lower() in _NOT_SPEAKERS else name.title()


def _dateline_end(text: str, tokens: TokenList, lo: int, hi: int) -> int:
    """Skip a wire dateline ("TAL HARUF, Marenia (Reuters) - ")."""
    match = _DATELINE_RE.match(text, tokens.starts[lo]) if lo < hi else None
    if not match:
        return lo
    return next((i for i in range(lo, hi) if tokens.starts[i] >= match.end()), hi)


class _SentenceWorker:
    """Turns the sentences of a chunk into drafts, one at a time; holds the chunk's tokens,
    cues and figures, and the per-sentence state the rules share."""

    __slots__ = ("text", "tokens", "cues", "mentions", "mention_starts", "ctx", "circumstance",
                 "lo", "hi", "paragraph", "drafts", "frames", "subject", "mentions_lo", "mentions_hi", "sized",
                 "finding", "aside")

    def __init__(self, text, tokens, cues, mentions, mention_starts, ctx: ArticleContext):
        self.text = text
        self.tokens = tokens
        self.cues = cues
        self.mentions = mentions
        self.mention_starts = mention_starts
        self.ctx = ctx
        self.circumstance = None
        self.aside = None  # (where "..., one of whom ..." begins in the piece, see _group_mentions)
        self.finding = False

    # -- the sentence -------------------------------------------------------------------

    def run(self, lo: int, hi: int, paragraph: int) -> _SentenceResult:
        """Drafts for the sentence tokens[lo:hi]."""
        tokens, ctx = self.tokens, self.ctx
        if hi - lo < 3:
            words = tokens.lows[lo:hi]
            if (_SHORT_PASS.isdisjoint(words) and not ctx.quote_speaker and tokens.texts[lo] not in OPEN_QUOTES
                    and not any(self.cues.disclaimer[lo:hi])
                    and bisect.bisect_left(self.mention_starts, tokens.starts[lo])
                    == bisect.bisect_left(self.mention_starts, tokens.ends[hi - 1])):
                # One or two tokens with no figure, no word that opens a frame, a record, a finding
                # of absence, an editorial note, a question or the military context, and nobody
                # quoted: what the whole path below would do with it is only to remember its
                # subject (its clauses are under the three words _piece needs). Said once here,
                # it keeps a text of 250,000 one-word lines from costing the whole path each.
                ctx.remember_subject(LazySubject(self.text, tokens, lo, hi, ctx))
                return _SentenceResult(paragraph, [], None, (), not _MEDIA_WORDS.isdisjoint(words))
        self.lo, self.hi, self.paragraph = lo, hi, paragraph
        self.drafts = []
        if tokens.lows[lo] in _EDITORIAL_OPENERS and (_EDITORIAL_RE.match(self.text, tokens.starts[lo]) or (
                _HEADER_RE.match(self.text, tokens.starts[lo]) and ":" not in tokens.texts[lo:hi])):
            # "This article has been updated ...", "Translated from Portuguese.", "Communiqué
            # issued by the Secretariat ...": about the article or the statement it reproduces
            return _SentenceResult(paragraph, [])
        if tokens.texts[hi - 1] == "?" and tokens.lows[lo] in _QUESTION_OPENERS and not ctx.quote_speaker:
            return _SentenceResult(paragraph, [])  # "Why did 400 people have to die?": a question asserts nothing
        if tokens.lows[lo] == "we" and not ctx.quote_speaker and _WE_ARE_TOLD_RE.match(self.text, tokens.starts[lo]):
            # "We have been told for a decade that our roads are getting safer": the writer on what
            # others keep saying, not a claim of the article's
            return _SentenceResult(paragraph, [])
        if tokens.lows[lo] in _RHETORICAL_OPENERS and not ctx.quote_speaker and (
                lo + 1 < hi and tokens.lows[lo + 1] not in _NOT_IMPERATIVE_NEXT):
            # "Imagine a city where 40C is normal", "Ask any of the 3,000 nurses ...": the writer
            # addressing the reader, nothing asserted
            return _SentenceResult(paragraph, [])
        # The sentence's figures are mentions[mentions_lo:mentions_hi] (often none at all).
        if not ctx.military and not MILITARY_CONTEXT.isdisjoint(tokens.lows[lo:hi]) \
                and _military_sense(tokens.lows, lo, hi):
            ctx.military = True
        self.mentions_lo = bisect.bisect_left(self.mention_starts, tokens.starts[lo])
        self.mentions_hi = bisect.bisect_left(self.mention_starts, tokens.ends[hi - 1], self.mentions_lo)
        if self.mentions_lo == self.mentions_hi and not _COURTESY_WORDS.isdisjoint(tokens.lows[lo:hi]) \
                and not ctx.quote_speaker and OPEN_QUOTES.isdisjoint(tokens.texts[lo:hi]) \
                and "to" not in (tokens.lows[k + 1] for k in range(lo, hi - 1) if tokens.lows[k] == "thanks") \
                and not {"casualties", "event"}.intersection(self.cues.category[lo:hi]):
            # "The Federal Office thanks all emergency personnel ...", "... expresses its condolences
            # to the families": courtesies of a statement, nothing to check
            return _SentenceResult(paragraph, [])
        if self.mentions_lo == self.mentions_hi and not ctx.quote_speaker \
                and not _APPEAL_WORDS.isdisjoint(tokens.lows[lo:min(hi, lo + _APPEAL_REACH)]) \
                and _APPEAL_RE.match(self.text, tokens.starts[lo]) is not None:
            # "The Ministry of Health appeals to the population to ...", "The ministry calls on
            # citizens living in the border areas to report ...", "The ministry extends its sincere
            # condolences to the families of the martyrs": a statement's appeal or courtesy, even
            # with words of a toll or the army in it (figure-less: a count in it may be a claim)
            return _SentenceResult(paragraph, [])
        analysis = find_frames(self.text, tokens, lo, hi, ctx)
        self.frames = frames = analysis.frames
        self.subject = analysis.subject
        if frames or tokens.texts[lo] in OPEN_QUOTES or ctx.quote_speaker:
            self._continue_quotation()
            self._source_hedges()
            first_content = self._first_content()
            regions = self._content_regions()
        else:  # the common case: nobody is quoted or cited, the whole sentence is content
            first_content, regions = lo, [(lo, hi)]
            if self.mentions_lo == self.mentions_hi and not self.cues.has_cue(lo, hi) \
                    and _NEGATORS.isdisjoint(tokens.lows[lo:hi]) and _RECORD_WORDS.isdisjoint(tokens.lows[lo:hi]):
                # No figure, cue, source, finding or record anywhere: no clause of it can become a
                # draft (see _piece), so it is not split into clauses at all (one sentence in ten).
                regions = []
        sentence_hedges: list[str] = []
        disclaimer = None
        disclaimer_values: tuple = ()
        texts, lows, flagged = tokens.texts, tokens.lows, self.cues.disclaimer
        disclaimed = any(flagged[lo:hi])
        for region_start, region_end in regions:
            pieces = split_clauses(tokens, region_start, region_end)
            joined_at = {} if len(pieces) > 1 else _NOTHING_JOINED
            if len(pieces) > 1:  # (the joins below need two pieces or more)
                if not _CIRCUMSTANCE_OPENERS.isdisjoint(map(lows.__getitem__, map(_FIRST, pieces))):
                    pieces = _merge_into_previous(pieces, joined_at, self._circumstance_joins)
                if len(pieces) > 1 and self.mentions_hi > self.mentions_lo and (
                        self.mentions_hi - self.mentions_lo > 1
                        or not _RESTRICTIVE.isdisjoint(map(lows.__getitem__, map(_FIRST, pieces)))):
                    pieces = _merge_into_previous(pieces, joined_at, self._apposition_joins)
                if len(pieces) > 1 and self.mentions_hi > self.mentions_lo \
                        and not _POSSESSIVE_OPENERS.isdisjoint(map(lows.__getitem__, map(_FIRST, pieces))):
                    pieces = _merge_into_previous(pieces, joined_at, self._superlative_joins)
                if len(pieces) > 1 and self.mentions_hi > self.mentions_lo:
                    pieces = _merge_into_previous(pieces, joined_at, self._proportion_joins)
                if len(pieces) > 1 and "and" in map(lows.__getitem__, map(_FIRST, pieces)):
                    pieces = _merge_into_previous(pieces, joined_at, self._predicate_joins)
                if len(pieces) > 2:
                    pieces = self._join_subject_appositions(pieces, joined_at)
            last = len(pieces) - 1
            for number, (a, b) in enumerate(pieces):
                first = lows[a]
                start = strip_leading_connectors(tokens, a, b) if first in _LEADERS else a
                if start >= b:
                    continue
                fronted = a == first_content and first in SUBORDINATORS
                following = pieces[number + 1] if number < last else None
                background = first == "where" and a > lo and texts[a - 1] == ","
                said_where = disclaimed and lows[a] == "where" and flagged[a] and a > lo and lows[a - 1] in _SAY_WORDS
                if disclaimed and (said_where or any(flagged[start:b])):  # a "could not be verified" disclaimer
                    note = self._text_of(first_content if said_where else start, b)
                    sentence_hedges.append(note)
                    if start <= first_content + 2 or said_where:  # ("The party did not say | where ...")
                        disclaimer = note  # a main-clause disclaimer also reaches back
                        disclaimer_values = self._values_in(start, b)
                    if said_where or lows[flagged.index(True, start, b)] not in _DISCLAIMER_ADJECTIVES:
                        # "The figure could not be verified" qualifies claims; it is not one of
                        # its own (an "unconfirmed report that 30 died" still carries its claim).
                        continue
                if lows[start] in _APPOSITIVE_OPENERS and self._is_claim_appositive(start, b):
                    sentence_hedges.append(self._text_of(start, b))
                self._piece(start, b, following, fronted, background, joined_at.get(a) if joined_at else None)
        if frames and self.mentions_lo < self.mentions_hi:
            self._figures_in_sources()
        if sentence_hedges:
            for draft in self.drafts:
                for note in sentence_hedges:
                    if note not in draft.hedges:
                        draft.hedges.append(note)
        for frame in frames:
            ctx.remember(frame.claimant, claimant=True)
            if frame.claimant and "statement" in tokens.lows[frame.start:frame.end] \
                    and "statement" not in frame.claimant.lower():
                ctx.statement_by = frame.claimant  # "the city police said in a statement": whose "the statement" is
        ctx.remember_subject(self.subject)
        return _SentenceResult(self.paragraph, self.drafts, disclaimer, disclaimer_values,
                               self.cues.mentions_media(lo, hi))

    def _figures_in_sources(self) -> None:
        """A figure in a relative clause inside a source's description ("Civic Watch, which
        deployed 2,400 monitors, said ...") is the writer's own claim about the source."""
        tokens = self.tokens
        texts, lows, starts = tokens.texts, tokens.lows, tokens.starts
        token_of = None
        for frame in self.frames:
            if frame.end - frame.start < 4:
                continue
            first = bisect.bisect_left(self.mention_starts, starts[frame.start], self.mentions_lo, self.mentions_hi)
            last = bisect.bisect_left(self.mention_starts, starts[frame.end - 1], first, self.mentions_hi)
            for mention in self.mentions[first:last]:  # (usually none)
                if token_of is None:
                    token_of = _token_index(tokens, self.lo, self.hi)
                q = token_of(mention.start)
                k = q - 1
                while k > frame.start and q - k <= 10 and lows[k] not in _RELATIVE_OPENERS:
                    k -= 1
                reach = 12  # (how far the clause may run after its figure)
                if lows[k] not in _RELATIVE_OPENERS or texts[k - 1] != ",":
                    # "The organisers, a coalition of 14 trade unions, said ...": a figure in an
                    # apposition describing the source is the writer's claim too
                    k = q - 1
                    while k > frame.start and q - k <= 5 and texts[k] != ",":
                        k -= 1
                    if texts[k] != "," or lows[k + 1] not in ("a", "an") or k + 1 >= q:
                        continue
                    reach = 8
                end = q + 1
                while end < frame.end and end - q <= reach and texts[end] not in _CLAUSE_BREAKS:
                    end += 1
                if end < frame.end and texts[end] == ",":
                    self._add(k + 1, end, _UNGOVERNED, mention)

    def _values_in(self, a: int, b: int) -> tuple:
        """The values of the figures in tokens[a:b]."""
        start, end = self.tokens.starts[a], self.tokens.ends[b - 1]
        return tuple(
            m.quantity.value for m in self.mentions[self.mentions_lo:self.mentions_hi] if start <= m.start < end
        )

    def _text_of(self, a: int, b: int) -> str:
        a, b = trim_tokens(self.tokens, a, b)
        return self.text[self.tokens.starts[a]:self.tokens.ends[b - 1]] if b > a else ""

    def _is_claim_appositive(self, a: int, b: int) -> bool:
        """"..., a claim the group rejects": the sentence calls itself a claim."""
        tokens = self.tokens
        first = a + 1 if tokens.lows[a] in ("a", "an", "the") and a + 1 < b else a
        return tokens.lows[first] in _CLAIM_APPOSITIVE_NOUNS and not looks_like_verb(
            tokens.texts[min(first + 1, b - 1)]
        )

    def _first_content(self) -> int:
        pos = self.lo
        for frame in self.frames:
            if frame.start <= pos < frame.end or frame.start == pos:
                pos = max(pos, frame.end)
        while pos < self.hi and self.tokens.texts[pos] in OPEN_QUOTES:
            pos += 1
        return pos

    def _continue_quotation(self) -> None:
        """A sentence that opens a quotation without saying whose continues the last speaker's."""
        opens_quote = self.tokens.texts[self.lo] in OPEN_QUOTES
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
            if not frame.claimant or frame.kind == "conditional":
                continue
            key = frame.claimant.lower()
            if frame.hedge:
                if frame.kind != "according":
                    self.ctx.source_hedges.setdefault(key, frame.hedge)
                    if frame.own and len(self.ctx.own_hedges) < 20:
                        self.ctx.own_hedges.add(frame.hedge)
                if (_PROVISIONAL_HEDGE_RE.search(key) or frame.kind == "according"
                        and _PROVISIONAL_HEDGE_RE.search(frame.hedge)) \
                        and len(self.ctx.provisional) < 20:
                    # "according to preliminary results published by X": X's figures are
                    # provisional wherever X is cited again
                    self.ctx.provisional.setdefault(key, frame.hedge)
                    if self.ctx.results_source is None and frame.kind == "according" \
                            and _RESULTS_RE.search(frame.hedge):
                        # "..., according to preliminary results published by the City Electoral
                        # Commission": the results that follow unattributed are the commission's
                        self.ctx.results_source = (frame.claimant, frame.hedge, self.ctx.paragraph)
            elif key in self.ctx.source_hedges:
                frame.hedge = self.ctx.source_hedges[key]
                frame.own = frame.hedge in self.ctx.own_hedges  # (a toll is still not hedged by it)
            elif key in self.ctx.provisional:
                frame.hedge = self.ctx.provisional[key]

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

    def _circumstance_joins(self, prev_a: int, prev_b: int, a: int, b: int, joined_at: dict[int, int]):
        """A "when" clause right after a clause with a figure, or after a clause too short to be
        a claim alone, is part of that claim: "12 people were hurt | when a wall gave way", "the
        crush began | when the gate was closed" are one claim each (what happened, and when).
        The joined piece's start maps to where the "when" clause began in ``joined_at``."""
        tokens = self.tokens
        texts, lows, starts, ends = tokens.texts, tokens.lows, tokens.starts, tokens.ends
        if lows[prev_a] == "when" and prev_b + 1 == a and texts[prev_b] == "," and prev_b - prev_a <= _MAX_WHEN_TOKENS \
                and prev_a not in joined_at and (prev_a == self.lo or lows[prev_a - 1] in ("that", ":", "—", "–")
                                                 or texts[prev_a - 1] in OPEN_QUOTES) \
                and self._has_mention(starts[a], ends[b - 1]):
            # "When the city cut its speed limit in 2017, | injuries fell by 41 percent": the main
            # clause's figure with when it happened, one claim (its figure the main clause's)
            return _MARK
        if lows[a] == "when" and prev_b + 1 == a and texts[prev_b] == "," and b - a <= _MAX_WHEN_TOKENS \
                and prev_a not in joined_at and self.cues.date[prev_b - 1] \
                and not self._has_mention(starts[prev_a], ends[prev_b - 1]) \
                and not PUT_AT_RE.search(self.text, starts[a], ends[b - 1]) \
                and not _SUPERLATIVE_RECORD_RE.search(self.text, starts[prev_a], ends[prev_b - 1]):
            # "... last struck in 1994, when a quake killed 200 people": what happened then (not
            # "..., when police put the crowd at 9,000": an estimate of its own, by its own source;
            # nor after a record, "It was the deadliest crash since 2011, | when 22 people died":
            # the record and the earlier event are two facts, checked against different sources)
            return _MARK
        if lows[a] == "when" and prev_b == a and b - a <= _MAX_WHEN_TOKENS and prev_a not in joined_at \
                and not PUT_AT_RE.search(self.text, starts[a], ends[b - 1]):
            lo = bisect.bisect_left(self.mention_starts, starts[prev_a], self.mentions_lo, self.mentions_hi)
            if prev_b - prev_a <= _SHORT_CLAUSE or lo < self.mentions_hi and self.mentions[lo].start < ends[prev_b - 1]:
                return _MARK
        if lows[a] in _CIRCUMSTANCE_OPENERS and lows[a] != "when" and (
                prev_b == a or prev_b + 1 == a and texts[prev_b] == ",") and b - a <= _MAX_WHEN_TOKENS \
                and prev_a not in joined_at and self._has_mention(starts[prev_a], ends[prev_b - 1]) \
                and not self._has_mention(starts[a], ends[b - 1]):
            # "helped 42,000 people back into work | since it began in 2023", "were inside its
            # systems for 11 days | before they were detected": when the figure's event happened
            return _MARK
        return None

    def _join_subject_appositions(self, pieces: list[tuple[int, int]], joined_at: dict[int, int]) -> list[tuple[int, int]]:
        """A subject, an apposition and the subject's predicate are one clause: "The breach, |
        discovered on 3 May, | exposed the details of 480,000 customers", "a similar attack on a
        rival, | Corvex, | exposed ...". The apposition is a participle phrase or a noun phrase
        (not a relative clause, which may be a claim of its own)."""
        tokens = self.tokens
        texts, lows, starts, ends = tokens.texts, tokens.lows, tokens.starts, tokens.ends
        out: list[tuple[int, int]] = []
        i = 0
        while i < len(pieces):
            if i + 2 < len(pieces):
                (a, b), (c, d), (e, f) = pieces[i], pieces[i + 1], pieces[i + 2]
                if c == b + 1 and e == d + 1 and texts[b] == "," and texts[d] == "," and a not in joined_at \
                        and b - a <= _SHORT_SUBJECT and d - c <= _MAX_APPOSITION_TOKENS \
                        and not any(map(looks_like_verb, texts[a:b])) and lows[a] not in SUBORDINATORS \
                        and lows[a] not in PREPOSITIONS and (lows[c] in _SUBJECT_RELATIVES and lows[a] in _COMMON_NOUN_OPENERS
                                                             and lows[e] not in _SOURCE_PREDICATES or (
                            lows[c] not in _RELATIVE_OPENERS
                            and lows[c] not in SUBORDINATORS and lows[c] not in _CONJUNCTIONS
                            and (lows[c].endswith("ed") or texts[c].islower() and looks_like_verb(texts[c])
                                 and lows[c] not in AUXILIARIES or not any(map(looks_like_verb, texts[c:d]))))) \
                        and (lows[e] in AUXILIARIES or looks_like_verb(texts[e])) and lows[e] not in _CONJUNCTIONS \
                        and not self._has_mention(starts[c], ends[d - 1]):
                    out.append((a, f))
                    joined_at[a] = e
                    i += 3
                    continue
            out.append(pieces[i])
            i += 1
        return out

    def _superlative_joins(self, prev_a: int, prev_b: int, a: int, b: int, joined_at: dict[int, int]):
        """A superlative apposition after a figure comments on it and is part of its claim: "a net
        loss of 1.3 billion euros, | its first annual loss since 2009", "fell to 61, | the lowest
        number since 1996"."""
        tokens = self.tokens
        texts, lows, starts, ends = tokens.texts, tokens.lows, tokens.starts, tokens.ends
        if a == prev_b + 1 and texts[prev_b] == "," and a + 1 < b and lows[a] in _POSSESSIVE_OPENERS \
                and (lows[a + 1].endswith("est") or lows[a + 1] in _ORDINAL_SUPERLATIVES) \
                and prev_a not in joined_at and b - a <= _MAX_APPOSITION_TOKENS \
                and not any(looks_like_verb(texts[k]) and not (k == a + 2 and lows[k].endswith("ed"))
                            for k in range(a, b)) \
                and not self._has_mention(starts[a], ends[b - 1]) \
                and self._figure_ends_at_or_in(prev_a, prev_b):  # ("the strongest recorded since 1999")
            return _MARK
        return None

    def _proportion_joins(self, prev_a: int, prev_b: int, a: int, b: int, joined_at: dict[int, int]):
        """A share or a multiple of the figure before it, set off by a comma at the end of the
        sentence, says what that figure is made of and is part of its claim: "documented at least
        11 deaths, | most of them by drowning", "It cost 96 million euros, | a third of it paid by
        the EU", "recorded 212 micrograms, | more than 14 times the limit"."""
        tokens = self.tokens
        texts, lows, starts, ends = tokens.texts, tokens.lows, tokens.starts, tokens.ends
        if a == prev_b + 1 and texts[prev_b] == "," and b >= self.hi - 1 and b - a <= _MAX_APPOSITION_TOKENS \
                and self._share_of_before(a, b) and self._has_mention(starts[prev_a], ends[prev_b - 1]):
            return _MARK_UNLESS_MARKED
        if a == prev_b + 1 and texts[prev_b] == "," and lows[a] in _RESULT_PARTICIPLES and prev_a not in joined_at \
                and self._has_mention(starts[a], ends[b - 1]) and not self._has_mention(starts[prev_a], ends[prev_b - 1]) \
                and any(map(looks_like_verb, texts[prev_a:prev_b])):
            # "soldiers fired on the crowd, | killing 8": what happened and its toll, one claim
            return _MARK
        if a == prev_b + 1 and texts[prev_b] == "," and lows[a].endswith("ing") and looks_like_verb(texts[a]) \
                and b - a <= _MAX_APPOSITION_TOKENS \
                and self._has_mention(starts[prev_a], ends[prev_b - 1]) and self._only_durations(a, b):
            # "Police arrested 57 people after activists blocked the bridge, | halting traffic for
            # almost four hours": how long what happened lasted, not a figure of its own
            return _MARK_UNLESS_MARKED
        return None

    def _only_durations(self, a: int, b: int) -> bool:
        """Are all the figures in tokens[a:b] (at least one) lengths of time?"""
        start, end = self.tokens.starts[a], self.tokens.ends[b - 1]
        found = [m for m in self.mentions[self.mentions_lo:self.mentions_hi] if start <= m.number_start < end]
        return bool(found) and all(m.quantity.unit in _TIME_UNITS for m in found)

    def _share_of_before(self, a: int, b: int) -> bool:
        """Does tokens[a:b] open with a share of something named before ("about a third of
        them", "most of it", "a fifth of the total", "two of them") or a multiple of a
        reference ("more than 14 times the limit", "twice the usual number")?"""
        lows = self.tokens.lows
        if lows[a] in _CONJUNCTIONS:
            return False  # "..., and have lost nearly half their value": a predicate of its own
        for k in range(a, min(b - 1, a + 4)):
            w, nxt = lows[k], lows[k + 1]
            if w == "of" and k > a and nxt in _BACK_REFERENCES and (
                    lows[k - 1] in _SHARE_WORDS or lows[k - 1][:1].isdigit() or lows[k - 1] in _SMALL_NUMBERS
                    or len(lows[k - 1]) > 4 and lows[k - 1].endswith("est")):  # "the oldest of them"
                return True
            if (w == "times" and k > a and (lows[k - 1][:1].isdigit() or lows[k - 1] in _SMALL_NUMBERS)
                    or w in ("twice", "double", "triple", "half")) and nxt in ("the", "its", "their", "that"):
                # (not "more than double the 40 million approved": a second figure set against it)
                return not self._has_mention(self.tokens.ends[k], self.tokens.ends[b - 1])
        return False

    def _figure_ends_at_or_in(self, a: int, b: int) -> bool:
        return self._has_mention(self.tokens.starts[a], self.tokens.ends[b - 1])

    def _predicate_joins(self, prev_a: int, prev_b: int, a: int, b: int, joined_at: dict[int, int]):
        """Two dated predicates of one subject without a figure are one claim: "The stadium opened
        in 1968 | and was last renovated in 1999", "The line was built in the 1930s | and
        electrified in 1978". (Predicates with figures of their own stay apart: "killed 5 and
        wounded 9".)"""
        tokens = self.tokens
        texts, lows, starts, ends = tokens.texts, tokens.lows, tokens.starts, tokens.ends
        if lows[a] == "and" and prev_b == a and a + 1 < b and b - prev_a <= _MAX_CLAUSE_TOKENS and (
                lows[a + 1] in AUXILIARIES or looks_like_verb(texts[a + 1]) and not lows[a + 1].endswith("ing")) \
                and prev_a not in joined_at and not self._has_mention(starts[prev_a], ends[prev_b - 1]):
            if not self._has_mention(starts[a], ends[b - 1]):
                if any(self.cues.date[prev_a:prev_b]) and any(self.cues.date[a:b]):
                    return _UNMARKED
            elif any(map(looks_like_verb, texts[prev_a:prev_b])) and not any(self.cues.date[prev_a:prev_b]):
                # "Intruders entered through a supplier | and went unnoticed for nine weeks": one
                # subject, the second predicate's figure: one claim (a dated first predicate,
                # "left port on Wednesday | and is expected ...", is a claim of its own)
                return _MARK
        return None

    def _apposition_joins(self, prev_a: int, prev_b: int, a: int, b: int, joined_at: dict[int, int]):
        """A verbless phrase with a figure set off by a comma after a clause with a figure
        comments on that figure and is part of its claim ("cut 4,200 jobs, about one in eight of
        its workforce", "2.4 million people, roughly one in five residents, ..."); one that sets a
        second figure against the first ("down from 93 percent", "against a normal 560", "an
        increase of 22 percent") is a claim of its own."""
        tokens = self.tokens
        texts, lows, starts, ends = tokens.texts, tokens.lows, tokens.starts, tokens.ends
        if a == prev_b + 1 and texts[prev_b] == "," and b - a <= _MAX_APPOSITION_TOKENS \
                and prev_a not in joined_at and (lows[a] not in _CONTRAST_OPENERS or self._reference_figure(a, b)) \
                and not (lows[a] in ("a", "an") and a + 1 < b and lows[a + 1] in _CHANGE_NOUNS) \
                and lows[a] not in SUBORDINATORS and (b >= self.hi or texts[b] in _APPOSITION_CLOSERS) \
                and not any(map(looks_like_verb, texts[a:b])) \
                and self._comments_on(a, b) and self._has_mention(starts[prev_a], ends[prev_b - 1]):
            return _MARK
        if a == prev_b and lows[a] in ("who", "that") and prev_a not in joined_at and b - a <= _MAX_WHEN_TOKENS \
                and self._figure_ends_at(prev_a, prev_b):
            # "at least 2,300 people | who had already crossed the river": the people the
            # figure counts, restricted; one claim
            return _MARK
        if prev_a in joined_at and a == prev_b + 1 and texts[prev_b] == "," and (
                lows[a] in AUXILIARIES or looks_like_verb(texts[a])) and joined_at[prev_a] > prev_a \
                and not self._has_mention(starts[a], ends[b - 1]):
            # "2.4 million people, roughly one in five residents, | face hunger": the predicate
            return _UNMARKED
        return None

    def _figure_apposition_end(self, a: int, first: int, b: int) -> int | None:
        """Where a verbless phrase with a figure that starts at tokens[a] (the figure at
        tokens[first]) ends, when it comments on the figure before its comma (see
        _apposition_joins); else None."""
        texts, lows = self.tokens.texts, self.tokens.lows
        if first - a > 3 or lows[a] in _CONTRAST_OPENERS or lows[a] in SUBORDINATORS or (
                lows[a] in ("a", "an") and a + 1 < b and lows[a + 1] in _CHANGE_NOUNS):
            return None
        close = first
        while close < b and texts[close] not in _APPOSITION_CLOSERS and close - a < _MAX_APPOSITION_TOKENS:
            close += 1
        if close < b and texts[close] not in _APPOSITION_CLOSERS or any(map(looks_like_verb, texts[a:close])):
            return None
        return close if self._comments_on(a, close) else None

    def _reference_figure(self, a: int, b: int) -> bool:
        """"below the ground's capacity of 45,000", "close to the limit of 60": the figure is a
        named reference the claim's figure is measured against, part of that claim."""
        lows = self.tokens.lows
        k = a + 1 if lows[a] != "close" else a + 2
        if k >= b or lows[a] not in ("below", "above", "under", "over", "close", "near", "within", "short") \
                or lows[k] not in ("the", "its", "their", "a"):
            return False
        return any(lows[j] == "of" and self._has_mention(self.tokens.starts[j + 1], self.tokens.ends[b - 1])
                   for j in range(k + 1, min(b - 1, k + 5)))

    def _comments_on(self, a: int, b: int) -> bool:
        """Does tokens[a:b] hold a figure that is not a time ("nine hours after the quake") nor a
        comparison ("34 percent below the average", "40 percent more than in 2022")?"""
        tokens = self.tokens
        k = bisect.bisect_left(self.mention_starts, tokens.starts[a], self.mentions_lo, self.mentions_hi)
        if k >= self.mentions_hi or self.mentions[k].number_start >= tokens.ends[b - 1]:
            return False
        mention = self.mentions[k]
        if mention.quantity.unit in _TIME_VALUES and not (
                a + 1 < b and tokens.lows[a] in ("its", "their", "the") and (
                    tokens.lows[a + 1].endswith("est") or tokens.lows[a + 1] in ("first", "most", "least"))):
            return False  # (but "its lowest level in two years" comments on the figure)
        after = bisect.bisect_left(tokens.starts, mention.end, a, b)
        return _CONTRAST_OPENERS.isdisjoint(tokens.lows[after:after + 2]) or self._reference_figure(a, b)

    def _figure_ends_at(self, a: int, b: int) -> bool:
        """Does a figure with its counted noun end tokens[a:b] ("... forced back 2,300 people")?"""
        tokens = self.tokens
        k = bisect.bisect_left(self.mention_starts, tokens.ends[b - 1], self.mentions_lo, self.mentions_hi) - 1
        return k >= self.mentions_lo and self.mentions[k].start >= tokens.starts[a] \
            and self.mentions[k].end == tokens.ends[b - 1] and self.mentions[k].quantity.unit is not None

    def _has_mention(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.mention_starts, start, self.mentions_lo, self.mentions_hi)
        return k < self.mentions_hi and self.mentions[k].number_start < end

    def _count_list_end(self, a: int, reach: int, first: int, b: int) -> int | None:
        """When a count after a verb goes on as a list of counts ("sent 120 rescuers, | 14
        ambulances and two helicopters"), the last token of the list; else None. Each item is a
        figure and up to three words; the list ends with an "and" item."""
        tokens = self.tokens
        texts, lows = tokens.texts, tokens.lows
        if not any(map(looks_like_verb, texts[max(a, reach - 8):reach])):
            return None  # (a list of counts as the subject: "12 died, 40 were hurt" is not one)
        k = first
        while k < b and k - first <= 24:
            if not (texts[k][0].isdigit() or lows[k] in SMALL_COUNT_WORDS):
                return None
            end = k + 1
            while end < b and end - k <= 4 and texts[end] != "," and lows[end] not in ("and", "or") \
                    and lows[end] not in PREPOSITIONS and not looks_like_verb(texts[end]) and texts[end] not in ".;:!?":
                end += 1
            if end - k > 4 or end - k < 2:
                return None
            if lows[k - 1] in ("and", "or"):
                return end - 1  # the last item
            if end + 1 >= b or texts[end] not in (",", "and", "or") and lows[end] not in ("and", "or"):
                return None
            k = end + 1
            if texts[end] == "," and k < b and lows[k] in ("and", "or"):
                k += 1  # (a serial comma)
        return None

    def _equipped_with(self, reach: int, first: int, last: int, b: int) -> int | None:
        """When the figure tokens[first:last + 1] is in a "with" phrase on the claim that reaches
        token ``reach`` ("90 firefighters | with 20 engines", "40 centres, with a total capacity
        of 5,200 people"), the last token of that phrase; None when it is a clause of its own
        ("with 1.2 million euros staked", "with exports down 9 percent") or no such phrase."""
        tokens = self.tokens
        texts, lows = tokens.texts, tokens.lows
        w = next((k for k in range(first - 1, max(reach, first - 7), -1) if lows[k] == "with"), None)
        if w is None or not _WITH_FILLERS.issuperset(lows[w + 1:first]) or w - reach > 5 \
                or any(map(looks_like_verb, texts[reach + 1:w])) or _CLAUSE_BREAKS.intersection(texts[reach + 1:w - 1]):
            return None
        end = last + 1
        while end < b and end - last <= 6 and texts[end] not in _CLAUSE_BREAKS and texts[end] not in ".!?":
            if looks_like_verb(texts[end]) or lows[end] in ("up", "down"):
                return None if texts[w - 1] == "," else last  # (with no comma, the verb is the claim's)
            end += 1
        return end - 1 if end - last <= 6 or texts[w - 1] != "," else None

    def _estimate_before(self, a: int, q: int) -> int | None:
        """The verb of the estimate whose object holds the figure at token ``q`` ("estimated the
        damage to | two shelters at ...", "put the cost of 300 homes at ..."), if there is one."""
        lows = self.tokens.lows
        return next((k for k in range(q - 2, max(a, q - _ESTIMATE_REACH) - 1, -1)
                     if lows[k] in _ESTIMATING and lows[k + 1] in ("the", "its", "their")), None)

    def _group_mentions(self, mentions, token_of, a: int, b: int, joined: int | None) -> list[tuple]:
        """The figures of a clause as claims: (head figure, last token it reaches). A figure in an
        apposition ("31 villagers, including eight women, were killed"), a time frame ("52
        casualties in under two hours") or a joined "when" clause belongs to the claim before it."""
        texts, lows = self.tokens.texts, self.tokens.lows
        groups: list[list] = []
        for mention in mentions:
            first, last = token_of(mention.start), token_of(mention.end - 1)
            if groups:
                group = groups[-1]
                reach = group[1]
                if first <= reach:  # inside an apposition already taken
                    continue
                if 3 <= first - reach <= 4 and lows[reach + 1] == "and" and texts[reach + 2].islower() \
                        and len(lows[reach + 2]) > 3 and lows[reach + 2][-1] == "s" \
                        and _OBJECT_OPENERS_AFTER_VERB.issuperset(lows[reach + 3:first]) \
                        and lows[reach + 2] not in _PLURAL_NOT_VERBS:
                    # "fields 26,000 soldiers | and spends 2.4 percent of its output": a second
                    # predicate with a figure of its own, a claim of its own
                    groups.append([mention, last])
                    continue
                if len(groups) == 1 and lows[a] == "with" and "," in texts[reach + 1:min(first, reach + 6)] \
                        and _WITH_COUNTED_RE.match(self.text, self.tokens.starts[a],
                                                   self.tokens.ends[texts.index(",", reach + 1) - 1]):
                    # "With 64 percent of stations counted, the figures give the NPP 39.6 percent": how
                    # far the count had got dates the claim; its figure is the main clause's
                    group[0], group[1] = mention, last
                    continue
                if len(groups) == 1 and group[0].quantity.unit in _TIME_VALUES and mention.quantity.unit in MONEY_UNITS \
                        and "pay" in lows[reach + 1:first] and first - reach <= 6:
                    # "gave the utility seven days to pay 2.5 million dollars": the demand's figure
                    # is the money, the days its deadline
                    group[0], group[1] = mention, last
                    continue
                if len(groups) == 1 and lows[first - 1] == "at" and first - reach <= 8 \
                        and (verb := self._estimate_before(a, token_of(group[0].start))) is not None:
                    # "estimated the damage to two tram shelters | at about 85,000 euros": the
                    # estimate's figure is the one it is put at; the first is in what was estimated,
                    # and the claim starts with who estimated it
                    self.sized = verb
                    group[0], group[1] = mention, last
                    continue
                if texts[reach + 1] == "," and first == reach + 2 and (close := self._count_list_end(a, reach, first, b)):
                    # "it had sent 120 rescuers, | 14 ambulances and two helicopters to the site": what
                    # one predicate counts, item by item; the first figure heads the claim
                    group[1] = close
                    continue
                if 0 < first - reach <= 5 and lows[first - 1] in _COVERING and texts[reach + 1] != "," \
                        and not any(map(looks_like_verb, texts[reach + 1:first - 1])):
                    # "1.4 terabytes of data | covering 2.1 million customers": what the counted
                    # thing covers, part of its claim
                    group[1] = last
                    continue
                if (close := self._equipped_with(reach, first, last, b)) is not None:
                    # "90 firefighters | with 20 engines had fought the blaze", "a team of 30
                    # rescuers, | with six search dogs,": what the counted came with, part of
                    # their claim (not "..., with 1.2 million euros staked on them": a clause)
                    group[1] = close
                    continue
                if mention.modifier and not groups[-1][0].modifier:
                    # "41,000 nurses joined | the 24-hour strike": the size of a thing the claim
                    # names, not a figure of its own
                    group[1] = last
                    continue
                if group[0].modifier and len(groups) == 1:
                    # "a 50-kilogram bag of maize | cost 46,000 shillings": the claim's figure is the
                    # predicate's; the modifier sizes what it is about
                    self.sized = token_of(group[0].start)  # (the claim still starts with what it sizes)
                    group[0], group[1] = mention, last
                    continue
                if len(groups) == 1 and token_of(group[0].start) <= a + 2 and lows[first - 1] in _PLACE_PREPOSITIONS \
                        and group[0].quantity.unit in _PEOPLE_UNITS and self._place_of_subject_count(reach, first):
                    # "About 4,000 people | spent the night in 31 shelters": where the counted were, part
                    # of their claim, whose figure stays theirs
                    group[1] = last
                    continue
                if len(groups) == 1 and token_of(group[0].start) <= a + 1 and mention.quantity.unit not in _TIME_VALUES \
                        and self._object_of_subject_count(reach, first) and not mention.modifier \
                        and not (mention.quantity.unit in _TIME_UNITS and mention.quantity.qualifier in _THRESHOLDS):
                    # (not "2,140 patients waited | more than 12 hours": how many waited that long;
                    # but "the seven ships had spent a combined 1,460 days in dock": how long)
                    # "Two hospitals in the north postponed 35 operations", "three boats came within
                    # 200 yards of a tanker": a count of the subject and the predicate's figure are
                    # one claim, whose figure is the predicate's
                    self.sized = token_of(group[0].start)
                    group[0], group[1] = mention, last
                    continue
                if joined is not None and first >= joined > token_of(group[0].start):
                    group[1] = b - 1
                    continue
                if reach + 2 < first <= reach + 4 and texts[reach + 1] == "," and lows[reach + 2] in _APPOSITION_OPENERS:
                    close = last + 1
                    while close < min(b, last + 12) and texts[close] not in _APPOSITION_ENDS:
                        close += 1
                    if close < b and texts[close] == ",":
                        group[1] = close
                    elif close >= b or texts[close] in ".!?":
                        group[1] = b - 1  # "..., including 9 women and 14 children.": the list to its end
                    else:
                        group[1] = last
                    continue
                if texts[reach + 1] == ",":
                    close = apposition_end(self.tokens, reach + 1, b)
                    if close is not None and first < close:
                        group[1] = close  # "25 aftershocks, the strongest of magnitude 4.8, had been"
                        continue
                    close = self._figure_apposition_end(reach + 2, first, b)
                    if close is not None:
                        group[1] = close - 1  # "cut 4,200 jobs, about one in eight of its workforce"
                        continue
                if mention.quantity.unit in _TIME_UNITS and first - reach <= 10 and \
                        _TIME_FRAME_WORDS.intersection(lows[max(reach + 1, first - 3):first]) and \
                        _PHRASE_BREAKS.isdisjoint(lows[reach + 1:first]):
                    group[1] = last
                    continue
                opener = next((k for k in range(max(reach + 1, first - 3), first) if lows[k] in _APPOSITION_OPENERS
                               and texts[k - 1] == ","), None)
                if opener is not None and not any(map(looks_like_verb, texts[opener + 1:first])):
                    # "... had forced back at least 2,300 people who had crossed, including about
                    # 400 children": an "including" apposition anywhere after the head figure
                    close = last + 1
                    while close < min(b, last + 12) and texts[close] not in _APPOSITION_ENDS:
                        close += 1
                    if close < b and texts[close] == ",":
                        group[1] = close
                    elif close >= b or texts[close] in ".!?":
                        group[1] = b - 1  # the list to its end ("including 9 women and 14 children.")
                    else:
                        group[1] = last
                    continue
                if texts[first - 1] == "," and first + 2 < b and lows[first] == "one" and lows[first + 1] == "of" \
                        and lows[first + 2] in _OF_WHOM:
                    # "Eight guards were hurt, | one of whom needed surgery": one of the counted,
                    # part of their claim, to the end of its clause
                    close = first + 3
                    while close < b and texts[close] not in _APPOSITION_ENDS:
                        close += 1
                    group[1] = close - 1
                    self.aside = first - 1
                    continue
                comma = first - 1
                while comma > reach and texts[comma] != "," and first - comma <= 6:
                    comma -= 1
                if comma > reach and texts[comma] == "," and self._reference_figure(comma + 1, b) \
                        and not any(map(looks_like_verb, texts[comma + 1:first])):
                    group[1] = last  # "41,500 tickets were sold, below the ground's capacity of 45,000"
                    continue
                if comma > reach + 1 and texts[comma] == "," and lows[comma + 1] not in _CONJUNCTIONS and (
                        self._share_of_before(comma + 1, min(b, last + 4))
                        or mention.quantity.unit == "percent" and group[0].quantity.unit != "percent"):
                    # (and a bare share of a count: "41,000 members joined the strike, about 70
                    # percent": what part of the whole the count is)
                    close = self._figure_apposition_end(comma + 1, first, b)
                    if close is not None:
                        # "1,100 trains were cancelled on Monday, about a third of its timetable":
                        # a share of the figure after the clause's last phrase is still its comment
                        group[1] = close - 1
                        continue
                if self._complement_of_claim(reach, first, last, b, token_of(group[0].start),
                                             _PEOPLE_UNITS.issuperset((group[0].quantity.unit, mention.quantity.unit))):
                    group[1] = last
                    head_first = token_of(group[0].start)
                    to = next((k for k in range(reach + 1, first) if lows[k] == "to"), None)
                    if to is not None and head_first > a and lows[head_first - 1] == "from" and first - reach <= 6 \
                            and all(lows[k] in _FROM_TO_FILLER or texts[k][:1].isdigit() or texts[k] in _MONTH_NAMES
                                    for k in range(reach + 1, first)):
                        # "fell from 220 to 164", "from 5,800 in 2015 to about 4,900": the new figure
                        group[0] = self._counted_before_from(mention, head_first - 1, a)
                    elif lows[first - 1] in ("to", "of") and group[0].quantity.unit in CHANGE_UNITS and first - reach <= 10 \
                            and mention.quantity.unit != group[0].quantity.unit \
                            and "to" in lows[reach + 1:first] \
                            and all(lows[k] in _CHANGE_FILLER or texts[k] in _MONTH_NAMES for k in range(reach + 1, first)) \
                            and CHANGE_OPTIONAL_BY_RE.search(self.text, max(0, group[0].start - 24), group[0].start):
                        # "Exports dropped 6.2 percent from a year earlier to 18.9 billion thalers":
                        # the change, then the level it reached, which is the figure stated
                        group[0] = mention
                    continue
                head_first = token_of(group[0].start)
                if len(groups) == 1 and head_first - a >= 2 and 0 < first - reach - 1 <= 3 \
                        and all(lows[k] in AUXILIARIES or looks_like_verb(texts[k]) for k in range(reach + 1, first)) \
                        and not any(looks_like_verb(texts[k]) and lows[k - 1] != "to" for k in range(a + 1, head_first)):
                    # "The navy's programme to build six frigates | will cost 7.4 billion": a figure
                    # inside the subject's modifier; the claim is the predicate's figure, with its subject
                    group[0], group[1] = mention, last
                    continue
            groups.append([mention, last])
        return groups

    def _negative_finding(self, a: int, b: int) -> bool:
        """Does tokens[a:b] report something found absent: "found no evidence", "no
        irregularities had been reported", "were not affected"?"""
        return _NEGATIVE_FINDING_RE.search(self.text, self.tokens.starts[a], self.tokens.ends[b - 1]) is not None

    def _place_of_subject_count(self, reach: int, first: int) -> bool:
        """Between the subject's count ending at tokens[reach] and the figure at tokens[first]:
        one verb group and its short object, then the place ("spent the night in", "were
        housed in", "slept at"); no comma, conjunction or second clause."""
        texts, lows = self.tokens.texts, self.tokens.lows
        if first - reach > 7 or not _PHRASE_BREAKS.isdisjoint(lows[reach + 1:first]):
            return False
        verbs = [k for k in range(reach + 1, first) if looks_like_verb(texts[k]) or lows[k] in AUXILIARIES]
        return bool(verbs) and verbs[-1] - verbs[0] == len(verbs) - 1

    def _object_of_subject_count(self, reach: int, first: int) -> bool:
        """Is the figure at tokens[first] the object of the verb that follows the subject ending
        at tokens[reach] (no comma, conjunction or second verb between; at most a preposition or
        an article between the verb and the figure)?"""
        texts, lows = self.tokens.texts, self.tokens.lows
        if first - reach > _LEFT_WINDOW or not _PHRASE_BREAKS.isdisjoint(lows[reach + 1:first]):
            return False
        verbs = [k for k in range(reach + 1, first) if looks_like_verb(texts[k]) or lows[k] in AUXILIARIES]
        if not verbs or verbs[0] != verbs[-1] - (len(verbs) - 1):
            return False  # no verb, or two verb groups (a relative clause in the subject)
        v = verbs[-1]
        if first - v > 1 and not _COPULAS_BE.isdisjoint(lows[k] for k in verbs) and lows[v + 1] in PREPOSITIONS:
            return False  # "143 people were evacuated from 61 homes": the passive's subject is the count
        return first - v <= 3 and all(lows[k] in PREPOSITIONS or lows[k] in ("a", "an", "the")
                                      for k in range(v + 1, first))

    def _governing(self, a: int, b: int, fronted: bool, background: bool):
        """Who tokens[a:b] is attributed to. A second predicate of the speaker that is an act of
        its own ("X said ..., and announced plans to cut 4,200 jobs", "... and called for an
        inquiry") is the writer's report of that act, not part of what X said."""
        if not self.frames:
            return _UNGOVERNED
        lows = self.tokens.lows
        if a > self.lo and lows[a - 1] == "and" and lows[a] in _SPEAKER_ACTS and any(
                f.kind == "speech" and f.scope == "after" and f.end <= a for f in self.frames):
            return _UNGOVERNED
        return governing(self.frames, a, b, fronted, background)

    def _counted_before_from(self, mention: QuantityMention, k: int, a: int) -> QuantityMention:
        """The new figure of "cut the order for helicopters from eight to six", "personnel numbers
        fell from 5,800 to 4,900", with the noun before "from" (or before "numbers") as its unit
        when it has none of its own."""
        if mention.quantity.unit is not None:
            return mention
        lows = self.tokens.lows
        j = k - 1
        while j > a and lows[j] in _FROM_TO_VERBS:
            j -= 1  # "numbers have fallen from"
        if j > a and lows[j] in ("numbers", "number", "levels"):
            j -= 1
        noun = lows[j] if j >= a else ""
        if noun in ("personnel", "staff") or len(noun) > 3 and noun.endswith("s") and not noun.endswith("ss") \
                and noun.isalpha():
            return replace(mention, quantity=replace(mention.quantity, unit=noun))
        return mention

    def _complement_of_claim(self, reach: int, first: int, last: int, b: int, head: int | None = None,
                             people: bool = False) -> bool:
        """Is the figure tokens[first:last+1] part of the claim reaching tokens[reach] rather than
        a claim of its own? It is, when it sits in that claim's complement ("57 buildings collapsed
        in X and three surrounding villages", "deployed 1,500 soldiers and 40 vehicles", "140
        others were injured, 19 of them seriously"); it is not when a verb of its own governs it
        ("killed 17 people and wounded 43 others"), when it is the subject of its own verb ("and
        11 were wounded"), or when a comma sets it apart ("2.9 percent, just under the 3 percent
        ceiling")."""
        texts, lows = self.tokens.texts, self.tokens.lows
        between = texts[reach + 1:first]
        if "," in between:
            if len(between) == 3 and between[0] == "," and lows[reach + 2] == "of" and lows[reach + 3] == "whom":
                return True  # ", of whom 12 were minors"
            if last + 3 < b and lows[last + 1] == "of" and lows[last + 2] == "whom" and (
                    lows[last + 3] in AUXILIARIES or looks_like_verb(texts[last + 3])):
                return False  # ", four of whom were taken to hospital": a predicate of its own
            return last + 2 < b and lows[last + 1] == "of" and lows[last + 2] in ("them", "whom") \
                and between.count(",") == 1 and between[-1] == ","  # ", 19 of them seriously"
        if not _CLAUSE_MARKS.isdisjoint(between) or first - reach > _LEFT_WINDOW:
            return False
        if head is not None and lows[first - 1] == "and" and last + 1 < b and lows[last + 1] in _GAPPED_PREPOSITIONS \
                and ((verb_from := self._past_partitive(head, first)) and any(
                    lows[k] in AUXILIARIES for k in range(verb_from, min(first, verb_from + 2)))
                     and any(looks_like_verb(texts[k]) for k in range(verb_from, min(first, verb_from + 3)))
                     or head + 1 < first and lows[head + 1] in _GAPPED_PREPOSITIONS):
            # "29 were held on suspicion of violent disorder | and 14 for criminal damage", "Seven of
            # those arrested were held for X | and four for Y", "nine
            # for violent disorder | and four for possessing pyrotechnics": a second subject with
            # its verb left out, a claim of its own
            return False
        if head is not None and head > self.lo and lows[head - 1] == "to" and "from" in lows[max(reach + 1, first - 3):first] \
                and self._same_measure(head, first) \
                and CHANGE_TO_BEFORE_RE.search(self.text, max(0, self.tokens.starts[head] - 30), self.tokens.starts[head]):
            return False  # "rose to 6.1 percent in October | from 5.9 percent in September": the earlier figure is a claim of its own
        conjunction = max((k for k in range(reach + 1, first) if lows[k] in _CONJUNCTIONS), default=reach)
        if any(map(looks_like_verb, texts[conjunction + 1:first])):
            return False  # "and wounded 43 others": a predicate of its own
        after = last + 1
        if after < b and texts[after] == ",":
            close = apposition_end(self.tokens, after, b)
            after = close + 1 if close is not None else after  # "and 27 vehicles, including ..., were"
        if after < b and (looks_like_verb(texts[after]) or lows[after] in AUXILIARIES):
            # "and 11 were wounded" is a predicate of its own; "400 firefighters and 12 aircraft
            # are deployed" is one subject of two nouns (no verb before the "and", a noun after
            # each figure)
            return head is not None and last > first and first - reach == 2 and lows[first - 1] == "and" \
                and texts[last][0].isalpha() and not any(map(looks_like_verb, texts[head:reach + 1]))
        if first - reach == 2 and lows[first - 1] in ("and", "or"):
            # Coordinated figures are one claim when a complement they share follows ("deployed
            # 1,500 soldiers and 40 vehicles to the area"); at the end of the clause each is a
            # claim of its own ("carries about 7,500 sailors and more than 60 aircraft"), unless
            # both count people: "was carrying 312 passengers and nine crew" is one count of who
            # was on board, in two parts (the first figure is the claim's).
            if people or lows[first - 1] == "or":
                return True  # ("six or seven times": one count, given as two guesses)
            if after < b and lows[after] == "of":  # "two counts of money laundering after ..."
                after += 1
                while after < b and after - last <= 5 and texts[after].isalpha() and lows[after] not in PREPOSITIONS:
                    after += 1
            return after < b and lows[after] in PREPOSITIONS and lows[after] != "of"
        return True

    def _piece(self, a: int, b: int, following: tuple[int, int] | None, fronted: bool, background: bool,
               joined: int | None = None) -> None:
        tokens = self.tokens
        cues = self.cues
        # a joined "since ..."/"before ..." clause says when; the claim's category is its own (and
        # so after a "when" clause that follows the claim's figure, see _add)
        self.circumstance = joined if joined is not None and tokens.lows[joined] in _CIRCUMSTANCE_OPENERS \
            else None
        mentions = None
        if self.mentions_lo < self.mentions_hi:
            start = tokens.starts[a]
            first = bisect.bisect_left(self.mention_starts, start, self.mentions_lo, self.mentions_hi)
            last = bisect.bisect_left(self.mention_starts, tokens.ends[b - 1], first, self.mentions_hi)
            if last > first:
                mentions = [m for m in self.mentions[first:last] if m.start >= start and (
                    m.quantity.unit not in _TIME_VALUES or not dates_back(self.text, m)
                    or self._elapsed(a, m))]
                if joined is not None and a > self.lo and tokens.lows[a - 1] == "when" and mentions:
                    # a fronted "When ..., " clause joined to its main clause: the figures are the
                    # main clause's (see _circumstance_joins)
                    mentions = [m for m in mentions if m.start >= tokens.starts[joined]]
        extend_to = None
        if following and tokens.lows[b - 1] in PREPOSITIONS:
            extend_to = following[1]  # "three miles from | where troops are based": take the object too
        if not mentions:
            # The whole clause is the one proposal. Decided before any further work: a clause
            # without a figure that is too short, too long, or has neither a cue nor a source
            # cannot reach MIN_SCORE (see _score).
            if b - a > _MAX_CLAUSE_TOKENS:
                return
            if following and following[0] == b + 1 and tokens.texts[b] == "," and (
                    tokens.lows[a] in PREPOSITIONS or tokens.lows[a] == "following") \
                    and not any(map(looks_like_verb, tokens.texts[a + 1:b])):
                return  # "By the end of last year, | it had built 87": when the next clause happened
            if not _NEGATORS.isdisjoint(tokens.lows[a:b]) and self._negative_finding(a, b) or (
                    not _RECORD_WORDS.isdisjoint(tokens.lows[a:b]) and _RECORD_RE.search(
                        self.text, tokens.starts[a], tokens.ends[b - 1])):
                # "it had found no evidence that ...", "bank details were not affected": what an
                # inquiry or a company found absent, as checkable as what it found; and a record
                # ("It was the lowest rate since March 2022", "the largest protest since 2019")
                self.finding = True
                if following and following[0] == b and tokens.lows[b] == "that" and following[1] - a <= _MAX_CLAUSE_TOKENS:
                    extend_to = following[1]  # "found no evidence | that the data had been published"
                self._add(a, extend_to if extend_to is not None else b, self._governing(a, b, fronted, background), None)
                self.finding = False
                return
            if cues.word[a:b].count(True) < 3:
                return
            end = extend_to if extend_to is not None else b
            cued = cues.has_cue(a, end)
            if not cued and not self.frames:
                return
            governance = self._governing(a, b, fronted, background)
            if governance.claimant is None and not cued:
                return
            self._add(a, end, governance, None)
            return
        governance = self._governing(a, b, fronted, background)
        covered: list[tuple[int, int]] = []
        token_of = _token_index(tokens, a, b)
        self.sized = self.aside = None
        groups = self._group_mentions(mentions, token_of, a, b, joined) if len(mentions) > 1 or joined else [
            [mentions[0], token_of(mentions[0].end - 1)]]
        if joined is not None and groups[-1][1] < joined:
            groups[-1][1] = b - 1  # a joined apposition or circumstance after the last figure is part of its claim
        lefts = []
        previous_end = a
        for mention, reach in groups:
            q = token_of(mention.start)
            left = self._left_boundary(a, q, previous_end)
            if lefts and q - 1 > left and tokens.lows[q - 1] == "from" and tokens.lows[q - 2] not in ("down", "up") \
                    and CHANGE_TO_BEFORE_RE.search(self.text, max(0, groups[0][0].start - 30), groups[0][0].start) \
                    and mention.quantity.unit in (None, groups[0][0].quantity.unit):
                left = q - 1  # "rose to 6.1 percent in October | from 5.9 percent in September"
            lefts.append(left)
            previous_end = reach + 1
        if joined is not None and lefts[0] > a and token_of(groups[0][0].start) >= joined:
            lefts[0] = a  # "The valley last flooded in 1987, when the river killed 90 people": one claim
        elif lefts[0] - 1 > a and tokens.lows[lefts[0] - 1] == "and" and lefts[0] - a <= _LEFT_WINDOW * 2 \
                and looks_like_verb(tokens.texts[lefts[0]]) and any(map(looks_like_verb, tokens.texts[a:lefts[0] - 1])) \
                and not _CLAUSE_BREAKS.intersection(tokens.texts[a:lefts[0]]) and not any(cues.date[a:lefts[0]]):
            # "Hackers entered the system | and remained undetected for 11 weeks": one subject, two
            # predicates, one figure: one claim (the piece is one clause; a dated first predicate is
            # a claim of its own)
            lefts[0] = a
        elif lefts[0] - 1 > a and tokens.lows[lefts[0]] == "with" and tokens.texts[lefts[0] - 1] == "," \
                and lefts[0] - a <= _LEFT_WINDOW * 2 \
                and not PUT_AT_RE.search(self.text, tokens.starts[lefts[0]], groups[0][0].end):
            # "Cases have tripled in a year, with 1,284 infections recorded": one claim (not "...,
            # with police putting the turnout at 12,000": an estimate of its own, by its own source)
            lefts[0] = a
        elif lefts[0] > a and self._is_short_subject(a, lefts[0]):
            lefts[0] = a  # "The Strait of Velmar | is about 21 nautical miles wide": one clause
        if self.sized is not None and lefts[0] > self.sized:
            lefts[0] = self._left_boundary(a, self.sized, a)  # "A 25-kilogram sack of rice | now costs 61 dollars"
        head = groups[0][0]
        if lefts[0] > a and lefts[0] - a <= 16 and not _COUNT_SUBJECTS.isdisjoint(tokens.lows[a:min(lefts[0], a + 4)]) \
                and "," not in tokens.texts[a:lefts[0]]:
            lefts[0] = a  # "The number of people confirmed dead in the fire aboard the ferry | rose to 19"
        if token_of(head.start) - a <= 16 and (head.quantity.unit is None or head.end == head.number_end):
            # the subject names what the figure counts (also where a noun left out after the figure
            # was taken from a figure before it: "Bus fares rose 3 percent. | The number of bus
            # drivers has fallen to 2,300" counts drivers)
            subject = tokens.lows[a:token_of(head.start)]
            if head.quantity.unit is None and not _PEOPLE_COUNTS.isdisjoint(subject):
                # "The death toll ... rose to 27", "average attendance this season was 31,500"
                groups[0][0] = replace(head, quantity=replace(head.quantity, unit="people"))
            elif "number" in subject[:4] and subject.index("number") + 1 < len(subject) \
                        and subject[subject.index("number") + 1] == "of":
                # "The number of school nurses ... fell to 164", "the true number of jobs at risk was"
                counted = self._counted_after(a + subject.index("number") + 2, token_of(head.start))
                if counted:
                    groups[0][0] = replace(head, quantity=replace(head.quantity, unit=counted))
        for index, (mention, last) in enumerate(groups):
            stop = lefts[index + 1] if index + 1 < len(groups) else b
            right = self._right_boundary(last, stop)
            covered.append((lefts[index], right + 1))
            end = extend_to if extend_to is not None and right == b - 1 else right + 1
            self._add(lefts[index], end, governance, mention)
        for run_start, run_end in _uncovered(a, b, covered):
            if cues.word[run_start:run_end].count(True) < 3 or run_end - run_start > _MAX_CLAUSE_TOKENS:
                continue
            end = extend_to if extend_to is not None and run_end == b else run_end
            if governance.claimant is None and not cues.has_cue(run_start, end):
                continue  # without a figure, a cue or a source it cannot reach MIN_SCORE (see _score)
            self._add(run_start, end, governance, None)

    def _counted_after(self, a: int, b: int) -> str | None:
        """The plural noun that ends the noun phrase starting at tokens[a] ("school nurses in
        the province" -> "nurses"), or None."""
        lows, texts = self.tokens.lows, self.tokens.texts
        k = a
        while k < b and k - a < 4 and texts[k].isalpha() and lows[k] not in PREPOSITIONS \
                and not looks_like_verb(texts[k]):
            k += 1
        noun = lows[k - 1] if k > a else None
        return noun if noun and (noun.endswith("s") or noun in ("people", "children", "men", "women")) else None

    def _is_short_subject(self, a: int, b: int) -> bool:
        """A bare noun phrase short enough to be just the subject: no verb (but a noun in -ing,
        "the ferry sinking"), no comma (but a name's age, "Marta Quell, 44,")."""
        texts, lows = self.tokens.texts, self.tokens.lows
        if 4 <= b - a <= _SHORT_SUBJECT + _INCLUDING_WORDS and texts[b - 1] == "," and "including" in lows[a + 2:b]:
            i = lows.index("including", a + 2, b)
            if texts[i - 1] == "," and "," not in texts[i:b - 1]:
                b = i - 1  # "Hybrid cars, including the popular Vela estate, | accounted for": README's apposition
        if b - a > _SHORT_SUBJECT or b - a < 1:
            return False
        if b - a >= 4 and texts[b - 1] == "," and texts[b - 2][0].isdigit() and texts[b - 3] == ",":
            b -= 3  # "Marta Quell, 44, | was fined"
        if not _PHRASE_BREAKS.isdisjoint(lows[a:b]):
            return False
        if not any(map(looks_like_verb, texts[a:b])):
            return True  # the usual case
        return not any(looks_like_verb(texts[k]) and not (k > a and (lows[k].endswith("ing") or (
            lows[k - 1] in DETERMINERS and not lows[k].endswith("ed")) or self._participle_after_noun(k, b)
            or self._adjective_before_noun(k, b)))
            for k in range(a, b))  # "the fire", "the strike"; "The output lost on Monday alone | was worth ..."

    def _adjective_before_noun(self, k: int, b: int) -> bool:
        """Is the -ed word tokens[k] an adjective between a preposition or possessive and its noun
        ("purchase of armoured personnel carriers", "its unpaid bills")?"""
        texts, lows = self.tokens.texts, self.tokens.lows
        if not lows[k].endswith("ed") or k + 1 >= b or not (lows[k - 1] in PREPOSITIONS or lows[k - 1] in DETERMINERS):
            return False
        nxt = texts[k + 1]
        return nxt.isalpha() and nxt.islower() and lows[k + 1] not in PREPOSITIONS and lows[k + 1] not in DETERMINERS \
            and lows[k + 1] not in AUXILIARIES and lows[k + 1] not in _CONJUNCTIONS and not looks_like_verb(nxt)

    def _participle_after_noun(self, k: int, b: int) -> bool:
        """Is tokens[k] a past participle qualifying the noun before it ("the output lost on
        Monday", "jobseekers registered with the service") rather than a verb of its own?"""
        texts, lows = self.tokens.texts, self.tokens.lows
        prev = lows[k - 1]
        return (lows[k].endswith("ed") or lows[k] in _IRREGULAR_PARTICIPLES) and k + 1 < b \
            and lows[k + 1] in PREPOSITIONS and texts[k - 1].isalpha() and prev not in AUXILIARIES \
            and prev not in PRONOUNS and prev not in DETERMINERS and prev not in _CONJUNCTIONS \
            and not looks_like_verb(texts[k - 1])

    def _left_boundary(self, a: int, q: int, floor: int) -> int:
        """Where the phrase carrying a figure starts: its governing verb, else its noun phrase.

        Walks left from the figure over its noun phrase and prepositions; the
        first verb met starts the phrase (with its auxiliaries, and an
        adjective + "of"/"to" before it: "capable of carrying"); a comma or
        "and" ends the walk; with neither, the clause start is used.
        """
        texts, lows = self.tokens.texts, self.tokens.lows
        floor = max(a, floor)
        k = q - 1
        while k >= floor and q - k <= _LEFT_WINDOW:
            if lows[k] in _PHRASE_BREAKS and not (lows[k] == ":" and _glued(self.tokens, k)):
                verb = self._list_before(k, floor, q) if lows[k] in _LIST_MARKS else None
                if verb is not None:
                    return self._verb_group_start(verb, floor)  # "exposed names, addresses and bank details of 480,000"
                return k + 1
            if looks_like_verb(texts[k]) and not (k > floor and lows[k - 1] in DETERMINERS) and not (
                    lows[k].endswith("s") and lows[k + 1] == "of" and lows[k] not in _VERBS_OF) \
                    and not (k > floor and lows[k - 1] in _NOUN_AFTER):
                # (not "brought the wildfire under | control": a noun after the preposition)
                # (not "the phone numbers of 12,000 travellers": a plural noun before "of")
                if lows[k].endswith("ing") and k > floor and self._reduced_relative(k):
                    k -= 1  # "intercepted a rubber boat carrying 58 people": the boat's verb governs
                    continue
                if k > floor and lows[k] in _VERB_OBJECT_NOUNS and lows[k - 1] in _TAKES_NOUN_OBJECT:
                    k -= 1  # "set fire to seven cars", "opened fire on 12 vehicles": the noun of a verb phrase
                    continue
                return self._verb_group_start(k, floor)
            k -= 1
        return floor if q - floor <= _LEFT_WINDOW else q

    def _list_before(self, k: int, floor: int, q: int) -> int | None:
        """When the comma or "and" at tokens[k] joins the nouns of one object ("exposed names,
        addresses and bank details of ..."), the verb that takes the list; else None. The items
        are short runs of words (no figure, no verb, no other mark)."""
        texts, lows = self.tokens.texts, self.tokens.lows
        if lows[k] == "," and "and" not in lows[k + 1:q]:
            return None  # "pushed back, about a third of them": an apposition, not a list
        if k + 1 == q and q + 1 < self.hi and lows[q + 1] in _GAPPED_ITEM_WORDS:
            return None  # "five were held for attacking officers | and two for theft": a breakdown's part
        j = k - 1
        run = 0
        while j >= floor and q - j <= _LEFT_WINDOW:
            word = texts[j]
            if lows[j] in _LIST_MARKS:
                if run == 0:
                    return None
                run = 0
            elif looks_like_verb(word) and not (j > floor and lows[j - 1] in DETERMINERS) \
                    and lows[j + 1] not in _LIST_MARKS:  # ("phone numbers and": a noun ending an item)
                return j if run and lows[j] not in AUXILIARIES else None
            elif not word.isalpha() or lows[j] in _CONJUNCTIONS or lows[j] in PREPOSITIONS or run >= 3:
                return None
            else:
                run += 1
            j -= 1
        return None

    def _reduced_relative(self, k: int) -> bool:
        """Is the -ing word tokens[k] a participle after a noun ("a boat carrying", "a convoy
        transporting") rather than a verb of its own ("was carrying", "began shelling")?"""
        texts, lows = self.tokens.texts, self.tokens.lows
        prev = lows[k - 1]
        return texts[k - 1].isalpha() and prev not in AUXILIARIES and prev not in PRONOUNS \
            and prev not in PREPOSITIONS and prev not in DETERMINERS and prev not in _CONJUNCTIONS \
            and not looks_like_verb(texts[k - 1]) and not prev.endswith("ly")

    def _verb_group_start(self, j: int, floor: int) -> int:
        """Extend a verb leftwards over its auxiliaries and adverbs, a coordinated verb
        ("damaged or destroyed"), a catenative verb ("is estimated to have") and an
        adjective that takes it ("capable of carrying")."""
        texts, lows = self.tokens.texts, self.tokens.lows
        for _ in range(4):
            while j - 1 >= floor and (lows[j - 1] in AUXILIARIES or lows[j - 1] in (
                    "not", "also", "already", "reportedly", "allegedly", "never", "now", "still", "just",
                    "since", "again", "so", "far", "remained", "remain", "remains", "stayed", "became",
                    "become", "seemed", "went", "go", "goes", "gone") or lows[j - 1].endswith("ly")):
                j -= 1
            if j - 2 >= floor and lows[j - 1] in ("to", "and", "or") and looks_like_verb(texts[j - 2]):
                j -= 2
                continue
            if j - 2 >= floor and lows[j - 1] in ("of", "to") and texts[j - 2].isalpha() \
                    and not looks_like_verb(texts[j - 2]) and lows[j - 2] not in DETERMINERS:
                j -= 2
            break
        return j

    def _opened_before(self, last: int) -> bool:
        """Is there a "(" not yet closed before tokens[last] (in this sentence, nearby)?"""
        texts = self.tokens.texts
        for k in range(last, max(self.lo, last - _RIGHT_WINDOW) - 1, -1):
            if texts[k] == ")":
                return False
            if texts[k] == "(":
                return True
        return False

    def _right_boundary(self, last: int, stop: int) -> int:
        """Where the phrase carrying a figure ends: before punctuation, the next figure's
        phrase, a new predicate ("and wounded ...") or a purpose clause ("to hit ...")."""
        tokens = self.tokens
        texts, lows = tokens.texts, tokens.lows
        limit = min(stop, last + _RIGHT_WINDOW + 1)
        skip = -1
        # Only marks, conjunctions and "to" can end the phrase: the other words are skipped in C.
        for k in compress(range(last + 1, limit), map(_RIGHT_STOPS.__contains__, lows[last + 1:limit])):
            word = lows[k]
            if word == ":" and _glued(tokens, k):
                continue  # "at about 3:15 a.m.": a time of day, not a break
            if word in ";:—–…":
                return k - 1
            if word == ")":
                if self._opened_before(last):
                    return k - 1  # "The company (which employs 4,500 people) said ...": the aside ends
                continue
            if word == "," and k < skip:
                continue  # the closing comma of an apposition passed over
            if word == "," and not is_list_comma(tokens, k, last, stop):
                close = apposition_end(tokens, k, stop)
                if close is not None:
                    skip = close + 1  # "Nearly 300 patients, most of them unvaccinated, have needed ..."
                    continue
                return k - 1
            if word in ("and", "or", "but") and k + 1 < stop:
                nxt = lows[k + 1]
                if word == "and" and k - 2 > last and lows[k - 2] == "between":
                    continue  # "between 2015 and 2021"
                if texts[k + 1][0].isdigit() or nxt in SUBJECT_PRONOUNS or looks_like_verb(texts[k + 1]):
                    return k - 1
            if word == "to" and k + 1 < stop and lows[k - 1] not in _TO_COMPLEMENT_VERBS \
                    and lows[k - 1] not in _SCHEDULED_BE:  # ("all six were | to be in service by 2024": the schedule is the claim)
                nxt, first = lows[k + 1], texts[k + 1][0]
                if first.isalpha() and first.islower() and nxt not in DETERMINERS \
                        and nxt not in PRONOUNS and nxt not in PREPOSITIONS and nxt not in _TO_PLACES \
                        and nxt not in ("more", "about", "around", "nearly", "almost", "over", "under") \
                        and not looks_plural(nxt):
                    return k - 1  # (an infinitive never ends in -s: "moved to shelters" is a place)
        return max(last, limit - 1)

    # -- a proposal ---------------------------------------------------------------------

    def _add(self, a: int, b: int, governance, mention: QuantityMention | None) -> None:
        """Propose tokens[a:b] as a claim."""
        tokens = self.tokens
        a, b = trim_tokens(tokens, a, b)
        if b <= a:
            return
        start, end = tokens.starts[a], tokens.ends[b - 1]
        span = self.text[start:end]
        if not _QUOTE_MARKS.isdisjoint(tokens.texts[a:b]):  # (a quote mark is always a token of its own)
            a, b = self._whole_quotation(a, b)
            start, end = tokens.starts[a], tokens.ends[b - 1]
        if mention is not None and mention.quantity.unit in _TIME_UNITS and b - a <= 6 and \
                _TIME_FRAME_ONLY.issuperset(tokens.lows[k] for k in range(a, b)
                                            if not mention.start <= tokens.starts[k] < mention.end):
            return  # "Over the past 72 hours": when something happened, not a claim
        if tokens.lows[a] == "we" and a + 1 < b and tokens.lows[a + 1] in _WE_OPINION and not self.frames \
                and not self.ctx.quote_speaker and tokens.texts[self.lo] not in OPEN_QUOTES:
            return  # "We should be spending at least 3 percent": the writer's demand, nothing to check
        if mention is None and self._no_predicate(a, b):
            return  # "The frigate Halvard Ness", "a private imagery firm in Halvik": a name or a place, nothing said of it
        if mention is None and not any(self.cues.date[a:b]) and self._quoted_judgement(a, b):
            return  # "“This budget is a betrayal of our soldiers,” said ...": a quoted opinion, no figure
        if not _NAMING_VERBS.isdisjoint(tokens.lows[a:b]) and (opened := self._names_in_quotes(a, b)) is not None \
                and (mention is None or mention.start > tokens.starts[opened]):
            # "The minister called the attack “a war crime”", "called the result “a verdict on twelve
            # years of broken promises”": a judgement in a name (its figure too), nothing to check
            return
        if mention is None and tokens.lows[a] == "to" and a > self.lo and a + 1 < b \
                and tokens.texts[a + 1][:1].islower() and tokens.lows[a + 1] not in DETERMINERS \
                and tokens.lows[a + 1] not in PRONOUNS and tokens.lows[a + 1] not in PREPOSITIONS \
                and tokens.lows[a + 1] not in _STRIKE_PURPOSES:
            # "sent 2,000 soldiers | to help clear roads", "people trying | to cross the strait", "were
            # | to be in orbit by 2024": a purpose, an attempt or a plan, split off the clause that
            # has the figure, is nothing that happened (but missiles that flew 355 miles "to hit
            # their targets" did hit them)
            return
        if not self.frames and not self.ctx.quote_speaker and not governance.claimant \
                and self._writer_own(a, b) and OPEN_QUOTES.isdisjoint(tokens.texts[self.lo:a + 1]):
            # "Last winter my father lay on the kitchen floor for two hours", "A friend of mine paid
            # 4,800 pounds": the columnist's own family and friends, an anecdote, nothing to check
            return
        if tokens.lows[a] == "i" and not self.frames and not self.ctx.quote_speaker \
                and tokens.texts[self.lo] not in OPEN_QUOTES and not governance.claimant:
            # "I watched my neighbour struggle up four flights": the writer's own anecdote; but "I
            # remember 2003, when the heat killed 15,000 people" recalls a claim
            when = next((k for k in range(a + 2, b - 1) if tokens.lows[k] == "when" and tokens.texts[k - 1] == ","),
                        None)
            if when is None or mention is None or tokens.starts[when] > mention.start:
                return
            a = when + 1
            start = tokens.starts[a]
        if self._announces(a, b, mention is not None):
            return  # "will meet union leaders next week": a plan or a schedule, nothing to check yet
        if a == self.lo and a + 2 < b and self._general_rule(a, b):
            return  # "Companies can be fined up to 4 percent of their turnover": the law, not this case
        if not _PENALTY_ALLOWED_WORDS.isdisjoint(tokens.lows[a:b]) and _PENALTY_ALLOWED_RE.search(span) is not None:
            return  # "Under the data law, companies can be fined up to ...": the same, mid-sentence
        claimant = governance.claimant
        hedges = list(governance.hedges)
        cues = self.cues
        cue_end = self.circumstance if self.circumstance is not None and a < self.circumstance < b and (
            tokens.lows[self.circumstance] != "when" or mention is not None
            and mention.end <= tokens.starts[self.circumstance]) else b
        if self.aside is not None and a < self.aside < cue_end:
            cue_end = self.aside  # ("three were captured, | one of whom is wounded": a capture)
        # ("The ferry was carrying 428 passengers | when fire broke out": a count, not the fire; but
        # "The town last flooded in 1987, | when the river killed 90 people": the figure's event)
        seen, hedge_word = cues.span(tokens, a, cue_end, self.lo)
        accusation = cues.accusation_at(a, b) if "attribution" in seen else None
        if accusation is not None:
            hedges.append(tokens.texts[accusation])
            if claimant is None:
                claimant = self._subject_before(a, accusation)
        if claimant is None and mention is not None and ("put" in span or "estimat" in span or (
                "put" in self.text[max(0, start - 60):start])):
            claimant = self._estimator(a, b)
            if claimant and claimant.lower() in self.ctx.provisional:
                hedges.append(self.ctx.provisional[claimant.lower()])
        elif mention is not None and "put" in span and PUT_AT_RE.search(span):
            # "Organisers said 20,000 took part; police put the crowd at 6,500": the estimate is
            # whoever puts it, not the source of the sentence's other clause
            estimator = self._estimator(a, b)
            if estimator and estimator != claimant:
                claimant = estimator
        if claimant and mention is not None and not hedges and counts_own_event(claimant) \
                and (put := PUT_AT_RE.search(span)) and (
                    put.group("noun").lower() in _HEADCOUNT_NOUNS or "number of" in put.group(0).lower()):
            # "Organisers put the turnout at 50,000", "the union put the number at more than 3,000",
            # "the federation put the number of tractors at 1,350": their own event's count (not
            # "the insurers' federation put the damage at ...")
            hedges.append(span)
        if mention is not None and mention.quantity.unit is None and ("put" in span or "estimat" in span):
            counted = PUT_AT_RE.search(span)
            noun = counted.group("noun").lower() if counted else ""
            if noun in _PEOPLE_COUNTS:
                mention = replace(mention, quantity=replace(mention.quantity, unit="people"))
            elif noun.endswith("s") and " of " + noun in span.lower():  # "put the number of arrests at"
                mention = replace(mention, quantity=replace(mention.quantity, unit=noun))
        if "disclaimer" in seen and claimant is None:
            at, passive = cues.disclaimer_at(a, b)
            if not passive:
                claimant = self._subject_before(a, at)  # "Reuters could not verify", not "could not be verified"
        if hedge_word:
            hedges.append(hedge_word)
        elif a - 4 >= self.lo and tokens.lows[a] in AUXILIARIES and tokens.lows[a - 3] == "what" \
                and self.cues.hedge[a - 3]:
            hedges.append(" ".join(tokens.texts[a - 3:a + 1]))  # "it published what it said | were 1,500 records"
        unit_category = mention.unit_category if mention else None
        if unit_category == "distance" and not _HEIGHT_WORDS.isdisjoint(tokens.lows[a:b]):
            unit_category = None  # "peaked at 7.9 metres", "the river rose 4.2 metres": a level, not a distance
        elif unit_category == "distance" and self._length_built(mention, a):
            unit_category = None  # "crews have laid 14 kilometres of pipe": a length of something made, no distance
            seen = seen - {"distance"}
        category = choose_category(seen, unit_category)
        if category == "casualties" and mention is None and accusation is not None \
                and accusation - a <= _ACCUSATION_AS_PREDICATE and tokens.lows[a] not in _CASUALTY_NOUNS:
            # "The health department denied that any deaths had been left out", "accused senior
            # officers of trying to cover up the death": the denial or the accusation is the claim
            category = "attribution"
        if category == "casualties" and mention is not None and mention.quantity.unit in ANIMAL_UNITS:
            # "rescuers found 40 injured seals", "the storm killed 3,000 hens": animals, no casualties
            category = choose_category(seen - {"casualties"}, unit_category)
        if category == "distance" and unit_category is None and mention is not None \
                and not _HEIGHT_WORDS.isdisjoint(tokens.lows[a:b]):
            category = choose_category(seen - {"distance"}, None)
        acted_on = False  # (an act done to a toll's people: as checkable as the toll, see below)
        if category == "casualties" and mention is None and self._casualties_only_named(a, b):
            category, acted_on = "event", True  # "The injured were transported to the hospital": an act
        if category in _ARMS and not self.ctx.military:
            # No troops, weapons or military named yet: "division", "vehicles", "officers" are
            # a company's, a carmaker's, a prison's (only the unambiguous words count)
            strong = {c for c, w in zip(cues.category[a:b], tokens.lows[a:b])
                      if c in _ARMS and w not in MILITARY_AMBIGUOUS}
            unit_category = mention.unit_category if mention else None
            if unit_category in _ARMS and mention.quantity.unit in MILITARY_AMBIGUOUS:
                unit_category = None
            category = choose_category((seen - _ARMS) | strong, unit_category)
            if category not in _ARMS and _ON_DUTY_RE.search(span):
                category = "forces"  # "1,200 officers had been on duty", "mounted units were deployed": police in force
        if category == "event" and mention is not None and mention.quantity.unit != "times" and (
                "event" not in seen and "action" not in seen or mention.quantity.unit == "percent"
                or self._only_damage(a, b) or _TURNOUT_RE.search(span)):
            # A dated figure ("down from 93 percent in 2019"), a share ("won 48.7 percent of the
            # vote"), a count of what was damaged or built ("57 buildings had collapsed") or of
            # who took part ("about 1,500 people had taken part") is a statistic, not an event.
            category = "other"
        if category in _ARMS and _sum_or_share(self.text, mention):
            category = "other"
        if self.ctx.author and hedges and (claimant is None or not self.ctx.author.isdisjoint(
                w.strip(".,’'").lower() for w in claimant.split())):
            # the body's own statement: its accounts and its rejections are its own words, not
            # relayed (what it cites from others keeps its hedge)
            own_words = {governance.own} | ({tokens.texts[accusation]} if accusation is not None else set())
            hedges = [h for h in hedges if h not in own_words]
        if hedges and mention is not None and any(_PROVISIONAL_HEDGE_RE.search(h) for h in hedges) \
                and _COMPARISON_BASE_RE.search(self.text, max(self.tokens.starts[self.lo], start - 8), mention.start):
            # "growth of 0.3 percent, slowing from 0.9 percent in the third quarter": the earlier
            # figure a provisional one is set against is final
            hedges = [h for h in hedges if not _PROVISIONAL_HEDGE_RE.search(h)]
        if category == "casualties" and governance.own is not None and governance.own in hedges \
                and not own_act(governance.claimant, self._led_to(governance, a, end, span)):
            # "Police said they arrested 38 people and that seven officers were injured": the
            # frame is the police's own account of the arrests, but a toll they give is not (an
            # ambulance service on whom its crews treated is its own act)
            hedges.remove(governance.own)
        elif governance.note and governance.claimant and governance.note not in hedges \
                and own_act(governance.claimant, self._led_to(governance, a, end, span)):
            # "Police said 19 people were arrested", "the ambulance service said its crews had
            # treated 17 people": the source's own act, read in this claim's clause only
            hedges.append(governance.note)
        elif governance.note and governance.claimant and governance.note not in hedges \
                and speaks_for_own_body(self.ctx.full_name(governance.claimant),
                                        led := self._led_to(governance, a, end, span)) \
                and "," not in led[:len(led) - len(span)]:
            # "State Secretary Henrik Dahl said the ministry had raised the budget (and had signed
            # ...)": an officer on what their own body did (not "... to support the mark, which lost
            # 9 percent": past a comma, another clause with its own subject)
            hedges.append(governance.note)
        elif not self.frames and claimant is None and self.ctx.paragraph_source is not None \
                and self._continues_count(a) and not TOLL_RE.search(self.text, tokens.starts[self.lo], tokens.ends[self.hi - 1]) \
                and own_act(self.ctx.paragraph_source[0], span):
            # "Police said 49 people were arrested. | Eight were charged with obstructing a
            # highway.": the paragraph's source goes on with its own account
            claimant, note = self.ctx.paragraph_source
            hedges.append(note)
        elif not self.frames and claimant is None and mention is not None and self.ctx.results_source is not None \
                and self.ctx.paragraph <= self.ctx.results_source[2] + 1 and not _RESULT_WORDS.isdisjoint(tokens.lows[a:b]) \
                and _IN_A_YEAR_RE.search(self.text, tokens.starts[self.lo], tokens.ends[self.hi - 1]) is None:
            # "..., according to preliminary results published by the commission. | The party
            # took 34.2 percent of the vote.": the results paragraph and the next go on with them
            # (not "In 2019, the party won 18 seats": an earlier election's final result)
            claimant, note, _ = self.ctx.results_source
            hedges.append(note)
        elif not self.frames and claimant is None and self.ctx.paragraph_source is not None \
                and start == tokens.starts[self.lo] and tokens.lows[a] == "it":
            # "The transport department says 240 lights are out. | It has sent 150 wardens.": the
            # paragraph's source, an organisation, goes on with its own account
            goes_on, own = goes_on_by_pronoun(self.ctx.paragraph_source[0], span)
            if goes_on:
                claimant = self.ctx.paragraph_source[0]
                if own:
                    hedges.append(self.ctx.paragraph_source[1])
        elif not self.frames and claimant is None and self.ctx.paragraph_source is not None \
                and start == tokens.starts[self.lo] and tokens.lows[a] in ("police", "officers") \
                and goes_on_by_own_people(self.ctx.paragraph_source[0], span):
            # "..., according to the police. | Officers also seized 40 flares from a van": the
            # police's own act, in their account
            claimant, note = self.ctx.paragraph_source
            hedges.append(note)
        if governance.note and governance.claimant:
            self.ctx.paragraph_source = (governance.claimant, governance.note)
        fact = False
        if self.finding and mention is None:
            category, fact = ("other" if category in ("event", "attribution") else category), True
        if category == "casualties" and mention is not None and mention.quantity.unit == "percent" \
                and "rate" in tokens.lows[a:b]:
            category = "other"  # "the case fatality rate stands at 1.8 percent": a statistic, not a toll
        elif category == "casualties" and mention is not None and mention.quantity.unit in _NOT_PEOPLE:
            category = "other"  # "30 tonnes of dead fish", "1.2 million oaks have died": not a human toll
        if category == "event" and mention is None and self._state_of_a_thing(a, b, "event" in seen):
            # "The line was built in the 1930s", "the inspections were never carried out": a fact
            # about a thing, dated or denied, not something that happened (as checkable as one)
            category, fact = "other", True
        elif category == "other" and mention is not None and tokens.lows[a] in ("up", "down") and self.drafts \
                and mention.quantity.unit != "percent" \
                and self.drafts[-1].mention is not None and self.drafts[-1].category != "other":
            category = self.drafts[-1].category  # "7 people are missing, | down from 31": as the figure before
        claimant = clean_claimant(claimant)
        self.drafts.append(_Draft(
            start, end, category, claimant, mention, hedges,
            "date" in seen or "name" in seen, "year" in seen, tokens.lows[a] in AUXILIARIES and "date" not in seen,
            (category == "event" or fact) and "event" not in seen and "action" not in seen and "year" not in seen
            and not self.finding and not acted_on,
            "opinion" in seen, "verb" in seen, cues.words(a, b), fact,
            self._shown(claimant),
            acted_on or category == "event" and _ARMED_STRIKE_RE.search(span) is not None,
        ))

    def _shown(self, claimant: str | None) -> str | None:
        """The claimant as the reviewer sees it: a description the rules read ("company") by the
        name the article gave it ("Medivale"), see ArticleContext.named. The drafts keep the
        description for the rules that read a source's kind (disclaimers, a statement's own voice)."""
        return clean_claimant(self.ctx.named(claimant)) if claimant else claimant

    def _state_of_a_thing(self, a: int, b: int, cued: bool) -> bool:
        """A passive or negated predicate: "was built in 1974", "had been inspected in April",
        "were never carried out", "had not been replaced since 2002". With an event word of its
        own ("was struck", "were arrested") only when negated."""
        lows, texts = self.tokens.lows, self.tokens.texts
        negated = not _NEGATORS.isdisjoint(lows[a:b])
        if cued and not negated:
            return False
        for k in range(a, b - 1):
            if lows[k] in _PASSIVE_AUX:
                j = k + 1
                while j < b - 1 and (lows[j] in _NEGATORS or lows[j] in ("last", "also", "since", "been")
                                     or lows[j].endswith("ly")):
                    j += 1
                if lows[j] in _STATE_PARTICIPLES or negated and lows[j].endswith(("ed", "t", "n")) \
                        and looks_like_verb(texts[j]):
                    return True  # "was built in 1974", "were never carried out" (not "was demolished")
        return False

    def _names_in_quotes(self, a: int, b: int) -> int | None:
        """Where the quoted name opens when tokens[a:b] calls something by one: "called the attack
        “a war crime”", "branded the result “a verdict on twelve years of broken promises”" (the
        quotation within six words of the verb, after an object of its own); else None."""
        texts, lows = self.tokens.texts, self.tokens.lows
        for k in range(a + 1, min(b - 2, a + _NAMING_REACH)):
            if lows[k] in _NAMING_VERBS and lows[k + 1] in DETERMINERS:
                return next((j for j in range(k + 2, min(b, k + 8)) if texts[j] in OPEN_QUOTES), None)
        return None

    def _quoted_judgement(self, a: int, b: int) -> bool:
        """Is tokens[a:b] a direct quotation whose predicate is a copula with a judgement ("is a
        betrayal", "are unacceptable", "was a disgrace") rather than something that happened?"""
        texts, lows = self.tokens.texts, self.tokens.lows
        if not (a > self.lo and texts[a - 1] in OPEN_QUOTES or a == self.lo and texts[a] in OPEN_QUOTES):
            return False
        for k in range(a, min(b - 1, a + 6)):
            if lows[k] in _COPULA_FORMS:
                nxt = lows[k + 1]
                return nxt in ("a", "an", "the", "simply", "just", "nothing", "utterly", "completely") \
                    or nxt.endswith(("ble", "ous", "ful", "ive", "ant", "ent", "al")) and not looks_like_verb(texts[k + 1])
            if looks_like_verb(texts[k]) or lows[k] in AUXILIARIES:
                return False
        return False

    def _writer_own(self, a: int, b: int) -> bool:
        """Does tokens[a:b] open with someone of the writer's own ("my father", "a friend of mine";
        not "the coal mine")?"""
        window = self.tokens.lows[a:min(b, a + _WRITER_OWN_REACH)]
        return "my" in window or "mine" in window and any(
            window[k] == "mine" and window[k - 1] == "of" for k in range(1, len(window)))

    def _no_predicate(self, a: int, b: int) -> bool:
        """Is tokens[a:b] a bare noun phrase or adverbial (no verb, auxiliary or participle) that is
        not a record ("the steepest fall since 2013", "the worst unrest in a decade")?"""
        return not any(map(_predicate_word, self.tokens.texts[a:b]))

    def _subject_relative(self, a: int, b: int) -> tuple[int, int]:
        """The commas around a relative clause right after a short subject opening tokens[a:b]
        ("The first boat, | which was due to be delivered in 2029, | is ..."), else (b, b)."""
        texts, lows = self.tokens.texts, self.tokens.lows
        comma = next((k for k in range(a + 1, min(b - 1, a + _SHORT_SUBJECT + 1)) if texts[k] == ","), None)
        if comma is None or lows[comma + 1] not in _SUBJECT_RELATIVES:
            return b, b
        close = next((k for k in range(comma + 2, min(b, comma + 2 + _MAX_APPOSITION_TOKENS)) if texts[k] == ","), None)
        return (b, b) if close is None else (comma, close)

    def _announces(self, a: int, b: int, figure: bool = False) -> bool:
        """Is tokens[a:b] a plan, a schedule, a hope or a refusal to say rather than a statement
        of fact: a future ("will meet", "is due to present", "plans to close"), an expectation
        ("We expect the results by Friday"), a "would" with a time still to come ("would ask
        parliament next week") or "declined to say"? A reported "would" without a date ("said
        Washington would review the deal") is a stated position and stays."""
        lows = self.tokens.lows
        words = lows[a:b]
        if _FUTURE_MARKERS.isdisjoint(words):
            return False  # the usual case
        aside = self._subject_relative(a, b)
        dated = None  # a year in the clause (for a promise)
        for k in range(a, b):
            w = lows[k]
            if w not in _FUTURE_MARKERS or aside[0] < k < aside[1]:
                continue  # ("The first boat, which was due in 2029, is now not expected before 2032": what
                # the relative clause says was planned is not the claim's plan)
            nxt = lows[k + 1] if k + 1 < b else ""
            if w in _DEADLINE_MARKERS and nxt != "have" and self._deadline_after(k + 1, b):
                # "would spend 1.2 billion pounds on new places by 2028", "promised 500 kilometres
                # of cycle lanes by 2025": a promise with its deadline, nothing done to check
                return True
            if w in ("will", "'ll", "would") and nxt in _PLANNED_ACTS and k > a and lows[k - 1] not in _RELATIVE_OPENERS:
                # "the army would send 2,000 soldiers", "the government will release 20 million crowns
                # in aid", "would ask parliament for a further 60 million euros": a party's next step,
                # figure or not, nothing done yet (but "a scheme which would give 40,000 families ...":
                # what a plan would do, an estimate to check)
                return True
            if w in ("will", "'ll", "shall") and nxt != "have":
                if figure:
                    continue  # (a figure in the future tense may be a budget's or a law's, to check)
                return True
            if w == "due" and nxt == "to" and not self._due_to_schedule(k, a, b):
                continue  # "cancelled due to the strike", "the delay was due to a fault": a cause
            if w in ("due", "plans", "plan", "planned", "planning", "intends", "intend", "intended", "aims",
                     "going", "promised", "promises", "pledged", "pledges", "vowed", "vows") and nxt == "to":
                if w in _PROMISE_VERBS and k + 2 < b and not _infinitive_at(self.tokens, k + 2):
                    continue  # "34 of the 80 tanks it pledged to Drevania": to whom, a thing promised
                if figure and k > self.lo and lows[k - 1] in _PLAN_AS_NOUN:
                    continue  # "announced plans to cut 4,200 jobs", "a campaign that aims to vaccinate"
                return True
            if nxt == "to" and (w in ("committed", "commits") or w == "expected" and k > a
                                and lows[self._word_before(k, a)] not in _COPULAS_BE):
                return True  # "has committed to reaching 2 percent by 2028", "the army expected to receive"
            if w == "expected" and k > a and nxt != "to" and lows[self._word_before(k, a)] in _EXPECTING_PRONOUNS \
                    and "to" in lows[k + 2:min(b, k + 7)]:
                j = lows.index("to", k + 2, min(b, k + 7))
                if j + 1 < b and self.tokens.texts[j + 1].isalpha() and lows[j + 1] not in DETERMINERS \
                        and not _CLAUSE_MARKS.intersection(self.tokens.texts[k + 1:j]):
                    return True  # "she expected most of the troops to stay", "they expected both sides to agree"
            if w == "expected" and k > a and lows[k - 1] in ("is", "are") and nxt in ("in", "by") \
                    and k + 2 < b and self.tokens.texts[k + 2] in _MONTH_NAMES:
                return True  # "a second lot of 100,000 doses is expected in April": a delivery to come
            if w == "expected" and k - 3 >= a and lows[k - 1] == "be" and lows[k - 2] == "to" \
                    and lows[k - 3] in ("are", "is"):
                return True  # "delays of up to six hours are to be expected": a warning of what may come
            if w in ("declined", "refused") and nxt == "to" and k + 2 < b and lows[k + 2] in _SAY_WORDS:
                return True
            if w in _PROMISE_VERBS and k > a and lows[k - 1] not in _NOT_A_PROMISER and (
                    nxt[:1].isdigit() or nxt in ("a", "an") or nxt == "on" and "to" in lows[k + 2:min(b, k + 5)]):
                if dated is None:  # (looked for once in the clause, not once per promise word)
                    dated = _IN_A_YEAR_RE.search(self.text, self.tokens.starts[a], self.tokens.ends[b - 1]) is not None
                if dated:
                    continue
                # "Dravic promised 5,000 lev in compensation to each family", "promised a full inquiry",
                # "promised on Monday to reopen the post": a promise, nothing done yet to check (but "It
                # promised something very similar in 2014": a dated promise, on the record; and "the
                # money already promised", "the plant promised for 2008": what was promised, a thing)
                return True
            if w == "appear" and k - 2 >= a and lows[k - 1] == "to" and lows[k - 2] in _COPULAS_BE \
                    or w == "due" and nxt in ("before", "in") and "court" in lows[k + 1:min(b, k + 6)]:
                return True  # "The nine are to appear before the district court on Friday", "are due in court"
            if w in ("expect", "expects", "hope", "hopes", "hoped", "hoping"):
                if figure and k > self.lo and lows[k - 1] in _PLAN_AS_NOUN:
                    continue
                return True
            if w == "would" and nxt != "have" and not _FUTURE_TIMES.isdisjoint(words[k - a:]):
                return True
            if w == "would" and not figure and self._promised_act(k, b):
                return True
            if w == "would" and nxt not in _ESTIMATE_VERBS and nxt != "have" and "within" in words[k - a:] \
                    and k > a and lows[k - 1] in SUBJECT_PRONOUNS:
                # "it would write to every affected customer within ten days": a promise (but "its stocks
                # would run out within two weeks": an estimate, to check)
                return True
            if w == "would" and nxt == "be" and k + 2 < b and (
                    lows[k + 2] in _IRREGULAR_PARTICIPLES or lows[k + 2].endswith("ed") and len(lows[k + 2]) > 4):
                # "the complaints would be examined within 10 days", "four more helicopters would be
                # handed over this year": a plan reported, nothing done yet (but "would cost 2.6
                # billion", "would run out within two weeks": an estimate, to check)
                return True
            if w == "scheduled" and nxt == "for" and k > a and lows[self._word_before(k, a)] in _COPULAS_BE:
                return True  # "The next meeting is scheduled for 24 April" (not "the 310 trains scheduled for today")
            if w in _FORECAST_VERBS and (nxt in ("a", "an") or nxt[:1].isdigit()) and k > a \
                    and not lows[k - 1][:1].isdigit() and lows[k - 1] not in _COUNT_WORDS \
                    and lows[k - 1] not in DETERMINERS and lows[k - 1] not in _COPULAS_BE \
                    and lows[k - 1] not in ("had", "has", "have"):  # ("economists had forecast 120,000": a benchmark)
                return True  # "The council forecast a deficit of 4.4 percent": a forecast, nothing to check yet
            if figure and w in _FORECAST_WORDS and nxt not in ("not", "have", "be", "") \
                    and self.tokens.texts[k] != "May" \
                    and not (w == "could" and "only" in lows[k + 1:min(b, k + 4)]):
                # (the month; and "the navy could send only two frigates to sea": what it managed)
                return True  # "up to 30 centimetres of snow could fall", "prices may rise 5 percent"
        return False

    def _promised_act(self, k: int, b: int) -> bool:
        """Is the "would" at tokens[k], in a clause without a figure, a party's next step ("she
        would appeal", "the group would retaliate", "Velacom would not pay the hackers", "he
        would seek talks")? Nothing has happened yet to check. Not an estimate ("would need",
        "would cost"), a conditional ("would have"), a state that goes on ("the US would maintain
        its presence", "would continue to occupy": it holds now) or a clause that goes on to a
        fact ("would review the deal, but has not yet scrapped it"); nor a government's stated
        posture of its forces ("the army would withdraw its troops from the border": the seeds'
        desk checks where troops are to be)."""
        tokens = self.tokens
        lows, texts = tokens.lows, tokens.texts
        if k > self.lo and lows[k - 1] in _RELATIVE_OPENERS:
            return False  # "..., which would make it the largest rally since 2009": a comment on a figure
        j = k + 1
        while j < b and lows[j] in _WOULD_ADVERBS:
            j += 1
        if j >= b or not texts[j].isalpha() or lows[j] in _ESTIMATE_VERBS or lows[j] in _CONTINUING_STATES \
                or lows[j] == "have":
            return False
        return _FACT_AUXILIARIES.isdisjoint(lows[j + 1:self.hi]) \
            and _FORCE_POSTURE_WORDS.isdisjoint(lows[self.lo:self.hi])  # (", but has not yet scrapped it")

    def _due_to_schedule(self, k: int, a: int, b: int) -> bool:
        """Is "due to" at tokens[k] a schedule ("the minister is due to present the budget") rather
        than a cause ("flights were cancelled due to the strike", "the delay was due to a fault")?
        A schedule has a form of "be" before it and a verb after it, not a noun phrase."""
        texts, lows = self.tokens.texts, self.tokens.lows
        if k <= a or lows[self._word_before(k, a)] not in _COPULAS_BE or k + 2 >= b:
            return False
        after = texts[k + 2]
        return after.isalpha() and after.islower() and lows[k + 2] not in DETERMINERS \
            and lows[k + 2] not in _POSSESSIVE_OPENERS and not after.endswith(_NOUN_ENDINGS) \
            and not (after.endswith("s") and not after.endswith("ss"))  # ("was due to inflation", "to shortages")

    def _word_before(self, k: int, a: int) -> int:
        """The index of the word before tokens[k], over adverbs ("are now expected to")."""
        lows = self.tokens.lows
        j = k - 1
        while j > a and (lows[j].endswith("ly") or lows[j] in _ADVERBS):
            j -= 1
        return j

    def _general_rule(self, a: int, b: int) -> bool:
        """Does the sentence open with a rule for a whole class ("Companies can be fined ...",
        "Employers must report ...", "Landlords are required to ...")?"""
        texts, lows = self.tokens.texts, self.tokens.lows
        for k in range(a, min(b - 2, a + 3)):  # the class, with up to two words before it: "Public bodies"
            word = texts[k]
            if not (word.isalpha() and word[1:].islower()) or lows[k] in DETERMINERS or lows[k] in _POSSESSIVE_OPENERS:
                return False  # ("The rebels may have killed 30 people": a claim about some, not a rule)
            if looks_plural(lows[k]):
                nxt = lows[k + 1]
                if nxt == "face":  # "Offenders face fines of up to ...", not "Hospitals face a shortfall of 4,000 nurses"
                    return not _PENALTY_WORDS.isdisjoint(lows[k + 2:min(b, k + 6)])
                return nxt in ("can", "must") or nxt == "may" and lows[k + 2] != "have" or nxt == "are" \
                    and lows[k + 2] in ("required", "obliged", "allowed", "entitled", "liable", "banned", "forbidden")
        return False

    def _deadline_after(self, k: int, b: int) -> bool:
        """A deadline in tokens[k:b]: "by 2028", "by the end of the year"."""
        texts, lows = self.tokens.texts, self.tokens.lows
        for j in range(k, b - 1):
            if lows[j] == "by" and (len(texts[j + 1]) == 4 and texts[j + 1].isdigit() and texts[j + 1][:2] in ("19", "20")
                                    or lows[j + 1] == "the" and j + 2 < b and lows[j + 2] == "end"):
                return True
        return False

    def _whole_quotation(self, a: int, b: int) -> tuple[int, int]:
        """tokens[a:b] widened so that it does not cut a quotation in two: a quotation opened
        inside the span runs to its closing mark, one closed inside it from its opening mark
        (looked for within the sentence and _QUOTE_REACH tokens)."""
        texts = self.tokens.texts
        opened = closed = 0
        straight = 0
        for t in compress(texts[a:b], map(_QUOTE_MARKS.__contains__, texts[a:b])):
            if t == '"':
                straight += 1
            elif t in ("“", "«"):
                opened += 1
            elif t in ("”", "»"):
                if opened:
                    opened -= 1
                else:
                    closed += 1
        if opened or straight % 2 and texts[a] != '"' and (
                texts[b - 1] != '"' or b - a < 2):
            # an opening mark inside with no close: run to the close
            for k in range(b, min(self.hi, b + _QUOTE_REACH)):
                if texts[k] in ("”", "»", '"'):
                    return a, k + 1
                if texts[k] in ("“", "«"):
                    break
        elif closed or straight % 2:
            for k in range(a - 1, max(self.lo, a - _QUOTE_REACH) - 1, -1):
                if texts[k] in ("“", "«", '"'):
                    return k, b
                if texts[k] in ("”", "»"):
                    break
        return a, b

    def _led_to(self, governance: Governance, a: int, end: int, span: str) -> str:
        """The claim tokens[a:] (ending at character ``end``) with what leads to it from its
        attribution, read for a source's own act ("Police said three people were stabbed | and a
        boy was arrested": the arrest's clause, not the stabbing's); bounded."""
        tokens = self.tokens
        lead = tokens.starts[governance.frame_end] if governance.frame_end is not None \
            and self.lo <= governance.frame_end <= a else tokens.starts[self.lo]
        return self.text[lead:end] if end - lead <= _OWN_ACT_CHARS else span

    def _same_measure(self, head: int, first: int) -> bool:
        """Do the figures at tokens[head] and tokens[first] measure the same thing (no noun after
        the second, or the same unit): "rose to 6.1 percent from 5.9 percent", not "rose to 12,000
        students from 80 countries"?"""
        starts = self.tokens.starts
        one = next((m for m in self.mentions[self.mentions_lo:self.mentions_hi] if m.start <= starts[head] < m.end), None)
        two = next((m for m in self.mentions[self.mentions_lo:self.mentions_hi] if m.start <= starts[first] < m.end), None)
        return one is not None and two is not None and two.quantity.unit in (None, one.quantity.unit)

    def _elapsed(self, a: int, mention: QuantityMention) -> bool:
        """"its security team found and closed the breach five days later": a time figure closing
        the clause after its predicate says how long something took, a claim's figure (not "Two
        days later, the army withdrew", which dates the clause after it)."""
        tokens = self.tokens
        return _ELAPSED_RE.match(self.text, mention.end) is not None and \
            any(map(looks_like_verb, tokens.texts[a:_token_index(tokens, a, self.hi)(mention.start)]))

    def _continues_count(self, a: int) -> bool:
        """Does the claim open the sentence (or a clause after a semicolon) with a bare count and
        its verb ("Eight were charged", "Of those detained, 98 were released", "...; five were
        detained for assault") — the paragraph's source going on with its account
        (not "The government released 300 prisoners", "In 2011, riots led to 3,000 arrests")?"""
        tokens = self.tokens
        k = a
        if tokens.lows[k] == "of":  # "Of those arrested, 49 ..."
            while k < min(self.hi, a + 6) and tokens.texts[k] != ",":
                k += 1
            k += 1
        return k + 1 < self.hi and (k <= self.lo + 6 or k == a and tokens.texts[k - 1] == ";") \
            and (tokens.firsts[k].isdigit() or tokens.lows[k] in NUMBER_WORDS) \
            and tokens.lows[k + 1] in ("were", "was", "had", "have", "are", "remain", "remained", "remains")

    def _past_partitive(self, head: int, first: int) -> int:
        """Where the verb of the count at tokens[head] may start: after "of those arrested", "of
        them", "of the detainees" when the count opens a partitive, else right after the count."""
        lows = self.tokens.lows
        k = head + 1
        if k < first and lows[k] == "of":
            k += 1
            while k < min(first, head + 5) and lows[k] not in AUXILIARIES:
                k += 1
        return k

    def _length_built(self, mention: QuantityMention, a: int) -> bool:
        """Is the figure a length of something laid, built or repaired ("have laid 14 kilometres of
        new pipe", "replaced 62 kilometres of its network"): a verb of making just before it and
        "of" after its unit?"""
        tokens = self.tokens
        k = bisect.bisect_left(tokens.starts, mention.start, a)
        before = tokens.lows[max(a, k - 3):k]
        end = bisect.bisect_left(tokens.starts, mention.end, k)
        return not _BUILDING_VERBS.isdisjoint(before) and end < self.hi and tokens.lows[end] == "of"

    def _casualties_only_named(self, a: int, b: int) -> bool:
        """Are the casualty words of tokens[a:b] (no figure in it) only the people a toll named
        before, as a noun ("the injured", "the missing", "their bodies"), while the clause tells
        what was done with them ("were transported", "were evacuated", "the search continues")?"""
        category, lows = self.cues.category, self.tokens.lows
        named = acted = False
        for k in range(a, b):
            if category[k] == "casualties":
                if k == a or lows[k - 1] not in _NAMING_DETERMINERS or lows[k] not in _CASUALTY_NOUNS:
                    return False
                named = True
            elif lows[k] in _ACTS_ON_PEOPLE:
                acted = True
        return named and acted  # (not "several of the wounded were in critical condition": a toll's state)

    def _only_damage(self, a: int, b: int) -> bool:
        """Are all the event words in tokens[a:b] words of damage or completion?"""
        category, lows = self.cues.category, self.tokens.lows
        words = [lows[k] for k in range(a, b) if category[k] == "event"]
        return bool(words) and all(w in _DAMAGE_WORDS for w in words)  # (an act alone is no damage)

    def _estimator(self, a: int, b: int) -> str | None:
        """The source of an estimate stated as "X put(s) Y at N" ("The commission put turnout
        at 61 percent", "the opposition puts the new spending at 1.5 billion") within tokens[a:b]."""
        lows, texts = self.tokens.lows, self.tokens.texts
        for k in range(max(self.lo, a - 8), min(b, a + 8)):
            if lows[k] in ("put", "puts", "putting", "estimated", "estimates") and "at" in lows[k + 1:min(b, k + _ESTIMATE_REACH)] \
                    and lows.index("at", k + 1, min(b, k + _ESTIMATE_REACH)) + 3 >= a and not _CLAUSE_BREAKS.intersection(texts[k:a]):
                # (the estimate's "at N" reaches this claim: not "putting the turnout at 12,000 |
                # and making two arrests")
                s = k  # the subject runs back to the clause's start
                while s > self.lo and s > k - 8 and texts[s - 1] not in ",;:" and lows[s - 1] not in _CONJUNCTIONS:
                    s -= 1
                if s == k and s - 2 > self.lo and texts[s - 1] == ",":
                    # "The dockers' union, which called the strike, | put the number at 3,000": the
                    # subject is before the relative clause
                    j = s - 2
                    while j > self.lo and k - j <= 12 and texts[j] not in ",;:":
                        j -= 1
                    if texts[j] == "," and lows[j + 1] in _RELATIVE_OPENERS:
                        s = k = j
                        while s > self.lo and k - s < 8 and texts[s - 1] not in ",;:" \
                                and lows[s - 1] not in _CONJUNCTIONS:
                            s -= 1
                subject = self._subject_before(s, k) if s < k else None
                subject = _evidence_author(subject) if subject else None  # "the ministry's figures put"
                return self.ctx.resolve(subject) if subject and _as_source(subject) else None
        return None

    def _name_in_apposition(self, a: int) -> str | None:
        """The name set off by commas right before tokens[a] ("the company's managing director,
        Graham Boyce, | denied ..."), if it is one."""
        texts = self.tokens.texts
        if a - 2 <= self.lo or texts[a - 1] != ",":
            return None
        k = a - 2
        while k > self.lo and texts[k] != "," and a - k <= 6:
            k -= 1
        if texts[k] != "," or k + 1 >= a - 1:
            return None
        words = texts[k + 1:a - 1]
        if all(w[:1].isupper() or w == "." for w in words) and len(words) >= 2:
            return self.text[self.tokens.starts[k + 1]:self.tokens.ends[a - 2]]
        return None

    def _subject_before(self, a: int, verb: int) -> str | None:
        """The subject of an accusation or disclaimer: "Tehran has blamed", "Reuters could not verify"."""
        tokens = self.tokens
        end = verb
        while end > a and (tokens.lows[end - 1] in AUXILIARIES or tokens.lows[end - 1] in (
                "not", "also", "independently", "never") or tokens.lows[end - 1].endswith("n't")):
            end -= 1
        if end <= a:
            named = self._name_in_apposition(a)
            return named or self.subject.get()
        if end - a == 1 and tokens.lows[a] in SUBJECT_PRONOUNS:
            subject = self.subject.get()
            if subject and subject.lower() not in SUBJECT_PRONOUNS:
                return subject  # "militia members that it charged": the sentence's subject
            return self.ctx.resolve(tokens.texts[a])
        named = self.text[tokens.starts[a]:tokens.ends[end - 1]]
        calling = _CALLING_ITSELF_RE.search(named) if end - a <= 8 else None
        if calling:
            return calling.group(1)  # "A group calling itself Black Lantern claimed"
        if end - a > 8 or any(map(looks_like_verb, tokens.texts[a:end])):
            return None
        return named


_UNGOVERNED = Governance(None, [])  # a clause in a sentence without attribution (never modified)


# How a rule of the clause-joining passes (_SentenceWorker's *_joins) joins a piece to the one before it:
# noting in joined_at where the joined part began, noting it unless a join there was noted already,
# or not noting it. A rule returns None to keep the pieces apart.
_MARK, _MARK_UNLESS_MARKED, _UNMARKED = "mark", "mark unless marked", "unmarked"


def _merge_into_previous(pieces: list[tuple[int, int]], joined_at: dict[int, int], joins) -> list[tuple[int, int]]:
    """One pass over a region's clause pieces: each piece that ``joins(prev_a, prev_b, a, b,
    joined_at)`` says belongs to the (possibly already joined) piece before it extends that piece;
    joined_at maps a joined piece's start to where its first joined part began."""
    out = [pieces[0]]
    for a, b in pieces[1:]:
        prev_a, prev_b = out[-1]
        how = joins(prev_a, prev_b, a, b, joined_at)
        if how is None:
            out.append((a, b))
            continue
        out[-1] = (prev_a, b)
        if how is _MARK:
            joined_at[prev_a] = a
        elif how is _MARK_UNLESS_MARKED:
            joined_at.setdefault(prev_a, a)
    return out


def _glued(tokens: TokenList, k: int) -> bool:
    """Is the mark tokens[k] written between two digits without blanks ("3:15", "11:40")?"""
    return 0 < k < len(tokens) - 1 and tokens.ends[k - 1] == tokens.starts[k] and \
        tokens.ends[k] == tokens.starts[k + 1] and tokens.firsts[k - 1].isdigit() and tokens.firsts[k + 1].isdigit()


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
    bare = draft.mention is None  # (no figure)
    category, words = draft.category, draft.words
    score = 0.2
    if not bare:
        score += 0.35
    if category == "forces" and bare and not draft.dated_or_named:
        score += 0.1  # "The deployment follows a series of incidents": a word of the trade, not a fact
    elif category != "other" or draft.fact:
        score += 0.2 if category not in ("casualties", "weapons") else 0.25
    if draft.claimant:
        score += 0.1
    if draft.dated_or_named:
        score += 0.1
    if draft.year and bare:
        score += 0.15
    if draft.only_dated and bare:
        score -= 0.15  # a day alone does not make a statement checkable
    if draft.subjectless and bare:
        score -= 0.15  # "was formerly held by ...": who or what is not said (and not when)
    if draft.hedges:
        score += _HEDGE_BONUS
    if draft.opinion:
        score -= 0.25
    if words < 4 and bare:
        score -= 0.15
    if bare and words <= 4 and not draft.verb:
        score -= 0.2  # a bare noun phrase ("The strike group") asserts nothing
    if words > 40:
        score -= 0.1
    # (min(1.0, max(0.0, score)) without the two calls; then round(x, 3) without its slow decimal path)
    return round((1.0 if score >= 1.0 else score if score > 0.0 else 0.0) * 1000) / 1000


def _carry_disclaimers(results: list[_SentenceResult]) -> None:
    """A disclaimer sentence ("Reuters could not independently verify the casualty figures.")
    hedges the claims it refers to, looking back at most three sentences within its own and
    the previous paragraph:

    * one that names a figure ("could not verify the 1,200 missing") the claims with that figure;
    * "the figure", "the toll", "the casualty figures" the nearest preceding sentence with
      claims of that kind (with a figure; about casualties), and, for a plural object ("the
      figures"), claims of the same kind and source before it (any source for casualty
      figures, which the words themselves pick out);
    * anything else ("the account", "the report") the nearest preceding sentence with claims,
      and, for a plural object, earlier claims of the same source.

    A hedge never reaches a claim of another source beyond the nearest sentence it refers to.
    """
    for index, result in enumerate(results):
        note = result.disclaimer
        if not note:
            continue
        words = {w.strip(".,;:“”\"").lower() for w in note.split()}
        needs_figure = bool(words & _FIGURE_WORDS)
        needs_casualty = bool(words & _CASUALTY_WORDS) or any(w.startswith("casualt") for w in words)
        plural = bool(words & _PLURAL_OBJECTS)
        earlier = []
        for back in range(1, 4):
            if index - back < 0 or result.paragraph - results[index - back].paragraph > 1:
                break
            earlier.append(results[index - back])
        if earlier and earlier[0].paragraph == result.paragraph and not plural:
            # a disclaimer of one thing after other sentences of its paragraph is about them (a
            # live blog's entry, a paragraph on one source); only one that opens a paragraph, or
            # one about several figures ("the casualty figures"), reaches back
            earlier = [sentence for sentence in earlier if sentence.paragraph == result.paragraph]
        if note.rstrip(".!?").split()[-1].lower() in ("this", "that", "it") and earlier:
            # "We have not been able to confirm this": the sentence just before, nothing further
            earlier = earlier[:1] if earlier[0].paragraph == result.paragraph else []
        targets: list[_Draft] = []
        owner = _OWNER_RE.search(note)
        if _EITHER_SIDE_RE.search(note) and not result.disclaimer_values:
            # "The UN mission said it could not confirm either side's account", "Neither side's
            # account could be independently verified": the accounts of the two sides told before
            # it, each in its own paragraph (this one and the two before it, up to six sentences
            # back), besides what the nearest sentence says (below)
            for back in range(1, _EITHER_SIDE_SENTENCES + 1):
                if index - back < 0 or result.paragraph - results[index - back].paragraph > 2:
                    break
                targets.extend(d for d in results[index - back].drafts
                               if d.claimant and is_a_side(d.claimant) and _reaches_with_hedge(d))
        if owner and not result.disclaimer_values:
            # "could not verify the union's estimate", "the site manager's account": the claims of
            # that source (their words in the claimant), in the sentences before; none if none
            named = {w for w in re.split(r"[^\w-]+", owner.group(1).lower()) if w and w not in ("the", "a", "an")}
            roles = tuple(r for w in named for r in _ROLE_NAMES.get(w, ()))
            for sentence in earlier:
                targets = [d for d in sentence.drafts
                           if d.claimant and _names_source(named, roles, d.claimant)
                           and _reaches_with_hedge(d)]  # (not a quotation too slight to propose)
                if targets:
                    break
            if not targets and earlier and earlier[0].paragraph == result.paragraph:
                # "the grid operator Nordstrom Energi says ... . The operator's account could not be
                # verified": named by its role, not its name; when the paragraph before the
                # disclaimer has one source, the account is that source's
                here = [d for sentence in earlier if sentence.paragraph == result.paragraph for d in sentence.drafts]
                sources = {d.claimant for d in here if d.claimant}
                if len(sources) == 1:
                    targets = [d for d in here if d.claimant]
        elif result.disclaimer_values:
            values = set(result.disclaimer_values)
            for sentence in earlier:
                targets = [d for d in sentence.drafts if d.mention is not None and d.mention.quantity.value in values]
                if targets:
                    break
        else:
            def eligible(draft: _Draft) -> bool:
                if (needs_figure or needs_casualty) and draft.mention is None:
                    return False
                return not needs_casualty or draft.category == "casualties"
            nearest = None
            sources: set = set()
            if words & _MEDIA_WORDS:
                # "Footage shared online appeared to show ... . The footage could not be verified.":
                # about the sentence that shows it (which may have proposed nothing), not about
                # claims further back
                shown = next((i for i, sentence in enumerate(earlier) if sentence.media), None)
                earlier = [] if shown is None else earlier[shown:shown + 1]
            for sentence in earlier:
                found = [d for d in sentence.drafts if eligible(d)]
                if nearest is None:
                    if found:
                        nearest = sentence
                        targets.extend(found)
                        sources = {d.claimant for d in found}
                    continue
                if not plural:
                    break
                targets.extend(d for d in found if needs_casualty or d.claimant in sources)
        for draft in targets:
            if note not in draft.hedges:
                draft.hedges.append(note)


def _names_source(named: set[str], roles: tuple[str, ...], claimant: str) -> bool:
    """Do the words of a disclaimer's owner ("the union's estimate") name this claimant, by its
    words or by its role ("union" -> "Norland Metalworkers' Federation")?"""
    words = {w for w in re.split(r"[^\w-]+", claimant.lower()) if w}
    return bool(named & words) or not words.isdisjoint(roles)


# Roles a disclaimer names a source by, and the words that mark a source in that role.
_ROLE_NAMES = {
    "union": ("union", "federation", "confederation", "syndicate"),
    "unions": ("union", "unions", "federation", "confederation"),
    "party": ("party", "alliance", "front", "movement", "bloc"),
}


def _reaches_with_hedge(draft: _Draft) -> bool:
    """Would the draft be proposed once hedged (a hedge adds _HEDGE_BONUS to its score)?"""
    return _score(draft) + (0 if draft.hedges else _HEDGE_BONUS) >= MIN_SCORE - 1e-9


def _own_voice(claimant: str | None, author: frozenset) -> bool:
    """Is ``claimant`` the body whose own statement the text is ("The Ministry of the Interior
    informs that ...", "The Prefecture recalls that ..." in that body's release)?"""
    return bool(author and claimant) and _AUTHOR_STOP.union(author).issuperset(
        w.strip(".,’'").lower() for w in claimant.split())


# --- one claim, one suggestion ------------------------------------------------------------------
# The clause rules propose the smallest phrase around each figure; a sentence's proposals that
# are parts of one clause are then folded together (issue 13: "At least 31 villagers, including
# eight women, were killed ..." is one claim). What joins two neighbouring proposals is only
# the words between them and their first and last words:
#
# * a tail without a figure: a comment on the claim ("..., the lowest figure | since | records
#   began in 1965", "..., | more than for any other failure since 2018", "an outage | that |
#   began on Saturday", "..., | when | inmates set fire to ...", ", including a man whose | car
#   was hit ...");
# * a bare subject and its predicate: "1,350 persons | living within ... were evacuated",
#   "seven | remained trapped at ...", "More than 140 firefighters | and | 45 fire engines were
#   mobilised", "Electric models, including ... | , | accounted for 22 percent";
# * a clause without a figure and the figure that dates or places it: "We declared the outbreak
#   on 6 February, | four days after the first case", "it rescued the crew, | after | it lost
#   power 9 nautical miles off ...";
# * a participle that describes a thing of the clause: "600 families in a building | designed
#   for 150 people", "More than 900 firefighters ..., | supported by 14 aircraft";
# * a subject whose figure is not its head, and the predicate with the claim's figure: "The
#   programme to buy 312 vehicles | will cost 3.9 billion euros", "Of the 96 vehicles due ..., |
#   only 41 had been delivered" (the folded claim keeps the predicate's figure);
# * what a denied suggestion or claim said ("rejected any suggestion | that | it was to blame");
# * a phrase cut after its preposition or "said" ("... stands at | 1,240", "what it said | were
#   5,000 of the records"), where the figure after the cut is the claim's.
#
# The folded claim keeps the first figure of the two (the head figure), else the second's; but
# the predicate's figure after a part, a subject whose figure is not its head, a cut phrase, or a
# counted subject whose verb takes the figure as its object ("Two hospitals | can treat 400
# patients a day"). It is a toll when the part holding that figure, or the clause, is one.
# A second figure set against the first ("..., down from 93 percent", "..., 6,000 more than a
# year earlier") stays a claim of its own, and so does a second clause ("... and that ...").
_TAIL_GAP_RE = re.compile(
    r"[ \t]*(?:[,—–][ \t]*)?(?:(?:since|that|when|whose|where|who)|(?:including|among)\b[^,;:?]{0,40}?)?[ \t]*\Z",
    re.IGNORECASE,
)
_SUBORDINATE_GAP_RE = re.compile(r"[ \t]*,?[ \t]*(?:after|when)[ \t]+\Z", re.IGNORECASE)
_SUBJECT_GAP_RE = re.compile(r"[ \t]*(?:,|and)?[ \t]*\Z")
# a purpose or a capability, without a comma or a figure, between a subject and its predicate
_PURPOSE_GAP_RE = re.compile(r"[ \t]+(?:able[ \t]+)?to[ \t]+[^\W\d][^,;:\d\n]{0,80}?[ \t]+\Z")
_WHICH_GAP_RE = re.compile(r"[ \t]*,[ \t]*which[ \t]+\Z")
_RESTRICTIVE_TIME_GAP_RE = re.compile(r"[ \t]+(?:after|before|until)[ \t]+\Z")
_THAT_GAP_RE = re.compile(r"[ \t]+that[ \t]+\Z")
_PART_GAP_RE = re.compile(r"[ \t]*,(?:[ \t]+[A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'-]*){0,4},)?[ \t]*\Z")
_VERBS_OF = frozenset("consists dies smells speaks thinks tires approves disposes".split())  # verb + "of"
_BARE_TIME_CHARS = 60
_BARE_TIME_RE = re.compile(
    r"[Ww]ithin[ \t]+(?:the[ \t]+)?"
    r"(?:(?:past|last|next|same|following|coming|first)[ \t]+)?(?:[\w-]+[ \t]+)?"
    r"(?:decades?|years?|months?|weeks?|days?|hours?)$")
_TIME_FRAME_DRAFT_RE = re.compile(
    r"(?:[Ii]n|[Oo]ver|[Dd]uring|[Ff]or|[Ww]ithin)[ \t]+the[ \t]+(?:past|last|same|following|previous|next|first)"
    r"[ \t]+(?:[\w-]+[ \t]+){1,2}?(?:years?|months?|weeks?|days?|decades?|hours?)\Z")
_FRAME_OPENER_RE = re.compile(
    r"(?:[Cc]ompared|[Mm]easured)[ \t]+(?:with|to|against)[ \t]+[^,;:]{3,60}"
    r"|[Ii]n[ \t]+the[ \t]+(?:[\d,]+|[a-z]+)[ \t]+(?:hours|days|weeks|months|years)[ \t]+(?:before|after|since|to|until)[ \t]+[^,;:]{3,50}"
)
# What opens a phrase fronted before its clause: a preposition of time, place or share
_FRONTED_RE = re.compile(
    r"(?:In|During|Within|Over|Throughout|Since|After|Before|Between|Of|Across|Among|At|On|By|Until|From|Under)[ \t]"
)
_WITH_COUNTED_RE = re.compile(
    r"[Ww]ith[ \t]+(?:[\w.,’'-]+[ \t]+){1,6}(?:counted|reporting|declared|processed|tallied|verified)"
    r"(?:[ \t]+(?:on|by|at|in|late|early)(?:[ \t]+[\w’:.-]+){1,3})?$")  # ("... counted on Sunday night")
_OF_THOSE_RE = re.compile(r"[Oo]f[ \t]+(?:those|the|them)(?:[ \t]+[\w’'-]+){0,3}\Z")  # "Of those arrested"
_POSTMODIFIERS_FOLD = frozenset(("able", "unable", "capable"))  # "four batteries | able to intercept drones"
_SAID_WORDS = frozenset(("said", "says", "claimed", "claims"))
# "... this afternoon and winds | gusted at ...": a new subject, whose verb the next word is
_NEW_SUBJECT_RE = re.compile(r"\b(?:and|but|while|whereas)[ \t]+(?:the[ \t]+)?[\w’'-]+\Z")
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
_TOKEN_WORD_RE = re.compile(r"[\w’'-]+")
# "..., after it lost power 9 miles off ...": the same ship; "..., after a hospital was forced to
# ...": another event
_SAME_SUBJECT = frozenset("it its they she he".split())
_DASH_GAP_RE = re.compile(r"[ \t]*[—–][ \t]*\Z")
_SUPERLATIVE_COMMENT_RE = re.compile(
    r"(?:(?:the|its|their|his|her)[ \t]+(?:[\w-]+[ \t]+)?(?:highest|lowest|largest|biggest|smallest|worst|best|"
    r"deadliest|fastest|slowest|strongest|weakest|longest|shortest|steepest|sharpest|hottest|coldest|wettest|"
    r"driest|most|least|first)\b|(?:close|near)[ \t]+to[ \t]+(?:the|its|a)[ \t]+record\b|a[ \t]+record\b)",
    re.IGNORECASE,
)
_SHARE_COMMENT_RE = re.compile(
    r"\bof[ \t]+(?:the[ \t]+total|the[ \t]+whole|all)\b|\bin[ \t]+total\b|\ban?[ \t]+(?:[\w-]+[ \t]+)?rate[ \t]+of\b",
    re.IGNORECASE,
)
_INCLUDING = r"(?:including|among[ \t]+(?:them|which|whom))\b"
_INCLUDING_RE = re.compile(_INCLUDING, re.IGNORECASE)
_INCLUDING_GAP_RE = re.compile(  # (not ", among them a first lieutenant, and | nine others were wounded")
    r"[ \t]*,[ \t]*" + _INCLUDING + r"[^,;:]*\Z", re.IGNORECASE)
# The list after "including" between two proposals, its items separated by commas, and a last
# "who" or "as" that the next proposal goes on from (group 1: the list without that word).
_INCLUDING_LIST_GAP_RE = re.compile(
    r"[ \t]*,[ \t]*including\b([^;:.()“”\"\n]*?)(?:,?[ \t]*(?:who|as))?[ \t]*\Z", re.IGNORECASE)
_MAX_LIST_GAP = 160
_LAST_ITEM_RE = re.compile(r"[^,\s][ \t]+and[ \t]*\Z")  # "the names, addresses and | bank account numbers of ..."
_LIST_GOES_ON = frozenset(("well", "together", "along"))  # ("as | well as", "together with", "along with")
# After " and ", no second act but a claim of its own: an accusation, or what the subject is
# ("Allegations that a school was hit are false | and | are part of a disinformation campaign")
_OWN_CLAIM_VERBS = frozenset(("accused", "is", "are", "was", "were"))
_CLAUSE_OPENER_RE = re.compile(r"\b(?:where|when|while|after|as|because|since|before|which|who)\b", re.IGNORECASE)
_OR_GAP_RE = re.compile(r"[ \t]*,[ \t]*or[ \t]+\Z")
_APPROX = r"(?:about|some|around|roughly|nearly|almost|more[ \t]+than|less[ \t]+than|just[ \t]+over|just[ \t]+under)?"
_OR_SHARE_RE = re.compile(_APPROX + r"[ \t]*[\d.,]+[ \t]*(?:percent|per[ \t]+cent|%)[ \t]+of[ \t]+[\w’' -]+",
                          re.IGNORECASE)
_PLACE_COMMENT_RE = re.compile(
    _APPROX + r"[ \t]*[\d.,]+[ \t]*"
    r"(?:kilometres|kilometers|km|miles|metres|meters)[ \t]+(?:away|(?:north|south|east|west|north-east|north-west|"
    r"south-east|south-west|northeast|northwest|southeast|southwest|downstream|upstream|inland|offshore)"
    r"(?:[ \t]+of[ \t]+[\w’' -]+)?)",
    re.IGNORECASE,
)
_LIST_GAP_RE = re.compile(r"[ \t]+(?:and|as[ \t]+well[ \t]+as|plus)[ \t]+\Z", re.IGNORECASE)
_NEXT_WORD_RE = re.compile(r"[ \t]+([\w’'-]+)")
_ONE_OF_THEM_RE = re.compile(r"one[ \t]+of[ \t]+(?:them|whom)\b", re.IGNORECASE)
_OF_THEM_RE = re.compile(r"[\w,.-]+(?:[ \t]+[\w,.-]+)?[ \t]+of[ \t]+(?:them|whom)\b", re.IGNORECASE)
_TIME_OFFSET_RE = re.compile(
    r"(?:within|about|nearly|almost|some|roughly|around|more[ \t]+than|less[ \t]+than)?[ \t]*(?:the[ \t]+)?"
    r"[\w,.]+[ \t]+(?:minutes|hours|days|weeks|months|years)[ \t]+(?:after|before|later|earlier|ahead)\b"
    r"|within[ \t]+(?:the[ \t]+)?[\w,.]+[ \t]+(?:minutes|hours|days|weeks|months|years)\b",
    re.IGNORECASE,
)
# What may open a comment on the claim right after it: a place, a time, a comparison, a share
# ("..., in the municipality of ...", "..., more than for any other ...", "..., about twice the
# usual amount", "..., first in coalition ..."); not "to" (a purpose: "to hit their targets").
_TAIL_OPENERS = (PREPOSITIONS - {"to", "like", "than"}) | frozenset(
    "more less fewer twice first most half far".split())
_IRREGULAR_PARTICIPLES = frozenset(
    """taken given held made begun broken built bought caught drawn driven found grown heard hidden kept
    known laid paid run sold set sought spent spoken stolen taught thrown told torn understood worn
    written withdrawn beaten borne dug fed hung spread stuck sworn sent brought led fought shot struck
    shown seen""".split()
)  # ("flew" is a past tense: "The six missiles fired from ... | flew 355 miles" is a new predicate)
_MAX_FOLD_GAP = 48
_COUNTED_SUBJECT_LEAD = 12  # characters before a subject's figure: "A total of 1,350 persons"


def _has_verb(text: str) -> bool:
    return any(map(looks_like_verb, _WORD_RE.findall(text)))


_NOT_A_NOUN = PREPOSITIONS | DETERMINERS | PRONOUNS | AUXILIARIES | frozenset("and or but that".split())
_CLAIM_NOUNS_FOLD = frozenset(
    "suggestion suggestions claim claims allegation allegations assertion assertions accusation accusations "
    "report reports".split()
)


def _second_word(text: str) -> str:
    words = _TOKEN_WORD_RE.findall(text[:60])  # (a figure counts: "released | 12 of them")
    return words[1].lower() if len(words) > 1 else ""


def _has_finite(text: str) -> bool:
    """A verb other than an infinitive ("to buy"), an -ed word before a noun ("wheeled armoured
    vehicles"), a word after a determiner or "last"/"first" ("the last strike", "its ageing
    fleet") or an -ing word after a count ("four ageing submarines")."""
    words = _TOKEN_WORD_RE.findall(text)
    last = len(words) - 1
    return any(looks_like_verb(w) and not (i and words[i - 1].lower() == "to") and not (
        i < last and w.endswith("ed") and words[i + 1].islower() and words[i + 1] not in _NOT_A_NOUN) and not (
        i and words[i - 1].lower() in _NOUN_MAKERS) and not (
        0 < i < last and w.endswith("ing") and words[i + 1].lower() not in _NOT_A_NOUN
        and (words[i - 1].lower() in NUMBER_WORDS or words[i - 1][0].isdigit()))
        for i, w in enumerate(words))


# (before a word that may be a verb, one that makes it a noun: "the last strike", "a rise", "its
# ageing fleet"; DETERMINERS has the possessives)
_NOUN_MAKERS = DETERMINERS | frozenset("last first latest next".split())


def _last_word(text: str) -> str:
    words = _WORD_RE.findall(text[-40:])
    return words[-1] if words else ""


def _first_word(text: str) -> str:
    found = _WORD_RE.match(text)
    return found.group() if found else ""


def _same_kind_or_minor(a: _Draft, b: _Draft) -> bool:
    """May b, a part without a figure, be folded into a? Not when it is a toll or an accusation of
    its own next to a claim of another kind ("The army sent 300 soldiers to the square, | where |
    several protesters were killed": two claims)."""
    return b.category not in ("casualties", "attribution") or b.category == a.category


def _fold_kind(text: str, a: _Draft, b: _Draft) -> str | None:
    """How proposal b (just after a, in the same sentence) is part of a's clause, or None."""
    gap = text[a.end:b.start]
    if a.mention is not None and len(gap) <= _MAX_LIST_GAP and b.start >= a.end \
            and (listed := _INCLUDING_LIST_GAP_RE.match(gap)) is not None \
            and not _CLAUSE_OPENER_RE.search(listed.group(1)) \
            and (b.mention is None or _first_word(text[b.start:b.end]).lower() in _LIST_GOES_ON
                 or _LAST_ITEM_RE.search(gap) is not None):
        # "9.3 million customer records, including home addresses, birth dates and order
        # histories, as | well as 220 gigabytes of internal documents", "Four persons, including
        # the mine's manager and | a shift engineer, have been taken into custody": the list after
        # "including" (the gap, where no proposal was made) and what follows it are the claim's
        return "tail"
    if len(gap) > _MAX_FOLD_GAP or "\n" in gap or b.start < a.end:
        return None
    b_text = text[b.start:b.end]
    first = _first_word(b_text)
    if b_text[:1] == "(":
        return None
    if b.mention is None and a.mention is not None and gap.strip(" \t") == "," and _ONE_OF_THEM_RE.match(b_text):
        return "tail"  # "four smugglers were captured, | one of whom is wounded": one of the counted (a capture still)
    if b.mention is None:
        if _TAIL_GAP_RE.match(gap) and first.islower() and _same_kind_or_minor(a, b) and \
                not b_text.endswith("?") and (gap.strip(" \t,") or first in _TAIL_OPENERS or _OF_THEM_RE.match(b_text)):
            return "tail"  # a comment on the claim, no figure of its own
    a_text = text[a.start:a.end]
    if gap.strip(" \t") == "," and (first.endswith("ed") or first in _IRREGULAR_PARTICIPLES) \
            and _second_word(b_text) == "by" and a.mention is not None:
        return "tail"  # ", supported by 14 aircraft": who or what backs the claim's subject
    if _PART_GAP_RE.match(gap) and a_text[:3].lower() == "of " and (a.mention is not None or _OF_THOSE_RE.match(a_text)) \
            and b.mention is not None and b.mention.start - b.start <= _COUNTED_SUBJECT_LEAD and _has_verb(b_text) \
            and ", " not in a_text:  # (a comma of its clauses, not of "1,200")
        # "Of the 96 vehicles due ..., only 41 had been delivered", "Of those arrested, 49 were
        # released": the part is the figure (the opener alone: "Of those arrested, 21 were held
        # ..., | nine for violent disorder" is a breakdown, one claim per part)
        return "part"
    if gap.strip(" \t") in ("", ",") and _TIME_FRAME_DRAFT_RE.match(a_text) and _has_verb(b_text):
        return "part"  # "In the past five years, | four incidents were recorded": when, not a figure of its own
    if gap.strip(" \t") == "," and b.mention is not None and _FRAME_OPENER_RE.fullmatch(a_text) and _has_verb(b_text) \
            and (a.mention is None or a.mention.quantity.unit in _TIME_VALUES):  # (not "Compared with 93 percent in 2019, ...")
        # "Compared with the same quarter last year, | output was 0.8 percent higher", "In the 24
        # hours before the surge, | 148 millimetres of rain fell": what the figure is measured
        # against, or when
        return "part"
    if gap.strip(" \t") == "," and b.mention is not None and _FRONTED_RE.match(a_text) and ", " not in a_text \
            and (a.mention is None or a.mention.quantity.unit in _TIME_VALUES or a_text[:3] == "Of ") \
            and (not _has_finite(a_text[a_text.find(" "):])
                 or a_text[:3] == "Of " and _CLAUSE_OPENER_RE.search(a_text) is None and "that" not in a_text) \
            and _has_verb(b_text):
        # A phrase fronted before the clause, without a verb of its own or a figure other than a
        # time: "During the nine days of the drill, | the crews flew 212 sorties", "Of the 8,400
        # ballots cast by post, | the mayor won 61 percent": when, where or of what the claim is,
        # part of it (after "Of", "cast by post" describes the whole the share is of: no verb of
        # the claim's). The tuning labels join all four such pairs; not "With prices up 4.8
        # percent, | real wages rose 1.9 percent": a second figure, a claim of its own.
        return "part"
    if gap.strip(" \t") == "" and b.mention is not None and a.mention is not None \
            and _TIME_FRAME_DRAFT_RE.match(b_text):
        return "tail"  # "permits rose 8 percent | over the following three years"
    if gap.strip(" \t") == "," and b.mention is not None and _WITH_COUNTED_RE.match(a_text):
        # "With 64 percent of stations counted, | the commission's figures give the NPP 39.6
        # percent": how far the count had got dates the claim; the figure is the claim's
        return "part"
    if b.mention is None and _WHICH_GAP_RE.match(gap) and _same_kind_or_minor(a, b):
        return "tail"  # "..., | which | would make it the largest march since 2011"
    if b.mention is None and _RESTRICTIVE_TIME_GAP_RE.match(gap) and _same_kind_or_minor(a, b):
        return "tail"  # "the changes the army requested | after | the contract was signed" (no comma)
    if a.mention is not None and b.mention is not None and _DASH_GAP_RE.match(gap) and \
            _OF_THEM_RE.match(b_text) and not _has_verb(b_text):
        return "tail"  # "23 people | — | four of them children — for smoke inhalation": a part of the figure
    if gap == " " and b.mention is not None and (
            b.mention.start == b.start and _last_word(a_text).lower() in PREPOSITIONS
            or b.mention.start - b.start <= _COUNTED_SUBJECT_LEAD and _last_word(a_text).lower() in _SAID_WORDS
            and first.lower() in AUXILIARIES):
        return "object"  # "... stands at | 1,240", "It posted what it said | were 5,000 of the records"
    if _THAT_GAP_RE.match(gap) and _last_word(a_text).lower() in _CLAIM_NOUNS_FOLD:
        return "tail"  # "rejected any suggestion | that | it was to blame": what the denial is about
    if b.mention is not None and (_SUBJECT_GAP_RE.match(gap) and "," not in gap and "and" not in gap
                                  or _PURPOSE_GAP_RE.match(gap)
                                  or a.mention is None and gap.strip(" \t") == ",") \
            and first.islower() and (looks_like_verb(first) or first in AUXILIARIES) and not _has_finite(a_text) \
            and (a.mention is None or a.mention.start - a.start > _COUNTED_SUBJECT_LEAD
                 or a.mention.quantity.unit in _TIME_VALUES):
        # "The programme to buy 312 vehicles | will cost 3.9 billion euros" (and "The programme to
        # buy 18 drones | to patrol the coast | will cost ...": the purpose, dropped as no claim, is
        # the subject's). After a comma, a subject without a figure or a verb of its own, then its
        # predicate: "The last strike at the plant, in 2009, | lasted 23 days", "The deadliest, in
        # the Ushar valley in 2015, | killed 213", "Rescue teams from the Fire Brigade and the
        # mining company, | totalling 80 professionals" (only a subject dated in an apposition
        # until the tuning half showed six more such subjects cut off and none that was a claim
        # of its own).
        return "predicate"
    if gap == " " and a.mention is not None and b.mention is not None and first.islower() \
            and (first in AUXILIARIES or looks_like_verb(first)) and not first.endswith("ing") \
            and not _has_finite(a_text):
        # A counted subject without a verb of its own, a bare space, then its predicate with a
        # second figure: "Another 380 oiled birds | were being cleaned at two rescue centres",
        # "repairs to about 150 damaged seats | would cost roughly 35,000 pounds" (the rule below
        # reads no verb at all in the subject, and "oiled", "damaged", "delivered last year" are
        # verbs to it). Not "Gunmen holding 30 hostages | released 12 of them": two facts.
        return "subject"
    if a.mention is not None and _SUBJECT_GAP_RE.match(gap) and not _has_verb(a_text):  # (both need a figure in a)
        if first.islower() and looks_like_verb(first) and b_text[:1].isalpha() and \
                a.mention is not None and a.mention.start - a.start <= _COUNTED_SUBJECT_LEAD and \
                first.lower() not in _CONTRAST_OPENERS and _first_word(a_text).lower() not in PREPOSITIONS:
            return "subject"  # a counted subject, then its predicate ("compared with four ...": a second figure)
        if "and" in gap and a.mention is not None and b.mention is not None and \
                b.mention.start == b.start and _has_verb(b_text) and not _GAPPED_ITEM_RE.match(text, b.mention.end):
            # two counted subjects of one predicate (not "14 for criminal damage | and | eight on
            # suspicion of drug dealing": the parts of a breakdown, each with its verb left out)
            return "subjects"
    if a.mention is None and b.mention is not None:
        if _SUBORDINATE_GAP_RE.match(gap) and ("when" in gap or first.lower() in _SAME_SUBJECT) \
                and not ("when" in gap and _SUPERLATIVE_RECORD_RE.search(a_text)) \
                or gap.strip(" \t") == "," and (_TIME_OFFSET_RE.match(b_text) or _PLACE_COMMENT_RE.fullmatch(b_text)):
            # the figure that dates or places a clause without one ("..., about 12 km north of
            # Marsby"); not the earlier event after a record ("It was the deadliest crash since
            # 2011, | when 22 people died": two facts, checked against different sources)
            return "dated"
    if a.mention is not None and gap.strip(" \t") == "," and (
            _SUPERLATIVE_COMMENT_RE.match(b_text) and _same_kind_or_minor(a, b)
            and (b.mention is None or b.mention.quantity.unit in _TIME_VALUES)
            or b.mention is not None and len(b_text) <= 60 and (
                _SHARE_COMMENT_RE.search(b_text) and not _has_verb(_SHARE_COMMENT_RE.sub("", b_text))
                and b.mention.quantity.unit is not None and b.mention.quantity.unit != a.mention.quantity.unit
                or _PLACE_COMMENT_RE.fullmatch(b_text))):
        # "reaching 5.6 metres, | the highest level recorded there since 1963", "2,150 vacant posts,
        # | 12 percent of the total": a comment on the claim's figure (not "an increase of 22
        # percent", a second figure set against it, nor "arrested 12 people on Friday, | 40 in total
        # this week", a second count of the same); "..., about 90 kilometres away": where
        return "tail"
    if a.mention is not None and b.mention is not None and (
            _INCLUDING_GAP_RE.match(gap) or gap.strip(" \t") == "," and _INCLUDING_RE.match(b_text)) \
            and not _CLAUSE_OPENER_RE.search(gap):
        # "2.3 million guests, | including passport | numbers for about 400,000 of them", "310
        # gigabytes, | including the bank account numbers of 190,000 customers": README's
        # "including ..." apposition stays inside the claim, with the head figure (not "hit 12
        # districts, including in Sindh where | 300 people died": a clause of its own)
        return "tail"
    if a.mention is not None and b.mention is not None and _OR_GAP_RE.match(gap) and len(b_text) <= 60 \
            and b.mention.quantity.unit == "percent" and _OR_SHARE_RE.fullmatch(b_text) and "vote" not in b_text \
            and AUXILIARIES.isdisjoint(_WORD_RE.findall(b_text.lower())):
        return "tail"  # "48.6 billion crowns, | or | 1.7 percent of output": the same figure as a share
        # (not "won 40 seats, or 12 percent of the vote": a second fact)
    if a.mention is not None and b.mention is not None and b.mention.start == b.start and _LIST_GAP_RE.match(gap) \
            and b.mention.quantity.unit and b.mention.quantity.unit != a.mention.quantity.unit \
            and _second_word(b_text).lower() not in PREPOSITIONS and not _has_verb(b_text) \
            and not ((following := _NEXT_WORD_RE.match(text, b.end)) and looks_like_verb(following.group(1))):
        # "supported by 14 aircraft | and | six helicopters", "with 14 gritting vehicles | and | 38
        # employees": one more counted thing in the claim's list (not "and 14 for criminal damage",
        # a second subject with its verb left out; not "and 4.91 million crowns in the capital", a
        # second value of the same measure; not "and seven | remained trapped", a clause of its own)
        return "tail"
    if gap == " " and a.mention is not None and (first.endswith("ed") and looks_like_verb(first)
                                                  or first in _IRREGULAR_PARTICIPLES or first in _POSTMODIFIERS_FOLD) \
            and _second_word(b_text) in PREPOSITIONS \
            and not looks_like_verb(_last_word(a_text)) and not _NEW_SUBJECT_RE.search(a_text[-40:]):
        # ("a hall built | for 120 people"; not "Gunmen holding 30 hostages | released 12 of them")
        return "participle"  # a participle describing a thing of the clause
    if a.mention is None and b.mention is None and _AND_GAP_RE.match(gap) and "," not in gap and first.islower() \
            and looks_like_verb(first) and not first.endswith("ing") and first not in _OWN_CLAIM_VERBS:
        # One subject's two acts, neither with a figure: "Prosecutors have opened a manslaughter
        # investigation | and | seized the coach's tachograph", "The ministry rejected the report
        # as “fiction” | and | denied that its officers had forced anyone back": one claim (the
        # tuning labels join 9 such pairs and split 2). Not an accusation after it ("denied that
        # the air force had targeted markets | and | accused the rebels of ..."), a claim of its
        # own; not "killing ... | and | destroying ...", two results; not when either act has a
        # figure ("killed 17 soldiers | and | destroyed three posts": two claims, as labelled).
        # A denial after it makes the claim a denial (README: an attribution claim).
        return "acts"
    if a.mention is None and b.mention is not None and gap.strip(" \t") == "," and first.endswith("ing") \
            and looks_like_verb(first) and _object_first(text, b):
        # A clause without a figure, then its result with one: "The Civic Harbour party lost its
        # majority on the council, | winning 17 of the 45 seats", "... were evacuated during the
        # night, | totalling 612 persons" (not "eased their lending criteria, | allowing loans of
        # up to 90 percent": a figure reached through a preposition is a fact of its own)
        return "joined"
    if gap == " " and a.mention is None and b.mention is not None and first.lower() != "capable":
        # Two proposals with nothing but a space between, the first without a figure: one clause
        # cut where a rule above did not see a join ("She accused the | ministry of hiding the
        # problems for three years", "An air strike on the market in Kel Dassa | killed at least
        # 31 people", "the output lost on Monday alone | was worth about 2.5 million crowns").
        # Not "models | capable of carrying over 1,500 pounds": what a weapon can do is a claim
        # of its own beside what it is (a seed's labels).
        return "joined"
    return None


def _object_first(text: str, b: _Draft) -> bool:
    """Does b open with its verb group and then, at most past an article, its figure ("can treat
    400 patients"), rather than reach it through a preposition ("remained trapped at a depth of 320
    metres", "were evacuated from 61 homes": the subject's count is the claim's)?"""
    if b.mention is None:
        return False
    words = _TOKEN_WORD_RE.findall(text[b.start:b.mention.start].lower())
    qualifier = _TOKEN_WORD_RE.findall(text[b.mention.start:b.mention.number_start].lower())[:1]
    return 0 < len(words) <= 4 and (words[0] in AUXILIARIES or looks_like_verb(words[0])) and all(
        w.isalpha() and w not in PREPOSITIONS and w not in _COPULAS_BE for w in words) and not (
        qualifier and qualifier[0] in PREPOSITIONS)  # (not "were five years out of date", "fallen above 2,000 m")


def _fold(text: str, kept: list[tuple[_Draft, float]]) -> list[tuple[_Draft, float]]:
    """Fold a sentence's proposals that are parts of one clause (see above)."""
    best: dict[tuple[int, int], tuple[_Draft, float]] = {}
    for draft, score in kept:  # of two drafts with one span, the one with a figure (then the higher score)
        current = best.get((draft.start, draft.end))
        if current is None or (draft.mention is not None, score) > (current[0].mention is not None, current[1]):
            best[(draft.start, draft.end)] = (draft, score)
    kept = sorted(best.values(), key=lambda pair: (pair[0].start, -pair[0].end))
    out = [kept[0]]
    for b, score_b in kept[1:]:
        a, score_a = out[-1]
        kind = _fold_kind(text, a, b)
        if kind is None:
            if b.claimant is None and a.claimant is not None and b.mention is not None \
                    and b.mention.start == b.start and _AND_GAP_RE.match(text, a.end, b.start) \
                    and _GAPPED_ITEM_RE.match(text, b.mention.end):
                # "six were detained for assault | and | four for possessing flares": the breakdown's
                # part, its verb left out, is told by the same source as the part before it
                b = replace(b, claimant=a.claimant, shown=a.shown,
                            hedges=b.hedges + [h for h in a.hedges if h not in b.hedges])
            out.append((b, score_b))
            continue
        head = a if a.mention is not None or b.mention is None else b
        if kind in ("part", "predicate", "object") or kind == "subject" and _object_first(text, b):
            head = b  # ("Two hospitals | can treat 400 patients a day": the predicate's object is the figure)
        if head is b and kind == "subject" and a.mention is not None and b.mention is not None \
                and b.mention.quantity.unit in _TIME_UNITS and b.mention.quantity.qualifier in _THRESHOLDS \
                and a.mention.quantity.unit not in _TIME_VALUES:
            head = a  # ("2,140 patients | waited more than 12 hours": how long, of the count that is the claim's)
        # The claim's kind is its clause's: the predicate's after a bare subject, else the first's
        # (a toll when the part holding the figure, or the clause, is one).
        clause = b if kind in ("subject", "part", "predicate") and b.category != "other" \
            or kind == "acts" and b.category == "attribution" else a
        category = "casualties" if "casualties" in (head.category, clause.category) else clause.category
        if category in _ARMS and _sum_or_share(text, head.mention):
            category = "other"  # ("The army's plan to buy 300 vehicles | will cost 2.8 billion euros")
        merged = replace(
            a, end=b.end, mention=head.mention, category=category,
            claimant=a.claimant or b.claimant, shown=a.shown if a.claimant else b.shown,
            hedges=a.hedges + [h for h in b.hedges if h not in a.hedges],
            dated_or_named=a.dated_or_named or b.dated_or_named, year=a.year or b.year,
            only_dated=a.only_dated and b.only_dated, opinion=a.opinion and b.opinion,
            verb=a.verb or b.verb, words=a.words + b.words, fact=clause.fact,
            settled=clause.settled and category == clause.category,
        )
        out[-1] = (merged, max(score_a, score_b, _score(merged)))
    return out


def _finalise(text: str, results: list[_SentenceResult], author: frozenset = frozenset()) -> list[Candidate]:
    """The drafts that reach MIN_SCORE as candidates, in text order; of drafts with the same
    span, the one with a figure (then the higher score) wins. In a body's own statement the
    body's claims have no claimant: the text speaks for it, as an article for itself (its
    claims still score as sourced ones)."""
    best: dict[tuple[int, int], tuple[tuple[bool, float], _Draft]] = {}
    for result in results:
        kept = [(draft, score) for draft in result.drafts if (score := _score(draft)) >= MIN_SCORE]
        if len(kept) > 1:
            kept = _fold(text, kept)
        for draft, score in kept:
            if draft.end - draft.start <= _BARE_TIME_CHARS and _BARE_TIME_RE.match(text, draft.start, draft.end):
                continue  # "Within a decade" alone: when, not what (a seed labels "In the past 38 years")
            rank = (draft.mention is not None, score)
            key = (draft.start, draft.end)
            current = best.get(key)
            if current is None or rank > current[0]:
                best[key] = (rank, draft)
    candidates = []
    # Only the winners become (frozen, comparatively costly) Candidate objects.
    for (start, end), ((_, score), draft) in sorted(best.items()):
        hedges = draft.hedges if len(draft.hedges) < 2 else list(dict.fromkeys(draft.hedges))  # without repeats
        claimant = None if author and _own_voice(draft.claimant, author) else draft.shown
        quantity = draft.mention.quantity if draft.mention else None
        # (the score above keeps the rules' category; the one shown is learned: category_model)
        category = draft.category if draft.settled else category_model.category(
            text, start, end, draft.category, quantity and quantity.unit, claimant is not None)
        candidates.append(Candidate(
            text[start:end],  # quote
            start,
            end,
            category,
            claimant,
            quantity,
            bool(hedges),  # hedged
            "; ".join(hedges) if hedges else None,  # hedge_note
            score,
        ))
    return candidates
