"""Numbers and quantities: "over 1,500 pounds", "twenty-nine", "$4.2 million", "two decades".

``find_quantities`` finds every figure in a text with its qualifier, unit
and character extent, trying compiled patterns either at every position or
only where a token can open a figure (the extractor's fast path);
``parse_quantity`` and ``parse_number`` apply the same machinery to a short
phrase.

Conventions (see ``model.Quantity``): units are plain lowercase plural nouns,
money is "dollars" / "euros" / "pounds" with the value written out,
shares are "percent" (fractions become percentages), decades and centuries
become years, a range keeps its lower bound as ``value`` and its upper bound
as ``value_max``. Vague amounts ("hundreds", "dozens", "billions of
dollars", "a large number") are not quantities.

Any text is scanned in time linear in its length: a figure is at most
``MAX_NUMBER_WORDS`` number words (a longer run of them is no figure) or
``_MAX_DIGIT_CHARS`` characters of digits, is below ``MAX_VALUE``, and no
pattern re-reads a run it has already failed on.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from itertools import compress, repeat

from .caching import bounded_cache
from .model import Quantity
from .patterns import SUBJECT_PRONOUNS, caseless_alternation, is_verb_form, looks_plural

# --- number words ------------------------------------------------------------

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 10**9, "trillion": 10**12}
_FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10,
}
NUMBER_WORDS = {**_SMALL, **_TENS, **_SCALES, "dozen": 12}


def _alternation(words) -> str:
    # Longest first, so "seventeen" is tried before "seven".
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_WORD = rf"(?:{_alternation(NUMBER_WORDS)})"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "a"/"an" only counts as one before a scale word: "a dozen", "a hundred", "a decade".
_A_SCALE = r"an?\s+(?=(?:hundred|thousand|million|billion|dozen|decade|century)\b)"
_WORD_GAP = r"(?:[ \t]+|-|(?:(?<=hundred)|(?<=thousand))\s+and\s+)"
# No honest figure is written with more number words than this ("one hundred and twenty-three
# million four hundred and fifty-six thousand seven hundred and eighty-nine" has 15). A run of
# more ("one one one ...") is not a figure from any word at which it is longer than the cap: the
# pattern fails there, after reading at most MAX_NUMBER_WORDS + 1 words. Without the cap the
# match from every word of an n-word run read to its end: n**2 / 2 steps.
MAX_NUMBER_WORDS = 16
_WHOLE_WORD = rf"{_WORD}(?!\w)"  # "seven" but not in "seventh", "ten" but not in "tens"
_WORD_NUMBER = (
    # Whole words only, so the phrase is the longest run of them (up to the cap) and need never
    # give one back: the atomic group stops the engine from retrying shorter runs when what
    # follows fails (each retry re-reads the run).
    rf"(?>(?:{_A_SCALE})?{_WHOLE_WORD}(?:{_WORD_GAP}{_WHOLE_WORD}){{0,{MAX_NUMBER_WORDS - 1}}})"
    # The repeat stops short of a whole number word only at the cap: then the run is too long.
    rf"(?!{_WORD_GAP}{_WHOLE_WORD})"
)
# A digit string longer than this ("1111...", "1,000,000,...") is not a figure; figures are
# also below MAX_VALUE (a thousand trillion; a claim's quantity column holds less than 10**16).
_MAX_DIGIT_CHARS = 32
MAX_VALUE = Decimal(10) ** 15

_NUMBER_PATTERN = (
    rf"""
    (?:(?<![\w$€£.,/:-])|(?<=us\$)|(?<=US\$))  # not inside a word, decimal, date, time (23:58) or designation (S-300)
    (?P<cur>[$€£])?
    (?:
        (?P<digits>{_DIGITS})
        (?![\d])(?![:/.]\d)                 # not a time (10:30) or date (9/11)
        (?!,\d{{3}})                          # nor the first group of a longer number (4,500ha)
        (?P<suffix>bn|m|k|km|kg|ha|mm|cm|pc|tb|gb|%|°c|°f|[cf](?=[ \t,.;:)]|$))?
        (?![A-Za-z\d])                      # not an ordinal (4th) or code (3D)
        (?:[ \t]*(?P<mult>million|billion|trillion|thousand)\b)?
      |
        (?P<words>{_WORD_NUMBER}|{_A_SCALE})     # a lone "a" only before "decade"/"century"
    )
    """
)
# Case-insensitive matching is slow in Python's re; scanning a lowercased copy of the
# text (same length, same offsets) with a case-sensitive pattern is several times faster.
NUMBER_RE = re.compile(_NUMBER_PATTERN, re.VERBOSE)
_NUMBER_ANY_CASE_RE = re.compile(_NUMBER_PATTERN, re.VERBOSE | re.IGNORECASE)

_FRACTION_PATTERN = (
    rf"""
    (?<![\w-])
    (?:(?P<fnum>a|an|one|two|three|four|five|six|seven|eight|nine)[ \t-]+)?
    (?P<frac>{_alternation(_FRACTIONS)})\b
    """
)
FRACTION_RE = re.compile(_FRACTION_PATTERN, re.VERBOSE)
_FRACTION_ANY_CASE_RE = re.compile(_FRACTION_PATTERN, re.VERBOSE | re.IGNORECASE)
_FRACTION_STEMS = ("half", "halves", "third", "quarter", "fifth", "tenth")

# --- qualifiers -----------------------------------------------------------------

_QUALIFIER_WORDS = {
    "over": ["over", "more than", "above", "in excess of", "upwards of", "just over",
             "well over", "greater than"],
    "at least": ["at least", "no fewer than", "no less than", "a minimum of"],
    "about": ["about", "around", "approximately", "roughly", "some", "an estimated",
              "estimated", "approx.", "circa", "an approximate", "closer to", "nearer to", "nearer"],
    "nearly": ["nearly", "almost", "close to", "just shy of", "nigh on"],
    "up to": ["up to", "as many as", "as much as", "within", "no more than"],
    "under": ["under", "less than", "fewer than", "below", "just under"],
    "range": ["between", "from"],
}
_QUALIFIER_OF = {
    re.sub(r"\s+", " ", phrase): norm for norm, phrases in _QUALIFIER_WORDS.items() for phrase in phrases
}
_QUALIFIER_AFTER_RE = re.compile(r"(?:[ \t]+(?P<more>or[ \t]+more|or[ \t]+so)\b|(?P<plus>-plus)\b)", re.IGNORECASE)
_RANGE_AFTER_RE = re.compile(
    rf"[ \t]*(?P<sep>-|–|—|to|and)[ \t]*(?P<cur>[$€£])?(?P<num>{_DIGITS}|{_WORD_NUMBER})"
    r"(?![A-Za-z\d])(?:[ \t]*(?P<mult>million|billion|trillion|thousand)\b)?",
    re.IGNORECASE,
)

# --- units --------------------------------------------------------------------

_BLANKS = r"[ \t]+"

# Measurement units, matched right after the number (multi-word ones first).
_MEASURE_UNITS = {
    "nautical miles": "nautical miles", "nautical mile": "nautical miles",
    "square kilometres": "square kilometers", "square kilometers": "square kilometers",
    "square kilometre": "square kilometers", "square kilometer": "square kilometers",
    "square miles": "square miles", "square mile": "square miles", "sq km": "square kilometers",
    "cubic metres": "cubic meters", "cubic meters": "cubic meters", "cubic metre": "cubic meters",
    "cubic meter": "cubic meters",
    "per cent": "percent", "percent": "percent", "pct": "percent", "percentage points": "percentage points",
    "kilometres per hour": "kilometers per hour", "kilometers per hour": "kilometers per hour",
    "kilometre per hour": "kilometers per hour", "kilometer per hour": "kilometers per hour",
    "km/h": "kilometers per hour", "kmh": "kilometers per hour", "kph": "kilometers per hour",
    "km per hour": "kilometers per hour", "miles per hour": "miles per hour", "mph": "miles per hour",
    "knots": "knots", "knot": "knots",
    "millimetres": "millimeters", "millimeters": "millimeters", "millimetre": "millimeters",
    "millimeter": "millimeters", "mm": "millimeters",
    "centimetres": "centimeters", "centimeters": "centimeters", "centimetre": "centimeters",
    "centimeter": "centimeters", "cm": "centimeters",
    "litres": "liters", "liters": "liters", "litre": "liters", "liter": "liters",
    "degrees celsius": "degrees celsius", "degrees centigrade": "degrees celsius", "degrees c": "degrees celsius",
    "°c": "degrees celsius", "° c": "degrees celsius", "degrees fahrenheit": "degrees fahrenheit",
    "degrees f": "degrees fahrenheit", "°f": "degrees fahrenheit", "degrees": "degrees", "degree": "degrees",
    "kilometres": "kilometers", "kilometers": "kilometers", "kilometre": "kilometers",
    "kilometer": "kilometers", "km": "kilometers", "kms": "kilometers",
    "miles": "miles", "mile": "miles", "mi": "miles",
    "metres": "meters", "meters": "meters", "metre": "meters", "meter": "meters",
    "yards": "yards", "yard": "yards", "feet": "feet", "foot": "feet",
    "pounds": "pounds", "pound": "pounds", "lbs": "pounds", "lb": "pounds",
    "kilograms": "kilograms", "kilogram": "kilograms", "kg": "kilograms",
    "tonnes": "tonnes", "tonne": "tonnes", "tons": "tons", "ton": "tons",
    "hectares": "hectares", "hectare": "hectares", "acres": "acres", "acre": "acres",
    "dollars": "dollars", "dollar": "dollars", "usd": "dollars", "us dollars": "dollars",
    "euros": "euros", "euro": "euros", "eur": "euros",
    "years": "years", "year": "years", "months": "months", "month": "months",
    "weeks": "weeks", "week": "weeks", "days": "days", "day": "days",
    "hours": "hours", "hour": "hours", "minutes": "minutes", "minute": "minutes",
    "decades": "decades", "decade": "decades", "centuries": "centuries", "century": "centuries",
}
# The units, longest first (as _alternation orders them), blanks made [ \t]+.
_MEASURE_ALTERNATIVES = [w.replace(chr(92) + " ", _BLANKS)
                         for w in sorted((re.escape(w) for w in _MEASURE_UNITS), key=len, reverse=True)]
# (case-insensitive; the units' alternation through caseless_alternation, which match tries faster)
_MEASURE_RE = re.compile(
    rf"[ \t]*(?:-[ \t]*)?(?P<unit>{caseless_alternation(_MEASURE_ALTERNATIVES)})(?![\w’'])"
    r"(?P<old>(?i:s?-olds?\b))?",  # "34-year-old" is an age
)
_MEASURE_VALUES = frozenset(_MEASURE_UNITS.values())
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds"}
_SUFFIX_UNITS = {"%": "percent", "km": "kilometers", "kg": "kilograms", "ha": "hectares", "mm": "millimeters",
                 "cm": "centimeters", "°c": "degrees celsius", "pc": "percent", "tb": "terabytes",
                 "gb": "gigabytes",
                 "°f": "degrees fahrenheit", "c": "degrees celsius", "f": "degrees fahrenheit"}  # "47.3C"
_MULTIPLIER_SUFFIX = {"bn": 10**9, "m": 10**6, "k": 1_000}

# What the counted thing is, for category decisions and for accepting "one".
UNIT_CATEGORY = {
    **dict.fromkeys(["miles", "kilometers", "meters", "yards", "feet", "nautical miles"], "distance"),
    **dict.fromkeys([
        "missiles", "rockets", "drones", "bombs", "shells", "mortars", "warheads", "launchers",
        "munitions", "systems", "batteries", "tanks", "vehicles", "aircraft", "jets", "warplanes",
        "helicopters", "rounds", "mines", "explosives", "weapons", "guns", "rifles", "carriers",
    ], "weapons"),
    **dict.fromkeys([
        "troops", "soldiers", "sailors", "marines", "fighters", "personnel", "servicemen",
        "servicemembers", "officers", "battalions", "brigades", "units", "warships", "ships",
        "destroyers", "frigates", "submarines", "vessels", "boats", "craft", "cruisers",
        "divisions", "bases", "militiamen", "reservists", "guards", "commandos",
    ], "forces"),
    **dict.fromkeys(["clashes", "strikes", "airstrikes", "attacks", "raids", "incidents", "sorties",
                     "operations", "protests", "explosions", "blasts"], "event"),
    **dict.fromkeys(["casualties", "deaths", "fatalities", "bodies"], "casualties"),
    # a speed or a temperature is a measurement, whatever distance word it is written with
    **dict.fromkeys(["kilometers per hour", "miles per hour", "knots", "degrees celsius", "degrees fahrenheit"],
                    "other"),
}

# Tokens after a number: words (with inner hyphens/apostrophes) or single marks.
_TOKEN_AFTER_RE = re.compile(r"[ \t]*([^\W\d_](?:[\w’'-]*\w)?|\d[\d,.]*|[^\s\w])")
_UNIT_STOP = frozenset(
    """overnight today yesterday tonight daily weekly monthly annually yearly alone once of in on at from to with by for over into onto near across against since during under within
    without toward towards after before between through throughout per about around along amid among
    beyond via upon off out inside outside behind below above like until than as despite beside including till unlike except
    and or but nor yet so the a an this that these those its their his her our my your some any no
    each every all both which who whom whose where when while whereas if because although though
    is are was were be been being am has have had do does did will would shall should can could
    may might must not also still already just only now then there here last next""".split()
)
_CASUALTY_UNIT_WORDS = {"others": "people", "more": "people", "person": "people",
                        "dead": "people", "wounded": "people", "injured": "people", "killed": "people",
                        "missing": "people"}
_IRREGULAR_PLURALS = {
    "person": "people", "man": "men", "woman": "women", "child": "children", "foot": "feet",
    "aircraft": "aircraft", "craft": "craft", "personnel": "personnel", "staff": "staff",
    "ordnance": "ordnance", "police": "police", "people": "people", "militia": "militias",
    "fish": "fish", "sheep": "sheep", "deer": "deer", "cattle": "cattle", "livestock": "livestock",
    "poultry": "poultry", "salmon": "salmon", "geese": "geese", "goose": "geese", "mouse": "mice", "mice": "mice",
}
# What counts animals: a toll of them is no casualty figure (the tuning labels call culled birds
# and dead fish events or other)
ANIMAL_UNITS = frozenset(
    """animals birds hens chickens ducks geese turkeys poultry pigs cows cattle sheep goats horses
    dogs cats fish salmon seals dolphins whales turtles deer livestock bees mice rats""".split()
)
_CASUALTY_BEFORE_RE = re.compile(
    r"(?:kill|wound|injur|dead|died|death|lost|slain|massacr|execut|neutrali[sz])\w*[ \t]+(?:\w+[ \t]+)?$",
    re.IGNORECASE,
)
_CASUALTY_AFTER_RE = re.compile(
    r"[ \t]+(?:(?:were|was|have[ \t]+been|had[ \t]+been|are|been)[ \t]+)?"
    r"(?:killed|wounded|injured|hurt|dead|died|missing|slain)\b",
    re.IGNORECASE,
)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# "September 22", "Sept. 22" -- but not "11 March. Two rockets": what precedes the blanks
# before a number ends with one of these (a suffix test, cheaper than a regex search).
_MONTH_ENDINGS = tuple(
    "January February March April May June July August September October November December".split()
    + [f"{m}{dot}" for m in "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split() for dot in ("", ".")]
)
_MONTH_AFTER_RE = re.compile(rf"(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:{_MONTHS})\b")
_DAY_RANGE_AFTER_RE = re.compile(rf"(?:[ \t]*[-–][ \t]*|[ \t]+(?:and|to|or)[ \t]+)\d{{1,2}}{_MONTH_AFTER_RE.pattern}")
_AGE_OF_RE = re.compile(
    r"\b(?:age[ \t]+of|ages[ \t]+of|aged|(?:children|adults|boys|girls|people|those|men|women|residents|"
    r"patients|pensioners|anyone|drivers|workers)[ \t]+(?:under|over|above|below))[ \t]+"
    r"(?:(?:under|over|between)[ \t]+)?$",
    re.IGNORECASE,
)
# (but "five years later than planned", "two years earlier than promised": a delay, a figure of its own)
_AGO_RE = re.compile(r"[ \t]+(?:ago|earlier|later|previously)\b(?![ \t]+than\b)", re.IGNORECASE)


def dates_back(text: str, mention: QuantityMention) -> bool:
    """"three weeks ago", "two days later": a time figure that dates something rather than
    being a claim of its own."""
    return mention.quantity.unit in _TIME_VALUES and _AGO_RE.match(text, mention.end, mention.end + 16) is not None
_YEAR_CONTEXT_RE = re.compile(
    r"(?:\b(?:between|from)[ \t]+[12]\d{3}[ \t]+(?:and|to)[ \t]+|\b(?:between|in|since|by|until|till|before|after|of|from|during|early|late|mid|the|year|summer|winter|spring|autumn|fall)[ \t-]+|[’'])$",
    re.IGNORECASE,
)
_TIME_AFTER_RE = re.compile(r"[ \t]*(?:a\.m\.|p\.m\.|am\b|pm\b|o['’]clock|GMT|UTC|local time)", re.IGNORECASE)
_DESIGNATOR_BEFORE_RE = re.compile(r"\b(?P<word>[A-Z][\w.]*)[ \t]+$")
_COMPOUND_TIME = {"hours": ("minutes", 60), "minutes": ("seconds", 60)}
_AND_SMALLER_TIME_RE = re.compile(
    r"[ \t]+and[ \t]+(?P<num>\d{1,2}|[a-z]+(?:-[a-z]+)?)[ \t]+(?P<unit>minutes?|seconds?)\b", re.IGNORECASE)
_MARCHED_AFTER_RE = re.compile(
    r"[ \t]+(?:had[ \t]+|have[ \t]+|were[ \t]+)?(?:marched|rallied|demonstrated|protested|gathered|turned[ \t]+out|"
    r"taken[ \t]+part|took[ \t]+part|joined[ \t]+the[ \t]+(?:march|protest|rally|strike|demonstration))\b",
    re.IGNORECASE,
)
# ("fined the online pharmacy FarmaPunt 750,000 euros": a sum, not a designation like "Route 6")
# The units of money the extractor writes (a sum's unit is the currency as a plural noun).
MONEY_UNITS = frozenset("dollars euros pounds francs crowns kronor kroner zlotys dinars liras".split())
_MONEY_AFTER_RE = re.compile(r"[ \t]+(?:euro|dollar|" + "|".join(sorted(MONEY_UNITS)) + r")\b", re.IGNORECASE)
_PERCENT_AFTER_RE = re.compile(r"[ \t]*(?:%|percent\b|per[ \t]+cent\b)", re.IGNORECASE)  # ("the NPP 39.6 percent")
_MINUS_BEFORE_RE = re.compile(r"(?:\bminus[ \t]+|(?<![\w.,])\u2212[ \t]?)$", re.IGNORECASE)
_PAREN_BEFORE_RE = re.compile(r"\([ \t]*$")
# "Press release no. 14", "the number 14 bus" (not "rebels now number 5,000")
_NUMBERED_BEFORE_RE = re.compile(r"\b(?:no|nr|nos)\.[ \t]*$|\b(?:the|a)[ \t]+number[ \t]+$", re.IGNORECASE)
# "State road 38", "gallery 3", "platform 4": a numbered road, gallery or platform, lowercase too
# (but "a road 12 kilometres long": a measure follows)
_NUMBERED_PLACE_BEFORE_RE = re.compile(
    r"\b(?:road|route|highway|motorway|gallery|pier|platform|gate|terminal|ward|flight|article|section|chapter|"
    r"clause|paragraph|shaft|exit|junction|runway|berth)[ \t]+$",
    re.IGNORECASE,
)
# Capitalised words that may stand right before a count ("In 2,000 cases", "The 12 missiles"):
# after any other capitalised word a bare number is a designation ("Route 6").
_CAPITAL_OK_BEFORE = frozenset(
    """the in on at of for by to with from over about around nearly almost only just all some
    more less fewer under up and but or as another than least its their his her our""".split()
)


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A figure found in text: ``text[start:end]`` spans qualifier, number and unit."""

    start: int
    end: int
    number_start: int
    number_end: int
    quantity: Quantity
    unit_category: str | None
    modifier: bool = False  # written as a modifier of a noun: "a 24-hour strike", "a 174-kilometre fence"


