"""Evidence from a link (issue 16): a reviewer gives a link; the title, publisher and
date left blank are filled in from the page by a job of `factcheck worker`, through
the safe fetcher, so the form never waits on the page's site.

The pages come from a real HTTP server on 127.0.0.1 (allowed through
FACTCHECK_FETCH_ALLOW_HOSTS, as an administrator would allow an intranet host);
nothing of the HTTP layer is mocked. Each test has a database of its own with real
commits, because the job runs in a transaction (or a process) of its own.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text
from sqlalchemy.pool import NullPool

from factcheck import create_app
from factcheck.db import Database
from factcheck.fetching import fetch as fetcher
from factcheck.models import ClaimEvent, Evidence, Role
from factcheck.services import evidence_details, seeding, workflow
from factcheck.services import users as user_service
from factcheck.worker import tasks

from .api_helpers import ApiClient, make_token
from .conftest import PASSWORD
from .helpers import WebClient

ARTICLE = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Port strike toll rises | Gulf Wire</title>
<meta property="og:title" content="Port strike toll rises to 31, ministry says">
<meta property="og:site_name" content="Gulf Wire">
<meta property="article:published_time" content="2026-11-30T08:15:00+00:00">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Port strike toll rises to 31",
 "datePublished": "2026-11-30T08:15:00Z", "publisher": {"@type": "Organization", "name": "Gulf Wire Ltd"}}
</script>
</head><body><article><h1>Port strike toll rises to 31</h1><p>The ministry said…</p></article></body></html>
"""

JSON_LD_ONLY = """<!doctype html><html><head><meta charset="utf-8"><title>x</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Site"},
 {"@type": "NewsArticle", "headline": "Missile range table, updated", "datePublished": "2025-03-04",
  "publisher": [{"@type": "Organization", "name": "Arms Monitor"}]}]}
</script></head><body></body></html>
"""

TITLE_ONLY = """<!doctype html><html><head><title>
  Ministry statement on the strike
</title></head><body><p>Text.</p></body></html>"""


class Pages:
    """The local site: what it serves, how often it was asked, and a gate that holds
    every answer back while it is closed (a site that does not answer)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.open = threading.Event()
        self.open.set()
        self.release = threading.Event()  # ends a slow answer when the test is over
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: str = "", headers: dict | None = None) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                pages.hits.append(self.path)
                pages.open.wait(30)
                if self.path == "/article":
                    self._send(200, ARTICLE)
                elif self.path == "/json-ld":
                    self._send(200, JSON_LD_ONLY)
                elif self.path == "/title-only":
                    self._send(200, TITLE_ONLY)
                elif self.path == "/to-private":
                    # The cloud metadata address: a classic target of a link typed into a form.
                    self._send(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
                elif self.path == "/slow":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(b"<html><head>")
                    self.wfile.flush()
                    pages.release.wait(30)  # then nothing more, until the test ends
                else:
                    self._send(404, "<title>Not here</title>")

        return Handler

    def __enter__(self) -> "Pages":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.open.set()
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def pages(monkeypatch):
    monkeypatch.setenv("FACTCHECK_FETCH_ALLOW_HOSTS", "127.0.0.1")
    with Pages() as site:
        yield site


@pytest.fixture
def desk(fresh_db_url):
    """A database of its own (real commits), seeded, with a reviewer who has a claim in review."""
    database = Database.from_url(fresh_db_url, poolclass=NullPool)
    with database.session() as session:
        seeding.seed(session)
        rita = user_service.create_user(session, username="rita", password=PASSWORD, role=Role.REVIEWER)
        claim_id = session.execute(text("SELECT min(id) FROM claims")).scalar_one()
        workflow.take_claim(session, rita.id, claim_id)
        rita_id = rita.id
    app = create_app({"TESTING": True, "DATABASE": database, "SECRET_KEY": "test-secret-key"})
    yield SimpleNamespace(database=database, url=fresh_db_url, app=app, rita=rita_id, claim=claim_id)
    database.dispose()


def _login(app) -> WebClient:
    client = WebClient(app.test_client())
    client.get("/login")
    response = client.post("/login", {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302
    client.forget_token()
    client.get(response.headers["Location"], follow_redirects=True)
    return client


def _add(client: WebClient, claim_id: int, **fields):
    client.get(f"/claims/{claim_id}")
    return client.post(f"/claims/{claim_id}/evidence", {"stance": "supports", **fields})


def _evidence(desk) -> list[Evidence]:
    with desk.database.session() as session:
        return list(session.execute(select(Evidence).order_by(Evidence.id)).scalars())


def _queued(desk) -> list[dict]:
    with desk.database.session() as session:
        return [
            dict(row._mapping)
            for row in session.execute(
                text("SELECT args FROM procrastinate_jobs WHERE task_name = 'factcheck:fill_evidence_details' "
                     "AND status = 'todo' ORDER BY id")
            )
        ]


def _run_queued_jobs(desk) -> list[dict]:
    """Run the queued fill jobs through the worker's own task function, with their queued arguments."""
    context = SimpleNamespace(additional_context={"database": desk.database}, job=SimpleNamespace(attempts=0))
    return [tasks.fill_evidence_details.func(context, **job["args"]) for job in _queued(desk)]


