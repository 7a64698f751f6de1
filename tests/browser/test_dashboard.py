"""The dashboard's backlog figures, read as an editor reads them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from .support import axe_violations, describe_violations, login, page_scroll_width, wider_than

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

AGE = re.compile(r"created (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC \(([\d.]+) (min|hours|days) old\)")


def test_oldest_unverified_claim_age_is_measured_to_now(new_context, live_server):
    now = datetime.now(timezone.utc)
    to_midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), timezone.utc) - now
    if to_midnight < timedelta(minutes=20):
        pytest.skip("within 20 minutes of midnight UTC the wrong and the right age look alike")
    ctx, watch = new_context()
    page = ctx.new_page()
    login(page, live_server.base_url, "eddie")
    page.goto(f"{live_server.base_url}/dashboard")
    text = page.locator("#backlog ~ dl.fields div", has_text="Oldest unverified").locator("dd").inner_text()
    match = AGE.search(text)
    assert match, text
    created = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)
    shown = float(match.group(2)) * {"min": 1, "hours": 60, "days": 1440}[match.group(3)]
    actual = (datetime.now(timezone.utc) - created).total_seconds() / 60  # created is shown to the minute
    assert abs(shown - actual) <= 10, f"shown {match.group(2)} {match.group(3)} old, but created {actual:.0f} min ago: {text!r}"
    watch.assert_clean()


# Controls a keyboard reaches, and elements whose children a screen reader treats as
# one thing (an image's parts are presentational): a control inside either is lost.
NESTED_CONTROLS = """() => {
    const control = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const holder = control + ', [role=img], [role=button], [role=link]';
    return [...document.querySelectorAll(control)]
        .filter(el => el.parentElement && el.parentElement.closest(holder))
        .map(el => `${el.tagName.toLowerCase()} in ${el.parentElement.closest(holder).tagName.toLowerCase()}`);
}"""


def test_dashboard_has_no_control_inside_another_or_inside_a_chart_image(new_context, live_server):
    ctx, watch = new_context(bypass_csp=True)
    page = ctx.new_page()
    login(page, live_server.base_url, "eddie")
    page.goto(f"{live_server.base_url}/dashboard")
    assert page.locator("svg.chart").count() == 4
    assert page.evaluate(NESTED_CONTROLS) == []
    nested = [v for v in axe_violations(page, ("minor", "moderate", "serious", "critical")) if v["id"] == "nested-interactive"]
    assert nested == [], describe_violations("/dashboard", nested)
    # Every bar's figure is still one click away, in the table beside its chart.
    assert page.locator("#by-status ~ .table-scroll a[href*='status=unverified']").count() == 1
    watch.assert_clean()


@pytest.mark.parametrize("query", ["", "?created_from=2026-01-01&created_to=2026-12-31&category=casualties"])
def test_dashboard_fits_a_phone_without_sideways_scrolling(new_context, live_server, query):
    ctx, watch = new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    login(page, live_server.base_url, "eddie")
    page.goto(f"{live_server.base_url}/dashboard{query}")
    assert page_scroll_width(page) <= 390, wider_than(page, 390)
    # Readable at a glance: the counts, the verdict bars and the filters sit on the screen, the bars at its width.
    verdict_chart = "svg[aria-labelledby='chart-verdict-title']"
    for selector in ("#by-status ~ .table-scroll table", verdict_chart, "form.filters button[type=submit]"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (selector, box)
    assert page.locator(verdict_chart).bounding_box()["width"] >= 300
    wide_tables = page.evaluate(
        "() => [...document.querySelectorAll('main table')].filter(t => t.scrollWidth > t.parentElement.clientWidth + 1"
        " && getComputedStyle(t.parentElement).overflowX !== 'auto').length")
    assert wide_tables == 0
    watch.assert_clean()
