"""Importing an article from its link: extraction, duplicates, the web review, the CLI and the API.

Pages are saved files (tests/fixtures/intake/) served by a real HTTP server on
127.0.0.1, allowed through FACTCHECK_FETCH_ALLOW_HOSTS as an administrator
would allow an intranet host; nothing here mocks the HTTP layer.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text

from factcheck.cli import main
from factcheck.intake.articles import ExtractionFailed, decompress_html, fetch_article
from factcheck.models import Article
from factcheck.services import articles as article_service
from factcheck.services.errors import DuplicateArticle

from .api_helpers import ApiClient, make_token
from .intake_pages import NEWS, page_server


@pytest.fixture(scope="module")
def pages():
    return page_server()


@pytest.fixture(autouse=True)
def _allow_the_local_page_server(monkeypatch):
    monkeypatch.setenv("FACTCHECK_FETCH_ALLOW_HOSTS", "127.0.0.1")


# --- extraction -------------------------------------------------------------------------------


def test_a_news_page_gives_its_text_and_metadata(pages):
    page = fetch_article(f"{pages}/news-article.html")
    assert page.title == "Missile strike hits border town, officials say"
    assert page.byline == "Mara Okafor"
    assert page.outlet == "The Harbour Courier"
    assert str(page.published_on) == "2026-12-05"
    assert page.canonical_url == "https://courier.example.org/world/2026/12/05/missile-strike-border-town"
    assert page.url == page.canonical_url and page.fetched_from == f"{pages}/news-article.html"
    assert page.language == "en"
    # The main text only, without the headline, the menu, the "most read" box or the footer.
    assert page.body.startswith("A missile strike on the border town of Kessan killed 29 people and wounded 70 others")
    assert page.body.endswith("who said more would arrive next week.")
    for noise in ("Most read", "Storm closes ports", "All rights reserved", "Subscribe"):
        assert noise not in page.body
    assert page.warnings == ()
    assert decompress_html(page.raw_html) == NEWS.decode("utf-8")


def test_a_redirected_link_is_filed_under_its_canonical_address(pages):
    page = fetch_article(f"{pages}/moved")
    assert page.requested_url == f"{pages}/moved"
    assert page.fetched_from == f"{pages}/news-article.html"
    assert page.url == "https://courier.example.org/world/2026/12/05/missile-strike-border-town"


def test_a_paywall_teaser_is_flagged_for_the_reviewer(pages):
    page = fetch_article(f"{pages}/paywall-teaser.html")
    assert page.title == "Inside the ceasefire talks"
    assert page.body.startswith("Negotiators met for a third day")
    assert any("subscribers only" in w for w in page.warnings)
    assert any(re.search(r"Only \d+ words", w) for w in page.warnings)


def test_an_arabic_page_keeps_its_script_and_language(pages, session, users):
    page = fetch_article(f"{pages}/arabic-article.html")
    assert page.language == "ar"
    assert page.title == "مقتل 29 شخصا في قصف صاروخي على بلدة حدودية"
    assert page.byline == "سلمى حداد" and page.outlet == "أخبار المثال"
    assert page.body.startswith("قالت وزارة الصحة الإقليمية")
    (article,) = article_service.import_articles(
        session, [article_service.article_draft_from_page(page)], imported_by_id=users["rita"].id
    )
    stored = session.get(Article, article.id)
    assert stored.body == page.body and stored.language == "ar"


def test_a_page_without_article_text_is_refused_with_a_reason(pages):
    with pytest.raises(ExtractionFailed, match="No article text was found"):
        fetch_article(f"{pages}/no-text.html")


# --- storing, and duplicates ------------------------------------------------------------------


def test_an_imported_page_keeps_its_source_and_a_compressed_copy(pages, session, users):
    page = fetch_article(f"{pages}/news-article.html")
    (article,) = article_service.import_articles(
        session, [article_service.article_draft_from_page(page, title="Strike on Kessan")], imported_by_id=users["rita"].id
    )
    stored = session.get(Article, article.id)
    assert stored.title == "Strike on Kessan"  # the reviewer's correction
    assert stored.body == page.body  # exactly as extracted
    assert stored.byline == "Mara Okafor" and stored.outlet == "The Harbour Courier"
    assert stored.url == stored.canonical_url == page.canonical_url
    assert stored.fetched_from == f"{pages}/news-article.html" and stored.fetched_at == page.fetched_at
    assert len(stored.raw_html) < len(NEWS) and decompress_html(stored.raw_html) == NEWS.decode("utf-8")
    suggestions = session.execute(
        text("SELECT quote, span_start, span_end FROM claim_candidates WHERE article_id = :id"), {"id": article.id}
    ).all()
    assert suggestions and all(stored.body[s:e] == q for q, s, e in suggestions)


def test_the_same_text_under_another_address_is_a_duplicate(pages, session, users):
    first = fetch_article(f"{pages}/news-article.html")
    (article,) = article_service.import_articles(session, [article_service.article_draft_from_page(first)], imported_by_id=None)
    copy = fetch_article(f"{pages}/same-text.html")
    assert copy.canonical_url != first.canonical_url and copy.body == first.body
    with pytest.raises(DuplicateArticle) as info:
        article_service.import_articles(session, [article_service.article_draft_from_page(copy)], imported_by_id=None)
    assert info.value.existing_id == article.id and "already imported" in info.value.problem


def test_another_text_at_the_same_canonical_address_is_a_duplicate(pages, session, users):
    first = fetch_article(f"{pages}/news-article.html")
    (article,) = article_service.import_articles(session, [article_service.article_draft_from_page(first)], imported_by_id=None)
    updated = fetch_article(f"{pages}/news-article-updated.html")
    assert updated.body != first.body and updated.canonical_url == first.canonical_url
    with pytest.raises(DuplicateArticle) as info:
        article_service.import_articles(session, [article_service.article_draft_from_page(updated)], imported_by_id=None)
    assert info.value.existing_id == article.id and "same address" in info.value.problem


# --- the web form: fetch, review, save ---------------------------------------------------------


def test_importing_from_a_link_shows_the_page_for_review_then_saves_it(pages, login, session):
    client = login("rita")
    new = client.get("/articles/new")
    assert "Import from a link" in new.get_data(as_text=True)
    review = client.post("/articles/from-link", {"link": f"{pages}/news-article.html"})
    html = review.get_data(as_text=True)
    assert review.status_code == 200, html[:500]
    assert 'value="Missile strike hits border town, officials say"' in html
    assert 'value="Mara Okafor"' in html and 'value="The Harbour Courier"' in html and 'value="2026-12-05"' in html
    assert "killed 29 people and wounded 70 others" in html  # the text, read-only
    assert "Claims the tracker will suggest" in html and "<q>" in html
    assert session.execute(select(Article)).first() is None  # nothing saved yet
    body_sha256 = re.search(r'name="body_sha256" type="hidden" value="([0-9a-f]{64})"', html)
    assert body_sha256, html[:2000]
    saved = client.post(
        "/articles/from-link/save",
        {
            "link": f"{pages}/news-article.html",
            "body_sha256": body_sha256.group(1),
            "title": "Strike on Kessan kills 29",
            "outlet": "The Harbour Courier",
            "byline": "Mara Okafor",
            "published_on": "2026-12-05",
        },
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)[:1000]
    article = session.execute(select(Article)).scalar_one()
    assert saved.headers["Location"].endswith(f"/articles/{article.id}")
    assert article.title == "Strike on Kessan kills 29"
    assert article.canonical_url == "https://courier.example.org/world/2026/12/05/missile-strike-border-town"
    assert article.imported_by_id is not None


def test_a_refused_link_is_explained_beside_the_field(pages, login):
    client = login("rita")
    for link, message in [
        (f"{pages}/report.pdf", "application/pdf"),
        ("http://10.0.0.7/story", "private or internal networks"),
        (f"{pages}/missing.html", "answered 404"),
        (f"{pages}/no-text.html", "No article text was found"),
        ("ftp://example.org/story", "http:// and https://"),
    ]:
        response = client.post("/articles/from-link", {"link": link})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, link
        error = re.search(r'<p class="field-error" id="link-error">(.*?)</p>', html, re.S)
        assert error and message in error.group(1).replace("&#39;", "'"), (link, html[:3000])


def test_review_of_a_page_already_imported_links_to_it(pages, login, session, users):
    first = fetch_article(f"{pages}/news-article.html")
    (article,) = article_service.import_articles(session, [article_service.article_draft_from_page(first)], imported_by_id=None)
    client = login("rita")
    html = client.post("/articles/from-link", {"link": f"{pages}/same-text.html"}).get_data(as_text=True)
    assert "This text is already imported" in html
    assert f'href="/articles/{article.id}"' in html
    html = client.post("/articles/from-link", {"link": f"{pages}/news-article-updated.html"}).get_data(as_text=True)
    assert "An article from the same address is already imported" in html and f'href="/articles/{article.id}"' in html


def test_saving_refuses_a_text_other_than_the_one_reviewed(pages, login, session):
    client = login("rita")
    response = client.post(
        "/articles/from-link/save",
        {"link": f"{pages}/news-article.html", "body_sha256": "0" * 64, "title": "Edited"},
    )
    assert response.status_code == 409
    assert "changed since you fetched it" in response.get_data(as_text=True)
    assert session.execute(select(Article)).first() is None


# --- the command line -------------------------------------------------------------------------


def _articles(url: str) -> list[tuple[str, str | None]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT title, canonical_url FROM articles ORDER BY id"))]
    finally:
        engine.dispose()


def test_cli_imports_files_and_links_together(pages, fresh_db_url, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Port story\n\nFour systems were withdrawn from the port on Monday.\n")
    result = CliRunner().invoke(
        main, ["import", str(story), f"{pages}/news-article.html", f"{pages}/paywall-teaser.html"],
        env={"DATABASE_URL": fresh_db_url, "FACTCHECK_FETCH_ALLOW_HOSTS": "127.0.0.1"},
    )
    assert result.exit_code == 0, result.stderr
    assert "subscribers only" in result.stderr  # the teaser's warning, on stderr
    assert _articles(fresh_db_url) == [
        ("Port story", None),
        ("Missile strike hits border town, officials say", "https://courier.example.org/world/2026/12/05/missile-strike-border-town"),
        ("Inside the ceasefire talks", "https://ledger.example.com/analysis/inside-the-ceasefire-talks"),
    ]


def test_cli_reports_each_failed_link_and_imports_nothing(pages, fresh_db_url, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Port story\n\nFour systems were withdrawn from the port on Monday.\n")
    result = CliRunner().invoke(
        main, ["import", str(story), f"{pages}/report.pdf", "http://127.0.0.5/x"],
        env={"DATABASE_URL": fresh_db_url, "FACTCHECK_FETCH_ALLOW_HOSTS": "127.0.0.1"},
    )
    assert result.exit_code == 1
    assert "nothing imported" in result.stderr
    assert f"{pages}/report.pdf: " in result.stderr and "application/pdf" in result.stderr
    assert "http://127.0.0.5/x: " in result.stderr and "loopback" in result.stderr
    assert _articles(fresh_db_url) == []


# --- the API ----------------------------------------------------------------------------------


def test_api_imports_from_a_url(pages, app, session, users):
    client = ApiClient(app.test_client(), make_token(session, users["rita"]))
    response = client.post("/api/v1/articles/from-url", json={"url": f"{pages}/news-article.html", "byline": "M. Okafor"})
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    doc = response.get_json()
    assert doc["title"] == "Missile strike hits border town, officials say" and doc["byline"] == "M. Okafor"
    assert doc["canonical_url"] == "https://courier.example.org/world/2026/12/05/missile-strike-border-town"
    assert doc["language"] == "en" and doc["fetched_from"] == f"{pages}/news-article.html" and doc["fetched_at"]
    assert doc["suggestions"] and doc["warnings"] == []
    again = client.post("/api/v1/articles/from-url", json={"url": f"{pages}/same-text.html"})
    assert again.status_code == 409 and again.get_json()["existing_article_id"] == doc["id"]
    refused = client.post("/api/v1/articles/from-url", json={"url": "http://192.168.0.1/"})
    assert refused.status_code == 422
    problem = refused.get_json()
    assert problem["reason"] == "private-address" and "private network" in problem["errors"]["url"][0]
    assert client.post("/api/v1/articles/from-url", json={"url": "file:///etc/passwd"}).status_code == 422