def _claim_page(client: WebClient, claim_id: int) -> str:
    response = client.get(f"/claims/{claim_id}")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _history(desk) -> list[ClaimEvent]:
    with desk.database.session() as session:
        return list(
            session.execute(
                select(ClaimEvent).where(ClaimEvent.claim_id == desk.claim).order_by(ClaimEvent.id)
            ).scalars()
        )


def test_a_link_alone_is_saved_at_once_and_its_title_publisher_and_date_come_from_the_page(desk, pages):
    client = _login(desk.app)
    url = f"{pages.base}/article"
    response = _add(client, desk.claim, url=url)
    assert response.status_code == 303
    (item,) = _evidence(desk)
    # Saved as given: the link stands for the title until the page's own arrives.
    assert (item.title, item.publisher, item.published_on, item.details_status) == (url, None, None, "pending")
    assert _queued(desk) == [{"args": {"evidence_id": item.id}}]
    page = _claim_page(client, desk.claim)
    assert "Fetching the page’s details…" in page
    assert pages.hits == []  # nothing was fetched by the request

    assert _run_queued_jobs(desk) == [
        {"evidence_id": item.id, "details": "filled", "filled": ["published_on", "publisher", "title"]}
    ]
    assert pages.hits == ["/article"]
    (item,) = _evidence(desk)
    # OpenGraph first, JSON-LD where OpenGraph says nothing.
    assert item.title == "Port strike toll rises to 31, ministry says"
    assert item.publisher == "Gulf Wire"
    assert item.published_on == date(2026, 11, 30)
    assert (item.details_status, item.details_error) == ("filled", None)

    page = _claim_page(client, desk.claim)
    assert "Fetching the page’s details…" not in page
    assert ">Port strike toll rises to 31, ministry says</a>" in page
    assert "— Gulf Wire" in page and "Published 2026-11-30" in page
    # The history says what the page filled in, by no person.
    last = _history(desk)[-1]
    assert last.actor_id is None and last.action == "evidence_edited"
    assert last.details["changes"]["title"] == [url, "Port strike toll rises to 31, ministry says"]
    assert "filled in the title, publisher and page's date of evidence" in page
    # The filled fields are editable as any others.
    edit = client.get(f"/evidence/{item.id}/edit").get_data(as_text=True)
    assert 'value="Gulf Wire"' in edit and 'value="2026-11-30"' in edit


def test_json_ld_alone_gives_the_details(desk, pages):
    client = _login(desk.app)
    _add(client, desk.claim, url=f"{pages.base}/json-ld")
    _run_queued_jobs(desk)
    (item,) = _evidence(desk)
    assert (item.title, item.publisher, item.published_on) == (
        "Missile range table, updated", "Arms Monitor", date(2025, 3, 4)
    )


