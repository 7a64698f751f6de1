"""The claim queue in a real browser: a claim's quote is a link from end to end."""

from __future__ import annotations

import re

import pytest

from .support import login, queue_row

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

QUOTE = "flew 355 miles over Iraqi territory"


def test_clicking_anywhere_on_a_queued_quote_opens_the_claim(new_context, live_server):
    """The curly quote marks drawn around a quote are part of its link.

    Chromium did not hit-test the marks a <q> draws inside a link, so a click
    on the opening or closing mark (Playwright's default click lands on the
    opening one) went to the table cell and nothing happened."""
    from playwright.sync_api import TimeoutError

    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "rita")

    row = queue_row(page, base, QUOTE, category="distance")
    href = row.locator("a.claim-link").get_attribute("href")
    assert re.fullmatch(r"/claims/\d+", href)
    link = row.locator("a.claim-link")
    width = link.bounding_box()["width"]

    for name, position in [
        ("opening quote mark", {"x": 3, "y": 9}),
        ("middle of the words", {"x": width / 2, "y": 9}),
        ("closing quote mark", {"x": width - 3, "y": 9}),
    ]:
        row = queue_row(page, base, QUOTE, category="distance")
        row.locator("a.claim-link").click(position=position)
        try:
            page.wait_for_url(re.compile(re.escape(href) + "$"), timeout=5_000)
        except TimeoutError:
            pytest.fail(f"a click on the quote's {name} did not open the claim ({page.url})")
        assert page.locator("mark.claim-mark--focus").inner_text() == QUOTE, name

    watch.assert_clean()


def test_next_previous_last_and_first_walk_the_queue(new_context, live_server):
    """The queue's page links carry a cursor: Next, then Previous, come back to the
    same claims; Last and First reach the ends; together the pages list every claim once."""
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "rita")

    def shown() -> list[str]:
        return page.locator("table.table tbody tr td:first-child a").all_inner_texts()

    page.goto(f"{base}/claims?sort=oldest")
    total = int(re.search(r"([\d,]+) claims", page.locator("nav.pagination").inner_text()).group(1).replace(",", ""))
    first = shown()
    assert len(first) == 50 < total

    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"cursor="))
    assert "sort=oldest" in page.url
    second = shown()
    assert not set(first) & set(second)

    page.get_by_role("link", name="← Previous").click()
    page.wait_for_load_state()
    assert shown() == first

    # Forward from the first page to the end: every claim once.
    walked = list(first)
    while page.get_by_role("link", name="Next →").count():
        page.get_by_role("link", name="Next →").click()
        page.wait_for_load_state()
        walked += shown()
    assert len(walked) == len(set(walked)) == total

    page.goto(f"{base}/claims?sort=oldest")
    page.get_by_role("link", name="Last »").click()
    page.wait_for_load_state()
    assert shown() == walked[-50:]
    assert page.get_by_role("link", name="Next →").count() == 0
    page.get_by_role("link", name="« First").click()
    page.wait_for_url(re.compile(r"/claims\?sort=oldest$"))
    assert shown() == first

    page.goto(f"{base}/claims?sort=oldest&cursor=not-a-real-cursor")
    assert "That page link was not valid" in page.locator(".flashes").inner_text()
    assert shown() == first
    watch.assert_clean()