# --- parsing numbers ------------------------------------------------------------------------


_DIGITS_RE = re.compile(_DIGITS)
_DIGITS_WITH_SUFFIX_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(bn|m|k)?")
_NUMBER_WORD_SPLIT_RE = re.compile(r"[\s-]+")
_OF_THE_RE = re.compile(r"\s+(?:of|the)\b", re.IGNORECASE)
_BY_BEFORE_RE = re.compile(r"(?<!\w)by[ \t]+$", re.IGNORECASE)
_TO_LEVEL_AFTER_RE = re.compile(r"[ \t]+to[ \t]+(?:a[ \t]+)?(?:record[ \t]+|new[ \t]+)?\d")
_POINT_AFTER_RE = re.compile(r"[ \t]+(?:of[ \t]+)?an?[ \t]+(percentage[ \t]+)?points?\b", re.IGNORECASE)
_A_UNIT_AFTER_RE = re.compile(r"[ \t]+(?:a|an)[ \t]", re.IGNORECASE)  # "half a percentage point", "a third of a"
# "half a metre", "a quarter of a mile": a fraction of a measure's unit (not of money or of time:
# "half a dollar" is rare, "half an hour" says when, not how much)
_A_MEASURE_AFTER_RE = re.compile(
    r"[ \t]+(?:of[ \t]+)?an?[ \t]+(?P<unit>(?i:metres?|meters?|kilometres?|kilometers?|miles?|nautical[ \t]+miles?|"
    r"centimetres?|centimeters?|litres?|liters?|tonnes?|tons?|kilograms?|degrees?|hectares?|acres?|feet|foot))"
    r"(?![\w’'])"
)
_FRACTION_AFTER_RE = re.compile(r"[ \t-]+(?:halves|half|thirds?|quarters?|fifths?|tenths?)\b", re.IGNORECASE)


