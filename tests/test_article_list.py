"""The article list: newest first, paged by key (Newer / Older, Newest / Oldest)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from factcheck.models import Article
from factcheck.services import articles as article_service
from factcheck.services.paging import AFTER

PER_PAGE = 3


@pytest.fixture
def listed(app, session):
    """Eight articles; two share an import time (the id breaks the tie). Newest first."""
    app.config["PER_PAGE"] = PER_PAGE
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    made = []
    for n in range(8):
        article = Article(title=f"Story {n}", body=f"Body of story {n}.")
        session.add(article)
        session.flush()
        made.append(article)
    times = [0, 1, 2, 3, 3, 5, 6, 7]  # hours; stories 3 and 4 were imported at the same moment
    for article, hours in zip(made, times):
        session.execute(update(Article).where(Article.id == article.id).values(imported_at=base + timedelta(hours=hours)))
    session.commit()
    return [f"Story {n}" for n in reversed(range(8))]


def _titles(page: str) -> list[str]:
    return re.findall(r'<a href="/articles/\d+">(Story \d)</a>', page)


def _link(page: str, label: str) -> str | None:
    match = re.search(rf'<a (?:rel="\w+" )?href="([^"]+)">[^<]*{label}', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_older_links_walk_the_whole_list_once(login, listed):
    client = login("rita")
    seen, url, pages = [], "/articles", 0
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += _titles(page)
        url = _link(page, "Older")
        pages += 1
        assert pages <= 5
    assert seen == listed and pages == 3
    # And Newer walks back up, page for page.
    back, url = [], _link(page, "Newer")
    while url:
        page = client.get(url).get_data(as_text=True)
        back = _titles(page) + back
        url = _link(page, "Newer")
    assert back == listed[:-2]  # the last page held the two oldest


def test_first_and_last_pages(login, listed):
    client = login("rita")
    first = client.get("/articles").get_data(as_text=True)
    assert _titles(first) == listed[:PER_PAGE]
    assert _link(first, "Newer") is None and _link(first, "Newest") is None
    last = client.get(_link(first, "Oldest")).get_data(as_text=True)
    assert _titles(last) == listed[-PER_PAGE:]
    assert _link(last, "Older") is None and _link(last, "Oldest") is None
    assert _titles(client.get(_link(last, "Newer")).get_data(as_text=True)) == listed[-2 * PER_PAGE:-PER_PAGE]
    assert "8 articles" in first


def test_the_service_pages_by_cursor(session, listed):
    page = article_service.list_articles(session, per_page=PER_PAGE)
    assert [r.title for r in page.rows] == listed[:3] and not page.nav.has_prev and page.nav.has_next
    second = article_service.list_articles(session, cursor=page.nav.next, per_page=PER_PAGE)
    assert [r.title for r in second.rows] == listed[3:6]
    oldest = article_service.list_articles(session, cursor=page.nav.last, per_page=PER_PAGE)
    assert [r.title for r in oldest.rows] == listed[5:] and not oldest.nav.has_next and oldest.nav.has_prev


@pytest.mark.parametrize("cursor", ["garbage", "12_x", "9" * 30, "eyJsIjoiY2xhaW1zOm5ld2VzdCIsImQiOiJ6In0", "", "%%%"])
def test_a_garbage_cursor_opens_the_first_page_with_a_notice(login, listed, cursor):
    client = login("rita")
    response = client.get("/articles", query_string={"cursor": cursor})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _titles(page) == listed[:PER_PAGE]
    if cursor:
        assert "That page link was not valid" in page


def test_a_cursor_past_the_end_shows_the_oldest_page(login, session, listed):
    """A link made when there were older articles (since deleted) lands on the last page, not an empty one."""
    final = session.execute(select(Article.imported_at, Article.id).order_by(Article.imported_at, Article.id).limit(1)).one()
    beyond = article_service.ARTICLE_ORDER.cursor(AFTER, (final.imported_at, final.id))
    page = login("rita").get("/articles", query_string={"cursor": beyond}).get_data(as_text=True)
    assert _titles(page) == listed[-PER_PAGE:]


@pytest.mark.parametrize("query", ["page=3", "after=1_1", "before=1_1", "last=1"])
def test_a_link_from_before_cursor_paging_opens_the_first_page(login, listed, query):
    client = login("rita")
    response = client.get(f"/articles?{query}")
    assert response.status_code == 302 and response.headers["Location"] == "/articles"
    assert "that link opens the newest articles" in client.get("/articles").get_data(as_text=True)
