"""The dashboard's long tables, written as HTML in one pass.

Nearly every figure on the dashboard is a link to the claims behind it: the
reviewers' table alone is five links per person (240 on a desk of 48), the
articles' four per article. Through the template each link was a call of
claims_url, a dict merge, a query string and an escape, and each cell a few
more template expressions; most of the page's rendering went there. Here a row
is one format string, and the part of a link that every row shares (the path
and the page's filters) is built once per page.

Every value from the database or a user goes through ``escape``; ids and counts
are formatted as integers. The markup is what ``templates/dashboard/index.html``
wrote before; tests/test_dashboard_html.py renders both for hostile rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from ...services.dashboard import ArticleStat, ConflictRow, ReviewerStat, WeekStat


def link_prefix(path: str, query: str) -> str:
    """The escaped start of a link to ``path`` with the page's own query string
    ``query`` (may be empty), ready for one more ``key=value`` pair."""
    return str(escape(f"{path}?{query}&" if query else f"{path}?"))


def reviewer_rows(
    reviewers: Iterable[ReviewerStat], *, claims_prefix: str, work_prefix: str, d7: str, d30: str, last: str
) -> Markup:
    """The reviewers' rows. ``claims_prefix`` carries the page's filters, ``work_prefix`` the
    filters that narrow a person's work (not the creation dates); both from link_prefix.
    ``d7``, ``d30`` and ``last`` are ISO dates (they need no quoting)."""
    proposed7 = f"&amp;proposed_from={d7}&amp;proposed_to={last}"
    proposed30 = f"&amp;proposed_from={d30}&amp;proposed_to={last}"
    approved7 = f"&amp;verified_from={d7}&amp;verified_to={last}"
    approved30 = f"&amp;verified_from={d30}&amp;verified_to={last}"
    out = []
    for r in reviewers:
        uid = int(r.user_id)
        out.append(
            f"<tr>\n<td>{escape(r.name)}</td>\n"
            f'<td class="num"><a href="{claims_prefix}assignee={uid}&amp;status=in_review">{int(r.open_assigned)}</a></td>\n'
            f'<td class="num"><a href="{work_prefix}proposed_by={uid}{proposed7}">{int(r.proposed_7)}</a></td>\n'
            f'<td class="num"><a href="{work_prefix}proposed_by={uid}{proposed30}">{int(r.proposed_30)}</a></td>\n'
            f'<td class="num"><a href="{work_prefix}approved_by={uid}{approved7}">{int(r.approved_7)}</a></td>\n'
            f'<td class="num"><a href="{work_prefix}approved_by={uid}{approved30}">{int(r.approved_30)}</a></td>\n'
            "</tr>\n"
        )
    return Markup("".join(out))


def article_rows(
    articles: Iterable[ArticleStat], *, article_prefix: str, claims_url: Callable[..., str]
) -> Markup:
    """The rows of the articles resting on unconfirmed reports. ``article_prefix`` is an
    article's path without its id; ``claims_url`` the page's link to the claim list, which
    keeps the filters' order when the page is itself narrowed to one article."""
    out = []
    for a in articles:
        aid = int(a.article_id)
        share = a.share_verified
        out.append(
            f'<tr>\n<td><a href="{escape(article_prefix)}{aid}">{escape(a.title)}</a></td>\n'
            f'<td class="num"><a href="{escape(claims_url(article=aid))}">{int(a.claims)}</a></td>\n'
            f'<td class="num"><a href="{escape(claims_url(article=aid, status="verified"))}">{int(a.verified)}</a></td>\n'
            f'<td class="num"><meter min="0" max="1" value="{share:.3f}" aria-hidden="true"></meter> {share * 100:.0f}%</td>\n'
            f'<td class="num"><a href="{escape(claims_url(article=aid, status="open", hedged="yes"))}">'
            f"{int(a.unverified_hedged)}</a></td>\n"
            "</tr>\n"
        )
    return Markup("".join(out))


def _conflict_side(side, claims_path: str) -> str:
    cid = int(side.id)
    quote = do_truncate(None, side.quote, 70, leeway=5)  # as Jinja's |truncate(70)
    source = do_truncate(None, side.source, 50, leeway=5)
    return (
        f'<td><a href="{claims_path}/{cid}">#{cid}</a> <q>{escape(quote)}</q><br>'
        f'<span class="muted">{escape(source)}</span></td>\n'
        f'<td class="num">{escape(side.figure)}</td>\n'
    )


