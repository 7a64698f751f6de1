"""The queue's table rows, written as HTML in one pass.

The queue is the page every reviewer opens many times a day, and its fifty
rows were most of its rendering cost: a Jinja template spends a call, an
escape and a yield on each of the ~25 values and fragments of a row. Here a row
is one format string filled with values escaped once, which costs a third of
that. The markup is the one ``templates/claims/index.html`` describes around
it; tests/test_queue.py reads it as a user would (links, labels, badges).

Every value that comes from the database or a user goes through ``escape``;
numbers are formatted as integers; only the badge tables (made from the
enums' fixed labels) are inserted as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from ...models import PRIORITY_LABELS, Category, ClaimStatus, Verdict
from ...services.claims import ClaimRow, Returned
from ..filters import format_quantity

_HEDGED = ' <span class="tag tag--hedged">Hedged</span>'
_OPEN = frozenset({ClaimStatus.UNVERIFIED, ClaimStatus.IN_REVIEW})
_STATUS_BADGES = {s: f'<span class="badge badge--{s.value}">{escape(s.label)}</span>' for s in ClaimStatus}
_VERDICT_BADGES = {v: f' <span class="verdict verdict--{v.value}">{escape(v.label)}</span>' for v in Verdict}
_CATEGORY_LABELS = {c: str(escape(c.label)) for c in Category}
_PRIORITIES = {n: str(escape(label)) for n, label in PRIORITY_LABELS.items()}


def _returned(returned: Returned, age: Callable[[datetime], str]) -> str:
    kind = "Sent back" if returned.action.value == "sent_back" else "Reopened"
    reason = ""
    if returned.reason:
        short = do_truncate(None, returned.reason, 140, leeway=5)  # as Jinja's |truncate(140)
        reason = f': <span class="queue__reason" title="{escape(returned.reason)}">{escape(short)}</span>'
    return (
        f' <span class="badge badge--returned">{kind}</span>\n'
        f'<span class="queue__returned">by {escape(returned.by or "a removed account")}, '
        f'<time datetime="{returned.at.isoformat()}">{escape(age(returned.at))} ago</time>{reason}</span>'
    )


def queue_rows(
    rows: Iterable[ClaimRow],
    *,
    claims_path: str,
    articles_path: str,
    can_take: bool,
    can_assign: bool,
    returned: Mapping[int, Returned],
    age: Callable[[datetime], str],
) -> Markup:
    """The ``<tr>`` of each row; ``age(moment)`` says how long ago a moment was ("3 days")."""
    out = []
    for row in rows:
        claim_id, version = int(row.id), int(row.version)
        extras = ""
        if row.quantity_value is not None:
            quantity = format_quantity(row.quantity_value, row.quantity_unit, row.quantity_qualifier)
            extras = f' <span class="tag">{escape(quantity)}</span>'
        if row.hedged:
            extras += _HEDGED
        if row.claimant:
            extras += f' <span class="muted">— {escape(row.claimant)}</span>'
        is_open = row.status in _OPEN
        takeable = is_open and can_take and row.assignee_id is None
        actions = (
            f'<button type="submit" class="button button--small" formaction="{claims_path}/{claim_id}/take" '
            f'name="version" value="{version}">Take</button>'
        ) if takeable else ""
        if takeable or (is_open and can_assign):
            actions += (
                f' <input type="checkbox" class="queue__tick" name="claim" value="{claim_id}:{version}" '
                f'aria-label="Tick claim #{claim_id}">'
            )
        status = _STATUS_BADGES[row.status]
        if row.verdict is None:
            pass
        elif row.status is ClaimStatus.IN_REVIEW:
            # Back in review with a verdict: a draft, never shown as an approved one.
            back = returned.get(claim_id)
            if back is not None:
                status += _returned(back, age)
            status += f'\n<span class="queue__draft">Draft verdict: {escape(row.verdict.label)}</span>'
        else:
            status += _VERDICT_BADGES[row.verdict]
        title = row.article_title if len(row.article_title) <= 48 else do_truncate(None, row.article_title, 48, leeway=5)
        out.append(
            f'<tr>\n<td class="queue__claim"><a class="claim-link" href="{claims_path}/{claim_id}">{escape(row.statement)}</a>\n'
            f'<span class="queue__quote"><span class="muted">#{claim_id}</span> <q>{escape(row.quote)}</q>{extras}</span></td>\n'
            f'<td class="queue__act">{actions}</td>\n'
            f'<td data-label="Category">{_CATEGORY_LABELS[row.category]}</td>\n'
            f'<td data-label="Status">{status}</td>\n'
            f'<td data-label="Age"><time datetime="{row.created_at.isoformat()}">{age(row.created_at)}</time></td>\n'
            f'<td data-label="Priority">{_PRIORITIES[row.priority]}</td>\n'
            f'<td data-label="Assignee">{escape(row.assignee_name) if row.assignee_name else "—"}</td>\n'
            f'<td data-label="Article"><a href="{articles_path}/{int(row.article_id)}#claim-{claim_id}">{escape(title)}</a></td>\n'
            '</tr>\n'
        )
    return Markup("".join(out))


# --- the filter panel's choice lists ----------------------------------------------------
# A dozen select boxes, one with every active account: written per request in one
# pass each (the people), or once per field and current value (the fixed lists).

_OPTIONS: dict[tuple[str, str], Markup] = {}


def _option(value: str, label: str, selected: bool) -> str:
    return f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'


def select_options(field) -> Markup:
    """The ``<option>``s of a SelectField with fixed choices, its current value selected."""
    current = field.data or ""
    key = (field.name, current if isinstance(current, str) else str(current))
    found = _OPTIONS.get(key)
    if found is None:
        found = Markup("".join(_option(c.value, c.label, c.value == key[1]) for c in field.choices))
        if len(_OPTIONS) < 1024:  # fixed choices: a few dozen keys; a value outside them is not kept
            if any(c.value == key[1] for c in field.choices) or not key[1]:
                _OPTIONS[key] = found
    return found


def people_options(people: Iterable, fixed: Iterable[tuple[str, str]], current: str) -> tuple[Markup, Markup]:
    """(the assignee filter's options: ``fixed`` then each person, ``current`` selected;
    the bulk-assign list's options: each person)."""
    people_html = [(str(int(p.id)), str(escape(p.display_name))) for p in people]
    bulk = "".join(f'<option value="{pid}">{name}</option>' for pid, name in people_html)
    head = "".join(_option(value, label, value == current) for value, label in fixed)
    if any(pid == current for pid, _ in people_html):
        shown = "".join(
            f'<option value="{pid}"{" selected" if pid == current else ""}>{name}</option>' for pid, name in people_html
        )
    else:
        shown = bulk
    return Markup(head + shown), Markup(bulk)
