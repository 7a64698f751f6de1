"""The dashboard's backlog figures, read as an editor reads them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from .support import login

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