def test_a_page_with_only_a_title_fills_in_the_title_and_leaves_the_rest_blank(desk, pages):
    client = _login(desk.app)
    _add(client, desk.claim, url=f"{pages.base}/title-only")
    (result,) = _run_queued_jobs(desk)
    assert result["filled"] == ["title"]
    (item,) = _evidence(desk)
    assert (item.title, item.publisher, item.published_on, item.details_status) == (
        "Ministry statement on the strike", None, None, "filled"
    )


def test_a_title_the_reviewer_typed_is_never_overwritten(desk, pages):
    client = _login(desk.app)
    _add(client, desk.claim, url=f"{pages.base}/article", title="My own title")
    _run_queued_jobs(desk)
    (item,) = _evidence(desk)
    assert item.title == "My own title"  # typed: kept
    assert (item.publisher, item.published_on) == ("Gulf Wire", date(2026, 11, 30))  # blank: filled
    assert set(_history(desk)[-1].details["changes"]) == {"publisher", "published_on"}


def test_what_a_reviewer_edits_while_the_job_waits_is_kept(desk, pages):
    client = _login(desk.app)
    url = f"{pages.base}/article"
    _add(client, desk.claim, url=url)
    (item,) = _evidence(desk)
    client.get(f"/evidence/{item.id}/edit")
    response = client.post(
        f"/evidence/{item.id}/edit",
        {"url": url, "title": "Edited meanwhile", "publisher": "", "stance": "supports", "accessed_on": ""},
    )
    assert response.status_code == 303
    _run_queued_jobs(desk)
    (item,) = _evidence(desk)
    assert item.title == "Edited meanwhile"
    assert item.publisher == "Gulf Wire"  # still blank when the job ran: filled
    # A second run of the same job (a worker died after it) changes nothing.
    context = SimpleNamespace(additional_context={"database": desk.database})
    assert tasks.fill_evidence_details.func(context, evidence_id=item.id) == {
        "evidence_id": item.id, "skipped": "not pending"
    }


def test_all_details_given_queue_no_job(desk, pages):
    client = _login(desk.app)
    _add(client, desk.claim, url=f"{pages.base}/article", title="T", publisher="P", published_on="2026-11-01")
    (item,) = _evidence(desk)
    assert item.details_status is None and _queued(desk) == []
    assert "Fetching" not in _claim_page(client, desk.claim)


def test_a_redirect_to_a_private_address_is_refused_and_the_reason_shown(desk, pages):
    client = _login(desk.app)
    url = f"{pages.base}/to-private"
    _add(client, desk.claim, url=url)
    before = len(_history(desk))
    (result,) = _run_queued_jobs(desk)
    assert result["details"] == "failed" and result["reason"] == "private-address"
    (item,) = _evidence(desk)
    assert (item.title, item.publisher, item.details_status) == (url, None, "failed")
    assert "169.254.169.254 is a link-local address" in item.details_error
    assert len(_history(desk)) == before  # nothing was filled in
    page = _claim_page(client, desk.claim)
    assert "The page’s details could not be filled in: 169.254.169.254 is a link-local address" in page
    assert "Fetching the page’s details…" not in page


def test_a_slow_page_does_not_hold_the_form_and_its_job_times_out(desk, pages, monkeypatch):
    monkeypatch.setattr(fetcher, "READ_TIMEOUT", 0.5)
    monkeypatch.setattr(fetcher, "TOTAL_DEADLINE", 2.0)
    client = _login(desk.app)
    client.get(f"/claims/{desk.claim}")
    started = time.monotonic()
    response = client.post(f"/claims/{desk.claim}/evidence", {"url": f"{pages.base}/slow", "stance": "context"})
    answered = time.monotonic() - started
    assert response.status_code == 303 and answered < 2.0, answered
    assert pages.hits == []

    started = time.monotonic()
    (result,) = _run_queued_jobs(desk)
    assert time.monotonic() - started < 5  # cut off, not waiting for the site
    assert result["details"] == "failed" and result["reason"] == "timeout"
    (item,) = _evidence(desk)
    assert item.details_status == "failed" and "stopped" in item.details_error
    assert item.details_error in _claim_page(client, desk.claim)


