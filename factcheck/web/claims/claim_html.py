"""The claim page's history rows, written as HTML in one pass.

A claim's history page holds up to HISTORY_PER_PAGE events, and each event was a
dozen template expressions (the actor, the phrase, a link, the time twice, the
status change, a macro for the changed fields, the comment, a restore form).
Here an event is one format string with its values escaped once, the time read
once per page, and the restore form's token written as the page's other forms
write theirs.

The markup is what ``templates/claims/detail.html`` wrote before;
tests/test_claim_page_html.py renders both for hostile events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from ...services.history import ago, clock, event_phrase
from ..filters import format_datetime


def _changes(changes: Mapping) -> str:
    """As the changes_list macro of _macros.html: field, old value, new value."""
    items = []
    for name, change in changes.items():
        old, new = change[0], change[1]
        items.append(
            f'<li><span class="change-field">{escape(name.replace("_", " "))}</span>: '
            f'<del>{escape(old) if old is not None else "—"}</del> → <ins>{escape(new) if new is not None else "—"}</ins></li>\n'
        )
    return f'<ul class="changes">\n{"".join(items)}</ul>\n'


def history_rows(
    events: Iterable,
    *,
    claims_path: str,
    restore_prefix: str,
    restorable: Mapping[int, str],
    token: str,
    now: datetime,
) -> Markup:
    """The ``<li>`` of each event. ``claims_path`` is the claim list's path (a claim is below it),
    ``restore_prefix`` this claim's restore path without the event id, ``restorable`` the events
    whose removed evidence the user may bring back (id -> title), ``token`` the CSRF token."""
    out = []
    for event in events:
        details = event.details or {}
        actor = escape(event.actor.display_name) if event.actor else "System"
        phrase = escape(event_phrase(event.action, event.details, event.actor_id, titles=False))
        parts = [
            f'<li class="timeline__item timeline__item--{escape(event.action)}">\n'
            f"<strong>{actor}</strong> {phrase}\n"
        ]
        other = details.get("other_claim_id")
        if other:
            relation = "as the same claim as" if details.get("kind") == "same" else "with"
            other = int(other)
            parts.append(f'<span class="muted">{relation} <a href="{claims_path}/{other}">#{other}</a></span>\n')
        url = details.get("url")
        if url:
            title = details.get("title") or do_truncate(None, url, 60, leeway=5)  # as Jinja's |truncate(60)
            parts.append(
                f'<span class="muted"><a href="{escape(url)}" rel="noopener noreferrer nofollow">{escape(title)}</a></span>\n'
            )
        at = event.created_at
        moved = ""
        if event.from_status and event.to_status and event.from_status != event.to_status:
            moved = f" · {escape(event.from_status.label)} → {escape(event.to_status.label)}"
        parts.append(
            f'<span class="muted">· <time datetime="{at.isoformat()}" title="{format_datetime(at)}">'
            f"{clock(at, now)} ({ago(at, now)})</time>{moved}</span>\n"
        )
        changes = details.get("changes")
        if changes:
            parts.append(_changes(changes))
        if event.comment:
            parts.append(f'<p class="comment">{escape(event.comment)}</p>\n')
        if event.id in restorable:
            parts.append(
                f'<form class="actions" method="post" action="{restore_prefix}{int(event.id)}">\n'
                f'<input name="csrf_token" type="hidden" value="{escape(token)}">\n'
                f'<button type="submit" class="button button--small button--secondary" '
                f'aria-label="Restore evidence “{escape(restorable[event.id])}”">Restore</button>\n</form>\n'
            )
        parts.append("</li>\n")
        out.append("".join(parts))
    return Markup("".join(out))
