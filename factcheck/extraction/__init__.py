"""Rule-based extraction of checkable claims from article text.

    from factcheck.extraction import extract_claims
    for candidate in extract_claims(body):
        print(candidate.quote, candidate.category, candidate.quantity)

Pure Python and the standard library only: no database, no network, and the
same input always gives the same output. See ``extractor`` for the pipeline
and ``evaluation`` for how it is measured against hand-labelled claims.
"""

from .extractor import MIN_SCORE, extract_claims
from .model import CATEGORIES, QUALIFIERS, Candidate, Quantity
from .numbers import find_quantities, parse_number, parse_quantity

__all__ = [
    "CATEGORIES",
    "MIN_SCORE",
    "QUALIFIERS",
    "Candidate",
    "Quantity",
    "extract_claims",
    "find_quantities",
    "parse_number",
    "parse_quantity",
]
