"""Importing an article from its link: extraction, duplicates, the web review, the CLI and the API.

The web form and the API only queue the fetch; the worker's task (run here in
process, through its own function) fetches and stores the result, and saving
builds the article from that stored result.

Pages are saved files (tests/fixtures/intake/) served by a real HTTP server on
127.0.0.1, allowed through FACTCHECK_FETCH_ALLOW_HOSTS as an administrator
would allow an intranet host; nothing here mocks the HTTP layer.
"""

from __future__ import annotations

import re
import socket
import time
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text

from factcheck.cli import main
from factcheck.fetching.articles import ExtractionFailed, decompress_html, fetch_article
from factcheck.models import Article
from factcheck.services import articles as article_service
from factcheck.services.errors import DuplicateArticle
from factcheck.worker import tasks

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


# --- the web form: queue the fetch, the worker fetches, review, save ---------------------------


def _queued_imports(session) -> list[dict]:
    return [
        row.args
        for row in session.execute(
            text("SELECT args FROM procrastinate_jobs WHERE task_name = 'factcheck:fetch_link_import' "
                 "AND status = 'todo' ORDER BY id")
        )
    ]


def _run_import_jobs(database, session) -> list[dict]:
    """Run the queued fetch jobs through the worker's own task function, with their queued
    arguments, and take them off the queue as a worker would."""
    context = SimpleNamespace(additional_context={"database": database}, job=SimpleNamespace(attempts=0))
    results = [tasks.fetch_link_import.func(context, **args) for args in _queued_imports(session)]
    session.execute(text("DELETE FROM procrastinate_jobs WHERE task_name = 'factcheck:fetch_link_import'"))
    return results


def _submit(client, link: str) -> str:
    """Submit a link; the answer is a redirect to the import's page, whose path is returned."""
    response = client.post("/articles/from-link", {"link": link})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    path = response.headers["Location"]
    assert re.fullmatch(r"/articles/imports/\d+", path), path
    return path


