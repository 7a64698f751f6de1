"""The article page's body as HTML, with its claims and suggestions marked
(the list of suggestions is written by suggestions.py).

Written here rather than in the template: a long article has hundreds of
thousands of segments and thousands of suggestions, and a template loop costs
tens of microseconds an item, a string join about one. The markup is the one
the page always had (static/js/article.js reads the data-s offsets).
"""

from __future__ import annotations

import re
from typing import Iterable

from markupsafe import Markup, escape

from ...services.articles import Segment

_SPECIAL = re.compile(r"[&<>\"']")


def _escape(text: str) -> str:
    """markupsafe.escape, skipped for the (usual) text that has nothing to escape."""
    return str(escape(text)) if _SPECIAL.search(text) else text


def body_html(paragraphs: Iterable[list[Segment]], claims_by_id: dict) -> Markup:
    out: list[str] = []
    add = out.append
    for paragraph in paragraphs:
        if len(paragraph) == 1 and not paragraph[0].claim_count and paragraph[0].suggestion is None:
            seg = paragraph[0]  # the common case: a line with nothing marked
            add(f'<p><span data-s="{seg.start}">{_escape(seg.text)}</span></p>\n')
            continue
        add("<p>")
        for seg in paragraph:
            text = _escape(seg.text)
            if seg.claim_count:
                ids = seg.claim_ids
                top = ids[-1]
                overlap = " claim-mark--overlap" if seg.claim_count > 1 else ""
                title = "Claim #" + ", #".join(str(i) for i in ids)
                if seg.claim_count > len(ids):
                    title += f" and {seg.claim_count - len(ids):,} more"
                add(
                    f'<a class="claim-mark claim-mark--{claims_by_id[top].status.value}{overlap}" '
                    f'href="#claim-{top}" title="{title}" data-s="{seg.start}">{text}</a>'
                )
            elif seg.suggestion is not None:
                add(
                    f'<a class="candidate-mark" href="#{_escape(str(seg.suggestion))}" title="Suggested claim" '
                    f'data-s="{seg.start}">{text}</a>'
                )
            else:
                add(f'<span data-s="{seg.start}">{text}</span>')
        add("</p>\n")
    return Markup("".join(out))

