"""The article page's list of pending suggestions, as HTML.

Written in Python rather than as a template loop for the same reason as
highlight.py: a long article has thousands of suggestions. Each row has a
checkbox for the page's one triage form (Dismiss ticked), an Accept link, and a
Dismiss button for the page's one dismiss form; the forms are in the template,
the rows point at them with ``form=`` so no row carries a form or a token.

The list is ordered by check-worthiness (the extractor's score), each row says
its score in words (``BANDS``), and those below ``SHOWN_FROM`` are listed in
a closed <details> ("Show N more suggestions") that the template writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from markupsafe import Markup

from ...services.candidates import PendingRow
from ..filters import format_quantity
from .highlight import _escape

DISMISS_CONFIRM = "Dismiss this suggestion? You can restore it from the dismissed suggestions."


@dataclass(frozen=True, slots=True)
class Band:
    """A range of scores, named for the reviewer."""

    word: str  # shown on each row
    floor: float  # lowest score in the band
    meaning: str  # the legend above the list


# The only place the thresholds are set. Chosen from the suggestions the extractor
# makes on the seed articles and the labelled fixture articles (205 suggestions,
# extractor of commit 109d120, 2026-12-06), matched to the labelled claims by
# factcheck.extraction.evaluation.match: of those scoring 0.7 or more, 98% match
# a labelled claim; 0.6 to 0.65, 80%; below 0.6, 46% (0.55: 67%, 0.5: 48%,
# 0.4-0.45: 28%). Re-check them when the extractor's _score changes.
BANDS = (
    Band("strong", 0.7, "nearly always a claim to check"),
    Band("likely", 0.6, "usually one"),
    Band("possible", 0.0, "about half the time"),
)
SHOWN_FROM = BANDS[1].floor  # lower scores wait behind "Show N more suggestions"


def band(score: float) -> Band:
    for b in BANDS:
        if score >= b.floor:
            return b
    return BANDS[-1]


def by_check_worthiness(rows: Iterable[PendingRow]) -> tuple[list[PendingRow], list[PendingRow]]:
    """The rows most check-worthy first (ties in text order), split into those
    listed at once and those below ``SHOWN_FROM``."""
    ordered = sorted(rows, key=lambda c: (-c.score, c.span_start, c.id))
    cut = next((i for i, c in enumerate(ordered) if c.score < SHOWN_FROM), len(ordered))
    return ordered[:cut], ordered[cut:]


def _score_tags(bands: Sequence[Band]) -> dict[str, str]:
    return {
        b.word: f'<span class="tag tag--score tag--{b.word}"><span class="visually-hidden">Check-worthiness: </span>{b.word}</span> '
        for b in bands
    }


_SCORE_TAGS = _score_tags(BANDS)


def suggestion_rows_html(rows: Iterable[PendingRow], action_base: str | None) -> Markup:
    """The <li> of each pending suggestion; with ``action_base`` (the user may
    decide) its checkbox, Accept link and Dismiss button."""
    out: list[str] = []
    add = out.append
    for c in rows:
        add(f'<li id="c{c.id}">')
        if action_base is not None:
            add(
                f'<input type="checkbox" class="pick" name="candidate" value="{c.id}" form="triage-form" '
                f'aria-labelledby="cq{c.id}"> '
            )
        add(_SCORE_TAGS[band(c.score).word])
        add(f'<span class="tag tag--candidate">{c.category.label}</span> ')
        if c.quantity_value is not None:
            add(f'<span class="tag">{_escape(format_quantity(c.quantity_value, c.quantity_unit, c.quantity_qualifier))}</span> ')
        if c.hedged:
            add('<span class="tag tag--hedged">Hedged</span> ')
        if c.claimant:
            add(f'<span class="muted">— {_escape(c.claimant)}</span> ')
        add(f'<q id="cq{c.id}">{_escape(c.quote)}</q>')
        if action_base is not None:
            add(
                f'<div class="actions"><a class="button button--small" href="{action_base}{c.id}/accept">Accept…</a> '
                f'<button type="submit" form="dismiss-form" formaction="{action_base}{c.id}/dismiss" '
                f'class="button button--small button--secondary" data-confirm="{DISMISS_CONFIRM}">Dismiss</button></div>'
            )
        add("</li>\n")
    return Markup("".join(out))
