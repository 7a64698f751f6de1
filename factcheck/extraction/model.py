"""The extractor's result types."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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