# Quantizing to two places in the default context (28 digits) raises for a value with more than
# 26 digits before the point; with unbounded precision it cannot fail.
_UNBOUNDED = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _tidy(value: Decimal) -> Decimal:
    """Integral values without a trailing '.0'; others trimmed to at most two places."""
    if value == value.to_integral_value():
        return value.to_integral_value()
    return value.quantize(Decimal("0.01"), context=_UNBOUNDED).normalize()


def parse_number(words: str) -> Decimal | None:
    """The value of a written number, or None if it is not one.

    "six" -> 6, "twenty-nine" -> 29, "1,500" -> 1500, "2.5 million" ->
    2500000, "a hundred" -> 100, "one thousand five hundred" -> 1500,
    "a dozen" -> 12, "two dozen" -> 24, "$4.2m" -> 4200000, "half" -> 0.5,
    "two thirds" -> 0.67. Not: "hundreds", "a few", "several", "".
    """
    text = words.strip().lower().replace("’", "'").lstrip("$€£").strip()
    if not text:
        return None
    match = _DIGITS_WITH_SUFFIX_RE.fullmatch(text)
    if match:
        if not _DIGITS_RE.fullmatch(match.group(1)):
            return None
        value = Decimal(match.group(1).replace(",", ""))
        return _tidy(value * _MULTIPLIER_SUFFIX[match.group(2)]) if match.group(2) else _tidy(value)
    # Split off one word more than a figure may have: a longer phrase is not one (and is not
    # split any further).
    tokens = [t for t in _NUMBER_WORD_SPLIT_RE.split(text, MAX_NUMBER_WORDS + 1) if t]
    if len(tokens) > MAX_NUMBER_WORDS + 1:  # (+1: "a" in "a hundred")
        return None
    total = Decimal(0)
    current: Decimal | None = None
    last = ""  # the class of the previous token, to reject "two three" or "five twenty"
    for index, token in enumerate(tokens):
        if token in ("a", "an"):
            if index != 0 or len(tokens) == 1:
                return None
            current, last = Decimal(1), "a"
            continue
        if token == "and":
            if last not in ("hundred", "scale") or index == len(tokens) - 1:
                return None
            continue
        if _DIGITS_RE.fullmatch(token):
            if last:
                return None
            current, last = Decimal(token.replace(",", "")), "digits"
        elif token in _SMALL or token in _TENS:
            unit_word = token in _SMALL and _SMALL[token] < 10
            allowed = ("", "hundred", "scale") + (("tens",) if unit_word else ())
            if last not in allowed:
                return None
            current = (current or Decimal(0)) + (_SMALL[token] if token in _SMALL else _TENS[token])  # (zero is falsy)
            last = "tens" if token in _TENS else "small"
        elif token == "dozen":
            if last not in ("", "a", "small", "tens", "digits"):
                return None
            current, last = (current or Decimal(1)) * 12, "dozen"
        elif token == "hundred":
            if last not in ("", "a", "small", "digits"):
                return None
            current, last = (current or Decimal(1)) * 100, "hundred"
        elif token in _SCALES:
            if last in ("scale",):
                return None
            total += (current or Decimal(1)) * _SCALES[token]
            current, last = None, "scale"
        elif token in _FRACTIONS and index == len(tokens) - 1:
            if last not in ("", "a", "small"):
                return None
            numerator = current if current is not None else Decimal(1)
            return _tidy(total + numerator / _FRACTIONS[token])
        else:
            return None
    if last in ("", "a"):
        return None
    return _tidy(total + (current or Decimal(0)))


# The same few numbers ("two", "12", "1,500") recur all through a text; Decimal values are
# immutable, so a bounded cache of them is safe to share. (Keys are bounded too: a phrase can be
# long only by its blanks, and then it is parsed without being kept.)
_number_value = bounded_cache(maxsize=4096, max_key_chars=64)(parse_number)


