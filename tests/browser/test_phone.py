"""On a phone (390x844, the width of a common handset), the header leaves the
screen to the page and no page scrolls sideways.

The header keeps its links in one row that scrolls sideways inside itself (the
page does not), so it takes at most a fifth of the first screen; every page is
at most as wide as the screen (``document.documentElement.scrollWidth``), as
the admin, who has the most links in the header.
"""

from __future__ import annotations

import uuid

import pytest

from .support import build_claim_world, header_share, login, page_scroll_width, wider_than

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
MAX_HEADER_SHARE = 0.20

PAGES = {
    "queue": "/claims",
    "my queue": "/claims?assignee=mine",
    "claim in review": "/claims/{w.in_review}",
    "claim pending approval": "/claims/{w.pending}",
    "claim edit": "/claims/{w.in_review}/edit",
    "article": "/articles/{w.article_id}",
    "accept a suggestion": "/articles/{w.article_id}/candidates/{w.candidate_id}/accept",
    "articles": "/articles",
    "new article": "/articles/new",
    "dashboard": "/dashboard",
    "activity": "/activity",
    "search": "/search?q=Deir+Ezzor",
    "search, nothing found": "/search?q=" + "unfindable" * 30,
    "aliases": "/aliases",
    "admin users": "/admin/users",
    "admin user": "/admin/users/{w.user_ids[rita]}",
    "account": "/account/password",
}


@pytest.fixture(scope="module")
def world(live_server):
    return build_claim_world(live_server.database_url, f"phone {uuid.uuid4().hex[:8]}")


def _phone_page(new_context, base: str, username: str | None):
    context, watch = new_context(**PHONE)
    page = context.new_page()
    if username:
        login(page, base, username)
    return page, watch


@pytest.mark.parametrize("name", list(PAGES))
def test_header_is_small_and_page_fits_the_phone(new_context, live_server, world, name):
    base = live_server.base_url
    page, watch = _phone_page(new_context, base, "ada")
    response = page.goto(base + PAGES[name].format(w=world))
    assert response.status == 200, response.status
    share = header_share(page)
    assert share <= MAX_HEADER_SHARE, f"{name}: the header takes {share:.0%} of the first screen"
    width = page_scroll_width(page)
    assert width <= 390, f"{name}: the page is {width} px wide at 390 px: {wider_than(page, 390)}"
    watch.assert_clean()


def test_login_page_fits_the_phone(new_context, live_server):
    page, watch = _phone_page(new_context, live_server.base_url, None)
    page.goto(f"{live_server.base_url}/login")
    assert header_share(page) <= MAX_HEADER_SHARE
    assert page_scroll_width(page) <= 390, wider_than(page, 390)
    watch.assert_clean()


def test_every_header_link_is_reachable_on_the_phone(new_context, live_server):
    """The links that do not fit scroll into view inside the header's row: the
    last one (Webhooks) can be tapped, and the page itself never moved sideways."""
    base = live_server.base_url
    page, watch = _phone_page(new_context, base, "ada")
    nav = page.get_by_role("navigation", name="Main")
    names = [" ".join(t.split()) for t in nav.get_by_role("link").all_inner_texts()]
    assert names == ["Claims", "My queue", "Articles", "Dashboard", "Aliases", "Activity", "Users", "Webhooks"], names
    box = nav.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    last = nav.get_by_role("link", name="Webhooks", exact=True)
    last.tap()
    page.wait_for_url(f"{base}/admin/webhooks")
    assert page.get_by_role("heading", name="Webhooks", level=1).is_visible()
    assert page.evaluate("window.scrollX") == 0
    # The current page is marked in the header, whichever link it is.
    assert nav.locator("[aria-current=page]").all_inner_texts() == ["Webhooks"]
    page.goto(f"{base}/claims?assignee=mine")
    assert nav.locator("[aria-current=page]").all_inner_texts() == ["My queue"]
    watch.assert_clean()
