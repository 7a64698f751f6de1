"""The article list: newest first, paged by key (Newer / Older, Newest / Oldest)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from factcheck.models import Article
from factcheck.services import articles as article_service

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


def test_the_service_pages_by_key(session, listed):
    page = article_service.list_articles(session, per_page=PER_PAGE)
    assert [r.title for r in page.rows] == listed[:3] and page.at_start and not page.at_end
    key = article_service.ArticleKey.parse(page.older)
    second = article_service.list_articles(session, after=key, per_page=PER_PAGE)
    assert [r.title for r in second.rows] == listed[3:6]
    oldest = article_service.list_articles(session, last=True, per_page=PER_PAGE)
    assert [r.title for r in oldest.rows] == listed[5:] and oldest.at_end and not oldest.at_start


@pytest.mark.parametrize(
    "query",
    ["after=garbage", "before=12_x", "after=" + "9" * 30 + "_1", "after=999999999999999999_1", "before=-999999999999999999_1", "before=1_99999999999", "after="],
)
def test_a_garbage_key_opens_the_first_page(login, listed, query):
    client = login("rita")
    response = client.get(f"/articles?{query}")
    assert response.status_code == 302 and response.headers["Location"] == "/articles"
    page = client.get("/articles").get_data(as_text=True)
    assert "That page link was not valid" in page and _titles(page) == listed[:PER_PAGE]


def test_a_page_past_the_end_says_so(login, listed):
    client = login("rita")
    response = client.get("/articles?after=0_1")  # older than everything
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "No articles on this page" in page and 'href="/articles"' in page
    assert "No articles yet" not in page


def test_an_old_numbered_page_link_opens_the_first_page(login, listed):
    client = login("rita")
    response = client.get("/articles?page=3")
    assert response.status_code == 302 and response.headers["Location"] == "/articles"
    assert "no longer numbered" in client.get("/articles").get_data(as_text=True)