def _plural(noun: str) -> str:
    if noun in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[noun]
    if noun.endswith("tres") and len(noun) > 5:
        return noun[:-4] + "ters"  # American spelling: "centres" -> "centers", "theatres" -> "theaters"
    if noun.endswith("tre") and len(noun) > 4:
        return noun[:-3] + "ters"
    if noun.endswith(("s", "men", "people", "children")):
        return noun
    if noun.endswith("y") and len(noun) > 2 and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("ch", "sh", "x", "z")):
        return noun + "es"
    return noun + "s"


# --- finding quantities in text -------------------------------------------------------------


_QUALIFIER_FILLERS = frozenset("just only all the a".split())
_MAX_QUALIFIER_WORDS = max(len(q.split()) for q in _QUALIFIER_OF)
_QUALIFIER_LAST_WORDS = frozenset(q.split()[-1] for q in _QUALIFIER_OF)


def _qualifier_before(text: str, lo: int, pos: int) -> tuple[str | None, int]:
    """The qualifier right before ``pos`` (normalised) and where it starts.

    Looks up the last one to three words before the figure ("more than",
    "an estimated", "up to"), allowing one filler word ("just over", "some of
    the" is not a qualifier because "of" is not a filler).
    """
    window_start = max(lo, pos - 40)
    window = text[window_start:pos]
    if not window or not window[-1].isspace():
        return None, pos
    # The last words are enough: a qualifier and one filler.
    words = window.rsplit(None, _MAX_QUALIFIER_WORDS + 1)[-(_MAX_QUALIFIER_WORDS + 1):]
    last = words[-1].lstrip("(“\"‘[").lower() if words else ""
    if last not in _QUALIFIER_LAST_WORDS and last not in _QUALIFIER_FILLERS:
        return None, pos  # the usual case: no qualifier ends here
    if last not in _QUALIFIER_LAST_WORDS and (
            len(words) < 2 or words[-2].lstrip("(“\"‘[").lower() not in _QUALIFIER_LAST_WORDS):
        return None, pos  # the next most usual: a filler ("the 12", "a 40") with no qualifier before it
    words = [w.lstrip("(“\"‘[") for w in words]
    if words and words[-1].lower() in _QUALIFIER_FILLERS and len(words) > 1:
        candidates = [words[:-1], words]
    else:
        candidates = [words]
    for ws in candidates:
        if not ws or ws[-1].lower() not in _QUALIFIER_LAST_WORDS:
            continue  # no qualifier ends with this word: no phrase to look up
        for n in range(min(_MAX_QUALIFIER_WORDS, len(ws)), 0, -1):
            phrase = " ".join(ws[-n:]).lower()
            norm = _QUALIFIER_OF.get(phrase)
            if norm in ("under", "over") and words[-1].lower() == "the":
                continue  # "just under the 3 percent ceiling": a position next to a figure, not a bound
            if norm is not None:
                start = window_start + _rfind_words(window, ws[-n:])
                if start > lo and (text[start - 1].isalnum() or text[start - 1] == "-"):
                    continue  # inside a longer word
                return norm, start
    return None, pos


def _rfind_words(window: str, words: list[str]) -> int:
    """Offset in ``window`` where the run of ``words`` (the last ones in it) begins."""
    index = len(window)
    for word in reversed(words):
        index = window.rfind(word, 0, index)
    return index


def _is_plural_noun(word: str) -> bool:
    return looks_plural(word) or word in _WHOLE_NOUNS


def _plain_adjective(word: str | None) -> bool:
    """A lowercase modifier that cannot be a counted noun by itself: not plural, not a verb."""
    return bool(word) and word.replace("-", "").isalpha() and not word.endswith("s") \
        and word not in _IRREGULAR_PLURALS.values() \
        and not is_verb_form(word) and word not in _UNIT_STOP


def _counted_noun(text: str, pos: int, hi: int) -> tuple[str | None, int]:
    """The head noun of the phrase after a number ("US troops are" -> "troops") and its end.

    Skips a partitive "of the/its" ("15 of its crewmembers"); stops at function
    words, punctuation and verbs; a participle directly followed by a noun is
    a modifier ("working operating theaters"), otherwise it ends the phrase
    ("missiles fired from").
    """
    words = _WordsAfter(text, pos, min(hi, pos + 120))
    index = 0
    if words.lower(0) == "of":
        index = 1
        if words.lower(1) in _PARTITIVE_PRONOUNS:
            return None, pos  # "two of them", "12 of whom": the noun is the one they stand for
        while (word := words.lower(index)) is not None and (
                word in _PARTITIVE_DETERMINERS or word[0].isdigit() or word.endswith("'s") and index <= 2):
            index += 1  # "15 of its crewmembers", "eight of the train's 11 carriages"
    head: int | None = None
    run = 0
    while (word := words.lower(index)) is not None and run < 4:
        if run and word in ("and", "or") and words.capital(head):
            # "4,000 Syrian and Iraqi refugees": coordinated modifiers of one noun.
            following = words.lower(index + 1)
            if following is not None and following[0].isalpha() and words.capital(index + 1):
                index += 1
                continue
        if run and word in ("and", "or") and _plain_adjective(words.lower(head)) \
                and _plain_adjective(words.lower(index + 1)) and _is_plural_noun(words.lower(index + 2) or ""):
            index += 1  # "1.6 million current and former customers": coordinated modifiers
            continue
        if not word[0].isalpha() or word in _UNIT_STOP or word.endswith("ly") or is_verb_form(word) and not (
                run == 0 and index == 0 and word.endswith("s") and word not in _VERB_S_AFTER_NUMBER):
            break  # (but right after the number a plural is the noun: "87 houses", "3 strikes")
        if run and (word in _POSTPOSED or words.lower(head) in _WHOLE_NOUNS or word in _CLAUSE_PRONOUNS):
            # "two sons alive", "2,000 people remain missing", "the 80 tanks | it pledged" (a clause
            # on the noun): the noun has ended
            break
        if run and word.endswith("ed") and word not in _CASUALTY_UNIT_WORDS and _is_plural_noun(words.lower(head)):
            break  # "640 pupils stayed home": after a plural noun an -ed word is its verb, not a modifier
        if (word.endswith("ed") and word not in _CASUALTY_UNIT_WORDS or run and word.endswith("ing")):
            following = words.lower(index + 1) or ""
            if not following or not following[0].isalpha() or following in _UNIT_STOP:
                break  # ("the 230 million approved by the council", "two sons rescued")
        head = index
        run += 1
        index += 1
    if head is None:
        return None, pos
    noun = words.lower(head)
    if noun in _CASUALTY_UNIT_WORDS and words.lower(head + 1) in ("were", "was"):
        # "eight of the dead were children": the predicate names who they were
        named = words.lower(head + 2)
        if named is not None and named[0].isalpha() and named not in _UNIT_STOP and not is_verb_form(named) \
                and (named.endswith("s") or named in _IRREGULAR_PLURALS.values()):
            return named, words.ends[head + 2]
    if head > 0 and noun in ("members", "workers", "member", "worker") and words.lower(head - 1) in _COMPOUND_FIRSTS:
        return f"{words.lower(head - 1)} {noun}", words.ends[head]  # "crew members", "health workers"
    if head > 0 and noun in ("officers", "officer") and words.lower(head - 1) in _OFFICER_FIRSTS:
        return f"{words.lower(head - 1)} {noun}", words.ends[head]  # "police officers", "prison officers"
    if noun in UNIT_CATEGORY and words.lower(head + 1) == "and":
        # "40,000 sailors and Marines deployed": two kinds counted together
        other = words.lower(head + 2)
        after = words.lower(head + 3)
        if other in UNIT_CATEGORY and (after is None or not after[0].isalpha() or after in _UNIT_STOP
                                       or after.endswith("ed") or is_verb_form(after)):
            return f"{noun} and {other}", words.ends[head + 2]
    return noun, words.ends[head]


_ELIDED_REACH = 250
_CLAUSE_PRONOUNS = SUBJECT_PRONOUNS - {"i"}  # (that open a clause on a counted noun; "Phase I trials": a numeral)
_OF_THOSE_RE = re.compile(
    r"\b[Oo]f\s+those\s+(?:who\s+(?:were|had\s+been|have\s+been)\s+)?"
    r"(?:arrested|detained|held|killed|injured|wounded|hurt|evacuated|rescued|questioned|charged|missing|affected)"
    r"\s*,\s*$"
)
_OFFICER_FIRSTS = frozenset("police prison border customs fire security".split())
_COMPOUND_FIRSTS = frozenset("crew health aid care rescue social staff party union".split())
_BARE_SCALES = frozenset("hundred thousand million billion trillion".split())
_CURRENCY_CODES = {"usd": "dollars", "us$": "dollars", "eur": "euros", "gbp": "pounds", "pln": "zlotys",
                   "chf": "francs", "sek": "kronor", "nok": "kroner", "dkk": "kroner"}
