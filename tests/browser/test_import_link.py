"""Importing an article from its link in a real browser: queue, fetched by the worker, review, correct, save.

The page comes from the tests' own HTTP server on 127.0.0.1 (tests/intake_pages.py),
which the live server and the worker are allowed to fetch from
(FACTCHECK_FETCH_ALLOW_HOSTS in tests/browser/conftest.py). The fetch runs in a real
`factcheck worker --once` on the live server's database; the import's page, which
asks again by itself, shows the result.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from urllib.parse import urljoin

import pytest

from ..intake_pages import page_server
from .support import axe_violations, describe_violations, duplicate_ids, login

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def _goto_over_own_poll(page, url: str) -> None:
    """page.goto, again if the page's own poll (import_wait.js: location.replace once the
    import is no longer waiting) navigated at the same moment and cut it short. Under load
    Chromium reports that as net::ERR_ABORTED, or as the goto "interrupted by another
    navigation" (seen on CI when the poll went to the same address)."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        try:
            page.goto(url)
            return
        except PlaywrightError as exc:
            if attempt == 2 or not ("ERR_ABORTED" in str(exc) or "interrupted by another navigation" in str(exc)):
                raise
            page.wait_for_load_state()


def _run_worker(live_server) -> None:
    """`factcheck worker --once` on the live server's database: the queued fetches run, then it exits."""
    env = {**os.environ, "DATABASE_URL": live_server.database_url, "FACTCHECK_FETCH_ALLOW_HOSTS": "127.0.0.1"}
    result = subprocess.run(
        [sys.executable, "-m", "factcheck.cli", "worker", "--once", "--concurrency", "1"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "factcheck:fetch_link_import" in result.stderr, result.stderr[-2000:]


def _axe(page, what: str, allow: frozenset[str] = frozenset()) -> None:
    found = describe_violations(what, [v for v in axe_violations(page) if v["id"] not in allow])
    assert not found, "\n".join(found)
    assert duplicate_ids(page) == []


def test_importing_an_article_from_a_link(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    pages = page_server()
    ctx, watch = new_context(bypass_csp=True)  # bypass_csp only to inject axe
    page = ctx.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/articles/new")

    # A link into a private network: queued, then refused by the worker, the reason beside the field.
    link = page.get_by_label("Import from a link", exact=True)
    link.fill("http://10.1.2.3/story")
    page.get_by_role("button", name="Fetch and review").click()
    page.wait_for_url(re.compile(r"/articles/imports/\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Fetching http://10.1.2.3/story…")
    expect(page.get_by_role("link", name="Check again")).to_be_visible()
    _axe(page, "an import from a link, while fetching")
    _run_worker(live_server)
    # The page asks again by itself (static/js/import_wait.js, every 2 s) and shows why,
    # beside the link, with the form to try another.
    expect(page.locator("#link-error")).to_contain_text("private or internal networks", timeout=10_000)
    link = page.get_by_label("Import from a link", exact=True)
    expect(link).to_have_attribute("aria-invalid", "true")
    expect(link).to_have_value("http://10.1.2.3/story")
    _axe(page, "an import from a link that failed")

    # The saved news page: fetched by the worker, shown for review with what was extracted.
    link.fill(f"{pages}/news-article.html")
    page.get_by_role("button", name="Fetch and review").click()
    page.wait_for_url(re.compile(r"/articles/imports/\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Fetching")
    check_again = page.get_by_role("link", name="Check again").get_attribute("href")
    _run_worker(live_server)
    # Followed as a reader without JavaScript would (the page may already have asked again by
    # itself, every 2 s, while the worker ran: on a slow machine the link is then gone).
    _goto_over_own_poll(page, urljoin(page.url, check_again))
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
    _axe(page, "review of a page from a link")

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
    page.wait_for_url(re.compile(r"/articles/imports/\d+$"))
    _run_worker(live_server)
    duplicate = page.locator("#duplicate")
    expect(duplicate).to_contain_text("This text is already imported", timeout=10_000)
    expect(page.get_by_role("button", name="Add article")).to_have_count(0)
    duplicate.get_by_role("link").click()
    page.wait_for_url(article_url)
    watch.assert_clean()
