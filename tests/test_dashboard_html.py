"""The dashboard's tables written in Python (web/dashboard/dashboard_html.py) say what the
template said: each fragment is rendered both ways, from the template text it replaced and by
the new code, for rows with hostile text, and must be the same HTML."""

from __future__ import annotations

from datetime import date

import pytest
from flask import url_for

from factcheck.models import LinkKind
from factcheck.services.dashboard import ArticleStat, ConflictRow, ConflictSide, ReviewerStat, WeekStat
from factcheck.web.dashboard import dashboard_html
from factcheck.web.dashboard.routes import query_string

from .html_equivalence import assert_same_html

HOSTILE = [
    'Rita "the quote" O\'Brien',
    "<script>alert(1)</script>",
    "Tom & Jerry &amp; co",
    "עדן בן-דוד (מבקרת)",  # right-to-left
    "x" * 200,
]

# The template text these tables had before they were written in Python.
OLD_REVIEWERS = """
{% set d7, d30, last = data.days_back(7).isoformat(), data.days_back(30).isoformat(), data.last_day.isoformat() %}
{% for r in data.reviewers %}
<tr>
  <td>{{ r.name }}</td>
  <td class="num"><a href="{{ claims_url(assignee=r.user_id, status='in_review') }}">{{ r.open_assigned }}</a></td>
  <td class="num"><a href="{{ work_url(proposed_by=r.user_id, proposed_from=d7, proposed_to=last) }}">{{ r.proposed_7 }}</a></td>
  <td class="num"><a href="{{ work_url(proposed_by=r.user_id, proposed_from=d30, proposed_to=last) }}">{{ r.proposed_30 }}</a></td>
  <td class="num"><a href="{{ work_url(approved_by=r.user_id, verified_from=d7, verified_to=last) }}">{{ r.approved_7 }}</a></td>
  <td class="num"><a href="{{ work_url(approved_by=r.user_id, verified_from=d30, verified_to=last) }}">{{ r.approved_30 }}</a></td>
</tr>
{% endfor %}
"""

OLD_ARTICLES = """
{% for a in data.articles %}
<tr>
  <td><a href="{{ url_for('articles.detail', article_id=a.article_id) }}">{{ a.title }}</a></td>
  <td class="num"><a href="{{ claims_url(article=a.article_id) }}">{{ a.claims }}</a></td>
  <td class="num"><a href="{{ claims_url(article=a.article_id, status='verified') }}">{{ a.verified }}</a></td>
  <td class="num"><meter min="0" max="1" value="{{ '%.3f'|format(a.share_verified) }}" aria-hidden="true"></meter> {{ "%.0f"|format(a.share_verified * 100) }}%</td>
  <td class="num"><a href="{{ claims_url(article=a.article_id, status='open', hedged='yes') }}">{{ a.unverified_hedged }}</a></td>
</tr>
{% endfor %}
"""

OLD_CONFLICTS = """
{% for c in conflicts %}
<tr class="link--conflict">
  <td><a href="{{ url_for('claims.detail', claim_id=c.a.id) }}">#{{ c.a.id }}</a> <q>{{ c.a.quote|truncate(70) }}</q><br><span class="muted">{{ c.a.source|truncate(50) }}</span></td>
  <td class="num">{{ c.a.figure }}</td>
  <td><a href="{{ url_for('claims.detail', claim_id=c.b.id) }}">#{{ c.b.id }}</a> <q>{{ c.b.quote|truncate(70) }}</q><br><span class="muted">{{ c.b.source|truncate(50) }}</span></td>
  <td class="num">{{ c.b.figure }}</td>
  <td>{{ c.kind.label }}</td>
</tr>
{% endfor %}
"""

OLD_WEEKLY = """
<thead><tr><th scope="col">Week starting</th>{% for w in data.weekly %}<th scope="col" class="num">{{ w.week_start.strftime("%d %b") }}</th>{% endfor %}</tr></thead>
<tbody><tr><th scope="row">Verified</th>{% for w in data.weekly %}<td class="num"><a href="{{ claims_url(status='verified', verified_from=w.week_start.isoformat(), verified_to=week_end(w.week_start).isoformat()) }}">{{ w.verified }}</a></td>{% endfor %}</tr></tbody>
"""

FILTERS = [
    {},
    {"created_from": "2026-01-01", "created_to": "2026-03-31", "article": 17, "category": "weapons"},
    {"article": 4, "category": "a b&c<d>"},  # a value that needs quoting (never made by the form, but safe)
]


class FakeDashboard:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def days_back(self, days: int) -> date:
        return date.fromordinal(self.last_day.toordinal() - days + 1)