_CURRENCY_CODE_BEFORE_RE = re.compile(r"\b(USD|US\$|EUR|GBP|PLN|CHF|SEK|NOK|DKK)[ \t]?$", re.IGNORECASE)
_PLURAL_AFTER_RE = re.compile(r"[ \t]+(?:[a-z][\w-]*[ \t]+)?(?:[a-z][\w-]*s|people|children|staff)\b(?![ \t]+(?:of|high|long|deep|tall|wide)\b)")
_VERB_S_AFTER_NUMBER = frozenset(
    "is was has does remains says shows costs stands seems means includes contains needs takes gets makes goes "
    "comes sits lies".split()
)
_NOT_COUNTED = frozenset("forecast forecasts expected predicted projected estimate estimated target".split())
_COMPARED_BEFORE_RE = re.compile(
    r"\b(?:(?:up|down|rising|falling|risen|fallen|rose|fell|compared|against)[ \t]+(?:from|with|to)?[ \t]*"
    r"(?:a[ \t]+(?:normal|usual|typical|total|record|peak|high|low)(?:[ \t]+of)?[ \t]*)?"
    r"|\b(?:against|below|above|under|over|than|of|double|twice|triple|half)[ \t]+(?:a|an|the)[ \t]+(?:\w+[ \t]+)?"
    r"|\bfrom[ \t]+)$",
    re.IGNORECASE,
)
_CHANGE_VERBS = (
    r"\b(?:rose|risen|rises|fell|fallen|falls|increased|decreased|grew|grown|dropped|climbed|jumped|"
    r"declined|surged|soared|slumped|went[ \t]+(?:up|down)|"
    r"rising|falling|increasing|decreasing|growing|dropping|climbing|jumping|declining|surging|soaring|slumping)"
)
# ... and, ending "to": "rose to 6.1 percent (from 5.9)", "eased slightly to 2.1 percent"
CHANGE_TO_BEFORE_RE = re.compile(
    r"(?:" + _CHANGE_VERBS + r"|\b(?:rising|falling|eased|slowed|accelerated|edged[ \t]+(?:up|down)))"
    r"[ \t]+(?:\w+[ \t]+)?to[ \t]+$", re.IGNORECASE)
_CHANGE_BEFORE_RE = re.compile(_CHANGE_VERBS + r"[ \t]+$", re.IGNORECASE)
# A change someone makes to a thing ("raises the retirement age from 63 to 66", "cut the speed
# limit from 50 to 30"): the verb, then at most six words naming the thing
_SET_CHANGE_BEFORE_RE = re.compile(
    r"\b(?:rais(?:e|es|ed|ing)|lower(?:s|ed|ing)?|cut(?:s|ting)?|increas(?:e|es|ed|ing)|reduc(?:e|es|ed|ing)|"
    r"lengthen(?:s|ed|ing)?|shorten(?:s|ed|ing)?|extend(?:s|ed|ing)?|lift(?:s|ed|ing)?|boost(?:s|ed|ing)?)"
    r"(?:[ \t]+[\w’'-]+){0,6}[ \t]+$", re.IGNORECASE)
_CHANGE_BY_BEFORE_RE = re.compile(_CHANGE_VERBS + r"[ \t]+by[ \t]+$", re.IGNORECASE)
# "Exports dropped (by) 6.2 percent": a change in percent (the level it reached may follow)
CHANGE_UNITS = frozenset(("percent", "points", "percentage points"))  # of a change before its level
CHANGE_OPTIONAL_BY_RE = re.compile(_CHANGE_VERBS + r"[ \t]+(?:by[ \t]+)?$", re.IGNORECASE)
_TIME_VALUES = frozenset("years months weeks days hours minutes decades centuries".split())
_RATIO_AFTER_RE = re.compile(
    rf"[ \t]+(?:in|out[ \t]+of)[ \t]+(?P<den>\d{{1,4}}|{_WORD_NUMBER})(?![\w,.]\d)(?![\w-])", re.IGNORECASE
)
# "one household in seven", "one adult in five": the share's noun between its two numbers (the
# second ends the phrase: not "three people in 10 hospitals")
_NOUN_RATIO_AFTER_RE = re.compile(
    rf"[ \t]+(?P<noun>[a-z]+)[ \t]+in[ \t]+(?P<den>\d{{1,4}}|{_WORD_NUMBER})(?![\w,.]\d)(?![\w-])"
    r"(?=[ \t]*(?:[.,;:!?)]|$))", re.IGNORECASE
)
_NOT_RATIO_NOUNS = frozenset("percent per years months weeks days hours times".split())
_DAYTIME_AFTER_RE = re.compile(r"[ \t]+in[ \t]+the[ \t]+(?:morning|evening|afternoon|night)\b", re.IGNORECASE)
# "comes on at six ... goes off again at ten" (not "the toll stood at 11")
_SCHEDULE_AT_RE = re.compile(
    r"\b(?:on|off|again|opens?|closes?|starts?|begins?|ends?|finish(?:es)?|returns?|arrives?|leaves?)[ \t]+at[ \t]+$")
_CLAUSE_END_AFTER_RE = re.compile(r"[ \t]*(?:[.;!?]|,[ \t]+(?:and|but)\b|$)")
_AGE_IS_BEFORE_RE = re.compile(r"\b(?:[Ss]he|[Hh]e)[ \t]+(?:is|was|turned|turns)[ \t]+$")
_AGE_IS_VERBS = ("is", "was", "turned", "turns")  # how what it matches ends (a cheap test first)
_AGE_BEFORE_RE = re.compile(r"[A-Z][\w’'-]*,[ \t]$")
_PERSON_OF_BEFORE_RE = re.compile(
    r"\b(?:man|woman|boy|girl|person|child|pensioner|driver|resident|victim|patient|cyclist|pedestrian)"
    r"[ \t]+(?:aged[ \t]+|of[ \t]+)$", re.IGNORECASE)
_NOT_MONEY = _MEASURE_VALUES - {"dollars", "euros", "pounds"}
_FINITE_AFTER_RE = re.compile(r"[ \t]+(?:were|was|are|have|had|remain|remained)\b", re.IGNORECASE)
_POSTPOSED = frozenset("alive dead missing wounded injured homeless unaccounted aboard apiece each".split())
_WHOLE_NOUNS = frozenset("people children men women persons others".split())


class _WordsAfter:
    """The first (up to 8) words after a figure, on one line, read only as far as a rule asks:
    most phrases end after a word or two."""

    __slots__ = ("text", "cursor", "limit", "lows", "ends", "done")

    def __init__(self, text: str, pos: int, limit: int) -> None:
        self.text, self.cursor, self.limit = text, pos, limit
        self.lows: list[str] = []  # lowercase, curly apostrophe made straight
        self.ends: list[int] = []
        self.done = False

    def lower(self, index: int) -> str | None:
        """The index-th word, or None past the last one."""
        lows = self.lows
        while len(lows) <= index and not self.done:
            # Anchored where the previous word ended: a line break or the limit ends the run.
            match = _TOKEN_AFTER_RE.match(self.text, self.cursor, self.limit) if len(lows) < 8 else None
            if match is None:
                self.done = True
                break
            lows.append(match.group(1).lower().replace("’", "'"))
            self.cursor = match.end()
            self.ends.append(self.cursor)
        return lows[index] if index < len(lows) else None

    def capital(self, index: int) -> bool:
        """Does the index-th word (already read) begin with a capital letter?"""
        return self.text[self.ends[index] - len(self.lows[index])].isupper()


_PARTITIVE_DETERMINERS = frozenset("the its their his her our these those them".split())
_PARTITIVE_PRONOUNS = frozenset("them whom those".split())
_PARTITIVE_PRONOUN_RE = re.compile(r"[ \t]+of[ \t]+(?:them|whom|those)\b", re.IGNORECASE)


def _skip_mention(
    text: str, lo: int, match: re.Match, value: Decimal, digits: str | None, currency: str | None
) -> bool:
    """Dates ("September 22", "3 May"), years ("in 2021") and times ("9 a.m.") are not figures."""
    start, end = match.start(), match.end()
    before = text[max(lo, start - 20):start]
    if _MONTH_AFTER_RE.match(text, end) or _month_before(before):
        return True  # "September 22", "3 May"
    if digits is not None and len(digits) <= 2 and _DAY_RANGE_AFTER_RE.match(text, end):
        return True  # "the rainfall of 12 and 13 October", "from 7 to 17 October": the first day of a span
    if _TIME_AFTER_RE.match(text, end):
        return True  # "9 a.m."
    if value <= 12 and not currency and before.endswith(("at ", "until ", "till ", "from ")) and (
            _DAYTIME_AFTER_RE.match(text, end) or _SCHEDULE_AT_RE.search(before) and _CLAUSE_END_AFTER_RE.match(text, end)):
        return True  # "at six in the evening", "comes on at six ... and goes off again at ten."
    if value <= 120 and not currency and before.rstrip(" \t").endswith(_AGE_IS_VERBS) \
            and _AGE_IS_BEFORE_RE.search(before) and _CLAUSE_END_AFTER_RE.match(text, end):
        return True  # "She is 31.": an age
    if ("ag" in before or "under" in before or "over" in before) and _AGE_OF_RE.search(before):
        return True  # "children under the age of five", "aged 70": an age, not a count
    if digits and not currency:
        if "," not in digits and "." not in digits and 1800 <= value <= 2100 and (
            _YEAR_CONTEXT_RE.search(before) or not _TOKEN_AFTER_RE.match(text, end)
            or text[end:end + 1] in (",", ".", ")", ";", ":")
        ):
            return True  # "in 2021"
    return False


