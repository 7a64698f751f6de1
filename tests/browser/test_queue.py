"""The claim queue in a real browser: links, paging, the keyboard, a phone, ticking claims without JavaScript."""

from __future__ import annotations

import re

import pytest

from .support import build_claim_world, claim_id_from, login, page_scroll_width, queue_row, wider_than

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

QUOTE = "flew 355 miles over Iraqi territory"


def test_a_row_leads_with_its_statement_and_a_click_anywhere_on_it_opens_the_claim(new_context, live_server):
    """The row's link is the claim's statement, from its first letter to its last
    (the quote, in curly marks, is the line under it)."""
    from playwright.sync_api import TimeoutError

    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "rita")

    row = queue_row(page, base, QUOTE, category="distance")
    link = row.locator("a.claim-link")
    href = link.get_attribute("href")
    assert re.fullmatch(r"/claims/\d+", href)
    assert link.inner_text() == "The missiles flew 355 miles over Iraqi territory."  # the statement, not the quote
    first_line = link.evaluate("a => { const r = a.getClientRects()[0]; return {width: r.width, height: r.height}; }")

    for name, x in [("first letter", 2), ("middle", first_line["width"] / 2), ("end of the first line", first_line["width"] - 2)]:
        row = queue_row(page, base, QUOTE, category="distance")
        row.locator("a.claim-link").click(position={"x": x, "y": first_line["height"] / 2})
        try:
            page.wait_for_url(re.compile(re.escape(href) + "$"), timeout=5_000)
        except TimeoutError:
            pytest.fail(f"a click on the statement's {name} did not open the claim ({page.url})")
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
        return [claim_id_from(href) for href in page.locator("table.table tbody tr a.claim-link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))")]

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


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture(scope="module")
def worlds(live_server):
    """Two articles of this module's own, each with a claim nobody has taken and one sent back."""
    import uuid

    return [build_claim_world(live_server.database_url, f"queue {uuid.uuid4().hex[:8]}") for _ in range(2)]


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {tag: e.tagName.toLowerCase(), cls: e.className || "", text: (e.innerText || "").trim(),
                           href: e.getAttribute("href"), formaction: e.getAttribute("formaction"),
                           inFilters: !!e.closest("#filters"), row: e.closest("tbody tr") ? [...e.closest("tbody").rows].indexOf(e.closest("tbody tr")) : -1}; }"""
    )


def test_take_is_the_tab_stop_right_after_the_rows_link_and_comes_early(new_context, live_server, worlds):
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/claims?assignee=unassigned")
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stops.append(_focused(page))
        if stops[-1]["row"] == 0:
            break
    link = stops[-1]
    assert link["cls"] == "claim-link", stops
    assert not any(s["inFilters"] for s in stops), "the filters come before the first claim"
    assert len(stops) <= 20, f"the first claim is tab stop {len(stops)}"
    page.keyboard.press("Tab")
    take = _focused(page)
    assert (take["tag"], take["text"], take["row"]) == ("button", "Take", 0)
    assert take["formaction"] == link["href"] + "/take"
    watch.assert_clean()


@pytest.mark.parametrize("username", ["rita", "ada"])
def test_on_a_phone_the_queue_fits_and_take_is_in_view(new_context, live_server, worlds, username):
    base = live_server.base_url
    context, watch = new_context(**PHONE)
    page = context.new_page()
    login(page, base, username)
    page.goto(f"{base}/claims?assignee=unassigned")
    assert page_scroll_width(page) <= 390, wider_than(page, 390)
    row = page.locator("table.queue tbody tr").first
    take = row.get_by_role("button", name="Take", exact=True)
    take.scroll_into_view_if_needed()
    box = take.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("window.scrollX") == 0
    # The row reads top to bottom: its statement, then Take, then the details.
    link_box = row.locator("a.claim-link").bounding_box()
    assert link_box["y"] < box["y"] and link_box["x"] + link_box["width"] <= 390
    tick = row.locator("input[name=claim]")
    assert tick.is_visible() and tick.bounding_box()["x"] + tick.bounding_box()["width"] <= 390
    watch.assert_clean()


def test_a_sent_back_claim_is_marked_sent_back_not_approved(new_context, live_server, worlds):
    world = worlds[0]
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/claims?article={world.article_id}&status=in_review")
    row = page.locator("table.queue tbody tr").filter(has=page.locator(f"a[href='/claims/{world.sent_back}']"))
    badge = row.locator(".badge--returned")
    assert badge.inner_text() == "Sent back"
    assert "Find a second, independent source." in row.inner_text()
    assert row.locator(".verdict").count() == 0  # no coloured verdict badge
    colour = badge.evaluate("e => getComputedStyle(e).backgroundColor")
    approved = page.evaluate(
        "() => { const s = document.createElement('span'); s.className = 'verdict verdict--mostly_true'; document.body.append(s);"
        " const c = getComputedStyle(s).color; s.remove(); return c; }"
    )
    assert colour != approved and colour == "rgb(138, 31, 26)"
    watch.assert_clean()


def test_ticked_claims_are_taken_and_assigned_without_javascript(new_context, live_server, worlds):
    base = live_server.base_url
    first, second = (w.unverified for w in worlds)
    context, watch = new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, base, "eddie")
    page.goto(f"{base}/claims?assignee=unassigned&sort=newest")
    page.locator(f"input[name=claim][value^='{first}:']").check()
    page.get_by_label("Assign them to").select_option(label="Rita Reviewer")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.wait_for_url(re.compile(r"/claims\?assignee=unassigned&sort=newest$"))
    assert f"Assigned 1 claim to Rita Reviewer: #{first}." in page.locator(".flashes").inner_text()
    assert page.locator(f"a.claim-link[href='/claims/{first}']").count() == 0  # no longer unassigned

    other, other_watch = new_context(java_script_enabled=False)
    page = other.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/claims?assignee=unassigned&sort=newest")
    page.locator(f"input[name=claim][value^='{second}:']").check()
    page.get_by_role("button", name="Take the ticked claims").click()
    page.wait_for_url(re.compile(r"/claims\?assignee=unassigned&sort=newest$"))
    assert f"You took 1 claim: #{second}." in page.locator(".flashes").inner_text()
    page.goto(f"{base}/claims?assignee=mine&sort=newest")
    assert page.locator(f"a.claim-link[href='/claims/{first}']").count() == 1
    assert page.locator(f"a.claim-link[href='/claims/{second}']").count() == 1
    watch.assert_clean()
    other_watch.assert_clean()