def _links(base: dict):
    """claims_url and work_url as the dashboard's view made them for the template."""
    list_path = url_for("claims.index")

    def claims_url(**args) -> str:
        merged = {**base, **{k: v for k, v in args.items() if v is not None}}
        return f"{list_path}?{query_string(merged)}" if merged else list_path

    undated = {k: v for k, v in base.items() if k not in ("created_from", "created_to")}

    def work_url(**args) -> str:
        return f"{list_path}?{query_string({**undated, **args})}"

    return list_path, undated, claims_url, work_url


def _render(app, source: str, **context) -> str:
    return app.jinja_env.from_string(source).render(**context)


@pytest.mark.parametrize("base", FILTERS)
def test_tables_are_the_html_the_template_wrote(app, base):
    reviewers = [
        ReviewerStat(user_id=i + 3, name=name, open_assigned=i * 7, proposed_7=i, proposed_30=10 * i,
                     approved_7=0, approved_30=1234)
        for i, name in enumerate(HOSTILE)
    ]
    articles = [
        ArticleStat(article_id=i + 1, title=title, claims=3 * i + 1, verified=i, unverified_hedged=2 * i)
        for i, title in enumerate(HOSTILE)
    ] + [ArticleStat(article_id=99, title="no claims", claims=0, verified=0, unverified_hedged=0)]
    conflicts = [
        ConflictRow(
            link_id=i,
            kind=kind,
            a=ConflictSide(id=10 + i, quote=HOSTILE[i] * 3, source=HOSTILE[-1 - i], figure="over 1,500 pounds & <more>"),
            b=ConflictSide(id=20 + i, quote=HOSTILE[-1 - i], source=HOSTILE[i], figure='"6" missiles'),
        )
        for i, kind in enumerate([LinkKind.SAME, LinkKind.RELATED, LinkKind.SAME])
    ]
    weekly = [WeekStat(week_start=date(2026, 9, 7 + 7 * i) if i < 3 else date(2026, 10, i), verified=i * 3) for i in range(5)]
    data = FakeDashboard(reviewers=reviewers, articles=articles, weekly=weekly, last_day=date(2026, 12, 6))

    with app.test_request_context("/dashboard"):
        list_path, undated, claims_url, work_url = _links(base)
        context = dict(data=data, conflicts=conflicts, claims_url=claims_url, work_url=work_url,
                       week_end=lambda start: date.fromordinal(start.toordinal() + 6))
        claims_prefix = dashboard_html.link_prefix(list_path, query_string(base))
        work_prefix = dashboard_html.link_prefix(list_path, query_string(undated))
        days = {"d7": data.days_back(7).isoformat(), "d30": data.days_back(30).isoformat(), "last": "2026-12-06"}

        new = dashboard_html.reviewer_rows(reviewers, claims_prefix=claims_prefix, work_prefix=work_prefix, **days)
        assert_same_html(_render(app, OLD_REVIEWERS, **context), new)

        article_prefix = url_for("articles.detail", article_id=0).removesuffix("0")
        new = dashboard_html.article_rows(articles, article_prefix=article_prefix, claims_url=claims_url)
        assert_same_html(_render(app, OLD_ARTICLES, **context), new)

        new = dashboard_html.conflict_rows(conflicts, claims_path=list_path)
        assert_same_html(_render(app, OLD_CONFLICTS, **context), new)

        head, cells = dashboard_html.weekly_cells(weekly, claims_prefix=claims_prefix)
        new = (f'<thead><tr><th scope="col">Week starting</th>{head}</tr></thead>'
               f'<tbody><tr><th scope="row">Verified</th>{cells}</tr></tbody>')
        assert_same_html(_render(app, OLD_WEEKLY, **context), new)


def test_hostile_text_is_escaped_not_written():
    rows = dashboard_html.reviewer_rows(
        [ReviewerStat(1, "<script>alert(1)</script> & \"q\"", 1, 2, 3, 4, 5)],
        claims_prefix="/claims?", work_prefix="/claims?", d7="2026-11-30", d30="2026-11-07", last="2026-12-06",
    )
    assert "<script>" not in rows
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;q&#34;" in rows


def test_the_comparison_notices_a_dropped_or_unescaped_value():
    """The equivalence check itself can fail: a missing cell or a raw value is a difference."""
    with pytest.raises(AssertionError):
        assert_same_html("<tr><td>a &amp; b</td><td>1</td></tr>", "<tr><td>a &amp; b</td></tr>")
    with pytest.raises(AssertionError):
        assert_same_html("<td>&lt;b&gt;x&lt;/b&gt;</td>", "<td><b>x</b></td>")
    with pytest.raises(AssertionError):
        assert_same_html('<a href="/claims?a=1&amp;b=2">1</a>', '<a href="/claims?a=1&amp;b=3">1</a>')


def _panel(page: str) -> str:
    return page[page.index('<form class="filters"'):page.index('<div class="field"><button type="submit"')]