def _month_before(before: str) -> bool:
    """Does ``before`` end with a month name and blanks ("September ", "Sept. ")?"""
    stripped = before.rstrip(" \t")
    return len(stripped) < len(before) and stripped.endswith(_MONTH_ENDINGS)


def _is_designation(text: str, lo: int, number_start: int) -> bool:
    """"Resolution 2254", "Route 6": a bare number right after a capitalised name."""
    designator = _DESIGNATOR_BEFORE_RE.search(text, max(lo, number_start - 20), number_start)
    return designator is not None and designator.group("word").lower() not in _CAPITAL_OK_BEFORE


def find_quantities(
    text: str,
    start: int = 0,
    end: int | None = None,
    candidates: Iterable[int] | None = None,
    lowered: str | None = None,
) -> list[QuantityMention]:
    """Every figure in ``text[start:end]``, in order, with offsets into ``text``.

    ``candidates``, if given, are the (sorted) offsets where a figure may start
    -- the starts of digit, number-word and currency tokens (see
    ``candidate_starts``); the patterns are then tried only there instead of
    at every character, which is what makes long texts fast. ``lowered`` is a
    lowercased copy of the whole text with the same offsets, if the caller has one.
    """
    end = len(text) if end is None else end
    if lowered is None:
        lowered = text.lower()
    if len(lowered) == len(text):
        scan, number_re, fraction_re = lowered, NUMBER_RE, FRACTION_RE
    else:
        scan, number_re, fraction_re = text, _NUMBER_ANY_CASE_RE, _FRACTION_ANY_CASE_RE
    if candidates is not None and not isinstance(candidates, list):
        candidates = list(candidates)
    mentions: list[QuantityMention] = []
    last_end = start
    for match in _matches(number_re, scan, start, end, candidates, mentions):
        if match.start() < last_end:
            continue  # inside the previous mention (a range or partitive)
        mention = _mention_from_number(text, start, end, match, mentions)
        if mention is not None:
            mentions.append(mention)
            last_end = mention.end
    if scan.find("twice", start, end) != -1:
        mentions = _with_twice(text, scan, start, end, mentions)
    if candidates is None:
        fraction_matches = fraction_re.finditer(scan, start, end)
    else:
        # (a fraction opens with a letter: the figures' digits and currency marks are passed over)
        letters = compress(candidates, map(str.isalpha, map(scan.__getitem__, candidates)))
        fraction_matches = filter(None, map(fraction_re.match, repeat(scan), letters, repeat(end)))
    if not any(scan.find(stem, start, end) != -1 for stem in _FRACTION_STEMS):
        return mentions
    # Merge fractions in, skipping any inside a figure already found (both lists are in order).
    starts = [m.start for m in mentions]
    fractions = []
    last_end = start
    for match in fraction_matches:
        if match.start() < last_end:
            continue  # "fifth" inside "a fifth" already taken
        mention = _mention_from_fraction(text, start, end, match)
        if mention is None:
            continue
        last_end = match.end()
        k = bisect.bisect_right(starts, mention.number_start) - 1
        if k < 0 or mentions[k].end <= mention.number_start:
            fractions.append(mention)
    if fractions:
        mentions = sorted(mentions + fractions, key=lambda m: m.start)
    return mentions


# "postponed twice", "has been hit twice": how many times, like "delayed three times". Only after
# a participle (not "paid twice market value", "reached twice last year's total") and before the
# end of the clause or a word that says when, how or why (not "twice the size", "twice as many",
# "twice a day", "twice nightly", "twice each day"); never after a negation.
# (The pattern opens with the literal "twice", so that finditer skips to each one with a fast
# string search; the letter and blank before it are checked by a lookbehind after it, which
# sees the same characters as one before it would.)
_TWICE_RE = re.compile(
    r"twice(?<=[a-z] twice)(?=[ \t]*[.,;:!?)]|[ \t]+(?:for|by|in|on|during|since|and|but|after|within|at|this|"
    r"last[ \t]+(?:week|month|year|summer|winter|spring|autumn)\b(?![’'])|earlier|already|so[ \t]+far|yesterday|today|"
    r"because)\b)"
)
_ACT_BEFORE_RE = re.compile(r"\b(?!scored\b)(?:[a-z]{2,}(?:ed|en)|hit|struck|shot)[ \t]+\Z")  # (a match score has no figure)
_NEGATION_BEFORE_RE = re.compile(r"\b(?:not|never|n[’']t)\b")


def _with_twice(text: str, scan: str, start: int, end: int, mentions: list[QuantityMention]) -> list[QuantityMention]:
    """``mentions`` with "twice" after a verb read as 2 times (bounded: one regex pass)."""
    added = []
    starts = [m.start for m in mentions]  # (in order)
    for match in _TWICE_RE.finditer(scan, start, end):
        at = match.start()
        if not _ACT_BEFORE_RE.search(scan, max(start, at - 20), at) \
                or _NEGATION_BEFORE_RE.search(scan, max(start, at - 25), at):
            continue
        k = bisect.bisect_right(starts, at) - 1
        if k >= 0 and mentions[k].end > at:
            continue  # inside a figure already found
        if k + 1 < len(mentions) and mentions[k + 1].start - at <= 30:
            continue  # "struck twice within about 10 minutes": the figure after it is the claim's
        added.append(QuantityMention(start=at, end=match.end(), number_start=at, number_end=match.end(),
                                     quantity=Quantity(Decimal(2), "times", None), unit_category=None))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: m.start)


def _matches(pattern: re.Pattern, scan: str, start: int, end: int, candidates: list[int] | None,
             mentions: list[QuantityMention]) -> Iterable[re.Match]:
    """Matches of ``pattern`` in scan[start:end], at ``candidates`` only if given; a candidate
    inside the last mention found is passed over without trying the pattern there."""
    if candidates is None:
        yield from pattern.finditer(scan, start, end)
        return
    match = pattern.match
    k = 0
    n = len(candidates)
    while k < n:
        found = match(scan, candidates[k], end)
        k += 1
        if found is not None:
            yield found
            if mentions and mentions[-1].end > candidates[k - 1]:
                k = bisect.bisect_left(candidates, mentions[-1].end, k)  # resume after the mention


