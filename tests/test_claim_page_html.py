"""Parts of the claim page written in Python say what their templates said: each fragment is
rendered both ways, from the template text it replaced and by the new code, for rows with
hostile text (quotes, markup, ampersands, right-to-left text), and must be the same HTML."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from factcheck.models import ClaimStatus, LinkKind, Verdict
from factcheck.services import related as related_service
from factcheck.services.related import Suggestion
from factcheck.web.claims.forms import ButtonForm
from factcheck.web.search import related_html

from .html_equivalence import assert_same_html

HOSTILE = [
    'He said "over 1,500" & <b>more</b>',
    "<script>alert('x')</script>",
    "Tom &amp; Jerry's 'raid'",
    "הצבא אמר כי 29 נהרגו ו-70 נפצעו",  # right-to-left
    "y" * 300,
]

OLD_LINKS = """{% from "_forms.html" import hidden %}{% from "_macros.html" import status_badge, verdict_badge %}
{% for link, other in links %}
<li class="{% if other.id in link_conflicts %}link--conflict{% endif %}">
  <span class="tag">{{ link.kind.label }}</span>
  <a href="{{ url_for('claims.detail', claim_id=other.id) }}">#{{ other.id }}</a> {{ status_badge(other.status) }} {{ verdict_badge(other.verdict) }}
  <q>{{ other.quote|truncate(140) }}</q>
  {% if other.id in link_conflicts %}
  <p class="conflict" role="note"><strong>Conflicting figures:</strong> {{ figure(claim.quantity_value, claim.quantity_unit, claim.quantity_qualifier) }} here ({{ claim.claimant or article.title|truncate(40) }}), {{ figure(other.quantity_value, other.quantity_unit, other.quantity_qualifier) }} in claim #{{ other.id }} ({{ other.claimant or "its article" }}).</p>
  {% endif %}
  <div class="actions">
    {% if can_reuse(link, other) %}
    <form method="post" action="{{ url_for('search.reuse', claim_id=claim.id, source_id=other.id) }}">
      {{ hidden(button_form) }}
      <button type="submit" class="button button--small">Reuse its verdict ({{ other.verdict.label if other.verdict }})</button>
    </form>
    {% endif %}
    {% if current_user.can('link_claims') %}
    <form method="post" action="{{ url_for('search.unlink', claim_id=claim.id, link_id=link.id) }}">
      {{ hidden(button_form) }}
      <button type="submit" class="button button--small button--secondary" data-confirm="Unlink claim #{{ other.id }} from this claim?">Unlink</button>
    </form>
    {% endif %}
  </div>
</li>
{% endfor %}
"""

OLD_SUGGESTIONS = """{% from "_forms.html" import hidden %}{% from "_macros.html" import status_badge, verdict_badge %}
{% for s in suggestions %}
<li>
  <a href="{{ url_for('claims.detail', claim_id=s.claim.id) }}">#{{ s.claim.id }}</a> {{ status_badge(s.claim.status) }}
  <q>{{ s.claim.quote|truncate(140) }}</q>
  <span class="muted">in “{{ s.article_title|truncate(60) }}”</span>
  <p class="why">Why: {{ s.reasons|join("; ") or "similar words" }}</p>
  {% if s.conflict %}<p class="conflict" role="note"><strong>Different figures:</strong> {{ s.conflict }}.</p>{% endif %}
  {% if not s.link and current_user.can('link_claims') %}
  <div class="actions">
    {% for kind, label in (("same", "Link as same claim"), ("related", "Link as related")) %}
    <form method="post" action="{{ url_for('search.link', claim_id=claim.id) }}#related">
      {{ hidden(button_form) }}
      <input type="hidden" name="other" value="{{ s.claim.id }}">
      <input type="hidden" name="kind" value="{{ kind }}">
      <button type="submit" class="button button--small button--secondary">{{ label }}</button>
    </form>
    {% endfor %}
  </div>
  {% elif s.link %}<span class="tag">{{ s.link.kind.label }}</span>{% endif %}
</li>
{% endfor %}
"""


def _claim(claim_id, text, status, verdict=None, value=None, claimant=None):
    return SimpleNamespace(
        id=claim_id, quote=text, status=status, verdict=verdict, quantity_value=value,
        quantity_unit="missiles" if value is not None else None, quantity_qualifier="over" if value else None,
        claimant=claimant, category="weapons",
    )


def _rows():
    statuses = list(ClaimStatus)
    verdicts = [None, *Verdict]
    others = [
        _claim(100 + i, text, statuses[i % len(statuses)], verdicts[i % len(verdicts)],
               Decimal(6 + i) if i % 2 == 0 else None, claimant=HOSTILE[-1 - i] if i % 3 else None)
        for i, text in enumerate(HOSTILE)
    ]
    links = [(SimpleNamespace(id=500 + i, kind=[LinkKind.SAME, LinkKind.RELATED][i % 2]), other)
             for i, other in enumerate(others)]
    suggestions = [
        Suggestion(claim=other, article_title=HOSTILE[-1 - i], score=1.0,
                   reasons=[HOSTILE[i], "same category (weapons)"] if i % 2 else [],
                   conflict=f"{HOSTILE[i]} here, 12 there" if i % 2 == 0 else None,
                   link=links[i][0] if i == 1 else None)
        for i, other in enumerate(others)
    ]
    return links, suggestions


@pytest.mark.parametrize("can_link", [True, False])
@pytest.mark.parametrize("claimant", [None, "IRGC <spokesman> & \"co\""])
def test_related_rows_are_the_html_the_template_wrote(app, can_link, claimant):
    links, suggestions = _rows()
    claim = _claim(77, "this claim", ClaimStatus.IN_REVIEW, value=Decimal("120"), claimant=claimant)
    article = SimpleNamespace(title="Strikes <near> “Tripoli” & Gao — " + HOSTILE[3])
    conflicts = {other.id for _, other in links if other.quantity_value is not None}
    reusable = {100, 104}
    can_reuse = lambda link, other: other.id in reusable  # noqa: E731
    user = SimpleNamespace(can=lambda permission: can_link)

    with app.test_request_context("/claims/77"):
        context = dict(
            links=links, suggestions=suggestions, claim=claim, article=article, link_conflicts=conflicts,
            can_reuse=can_reuse, figure=related_service.figure, button_form=ButtonForm(formdata=None),
            current_user=user,
        )
        paths = dict(claims_path=url_for("claims.index"), links_path=url_for("search.link", claim_id=77))
        token = generate_csrf()
        new = related_html.link_rows(
            links, claim=claim, article_title=article.title,
            reuse_prefix=str(escape(url_for("search.reuse", claim_id=77, source_id=0).removesuffix("0"))),
            conflicts=conflicts, can_reuse=can_reuse, can_link=can_link, figure=related_service.figure,
            token=token, **paths,
        )
        assert_same_html(app.jinja_env.from_string(OLD_LINKS).render(**context), new)
        new = related_html.suggestion_rows(suggestions, can_link=can_link, token=token, **paths)
        assert_same_html(app.jinja_env.from_string(OLD_SUGGESTIONS).render(**context), new)
        assert "<script>" not in new and "<b>" not in new