def conflict_rows(conflicts: Iterable[ConflictRow], *, claims_path: str) -> Markup:
    """The conflicting figures' rows; ``claims_path`` is the claim list's path (a claim is below it)."""
    path = str(escape(claims_path))
    out = []
    for c in conflicts:
        out.append(
            '<tr class="link--conflict">\n'
            f"{_conflict_side(c.a, path)}{_conflict_side(c.b, path)}"
            f"<td>{escape(c.kind.label)}</td>\n</tr>\n"
        )
    return Markup("".join(out))


def weekly_cells(weekly: Iterable[WeekStat], *, claims_prefix: str) -> tuple[Markup, Markup]:
    """(the header cells of the weeks, the row of their verified counts, each a link)."""
    head, cells = [], []
    for w in weekly:
        start: date = w.week_start
        end = start + timedelta(days=6)
        head.append(f'<th scope="col" class="num">{start.strftime("%d %b")}</th>')
        cells.append(
            f'<td class="num"><a href="{claims_prefix}status=verified&amp;verified_from={start.isoformat()}'
            f'&amp;verified_to={end.isoformat()}">{int(w.verified)}</a></td>'
        )
    return Markup("".join(head)), Markup("".join(cells))


# --- the charts -----------------------------------------------------------------------
# Server-rendered SVG bar charts: no script, no inline style (colours come from classes in
# app.css). Each chart is one image (role="img", its numbers in its title) beside a table
# with the same numbers as links: a link inside an image would be a control nobody can
# reach by its name, so the bars are not links. They were macros (templates/_charts.html,
# now in tests/test_dashboard_html.py as the reference); the four charts through them were
# about an eighth of the page's CPU.


def _chart_title(chart_id: str, title: str, rows) -> str:
    numbers = ", ".join(f"{escape(row[0])} {escape(row[1])}" for row in rows)
    return f'<title id="{escape(chart_id)}-title">{escape(title)}: {numbers}</title>\n'


def hbars(chart_id: str, title: str, rows: list[tuple[str, int, str]]) -> Markup:
    """Horizontal bars; rows are (label, value, css class)."""
    top = max(row[1] for row in rows) if rows else 0
    row_h = 24
    out = [
        f'<svg class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 420 {len(rows) * row_h + 4}" preserveAspectRatio="xMinYMin meet">\n',
        _chart_title(chart_id, title, rows),
    ]
    for index, (label, value, cls) in enumerate(rows):
        width = (value / top * 230) if top else 0
        out.append(
            f'<g transform="translate(0 {index * row_h})">\n'
            f'<text x="0" y="16" class="chart__label">{escape(label)}</text>\n'
            f'<rect x="130" y="3" width="{width:.1f}" height="17" rx="2" class="chart__bar chart__bar--{escape(cls)}"></rect>\n'
            f'<text x="{136 + width:.1f}" y="16" class="chart__value">{value:,}</text>\n</g>\n'
        )
    out.append("</svg>\n")
    return Markup("".join(out))


def columns(chart_id: str, title: str, rows: list[tuple[str, int]]) -> Markup:
    """Vertical columns; rows are (label, value)."""
    top = max(row[1] for row in rows) if rows else 0
    col_w = 44
    out = [
        f'<svg class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {len(rows) * col_w + 10} 170" preserveAspectRatio="xMinYMin meet">\n',
        _chart_title(chart_id, title, rows),
        f'<line x1="0" y1="140" x2="{len(rows) * col_w + 10}" y2="140" class="chart__axis"></line>\n',
    ]
    for index, (label, value) in enumerate(rows):
        height = (value / top * 115) if top else 0
        out.append(
            f'<g transform="translate({index * col_w + 6} 0)">\n'
            f'<rect x="4" y="{140 - height:.1f}" width="30" height="{height:.1f}" rx="2" '
            'class="chart__bar chart__bar--verified"></rect>\n'
            f'<text x="19" y="{134 - height:.1f}" class="chart__value chart__value--center">{escape(value)}</text>\n'
            f'<text x="19" y="156" class="chart__label chart__label--center">{escape(label)}</text>\n</g>\n'
        )
    out.append("</svg>\n")
    return Markup("".join(out))
