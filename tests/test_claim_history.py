"""A claim's history pages by cursor: the claim page shows the latest events, earlier ones a link away."""

from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.models import Claim
from factcheck.services import workflow
from factcheck.services.claims import HISTORY_PER_PAGE


def _comments_on_page(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<p class="comment">note (\d+)</p>', page)]


def _link(page: str, rel: str) -> str | None:
    match = re.search(rf'<a rel="{rel}" href="([^"]+)"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_a_long_history_is_shown_latest_first_page_and_paged_back_to_the_start(login, session, seeded, users):
    claim = session.execute(select(Claim).order_by(Claim.id).limit(1)).scalar_one()
    total = 2 * HISTORY_PER_PAGE + 30
    for n in range(1, total + 1):
        workflow.add_comment(session, users["rita"].id, claim.id, f"note {n}")

    client = login("ron")
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert _comments_on_page(page) == list(range(total - HISTORY_PER_PAGE + 1, total + 1))
    assert _link(page, "next") is None

    seen = _comments_on_page(page)
    pages = 1
    while (earlier := _link(page, "prev")) is not None:
        page = client.get(earlier).get_data(as_text=True)
        seen = _comments_on_page(page) + seen
        pages += 1
        assert pages < 10
    assert seen == list(range(1, total + 1)), "every comment once, in order"
    assert "created" in page.lower() or "added" in page.lower()  # the claim's first event is on the first page

    later = _link(page, "next")
    assert later is not None
    assert _comments_on_page(client.get(later).get_data(as_text=True))[0] > seen[len(_comments_on_page(page)) - 1]


def test_a_garbage_history_cursor_shows_the_latest_history_with_a_notice(login, session, seeded):
    claim = session.execute(select(Claim).order_by(Claim.id).limit(1)).scalar_one()
    response = login("ron").get(f"/claims/{claim.id}?history=%%%not-a-cursor")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "That page link was not valid" in page


def test_history_links_on_a_redisplayed_form_lead_to_the_claim_page(login, session, seeded, users):
    """An empty comment redisplays the claim page at the comment URL (POST only); its history links must not."""
    claim = session.execute(select(Claim).order_by(Claim.id).limit(1)).scalar_one()
    for n in range(HISTORY_PER_PAGE + 5):
        workflow.add_comment(session, users["rita"].id, claim.id, f"note {n}")
    client = login("rita")
    client.get(f"/claims/{claim.id}")
    response = client.post(f"/claims/{claim.id}/comments", {"comment": ""})
    assert response.status_code == 422
    earlier = _link(response.get_data(as_text=True), "prev")
    assert earlier is not None and earlier.startswith(f"/claims/{claim.id}?history=")
    assert client.get(earlier).status_code == 200