def test_the_add_evidence_request_does_no_network_io(desk, pages, monkeypatch):
    """The site does not answer at all (its gate is shut), and any Python-level
    connection or DNS lookup during the request fails the test; the form still
    answers at once. (The database is reached by libpq, below Python's socket.)"""
    client = _login(desk.app)
    client.get(f"/claims/{desk.claim}")
    pages.open.clear()
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("network I/O during the request")

    with monkeypatch.context() as patched:
        patched.setattr(socket, "getaddrinfo", refuse)
        patched.setattr(socket, "create_connection", refuse)
        started = time.monotonic()
        response = client.post(f"/claims/{desk.claim}/evidence", {"url": f"{pages.base}/article", "stance": "refutes"})
        answered = time.monotonic() - started
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert answered < 2.0 and attempts == [] and pages.hits == []
    pages.open.set()
    (result,) = _run_queued_jobs(desk)
    assert result["details"] == "filled"


def test_the_api_adds_evidence_at_once_and_fills_in_blank_fields_later(desk, pages):
    with desk.database.session() as session:
        rita = user_service.active_user(session, desk.rita)
        token = make_token(session, rita)
    api = ApiClient(desk.app.test_client(), token)
    url = f"{pages.base}/article"
    response = api.post(f"/api/v1/claims/{desk.claim}/evidence", json={"url": url, "stance": "supports"})
    assert response.status_code == 201, response.get_json()
    doc = response.get_json()
    assert (doc["title"], doc["publisher"], doc["published_on"], doc["details_status"]) == (url, None, None, "pending")
    assert pages.hits == []
    _run_queued_jobs(desk)
    claim = api.get(f"/api/v1/claims/{desk.claim}").get_json()
    (item,) = [e for e in claim["evidence"] if e["id"] == doc["id"]]
    assert (item["title"], item["publisher"], item["published_on"], item["details_status"]) == (
        "Port strike toll rises to 31, ministry says", "Gulf Wire", "2026-11-30", "filled"
    )


def test_factcheck_worker_fills_in_the_details(desk, pages):
    client = _login(desk.app)
    _add(client, desk.claim, url=f"{pages.base}/article")
    env = {**os.environ, "DATABASE_URL": desk.url, "FACTCHECK_LOG_LEVEL": "INFO", "FACTCHECK_FETCH_ALLOW_HOSTS": "127.0.0.1"}
    result = subprocess.run(
        [sys.executable, "-m", "factcheck.cli", "worker", "--once", "--concurrency", "1"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    (job,) = [line for line in lines if line.get("task") == "factcheck:fill_evidence_details"]
    assert job["status"] == "succeeded" and job["details"] == "filled"
    assert job["filled"] == ["published_on", "publisher", "title"]
    (item,) = _evidence(desk)
    assert (item.title, item.details_status) == ("Port strike toll rises to 31, ministry says", "filled")
    assert pages.hits == ["/article"]


@pytest.mark.parametrize(
    "html, expected",
    [
        # A date in the future is a page's mistake, not its date.
        ('<meta property="article:published_time" content="2999-01-01"><title>T</title>', ("T", None, None)),
        # twitter:title when there is no OpenGraph title; whitespace collapsed.
        ('<meta name="twitter:title" content="  A \n title "><title>Other</title>', ("A title", None, None)),
        # The common date tags, and a publisher name given as a plain string in JSON-LD.
        ('<meta name="dc.date" content="2024-02-29"><script type="application/ld+json">'
         '{"@type": "Article", "publisher": "Wire"}</script>', (None, "Wire", date(2024, 2, 29))),
        # Broken JSON-LD is skipped, not fatal.
        ('<script type="application/ld+json">{not json</script><title>Still</title>', ("Still", None, None)),
        ("", (None, None, None)),
    ],
)
def test_page_details_read_what_the_page_says_about_itself(html, expected):
    details = evidence_details.page_details(f"<html><head>{html}</head><body></body></html>".encode() if html else b"")
    assert (details.title, details.publisher, details.published_on) == expected


def test_a_long_title_is_cut_to_the_column():
    details = evidence_details.page_details(f"<title>{'word ' * 100}</title>".encode())
    assert len(details.title) == 300 and details.title.endswith("…")
