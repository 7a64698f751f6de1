"""Full-page screenshots of the main pages at 1280 px, for people to look at:
artifacts/screenshots/*.png (git-ignored; CI can keep them as artifacts)."""

from __future__ import annotations

import pytest

from .support import SCREENSHOT_DIR, article_id_by_title, claim_id_by_quote, login, png_size, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

NAMES = ["login", "queue", "claim", "article", "dashboard", "search", "admin-users", "conflict"]


def test_screenshots_of_the_main_pages(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    for name in NAMES:
        (SCREENSHOT_DIR / f"{name}.png").unlink(missing_ok=True)
    ctx, watch = new_context()
    page = ctx.new_page()

    page.goto(f"{base}/login")
    screenshot(page, "login")
    login(page, base, "ada")
    screenshot(page, "queue")
    claim_id = claim_id_by_quote(page, base, "the deaths of all 15 of its crewmembers", category="casualties")
    page.goto(f"{base}/claims/{claim_id}")
    screenshot(page, "claim")
    article_id = article_id_by_title(page, base, "Iran fires missiles at Islamist")
    page.goto(f"{base}/articles/{article_id}")
    screenshot(page, "article")
    page.goto(f"{base}/dashboard")
    expect(page.locator("svg.chart")).to_have_count(4)
    screenshot(page, "dashboard")
    page.goto(f"{base}/search?q=Deir+Ezzor")
    screenshot(page, "search")
    page.goto(f"{base}/admin/users")
    expect(page.locator("table.table tbody tr")).to_have_count(4)
    screenshot(page, "admin-users")

    # The conflict page: Eddie saves first, Ada's save of the same version is stopped.
    other_ctx, other_watch = new_context()
    eddie = other_ctx.new_page()
    login(eddie, base, "eddie")
    page.goto(f"{base}/claims/{claim_id}/edit")
    eddie.goto(f"{base}/claims/{claim_id}/edit")
    eddie.get_by_label("Claimant", exact=True).fill("Russian defence ministry")
    eddie.get_by_role("button", name="Save claim").click()
    expect(eddie.locator(".flash--success")).to_have_text("Claim saved.")
    page.get_by_label("Hedging words", exact=True).fill("according to Moscow")
    page.get_by_role("button", name="Save claim").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("changed while you were working")
    screenshot(page, "conflict")

    for name in NAMES:
        path = SCREENSHOT_DIR / f"{name}.png"
        assert path.is_file(), f"{path} was not written"
        width, height = png_size(path)
        assert width == 1280, f"{path}: {width} px wide"
        assert height >= 300, f"{path}: only {height} px high"
    watch.assert_clean(allow_console=(r"status of 409 \(CONFLICT\)",))
    other_watch.assert_clean()
