"""Clicking a label puts the cursor in its own field.

The claim page has several forms with a field of the same name (the send-back
reason, the reopen reason and the history comment are all "comment"); when
their ids repeated, clicking "Why it goes back" focused the History comment box
and screen readers read the wrong label."""

from __future__ import annotations

import re
import uuid

import pytest

from .support import login

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def _claims(database_url: str) -> dict[str, int]:
    """An article of this test's own with a claim in review (rita's) and one pending approval."""
    from sqlalchemy import select

    from factcheck.db import Database
    from factcheck.models import User, Verdict
    from factcheck.services import articles, workflow
    from factcheck.services.workflow import ClaimFields, EvidenceFields

    tag = uuid.uuid4().hex[:8]
    body = f"Labels ({tag}): the ministry said 17 rockets hit the port. Officials said 23 people were hurt."
    database = Database.from_url(database_url)
    try:
        with database.session() as session:
            rita = session.execute(select(User.id).where(User.username == "rita")).scalar_one()
            (article,) = articles.import_articles(
                session, [articles.ArticleDraft(title=f"Labels {tag}", body=body, source=tag)], imported_by_id=rita
            )
            made = {"article": article.id}
            for name, quote in (("in_review", "17 rockets hit the port"), ("pending", "23 people were hurt")):
                claim = workflow.create_claim(session, rita, article.id, quote, ClaimFields(f"{quote} ({tag}).", "other"))
                workflow.take_claim(session, rita, claim.id)
                workflow.add_evidence(session, rita, claim.id, EvidenceFields("https://example.org/l", "Report", "supports"))
                if name == "pending":
                    workflow.propose_verdict(session, rita, claim.id, Verdict.TRUE, "The ministry's figure.")
                made[name] = claim.id
            return made
    finally:
        database.dispose()


def _focus_of(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   const form = el && el.closest('form');
                   return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name'),
                           form: form ? new URL(form.action).pathname : null}; }"""
    )


def _click_label(page, text: str, within: str = "body") -> dict:
    labels = page.locator(within).locator("label").filter(has_text=re.compile(f"^{re.escape(text)}$"))
    assert labels.count() == 1, f"{labels.count()} labels read {text!r} in {within}"
    labels.click()
    return _focus_of(page)


def test_each_label_focuses_its_own_field(new_context, live_server):
    base = live_server.base_url
    made = _claims(live_server.database_url)
    ctx, watch = new_context()
    page = ctx.new_page()

    login(page, base, "eddie")
    page.goto(f"{base}/claims/{made['pending']}")
    pending = f"/claims/{made['pending']}"
    assert _click_label(page, "Why it goes back") == {"tag": "textarea", "name": "comment", "form": f"{pending}/send-back"}
    assert _click_label(page, "Comment") == {"tag": "textarea", "name": "comment", "form": f"{pending}/comments"}

    page.goto(f"{base}/claims/{made['in_review']}")
    in_review = f"/claims/{made['in_review']}"
    assert _click_label(page, "Assign to") == {"tag": "select", "name": "assignee", "form": f"{in_review}/assign"}
    assert _click_label(page, "Rationale") == {"tag": "textarea", "name": "rationale", "form": f"{in_review}/propose"}
    page.locator("summary", has_text="Add evidence").click()
    evidence_form = f"form[action='{in_review}/evidence#evidence']"
    assert _click_label(page, "Note", evidence_form) == {"tag": "textarea", "name": "note", "form": f"{in_review}/evidence"}
    assert _click_label(page, "Link", evidence_form) == {"tag": "input", "name": "url", "form": f"{in_review}/evidence"}
    assert _click_label(page, "Comment") == {"tag": "textarea", "name": "comment", "form": f"{in_review}/comments"}

    # A form redisplayed with its error keeps its label on its own field.
    page.goto(f"{base}/claims/{made['pending']}")
    page.locator(f"form[action='{pending}/send-back']").get_by_role("button", name="Send back").click()
    page.wait_for_load_state()
    assert "Say why the verdict goes back" in page.locator(f"form[action='{pending}/send-back']").inner_text()
    assert _click_label(page, "Why it goes back")["form"] == f"{pending}/send-back"

    page.goto(f"{base}/articles/{made['article']}")
    focus = _click_label(page, "Exact words in the article")
    assert (focus["tag"], focus["name"]) == ("textarea", "quote")
    watch.assert_clean(allow_console=("status of 422",))
