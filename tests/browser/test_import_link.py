"""Importing an article from its link in a real browser: fetch, review, correct, save.

The page comes from the tests' own HTTP server on 127.0.0.1 (tests/intake_pages.py),
which the live server is allowed to fetch from (FACTCHECK_FETCH_ALLOW_HOSTS in
tests/browser/conftest.py).
"""

from __future__ import annotations

import re

import pytest

from ..intake_pages import page_server
from .support import axe_violations, describe_violations, duplicate_ids, login

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def test_importing_an_article_from_a_link(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    pages = page_server()
    ctx, watch = new_context(bypass_csp=True)  # bypass_csp only to inject axe
    page = ctx.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/articles/new")

    # A link into a private network: refused, the reason beside the field, nothing fetched.
    link = page.get_by_label("Import from a link", exact=True)
    link.fill("http://10.1.2.3/story")
    page.get_by_role("button", name="Fetch and review").click()
    expect(page.locator("#link-error")).to_contain_text("private or internal networks")
    expect(link).to_have_attribute("aria-invalid", "true")

    # The saved news page: shown for review with what was extracted.
    link = page.get_by_label("Import from a link", exact=True)
    link.fill(f"{pages}/news-article.html")
    page.get_by_role("button", name="Fetch and review").click()
    expect(page.get_by_role("heading", name="Review before adding")).to_be_visible()
    headline = page.get_by_label("Headline", exact=True)
    expect(headline).to_have_value("Missile strike hits border town, officials say")
    expect(page.get_by_label("Byline", exact=True)).to_have_value("Mara Okafor")
    expect(page.get_by_label("Outlet", exact=True)).to_have_value("The Harbour Courier")
    expect(page.get_by_label("Published", exact=True)).to_have_value("2026-12-05")
    text = page.locator("section.article__body")
    expect(text).to_contain_text("killed 29 people and wounded 70 others")
    expect(text).not_to_contain_text("Most read")
    expect(page.locator(".candidate-list li").first).to_be_visible()  # the suggestions to come
    found = describe_violations("review of a page from a link", axe_violations(page))
    assert not found, "\n".join(found)
    assert duplicate_ids(page) == []

    # The reviewer corrects the headline; the text is not a field.
    headline.fill("Strike on Kessan kills 29, ministry says")
    page.get_by_role("button", name="Add article").click()
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    expect(page.locator(".flash--success")).to_contain_text("Article added from its link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strike on Kessan kills 29, ministry says")
    expect(page.locator("#article-body")).to_contain_text("killed 29 people and wounded 70 others")
    article_url = page.url

    # The same text from another address: answered with a link to the article already there.
    page.goto(f"{base}/articles/new")
    page.get_by_label("Import from a link", exact=True).fill(f"{pages}/same-text.html")
    page.get_by_role("button", name="Fetch and review").click()
    duplicate = page.locator("#duplicate")
    expect(duplicate).to_contain_text("This text is already imported")
    expect(page.get_by_role("button", name="Add article")).to_have_count(0)
    duplicate.get_by_role("link").click()
    page.wait_for_url(article_url)
    watch.assert_clean(allow_console=(r"status of 422 \(UNPROCESSABLE ENTITY\)",))
