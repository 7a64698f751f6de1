"""The article page's lower-scored suggestions, behind "Show N more suggestions"
(a native <details>), open from the keyboard with JavaScript off, and can then
be ticked, dismissed and accepted from the keyboard."""

from __future__ import annotations

import re
import uuid

import pytest

from .support import axe_violations, describe_violations, duplicate_ids, login

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def _article(database_url: str) -> dict:
    """An article of this test's own whose suggestions score, in text order, 0.9 then 0.45 for the rest."""
    from sqlalchemy import select, update

    from factcheck.db import Database
    from factcheck.models import ClaimCandidate, User
    from factcheck.services import articles
    from factcheck.services import candidates as candidate_service

    tag = uuid.uuid4().hex[:8]
    body = (
        f"Show more ({tag}): at least 12 people were killed when six rockets struck the port on Tuesday, "
        "the health ministry said.\n"
        "The rebels claimed the strike hit a weapons depot, but the claim could not be independently verified.\n"
        "Over 400 families fled the district, according to the UN agency.\n"
        "Two hospitals in the city were damaged, the governor said.\n"
        "The army deployed 300 soldiers to the district on Wednesday.\n"
    )
    database = Database.from_url(database_url)
    try:
        with database.session() as session:
            rita = session.execute(select(User.id).where(User.username == "rita")).scalar_one()
            (article,) = articles.import_articles(
                session, [articles.ArticleDraft(title=f"Show more {tag}", body=body, source=tag)], imported_by_id=rita
            )
            ids = [c.id for c in candidate_service.article_candidates(session, article.id)]
            assert len(ids) >= 3, ids
            session.execute(update(ClaimCandidate).where(ClaimCandidate.id.in_(ids)).values(score=0.45))
            session.execute(update(ClaimCandidate).where(ClaimCandidate.id == ids[0]).values(score=0.9))
            session.commit()
            return {"article": article.id, "high": ids[0], "low": ids[1:]}
    finally:
        database.dispose()


def test_show_more_opens_from_the_keyboard_without_javascript(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    made = _article(live_server.database_url)
    article_url = f"{base}/articles/{made['article']}"
    low = made["low"]
    ctx, watch = new_context(java_script_enabled=False)
    page = ctx.new_page()
    login(page, base, "rita")
    page.goto(article_url)

    summary = page.locator("#more-suggestions > summary")
    expect(summary).to_have_text(re.compile(rf"^Show {len(low)} more suggestions \(scored “possible”\)$"))
    expect(page.locator(f"#c{made['high']}")).to_be_visible()
    expect(page.locator(f"#c{made['high']} .tag--score")).to_have_text("Check-worthiness: strong")
    for i in low:
        expect(page.locator(f"#c{i}")).to_be_hidden()

    # From the last control of the listed suggestions, Tab reaches the summary; Enter opens it, Space closes it.
    page.locator(f"#c{made['high']}").get_by_role("button", name="Dismiss").focus()
    page.keyboard.press("Tab")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#more-suggestions")).to_have_attribute("open", "")
    for i in low:
        expect(page.locator(f"#c{i}")).to_be_visible()
        expect(page.locator(f"#c{i} .tag--score")).to_have_text("Check-worthiness: possible")
    page.keyboard.press("Space")
    expect(page.locator(f"#c{low[0]}")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.locator(f"#c{low[0]}")).to_be_visible()

    # Tab goes on into the opened rows: tick the first one with Space; its Dismiss button sends it.
    page.keyboard.press("Tab")
    first = page.locator(f"#c{low[0]}")
    expect(first.get_by_role("checkbox")).to_be_focused()
    page.keyboard.press("Space")
    expect(first.get_by_role("checkbox")).to_be_checked()
    page.keyboard.press("Tab")
    expect(first.get_by_role("link", name="Accept…")).to_be_focused()
    page.keyboard.press("Tab")
    expect(first.get_by_role("button", name="Dismiss")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/articles/{made['article']}\?more=1#more-suggestions$"))
    expect(page.locator(".flash--success")).to_contain_text("Suggestion dismissed.")
    # Back with the lower-scored ones still open, one fewer.
    expect(page.locator("#more-suggestions")).to_have_attribute("open", "")
    expect(summary).to_have_text(re.compile(rf"^Show {len(low) - 1} more suggestions? "))
    expect(page.locator(f"#c{low[0]}")).to_have_count(0)

    # Ticking a hidden one and "Dismiss ticked" dismisses it.
    second = page.locator(f"#c{low[1]}")
    second.get_by_role("checkbox").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Dismiss ticked").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/articles/{made['article']}#suggested-heading$"))
    expect(page.locator(".flash--success")).to_contain_text("Dismissed 1 suggestion.")
    expect(page.locator(f"#c{low[1]}")).to_have_count(0)
    watch.assert_clean()


def test_a_mark_in_the_text_opens_show_more_at_its_row_and_it_can_be_accepted(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    made = _article(live_server.database_url)
    low = made["low"][-1]
    ctx, watch = new_context(java_script_enabled=False)
    page = ctx.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/articles/{made['article']}")
    row = page.locator(f"#c{low}")
    expect(row).to_be_hidden()
    # The dashed mark of a lower-scored suggestion links to its row: following it opens the <details>.
    mark = page.locator(f'#article-body a.candidate-mark[href="#c{low}"]').first
    mark.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#more-suggestions")).to_have_attribute("open", "")
    expect(row).to_be_visible()
    # Accept it from the keyboard.
    row.get_by_role("link", name="Accept…").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/articles/{made['article']}/candidates/{low}/accept$"))
    page.get_by_role("button", name="Save as a claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+(#.*)?$"))
    expect(page.locator(".flash--success")).to_have_text(re.compile(r"Claim #\d+ created from the suggestion\."))
    page.goto(f"{base}/articles/{made['article']}")
    expect(page.locator(f"#c{low}")).to_have_count(0)
    watch.assert_clean()


def test_the_scored_list_with_show_more_open_has_no_serious_axe_violation(new_context, live_server):
    """The article page is in test_axe's scan (closed); this one looks at it with the rows open."""
    base = live_server.base_url
    made = _article(live_server.database_url)
    ctx, watch = new_context(bypass_csp=True)
    page = ctx.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/articles/{made['article']}?more=1")
    assert page.locator("#more-suggestions").get_attribute("open") == ""
    assert page.locator(f"#c{made['low'][0]}").is_visible()
    problems = describe_violations(page.url, axe_violations(page))
    assert problems == [], "\n".join(problems)
    assert duplicate_ids(page) == []
    watch.assert_clean()
