"""The read-only pages and the health check."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from factcheck import create_app
from factcheck.db import Database
from factcheck.models import Article, Claim


def test_health_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_503_when_the_database_is_down():
    down = Database.from_url("postgresql://postgres@127.0.0.1:1/nowhere", pool_pre_ping=False)
    app = create_app({"TESTING": True, "DATABASE": down, "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def _marked_text_per_claim(page: str) -> dict[int, str]:
    import re

    marks = re.findall(
        r'<a class="claim-mark[^"]*" href="#claim-\d+" title="Claim ([^"]+)" data-s="\d+">(.*?)</a>', page, re.S
    )
    texts: dict[int, str] = {}
    for ids, text in marks:
        for claim_id in ids.replace("#", "").split(", "):
            texts[int(claim_id)] = texts.get(int(claim_id), "") + html.unescape(text)
    return texts


def test_article_page_highlights_every_claim_exactly(login, seeded, session):
    client = login("rita")
    for article in session.execute(select(Article)).scalars():
        response = client.get(f"/articles/{article.id}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        marked = _marked_text_per_claim(page)
        claims = session.execute(select(Claim).where(Claim.article_id == article.id)).scalars().all()
        assert claims
        for claim in claims:
            assert marked.get(claim.id) == claim.quote, claim.id
            assert f'id="claim-{claim.id}"' in page


def test_articles_list_shows_counts(login, seeded, session):
    client = login("rita")
    page = client.get("/articles").get_data(as_text=True)
    for article in session.execute(select(Article)).scalars():
        assert html.escape(article.title, quote=False) in page
    assert "Did Iran Take Action Against ISIS" in page


def test_claims_list_counts_and_filters(login, seeded):
    client = login("rita")
    page = client.get("/claims").get_data(as_text=True)
    assert f"All <strong>{seeded.claims_added}</strong>" in page
    assert f"Unverified <strong>{seeded.claims_added}</strong>" in page
    verified = client.get("/claims?status=verified").get_data(as_text=True)
    assert "No claims match these filters." in verified
    by_category = client.get("/claims?category=distance").get_data(as_text=True)
    assert "flew 355 miles over Iraqi territory" in by_category
    assert "killed 29 people" not in by_category


def test_claims_list_paginates(login, seeded, app):
    """By cursor (tests/test_queue_paging.py walks it): Next and Last from the first page, Previous from the last."""
    client = login("rita")
    app.config["PER_PAGE"] = 10
    first = client.get("/claims").get_data(as_text=True)
    assert f"{seeded.claims_added:,} claims" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = re.search(r'<a href="([^"]+)">Last', first).group(1).replace("&amp;", "&")
    last = client.get(last).get_data(as_text=True)
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_claim_page_shows_quote_and_history(login, seeded, session):
    client = login("rita")
    claim = session.execute(select(Claim).where(Claim.quote == "killed 29 people")).scalar_one()
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "killed 29 people" in page
    assert "29 people" in page
    assert "created" in page.lower()


def test_missing_things_are_404_pages(login):
    client = login("rita")
    for url in ("/articles/999999", "/claims/999999", "/no-such-page"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Traceback" not in response.get_data(as_text=True)
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_logged_in_pages_answer_503_when_the_database_goes_down(login, app):
    client = login("rita")
    assert client.get("/claims").status_code == 200
    app.extensions["factcheck.db"] = Database.from_url("postgresql://postgres@127.0.0.1:1/down", pool_pre_ping=False)
    for url in ("/claims", "/claims/1", "/dashboard", "/search?q=x"):
        response = client.get(url)
        assert response.status_code == 503, url
        page = response.get_data(as_text=True)
        assert "Database unavailable" in page and "Traceback" not in page
        assert response.headers["Retry-After"] == "5"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_page_number_past_the_end_goes_to_the_last_page(login, seeded):
    """/claims?page=999999 must not say "Page 999999 of 2" or "No articles yet"."""
    client = login("eddie")
    response = client.get("/claims", query_string={"category": "event", "page": "999999"})
    assert response.status_code == 302  # the queue pages by cursor now: an old page number opens the first page
    assert response.headers["Location"] == "/claims?category=event"
    # The article list pages by key now: an old numbered link opens the first page.
    response = client.get("/articles", query_string={"page": "999999"})
    assert response.status_code == 302 and response.headers["Location"] == "/articles"
    assert "Iran fires missiles" in client.get("/articles").get_data(as_text=True)

    page = client.get("/activity", query_string={"page": "500"}, follow_redirects=True).get_data(as_text=True)
    assert "Nothing has happened yet" not in page
    assert "Pages are no longer numbered" in page
