"""Pages keep their width whatever a user types."""

from __future__ import annotations

import pytest

from .support import claim_id_by_quote, login

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]


def test_a_long_unbroken_comment_does_not_widen_the_page(new_context, live_server):
    """A pasted URL or token with no spaces wraps inside the history instead of
    stretching the page sideways."""
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "erin")
    claim_id = claim_id_by_quote(page, base, "Iranian-made Qiam and Zolfaghar models", category="weapons")
    page.goto(f"{base}/claims/{claim_id}")
    token = "https://example.org/" + "x" * 3000
    page.get_by_label("Comment", exact=True).fill(token)
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state()
    comment = page.locator(".timeline .comment").filter(has_text="example.org/xxxx")
    assert comment.count() == 1
    viewport = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport
    assert comment.bounding_box()["width"] <= viewport
    watch.assert_clean()


@pytest.mark.parametrize("word", ["Deir", "دير الزور"])
def test_a_huge_search_typed_in_the_box_gets_the_apps_answer(new_context, live_server, word):
    """10,000 characters pasted into the header's search box (Latin or Arabic):
    the app answers with its results page, never the web server's bare
    "URI Too Long"."""
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "rita")
    box = page.get_by_label("Search claims, evidence and articles")
    text = (word + " ") * (10_000 // (len(word) + 1))
    box.fill(text)
    with page.expect_response(lambda r: "/search?" in r.url) as info:
        box.press("Enter")
    response = info.value
    assert response.status == 200, response.status
    assert page.get_by_role("heading", name="Search", level=1).is_visible()
    assert page.locator("#q").input_value().startswith(word)
    watch.assert_clean()