def _mention_from_number(text, lo, hi, match, previous) -> QuantityMention | None:
    currency, digits, suffix, mult, words = match.group("cur", "digits", "suffix", "mult", "words")
    raw = digits or words
    if digits and len(digits) > _MAX_DIGIT_CHARS:
        return None  # "1111111111...": not a figure (and no huge Decimal for it)
    # A lone "a"/"an" only reaches here before "decade"/"century" ("a decade" -> 10 years).
    if words and raw.strip().lower() in _BARE_SCALES:
        return None  # "billion" with its number unread ("NOK 92 billion", "US$2.5 billion"): no figure
    value = Decimal(1) if raw.strip().lower() in ("a", "an") else _number_value(raw)
    if value is None:
        return None
    if _skip_mention(text, lo, match, value, digits, currency):
        return None
    number_start, number_end = match.start(), match.end()
    if words and _FRACTION_AFTER_RE.match(text, number_end):
        return None  # "two-thirds", "three quarters": the fraction pass reads these
    if previous and number_start - previous[-1].end <= 3 and _PAREN_BEFORE_RE.search(
        text, max(lo, number_start - 3), number_start
    ):
        return None  # "60 kilometers (37 miles)": a conversion, not a second figure
    unit: str | None = None
    if currency:
        unit = _CURRENCY[currency]
    suffix = (suffix or "").lower()
    if suffix in _MULTIPLIER_SUFFIX and (currency or suffix != "m"):
        value *= _MULTIPLIER_SUFFIX[suffix]  # "$4.2m", "3bn", "5k"
    elif suffix in _SUFFIX_UNITS:
        unit = _SUFFIX_UNITS[suffix]
    elif suffix == "m" and _PLURAL_AFTER_RE.match(text, number_end, hi):
        value *= _MULTIPLIER_SUFFIX["m"]  # "1.2m accounts": millions of a counted thing
    elif suffix:
        return None  # "15m" without a currency is ambiguous (metres? million?)
    if mult:
        value *= _SCALES[mult.lower()]
    if value >= MAX_VALUE:
        return None

    qualifier, start = _qualifier_before(text, lo, number_start)
    if not currency and number_start > lo and text[number_start - 1] in " \t\u2212":
        window = text[max(lo, number_start - 7):number_start]
        # (the pattern is only tried when its "minus" or "−" may be there: it matches no other letter)
        minus = _MINUS_BEFORE_RE.search(text, max(lo, number_start - 7), number_start) \
            if "m" in window or "M" in window or "\u2212" in window else None
        if minus:
            value, start = -value, min(start, minus.start())  # "fell to minus 17.8 points", "−5 degrees"
    if words and number_start >= 5 and text[number_start - 5:number_start].lower() == "half " \
            and raw.strip().lower().startswith(("a ", "an ")):
        # "half a million customers"
        value, number_start = value / 2, number_start - 5
        qualifier, start = _qualifier_before(text, lo, number_start)
    ratio = _RATIO_AFTER_RE.match(text, number_end, hi) if not (currency or suffix or mult) and (
        text.startswith((" in ", " out "), number_end)) else None
    if ratio is None and not (currency or suffix or mult) and " in " in text[number_end:number_end + 24]:
        ratio = _NOUN_RATIO_AFTER_RE.match(text, number_end, hi)  # "one household in seven"
        if ratio is not None and ratio.group("noun").lower() in _NOT_RATIO_NOUNS:
            ratio = None
    if ratio is not None:
        denominator = _number_value(ratio.group("den")) if len(ratio.group("den")) <= 12 else None
        if denominator is not None and value < denominator <= 1000 and not _MEASURE_RE.match(text, ratio.end(), hi):
            # "three in four children", "nine out of ten people": a share
            noun, noun_end = _counted_noun(text, ratio.end(), hi)
            return QuantityMention(
                start=start, end=noun_end if noun else ratio.end(), number_start=number_start,
                number_end=number_end, quantity=Quantity(_tidy(value * 100 / denominator), "percent", qualifier),
                unit_category=None,
            )
    if not currency and digits:
        code = _CURRENCY_CODE_BEFORE_RE.search(text, max(lo, number_start - 8), number_start)
        if code:
            currency = code.group(1).lower()
            unit = _CURRENCY_CODES[currency]  # "USD 2 billion", "US$2.5 billion", "EUR 40 million"
            if qualifier is None:
                qualifier, start = _qualifier_before(text, lo, code.start())  # "up to PLN 8,000"
            start = min(start, code.start())
    if qualifier is None and digits and not currency and not mult and "," not in digits \
            and not _PERCENT_AFTER_RE.match(text, number_end) and not _MONEY_AFTER_RE.match(text, number_end) and (
            _is_designation(text, lo, number_start)
            or _NUMBERED_BEFORE_RE.search(text, max(lo, number_start - 12), number_start)
            or _NUMBERED_PLACE_BEFORE_RE.search(text, max(lo, number_start - 12), number_start)
            and not _MEASURE_RE.match(text, number_end)):
        return None  # "Press release no. 14" (but "fined Larsen 2 million euros": no name is numbered in millions)
    value_max: Decimal | None = None
    cursor = number_end
    range_match = _RANGE_AFTER_RE.match(text, cursor, hi)
    if range_match:
        sep = range_match.group("sep").lower()
        num = range_match.group("num")
        upper = _number_value(num) if len(num) <= _MAX_DIGIT_CHARS else None
        ok = upper is not None and (
            (sep == "and" and qualifier == "range" and _is_between(text, lo, start))
            or (sep == "to")
            or (sep in "-–—" and digits and range_match.group("num")[0].isdigit())
        )
        if ok and (_MONTH_AFTER_RE.match(text, range_match.end()) or _TIME_AFTER_RE.match(text, range_match.end())):
            return None  # "11 to 12 June", "from 9 to 11 a.m.": days or hours of the clock, not a figure
        if ok:
            if range_match.group("mult"):
                scale = _SCALES[range_match.group("mult").lower()]
                upper *= scale
                if not mult and value * scale <= upper:
                    value *= scale  # "2 to 3 million": both ends are millions
            elif mult:
                upper *= _SCALES[mult.lower()]
            if value < upper < MAX_VALUE:
                value_max = upper
                cursor = range_match.end()
    if qualifier == "range":
        if value_max is None:
            qualifier, start = None, number_start  # "from 12 people" is not a range
        elif _CHANGE_BEFORE_RE.search(text, max(lo, start - 24), start) \
                or _SET_CHANGE_BEFORE_RE.search(text, max(lo, start - 64), start):
            # "rose from 120 to 164", "raises the retirement age from 63 to 66": a change, and the
            # figure it states is where it ended
            value, value_max, qualifier = value_max, None, None
        else:
            qualifier = None
    elif value_max is not None and qualifier is None and value_max >= 5 * value \
            and _CHANGE_BY_BEFORE_RE.search(text, max(lo, start - 28), start):
        # "rose by 9,800 to 318,400": the figure stated is the level reached (but "rose by 2 to 3
        # percent" is a range of the change)
        value, value_max = value_max, None
    if value_max is not None and qualifier is None:
        qualifier = "at least"

    after = _QUALIFIER_AFTER_RE.match(text, cursor, hi)
    if after:
        if qualifier is None:
            qualifier = "over" if after.group("plus") else ("at least" if "more" in after.group("more").lower() else "about")
        cursor = after.end()

    unit_end = cursor
    measure = _MEASURE_RE.match(text, cursor, hi) if unit is None or unit == "dollars" else None
    if measure and measure.group("old"):
        return None  # "34-year-old": an age, not a figure
    if measure is None and text[cursor:cursor + 1] == "-" and unit is None:
        return None  # "a four-storey block", "five- and six-storey": a modifier, not a count
    if unit is None and qualifier is None and digits and not mult and text[cursor:cursor + 1] == "," \
            and _AGE_BEFORE_RE.search(text, max(lo, number_start - 40), number_start):
        return None  # "Raymond Tull, 61, was convicted": an age
    measured_unit = _MEASURE_UNITS[" ".join(measure.group("unit").lower().split())] if measure else None
    modifier = measure is not None and "-" in text[cursor:measure.start("unit")]  # "a 174-kilometre fence"
    if measured_unit == "years" and _PERSON_OF_BEFORE_RE.search(text, max(lo, start - 24), start):
        return None  # "a man of 71 years", "a woman of 83": an age, not a figure
    if measured_unit is not None and unit in (None, measured_unit):
        unit, unit_end = measured_unit, measure.end()
    elif unit is None:
        noun, noun_end = _counted_noun(text, cursor, hi)
        if noun in _NOT_COUNTED:
            noun = None  # "below the 55,000 forecast by economists": the forecast of the same thing
        if noun is not None:
            unit, unit_end = _CASUALTY_UNIT_WORDS.get(noun, noun), noun_end
            if noun == "more" and (mult or suffix in _MULTIPLIER_SUFFIX) and previous \
                    and previous[-1].quantity.unit and previous[-1].quantity.unit not in _NOT_MONEY \
                    and number_start - previous[-1].end <= _ELIDED_REACH:
                unit = previous[-1].quantity.unit  # "cost 3.4 billion euros, 800 million more than planned"
        if unit is None and _OF_THOSE_RE.search(text, max(lo, start - 48), start):
            unit = "people"  # "Of those arrested, 17 were charged": those are people
        if unit is None and _MARCHED_AFTER_RE.match(text, cursor, hi):
            unit = "people"  # "said 70,000 had marched" (after "four smaller unions"): who took part are people
        if unit is None and previous and previous[-1].quantity.unit and number_start - previous[-1].end <= _ELIDED_REACH:
            # "three servicemen were killed and 11 were wounded", "2 billion crowns ... a further
            # 2 billion", "40 passengers ..., 12 of them": the noun left out is the one of the
            # figure before.
            if previous[-1].quantity.unit in CHANGE_UNITS and previous[-1].end >= start - 6 \
                    and text[max(lo, start - 4):start].lower().endswith("to ") \
                    and CHANGE_OPTIONAL_BY_RE.search(text, max(lo, previous[-1].start - 24), previous[-1].start):
                pass  # "burglaries rose 14 percent to 61,400": the level reached, no share
            elif _COMPARED_BEFORE_RE.search(text, max(lo, start - 24), start) or (
                    previous[-1].end >= start - 6 and text[max(lo, start - 4):start].lower().endswith("to ")):
                # (and "from 60 people to 22": the second figure of a change)
                # "42,000 soldiers, down from 60,000", "212 millimetres, against a normal 560":
                # a figure set against another counts the same thing (not the time it took)
                unit = next((p.quantity.unit for p in reversed(previous[-3:])
                             if p.quantity.unit and p.quantity.unit not in _TIME_VALUES
                             and number_start - p.end <= _ELIDED_REACH), None)
            elif (mult or suffix in _MULTIPLIER_SUFFIX) and previous[-1].quantity.unit not in _NOT_MONEY \
                    or (_FINITE_AFTER_RE.match(text, cursor, hi) or _PARTITIVE_PRONOUN_RE.match(text, cursor, hi)) \
                    and previous[-1].quantity.unit not in _MEASURE_VALUES:
                unit = previous[-1].quantity.unit
        before = text[max(lo, start - 30):start]
        partitive = _PARTITIVE_PRONOUN_RE.match(text, cursor, hi) if unit is None else None
        if unit is None and (_CASUALTY_BEFORE_RE.search(before) or _CASUALTY_AFTER_RE.match(
                text, partitive.end() if partitive else cursor, hi)):
            unit = "people"  # "killed 12", "11 were wounded"
    if unit in ("decades", "centuries"):
        factor = 10 if unit == "decades" else 100
        value, unit = value * factor, "years"
        value_max = value_max * factor if value_max is not None else None
    if unit in _COMPOUND_TIME and value_max is None:
        more = _AND_SMALLER_TIME_RE.match(text, unit_end, hi)
        if more and _COMPOUND_TIME[unit][0] == _plural(more.group("unit").lower()):
            extra = _number_value(more.group("num"))
            if extra is not None and extra < _COMPOUND_TIME[unit][1]:
                # "11 minutes and 52 seconds" -> 712 seconds, "two hours and ten minutes" -> 130 minutes
                value, unit, unit_end = value * _COMPOUND_TIME[unit][1] + extra, _COMPOUND_TIME[unit][0], more.end()
    if unit is not None and unit not in _MEASURE_VALUES:
        unit = _plural(unit)  # "one soldier" -> "soldiers", like "two soldiers"

    words = (words or "").strip().lower()
    if words in ("one", "a", "an"):
        # "one" is usually a pronoun ("one of the few times", "one senior member"):
        # keep it only as a count of a military/casualty noun, a measure, or with a qualifier.
        measured = unit in _MEASURE_VALUES
        if words in ("a", "an") and not (unit == "years" and value in (10, 100)):
            return None
        if _OF_AFTER_RE.match(text, number_end, hi):
            return None  # "is one of four deep mines": one of them, no count
        if not (qualifier or measured or unit in UNIT_CATEGORY or unit == "people"):
            return None
    return QuantityMention(
        start=start,
        end=max(unit_end, cursor),
        number_start=number_start,
        number_end=number_end,
        quantity=Quantity(_tidy(value), unit, qualifier, _tidy(value_max) if value_max is not None else None),
        # a measure written as a modifier is the size of a thing, not a distance covered
        unit_category=None if modifier and UNIT_CATEGORY.get(unit or "") == "distance" else UNIT_CATEGORY.get(unit or ""),
        modifier=modifier,
    )


