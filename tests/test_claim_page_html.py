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


OLD_HISTORY = """{% from "_macros.html" import changes_list %}
{% for event in history.events %}
<li class="timeline__item timeline__item--{{ event.action }}">
  <strong>{{ event.actor.display_name if event.actor else "System" }}</strong> {{ event_phrase(event.action, event.details, event.actor_id, titles=false) }}
  {% if event.details.other_claim_id %}<span class="muted">{{ "as the same claim as" if event.details.kind == "same" else "with" }} <a href="{{ url_for('claims.detail', claim_id=event.details.other_claim_id) }}">#{{ event.details.other_claim_id }}</a></span>{% endif %}
  {% if event.details.url %}<span class="muted"><a href="{{ event.details.url }}" rel="noopener noreferrer nofollow">{{ event.details.title or event.details.url|truncate(60) }}</a></span>{% endif %}
  <span class="muted">· <time datetime="{{ event.created_at.isoformat() }}" title="{{ event.created_at|datetime }}">{{ clock(event.created_at) }} ({{ ago(event.created_at) }})</time>
  {%- if event.from_status and event.to_status and event.from_status != event.to_status %} · {{ event.from_status.label }} → {{ event.to_status.label }}{% endif %}</span>
  {{ changes_list(event.details.changes) }}
  {% if event.comment %}<p class="comment">{{ event.comment }}</p>{% endif %}
  {% if event.id in restorable %}
  <form class="actions" method="post" action="{{ url_for('claims.restore_evidence', claim_id=claim.id, event_id=event.id) }}">
    {{ row_form.csrf_token(id=false) }}
    <button type="submit" class="button button--small button--secondary" aria-label="Restore evidence “{{ restorable[event.id] }}”">Restore</button>
  </form>
  {% endif %}
</li>
{% endfor %}
"""


def _events(now):
    from datetime import timedelta

    actor = SimpleNamespace(display_name=HOSTILE[0])
    rtl = SimpleNamespace(display_name=HOSTILE[3])
    at = lambda **delta: now - timedelta(**delta)  # noqa: E731
    event = lambda i, action, **kw: SimpleNamespace(  # noqa: E731
        id=900 + i, action=action, actor=kw.pop("actor", actor), actor_id=kw.pop("actor_id", 5),
        details=kw.pop("details", None), created_at=kw.pop("created_at", at(days=i, minutes=7 * i)),
        from_status=kw.pop("from_status", None), to_status=kw.pop("to_status", None), comment=kw.pop("comment", None),
    )
    return [
        event(0, "created", actor=None, actor_id=None, created_at=at(days=400)),
        event(1, "taken", from_status=ClaimStatus.UNVERIFIED, to_status=ClaimStatus.IN_REVIEW, details={}),
        event(2, "commented", comment=HOSTILE[1] + "\n\nsecond paragraph & more", actor=rtl),
        event(3, "edited", details={"changes": {"statement": [HOSTILE[0], HOSTILE[2]], "quantity_value": [None, "1500"],
                                                "hedged": [True, False], "claimant": ["IRGC", None]}}),
        event(4, "evidence_added", details={"url": "https://example.org/a?x=1&y=<2>\"", "title": HOSTILE[2]}),
        event(5, "evidence_removed", details={"url": "https://example.org/" + "long-path/" * 12, "title": None,
                                              "evidence_id": 3}),
        event(6, "linked", details={"other_claim_id": 4321, "kind": "same"}),
        event(7, "linked", details={"other_claim_id": 4322, "kind": "related"}),
        event(8, "verdict_proposed", details={"verdict": "mostly_true"},
              from_status=ClaimStatus.IN_REVIEW, to_status=ClaimStatus.PENDING_APPROVAL),
        event(9, "sent_back", comment=HOSTILE[3], from_status=ClaimStatus.PENDING_APPROVAL,
              to_status=ClaimStatus.IN_REVIEW, created_at=at(seconds=20)),
        event(10, "assigned", details={"assignee_name": HOSTILE[1]}, from_status=ClaimStatus.IN_REVIEW,
              to_status=ClaimStatus.IN_REVIEW),
        event(11, "some_future_action", details={"kind": "x"}),
    ]