def _no_network(monkeypatch):
    """Any Python-level DNS lookup or connection fails the test (libpq, below Python, still reaches the database)."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("network I/O during the request")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_importing_from_a_link_queues_the_fetch_then_shows_the_page_for_review_and_saves_it(
    pages, login, session, database, monkeypatch
):
    client = login("rita")
    new = client.get("/articles/new")
    assert "Import from a link" in new.get_data(as_text=True)
    link = f"{pages}/news-article.html"
    path = _submit(client, link)
    waiting = client.get(path)
    html = waiting.get_data(as_text=True)
    assert waiting.status_code == 200
    assert f"Fetching <a href=\"{link}\"" in html and "data-import-waiting" in html and "js/import_wait.js" in html
    assert 'http-equiv="refresh"' not in html  # no page that reloads itself on a timer (WCAG 2.2.1)
    assert f'href="{path}">Check again</a>' in html
    assert _queued_imports(session) == [{"link_import_id": int(path.rsplit("/", 1)[1])}]

    (result,) = _run_import_jobs(database, session)
    assert result["status"] == "ready"
    review = client.get(path)
    html = review.get_data(as_text=True)
    assert review.status_code == 200, html[:500]
    assert "data-import-waiting" not in html
    assert 'value="Missile strike hits border town, officials say"' in html
    assert 'value="Mara Okafor"' in html and 'value="The Harbour Courier"' in html and 'value="2026-12-05"' in html
    assert "killed 29 people and wounded 70 others" in html  # the text, read-only
    assert "Claims the tracker will suggest" in html and "<q>" in html
    assert session.execute(select(Article)).first() is None  # nothing saved yet

    # Saving builds the article from the stored text: no second fetch (any connection fails the test).
    with monkeypatch.context() as patched:
        attempts = _no_network(patched)
        saved = client.post(
            path,
            {"title": "Strike on Kessan kills 29", "outlet": "The Harbour Courier", "byline": "Mara Okafor",
             "published_on": "2026-12-05"},
        )
    assert attempts == []
    assert saved.status_code == 303, saved.get_data(as_text=True)[:1000]
    article = session.execute(select(Article)).scalar_one()
    assert saved.headers["Location"].endswith(f"/articles/{article.id}")
    assert article.title == "Strike on Kessan kills 29"
    assert article.canonical_url == "https://courier.example.org/world/2026/12/05/missile-strike-border-town"
    assert article.fetched_from == link and article.imported_by_id is not None
    assert decompress_html(article.raw_html) == NEWS.decode("utf-8")
    # The import now leads to its article; saving it again adds nothing.
    assert client.get(path).headers["Location"].endswith(f"/articles/{article.id}")
    assert client.post(path, {"title": "Again"}).status_code == 303
    assert len(session.execute(select(Article)).all()) == 1


def test_the_submit_does_no_network_io(login, monkeypatch):
    """The link's site accepts connections and never answers, and any Python-level DNS
    lookup or connection during the request fails the test; the form answers at once."""
    blocked = socket.socket()
    blocked.bind(("127.0.0.1", 0))
    blocked.listen(1)
    try:
        client = login("rita")
        client.get("/articles/new")
        with monkeypatch.context() as patched:
            attempts = _no_network(patched)
            started = time.monotonic()
            path = _submit(client, f"http://127.0.0.1:{blocked.getsockname()[1]}/story")
            answered = time.monotonic() - started
        assert attempts == [] and answered < 2.0
        assert "Fetching" in client.get(path).get_data(as_text=True)
    finally:
        blocked.close()


def test_the_waiting_page_stops_asking_by_itself_after_a_minute(login, session):
    """The page asks again by itself while a fetch can still be running, then says the
    worker may be down and leaves it to "Check again"."""
    client = login("rita")
    path = _submit(client, "https://news.example/story")
    assert "data-import-waiting" in client.get(path).get_data(as_text=True)
    session.execute(text("UPDATE link_imports SET created_at = created_at - interval '2 minutes'"))
    html = client.get(path).get_data(as_text=True)
    assert "data-import-waiting" not in html and "js/import_wait.js" not in html
    assert "may not be running" in html and f'href="{path}">Check again</a>' in html


def test_a_failed_fetch_is_explained_beside_the_field(pages, login, session, database):
    client = login("rita")
    cases = [
        (f"{pages}/report.pdf", "application/pdf"),
        ("http://10.0.0.7/story", "private or internal networks"),
        (f"{pages}/missing.html", "answered 404"),
        (f"{pages}/no-text.html", "No article text was found"),
    ]
    paths = [_submit(client, link) for link, _ in cases]
    assert [r["status"] for r in _run_import_jobs(database, session)] == ["failed"] * len(cases)
    for path, (link, message) in zip(paths, cases):
        html = client.get(path).get_data(as_text=True)
        error = re.search(r'<p class="field-error" id="link-error">(.*?)</p>', html, re.S)
        assert error and message in error.group(1).replace("&#39;", "'"), (link, html[:3000])
        assert f'value="{link}"' in html and "Fetch and review" in html  # the form, to try another link
    # A link that is not http(s) is refused by the form itself, and nothing is queued.
    response = client.post("/articles/from-link", {"link": "ftp://example.org/story"})
    assert response.status_code == 422 and "http:// and https://" in response.get_data(as_text=True)
    assert _queued_imports(session) == []


def test_someone_elses_import_is_not_found(pages, login, session, database):
    rita = login("rita")
    path = _submit(rita, f"{pages}/news-article.html")
    _run_import_jobs(database, session)
    ron = login("ron")
    assert ron.get(path).status_code == 404
    assert ron.post(path, {"title": "Mine now"}).status_code == 404
    assert ron.get("/articles/imports/999999").status_code == 404
    assert session.execute(select(Article)).first() is None
    assert login("eddie").get(path).status_code == 200  # editors see the desk's imports


def test_review_of_a_page_already_imported_links_to_it_and_saving_it_is_refused(pages, login, session, database):
    first = fetch_article(f"{pages}/news-article.html")
    (article,) = article_service.import_articles(session, [article_service.article_draft_from_page(first)], imported_by_id=None)
    client = login("rita")
    same_text = _submit(client, f"{pages}/same-text.html")
    same_address = _submit(client, f"{pages}/news-article-updated.html")
    _run_import_jobs(database, session)
    html = client.get(same_text).get_data(as_text=True)
    assert "This text is already imported" in html and f'href="/articles/{article.id}"' in html
    html = client.get(same_address).get_data(as_text=True)
    assert "An article from the same address is already imported" in html and f'href="/articles/{article.id}"' in html
    refused = client.post(same_text, {"title": "Copy"})
    assert refused.status_code == 409 and f'href="/articles/{article.id}"' in refused.get_data(as_text=True)
    assert len(session.execute(select(Article)).all()) == 1


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


def test_api_imports_from_a_url_through_the_worker(pages, app, session, users, database, monkeypatch):
    client = ApiClient(app.test_client(), make_token(session, users["rita"]))
    with monkeypatch.context() as patched:
        attempts = _no_network(patched)
        response = client.post("/api/v1/articles/from-url", json={"url": f"{pages}/news-article.html"})
    assert attempts == []
    assert response.status_code == 202, response.get_data(as_text=True)[:500]
    queued = response.get_json()
    assert queued["status"] == "pending" and queued["draft"] is None and queued["url"] == f"{pages}/news-article.html"
    location = response.headers["Location"]
    assert location.endswith(f"/api/v1/link-imports/{queued['id']}")
    assert client.get(location).get_json()["status"] == "pending"
    _run_import_jobs(database, session)
    ready = client.get(location).get_json()
    assert ready["status"] == "ready" and ready["error"] is None
    draft = ready["draft"]
    assert draft["title"] == "Missile strike hits border town, officials say" and draft["byline"] == "Mara Okafor"
    assert draft["canonical_url"] == "https://courier.example.org/world/2026/12/05/missile-strike-border-town"
    assert draft["body"].startswith("A missile strike on the border town of Kessan") and draft["warnings"] == []

    with monkeypatch.context() as patched:
        attempts = _no_network(patched)
        saved = client.post(f"/api/v1/link-imports/{queued['id']}/article", json={"byline": "M. Okafor"})
    assert attempts == []  # saved from the stored text
    assert saved.status_code == 201, saved.get_data(as_text=True)[:500]
    doc = saved.get_json()
    assert doc["title"] == "Missile strike hits border town, officials say" and doc["byline"] == "M. Okafor"
    assert doc["body"] == draft["body"] and doc["language"] == "en" and doc["fetched_from"] == f"{pages}/news-article.html"
    assert doc["suggestions"] and saved.headers["Location"].endswith(f"/api/v1/articles/{doc['id']}")
    assert client.get(location).get_json()["article_id"] == doc["id"]

    again = client.post("/api/v1/articles/from-url", json={"url": f"{pages}/same-text.html"})
    _run_import_jobs(database, session)
    duplicate = client.post(f"/api/v1/link-imports/{again.get_json()['id']}/article")
    assert duplicate.status_code == 409 and duplicate.get_json()["existing_article_id"] == doc["id"]

    refused = client.post("/api/v1/articles/from-url", json={"url": "http://192.168.0.1/"})
    assert refused.status_code == 202
    _run_import_jobs(database, session)
    failed = client.get(refused.headers["Location"]).get_json()
    assert failed["status"] == "failed" and "private network" in failed["error"] and failed["draft"] is None
    not_ready = client.post(f"/api/v1/link-imports/{failed['id']}/article")
    assert not_ready.status_code == 409
    assert client.post("/api/v1/articles/from-url", json={"url": "file:///etc/passwd"}).status_code == 422
    assert client.post("/api/v1/articles/from-url", json={"url": f"{pages}/x", "title": "T"}).status_code == 422

    # Someone else's import is not found.
    other = ApiClient(app.test_client(), make_token(session, users["ron"]))
    assert other.get(location).status_code == 404
    assert other.post(f"/api/v1/link-imports/{again.get_json()['id']}/article").status_code == 404