_OF_AFTER_RE = re.compile(r"[ \t]+of\b(?![ \t]+(?:whom|them|which)\b)", re.IGNORECASE)  # (not "one of them")


def _is_between(text: str, lo: int, start: int) -> bool:
    return text[max(lo, start):start + 8].lower().startswith("between")


_ORDINAL_BEFORE_RE = re.compile(r"\b(?:first|second|third|fourth|last|final)[ \t]+\Z", re.IGNORECASE)
_PERIOD_AFTER_RE = re.compile(  # (not "the last third of the funds", "the first half of the loan")
    r"(?=[ \t]*[.,;:!?)]|[ \t]+of[ \t]+(?:(?:the|this|next|last|that)[ \t]+)?(?:[\w-]+[ \t]+)?(?:year|season|month|decade|"
    r"century|term|quarter|week|day|campaign|match|game|\d{4}|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b)",
    re.IGNORECASE,
)


def _mention_from_fraction(text, lo, hi, match) -> QuantityMention | None:
    """"nearly half of", "a third of", "two-thirds of" -> a percentage."""
    if _ORDINAL_BEFORE_RE.search(text, max(lo, match.start() - 8), match.start()) \
            and _PERIOD_AFTER_RE.match(text, match.end(), hi):
        return None  # "in the second half of next year", "the first quarter of 2025": a period, not a share
    followed = _OF_THE_RE.match(text, match.end(), min(hi, match.end() + 6)) is not None
    qualifier, start = _qualifier_before(text, lo, match.start())
    fnum = (match.group("fnum") or "").lower()
    point = _POINT_AFTER_RE.match(text, match.end(), hi)
    if point is not None and not match.group("frac").lower().endswith("s") or point is not None and fnum not in ("", "a", "an"):
        # "a quarter of a percentage point", "half a point": a fraction of a point, not a share
        if _TO_LEVEL_AFTER_RE.match(text, point.end(), hi):
            return None  # "raised its rate by half a percentage point to 6.25 percent": the level is the figure
        if qualifier == "range":
            qualifier, start = None, match.start()
        numerator = Decimal(1) if fnum in ("", "a", "an") else Decimal(_SMALL[fnum])
        unit = "percentage points" if point.group(1) else "points"
        return QuantityMention(
            start=start, end=point.end(), number_start=match.start(), number_end=match.end(),
            quantity=Quantity(_tidy(numerator / _FRACTIONS[match.group("frac").lower()]), unit, qualifier),
            unit_category=None,
        )
    measure = _A_MEASURE_AFTER_RE.match(text, match.end(), hi) if fnum in ("", "a", "an") else None
    if measure is not None and not match.group("frac").lower().endswith("s"):
        # "under up to half a metre of water", "a quarter of a mile away": a fraction of the unit
        if qualifier == "range":
            qualifier, start = None, match.start()
        return QuantityMention(
            start=start, end=measure.end(), number_start=match.start(), number_end=match.end(),
            quantity=Quantity(_tidy(Decimal(1) / _FRACTIONS[match.group("frac").lower()]),
                              _MEASURE_UNITS[" ".join(measure.group("unit").lower().split())], qualifier),
            unit_category=None,
        )
    if not followed and qualifier is None and not (
            _BY_BEFORE_RE.search(text, max(lo, match.start() - 4), match.start())
            and not _A_UNIT_AFTER_RE.match(text, match.end(), hi)):
        return None  # (but "fell by a quarter", "rose by a fifth": a change in proportion; not "by half a point")
    if qualifier == "range":
        qualifier, start = None, match.start()
    if fnum in ("", "a", "an") and match.group("frac").lower().endswith("s"):
        return None  # "thirds" on its own is not a figure
    phrase = f"{fnum} {match.group('frac')}".strip()
    value = parse_number(phrase)
    if value is None:
        return None
    numerator = Decimal(1) if fnum in ("", "a", "an") else Decimal(_SMALL[fnum])
    percent = numerator * 100 / _FRACTIONS[match.group("frac").lower()]
    return QuantityMention(
        start=start,
        end=match.end(),
        number_start=match.start(),
        number_end=match.end(),
        quantity=Quantity(_tidy(percent), "percent", qualifier),
        unit_category=None,
    )


# Words that can open a figure: number words, "a"/"an" ("a dozen"), fractions' numerators.
NUMBER_START_WORDS = frozenset(NUMBER_WORDS) | frozenset(_FRACTIONS) | {"a", "an", "$", "€", "£"}


def candidate_starts(
    starts: list[int], lows: list[str], hyphenated: list[int] | None = None, firsts: list[str] | None = None,
    digits: list[int] | None = None,
) -> list[int]:
    """Offsets of the tokens that may open a figure, for ``find_quantities(candidates=...)``;
    ``hyphenated`` (the indices of the tokens with a hyphen), ``firsts`` (their first
    characters) and ``digits`` (the indices of the tokens that open with a digit) are passed
    when already known."""
    if digits is not None:
        found = [starts[i] for i in digits]
    else:
        if firsts is None:
            firsts = map(_FIRST_CHAR, lows)
        found = list(compress(starts, map(str.isdigit, firsts)))
    found += compress(starts, map(NUMBER_START_WORDS.__contains__, lows))
    # "twenty-nine", "two-thirds", "seven-month": hyphenated words opening with a number word.
    if hyphenated is None:
        hyphenated = compress(range(len(lows)), map(operator.contains, lows, repeat("-")))
    found += [starts[i] for i in hyphenated if lows[i].partition("-")[0] in NUMBER_START_WORDS]
    found.sort()
    return found


_FIRST_CHAR = operator.itemgetter(0)


def parse_quantity(phrase: str) -> Quantity | None:
    """The first figure in a short phrase: "over 1,500 pounds of explosives" ->
    Quantity(1500, "pounds", "over"); "two decades" -> Quantity(20, "years");
    "between 10 and 15 people" -> Quantity(10, "people", "at least", value_max=15);
    "hundreds of people" -> None."""
    mentions = find_quantities(phrase)
    return mentions[0].quantity if mentions else None