@pytest.mark.parametrize("restorable", [{}, {905: HOSTILE[1], 904: "a title"}])
def test_history_rows_are_the_html_the_template_wrote(app, restorable):
    from datetime import datetime, timezone

    from factcheck.services.history import ago, clock, event_phrase
    from factcheck.web.claims.claim_html import history_rows

    now = datetime.now(timezone.utc)
    events = _events(now)
    with app.test_request_context("/claims/77"):
        old = app.jinja_env.from_string(OLD_HISTORY).render(
            history=SimpleNamespace(events=events), claim=SimpleNamespace(id=77), restorable=restorable,
            row_form=ButtonForm(formdata=None), event_phrase=event_phrase, clock=clock, ago=ago,
        )
        new = history_rows(
            events,
            claims_path=url_for("claims.index"),
            restore_prefix=url_for("claims.restore_evidence", claim_id=77, event_id=0).removesuffix("0"),
            restorable=restorable,
            token=generate_csrf(),
            now=now,
        )
    assert_same_html(old, new)
    assert "<script>" not in new


def test_a_kept_blank_field_is_what_the_forms_macro_writes_and_input_or_errors_are_never_kept(app):
    from flask import get_template_attribute
    from werkzeug.datastructures import MultiDict

    from factcheck.web.claims.forms import CommentForm, ReopenForm, SendBackForm
    from factcheck.web.forms import blank_field
    from factcheck.web.search.forms import LinkForm

    with app.test_request_context("/claims/77"):
        field = get_template_attribute("_forms.html", "field")
        for form, name, attrs in [
            (CommentForm(formdata=None), "comment", {"rows": 2}),
            (SendBackForm(formdata=None), "comment", {"rows": 3}),
            (ReopenForm(formdata=None), "comment", {"rows": 3}),
            (LinkForm(formdata=None), "other", {"type": "number", "min": "1"}),
            (LinkForm(formdata=None), "kind", {}),
            (LinkForm(formdata=None), "note", {}),
        ]:
            expected = str(field(form[name], **attrs))
            assert str(blank_field(form[name], **attrs)) == expected
            assert str(blank_field(form[name], **attrs)) == expected  # the kept one
        # Same field name and attributes, other forms: each keeps its own id and label.
        ids = {str(blank_field(f(formdata=None).comment, rows=3)) for f in (SendBackForm, ReopenForm)}
        assert len(ids) == 2

        typed = CommentForm(formdata=MultiDict({"comment": HOSTILE[1]}))
        shown = str(blank_field(typed.comment, rows=2))
        assert "&lt;script&gt;" in shown and shown == str(field(typed.comment, rows=2))

        failed = LinkForm(formdata=MultiDict({"other": "0", "kind": "same"}))
        failed.validate()
        assert failed.other.errors
        shown = str(blank_field(failed.other, type="number", min="1"))
        assert "field-error" in shown and 'value="0"' in shown
        assert "field-error" not in str(blank_field(LinkForm(formdata=None).other, type="number", min="1"))


OLD_LINK_PANEL = """{% from "_forms.html" import form_errors, hidden %}
  <details class="panel" {% if link_form.errors %}open{% endif %}>
    <summary>Link to a claim by number</summary>
    {{ form_errors(link_form) }}
    <form method="post" action="{{ url_for('search.link', claim_id=claim.id) }}#related" novalidate class="grid-3">
      {{ hidden(link_form) }}
      {{ blank_field(link_form.other, type="number", min="1") }}
      {{ blank_field(link_form.kind) }}
      {{ blank_field(link_form.note) }}
      <div class="field">{{ link_form.submit(class_="button") }}</div>
    </form>
  </details>
"""


def test_the_blank_link_panel_is_the_html_the_template_wrote(app):
    from factcheck.web.search.forms import LinkForm

    with app.test_request_context("/claims/77"):
        old = app.jinja_env.from_string(OLD_LINK_PANEL).render(
            link_form=LinkForm(formdata=None), claim=SimpleNamespace(id=77)
        )
        new = related_html.link_panel(links_path=url_for("search.link", claim_id=77), token=generate_csrf())
        assert_same_html(old, new)


def test_a_link_form_with_errors_is_redisplayed_through_the_template(login, session, seeded):
    from sqlalchemy import select

    from factcheck.models import Claim

    claim_id = session.execute(select(Claim.id).order_by(Claim.id).limit(1)).scalar_one()
    client = login("rita")
    blank = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert blank.count('<details class="panel">\n<summary>Link to a claim by number') == 1
    page = client.post(f"/claims/{claim_id}/links", {"other": "x", "kind": "same", "note": "kept <note>"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert '<details class="panel" open>' in html and "Not a valid integer" in html
    assert 'value="kept &lt;note&gt;"' in html