def test_the_filter_panel_written_once_per_set_of_values_shows_each_requests_own_values(login, users):
    """The panel is kept per set of filter values (web/dashboard/routes.py): a second request with
    the same values gets the same panel, and other values, or none, never get a kept one."""
    client = login("eddie")
    bad = _panel(client.get("/dashboard?created_from=bad&article=-3").get_data(as_text=True))
    assert 'aria-invalid="true"' in bad and "field-error" in bad
    assert _panel(client.get("/dashboard?created_from=bad&article=-3").get_data(as_text=True)) == bad

    chosen = _panel(client.get("/dashboard?article=7&category=weapons").get_data(as_text=True))
    assert 'value="7"' in chosen and '<option value="weapons" selected>' in chosen
    assert "field-error" not in chosen

    plain = _panel(login("erin").get("/dashboard").get_data(as_text=True))
    assert 'value="7"' not in plain and " selected" not in plain.replace('<option value="" selected>', "")
    assert "field-error" not in plain
    assert _panel(client.get("/dashboard?article=7&category=weapons").get_data(as_text=True)) == chosen


# templates/_charts.html, whose macros drew the dashboard's charts before dashboard_html.py.
OLD_CHARTS = """{% macro hbars(id, title, rows) %}
{# rows: (label, value, css class) #}
{% set top = rows|map(attribute=1)|max if rows else 0 %}
{% set row_h = 24 %}
<svg class="chart" role="img" aria-labelledby="{{ id }}-title" viewBox="0 0 420 {{ rows|length * row_h + 4 }}" preserveAspectRatio="xMinYMin meet">
  <title id="{{ id }}-title">{{ title }}: {% for label, value, cls in rows %}{{ label }} {{ value }}{{ ", " if not loop.last }}{% endfor %}</title>
  {% for label, value, cls in rows %}
  {% set width = (value / top * 230) if top else 0 %}
  <g transform="translate(0 {{ loop.index0 * row_h }})">
    <text x="0" y="16" class="chart__label">{{ label }}</text>
    <rect x="130" y="3" width="{{ '%.1f'|format(width) }}" height="17" rx="2" class="chart__bar chart__bar--{{ cls }}"></rect>
    <text x="{{ '%.1f'|format(136 + width) }}" y="16" class="chart__value">{{ "{:,}".format(value) }}</text>
  </g>
  {% endfor %}
</svg>
{% endmacro %}

{% macro columns(id, title, rows) %}
{# rows: (label, value) #}
{% set top = rows|map(attribute=1)|max if rows else 0 %}
{% set col_w = 44 %}
<svg class="chart" role="img" aria-labelledby="{{ id }}-title" viewBox="0 0 {{ rows|length * col_w + 10 }} 170" preserveAspectRatio="xMinYMin meet">
  <title id="{{ id }}-title">{{ title }}: {% for label, value in rows %}{{ label }} {{ value }}{{ ", " if not loop.last }}{% endfor %}</title>
  <line x1="0" y1="140" x2="{{ rows|length * col_w + 10 }}" y2="140" class="chart__axis"></line>
  {% for label, value in rows %}
  {% set height = (value / top * 115) if top else 0 %}
  <g transform="translate({{ loop.index0 * col_w + 6 }} 0)">
    <rect x="4" y="{{ '%.1f'|format(140 - height) }}" width="30" height="{{ '%.1f'|format(height) }}" rx="2" class="chart__bar chart__bar--verified"></rect>
    <text x="19" y="{{ '%.1f'|format(134 - height) }}" class="chart__value chart__value--center">{{ value }}</text>
    <text x="19" y="156" class="chart__label chart__label--center">{{ label }}</text>
  </g>
  {% endfor %}
</svg>
{% endmacro %}
"""

CHART_ROWS = [
    [],
    [("Unverified", 0, "unverified"), ("In review", 0, "in_review")],
    [(HOSTILE[0], 3, "a"), (HOSTILE[1], 1234567, "b<c>"), (HOSTILE[3], 0, "verified"), ("Mostly true", 7, "mostly_true")],
]


@pytest.mark.parametrize("rows", CHART_ROWS)
def test_charts_are_the_svg_the_macros_drew(app, rows):
    template = app.jinja_env.from_string(
        OLD_CHARTS + '{{ hbars(chart_id, title, rows) }}|{{ columns(chart_id, title, weekly) }}'
    )
    weekly = [(label, value) for label, value, _ in rows]
    old_bars, old_columns = template.render(chart_id="chart-<x>", title=HOSTILE[2], rows=rows, weekly=weekly).split("|")
    assert_same_html(old_bars, dashboard_html.hbars("chart-<x>", HOSTILE[2], rows))
    assert_same_html(old_columns, dashboard_html.columns("chart-<x>", HOSTILE[2], weekly))
