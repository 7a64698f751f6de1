"""The extractor's result types."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Quantity and Candidate are frozen dataclasses with an __init__ of their own (dataclass keeps a
# class's own __init__): the one dataclass writes for a frozen class sets each field through
# object.__setattr__ (the class's own __setattr__ refuses), a call per field, and the extractor
# makes a Quantity for every figure and a Candidate for every claim, its costliest constructions.
# Theirs store the fields straight into the instance's __dict__, as attrs does for frozen classes.
# Each takes the fields in their order with their defaults (test_extraction.py checks it).

CATEGORIES = ("casualties", "weapons", "forces", "distance", "attribution", "event", "other")
QUALIFIERS = ("over", "at least", "about", "nearly", "up to", "under")


@dataclass(frozen=True)
class Quantity:
    """A figure as stated: "over 1,500 pounds" -> Quantity(1500, "pounds", "over").

    ``unit`` is the counted or measured thing as a plain lowercase plural noun
    ("missiles", "miles", "people"); money is "dollars" / "euros" / "pounds
    sterling" with the value written out ($4.2 million -> 4200000); shares
    are "percent" (fractions too: "nearly half" -> nearly 50 percent).
    ``qualifier`` is one of QUALIFIERS or None. A range ("between 10 and 15",
    "10-15") has ``value`` = the lower bound, ``value_max`` = the upper bound
    and qualifier "at least" unless the text gives another one, so that the
    (value, unit, qualifier) triple stored for a claim is still true.
    """

    value: Decimal
    unit: str | None = None
    qualifier: str | None = None
    value_max: Decimal | None = None

    def __init__(self, value: Decimal, unit: str | None = None, qualifier: str | None = None,
                 value_max: Decimal | None = None) -> None:
        self.__dict__.update(value=value, unit=unit, qualifier=qualifier, value_max=value_max)  # (see above)


@dataclass(frozen=True)
class Candidate:
    """One proposed claim: ``text[span_start:span_end] == quote`` always."""

    quote: str
    span_start: int
    span_end: int
    category: str
    claimant: str | None = None
    quantity: Quantity | None = None
    hedged: bool = False
    hedge_note: str | None = None
    score: float = 0.0

    def __init__(self, quote: str, span_start: int, span_end: int, category: str, claimant: str | None = None,
                 quantity: Quantity | None = None, hedged: bool = False, hedge_note: str | None = None,
                 score: float = 0.0) -> None:
        self.__dict__.update(  # (see above)
            quote=quote, span_start=span_start, span_end=span_end, category=category, claimant=claimant,
            quantity=quantity, hedged=hedged, hedge_note=hedge_note, score=score,
        )
