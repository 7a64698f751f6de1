"""The article page's list of pending suggestions, as HTML.

Written in Python rather than as a template loop for the same reason as
highlight.py: a long article has thousands of suggestions. Each row has a
checkbox for the page's one triage form (Dismiss ticked), an Accept link, and a
Dismiss button for the page's one dismiss form; the forms are in the template,
the rows point at them with ``form=`` so no row carries a form or a token.
"""

from __future__ import annotations

from typing import Iterable

from markupsafe import Markup

from ...services.candidates import PendingRow
from ..filters import format_quantity
from .highlight import _escape

DISMISS_CONFIRM = "Dismiss this suggestion? You can restore it from the dismissed suggestions."


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
