"""Feeds (issue 16): subscribe, poll with conditional GET, import new items once, record
errors per feed, honour robots.txt, triage what arrives. Against a real local HTTP
server (tests/feed_site.py) on 127.0.0.1, allowed through FACTCHECK_FETCH_ALLOW_HOSTS;
nothing of the HTTP layer is mocked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from factcheck.fetching import fetch as fetch_module
from factcheck.models import Article, ArticleIntake, Feed, FeedItem, IntakeStatus, ItemOutcome
from factcheck.services import feeds
from factcheck.services.errors import PermissionDenied, ValidationFailed
from tests.feed_site import FeedDoc, NewsSite


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("FACTCHECK_FETCH_ALLOW_HOSTS", "127.0.0.1")
    fetch_module._robots_cache.clear()
    news = NewsSite()
    news.feeds["/rss.xml"] = FeedDoc("rss", "World (RSS)", [2, 1])
    news.feeds["/atom.xml"] = FeedDoc("atom", "Region (Atom)", [12, 11, 10])
    yield news
    news.close()
    fetch_module._robots_cache.clear()


def _poll_and_import(session, feed_id: int) -> feeds.PollReport:
    """What a worker does for one feed: the poll job, then each new item's import job."""
    report = feeds.poll_feed(session, feed_id, force=True, queue_imports=False)
    for item_id in report.new_items:
        feeds.import_feed_item(session, item_id)
    return report


def _intake(session):
    return session.execute(select(ArticleIntake.article_id, ArticleIntake.feed_id, ArticleIntake.status)).all()


def test_rss_and_atom_feeds_import_new_items_and_answer_304_when_unchanged(session, users, site):
    editor = users["eddie"].id
    rss = feeds.subscribe(session, editor, site.base + "/rss.xml")
    atom = feeds.subscribe(session, editor, site.base + "/atom.xml")
    assert (rss.title, atom.title) == ("World (RSS)", "Region (Atom)")
    # Subscribing queues the first poll for the worker, under the feed's lock.
    queued = session.execute(
        text("SELECT args->>'feed_id', lock FROM procrastinate_jobs WHERE task_name = 'factcheck:poll_feed' ORDER BY id")
    ).all()
    assert queued == [(str(rss.id), f"feed:{rss.id}"), (str(atom.id), f"feed:{atom.id}")]

    first = _poll_and_import(session, rss.id)
    assert first.status == "ok" and len(first.new_items) == 2
    assert _poll_and_import(session, atom.id).status == "ok"
    titles = set(session.execute(select(Article.title)).scalars())
    assert {t.rsplit("(", 1)[1] for t in titles} == {"report 1)", "report 2)", "report 10)", "report 11)", "report 12)"}
    article = session.execute(select(Article).where(Article.title.like("%(report 12)"))).scalar_one()
    assert article.url == site.link(12) and article.outlet == "Example Wire"
    assert "missiles struck a market" in article.body
    rows = _intake(session)
    assert len(rows) == 5 and {r.status for r in rows} == {IntakeStatus.INCOMING}
    assert {r.feed_id for r in rows} == {rss.id, atom.id}

    # Unchanged: the poller sends the validators it was given and gets a 304; nothing new.
    requests_before = len(site.requests_for("/rss.xml"))
    again = _poll_and_import(session, rss.id)
    assert again.status == "not_modified" and again.new_items == []
    sent = site.requests_for("/rss.xml")[requests_before:]
    doc = site.feeds["/rss.xml"]
    assert sent == [{"If-None-Match": doc.etag(), "If-Modified-Since": doc.last_modified()}]

    # The feed changes: one new item on top; only it is fetched and imported.
    site.change("/rss.xml", items=[3, 2, 1])
    pages_before = len([p for p, _ in site.requests if p.startswith("/news/")])
    changed = _poll_and_import(session, rss.id)
    assert changed.status == "ok" and len(changed.new_items) == 1
    assert [p for p, _ in site.requests if p.startswith("/news/")][pages_before:] == ["/news/3.html"]
    assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 6
    feed = session.get(Feed, rss.id)
    session.refresh(feed)
    assert feed.etag == site.feeds["/rss.xml"].etag() and feed.error_count == 0 and feed.last_error is None


def test_an_item_already_imported_is_not_imported_twice(session, users, site):
    """The same story in two feeds, and a job run twice: one article."""
    editor = users["eddie"].id
    site.feeds["/rss.xml"].items = [5]
    site.feeds["/atom.xml"].items = [5]
    rss = feeds.subscribe(session, editor, site.base + "/rss.xml")
    atom = feeds.subscribe(session, editor, site.base + "/atom.xml")
    report = _poll_and_import(session, rss.id)
    (item_id,) = report.new_items
    assert feeds.import_feed_item(session, item_id)["outcome"] == "skipped"  # the job ran again
    _poll_and_import(session, atom.id)
    assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 1
    outcomes = session.execute(select(FeedItem.feed_id, FeedItem.outcome, FeedItem.article_id).order_by(FeedItem.id)).all()
    article_id = outcomes[0].article_id
    assert outcomes == [(rss.id, ItemOutcome.IMPORTED, article_id), (atom.id, ItemOutcome.DUPLICATE, article_id)]
    assert len(_intake(session)) == 1
    # A new version of the feed that lists the same entry again brings nothing new.
    site.change("/rss.xml", title="World, renamed")
    assert _poll_and_import(session, rss.id).new_items == []


def test_a_broken_feed_records_its_error_and_the_others_still_poll(session, users, site):
    editor = users["eddie"].id
    site.feeds["/broken.xml"] = FeedDoc("rss", "Soon broken", [30])
    site.feeds["/garbage.xml"] = FeedDoc("rss", "Soon garbage", [31])
    ids = [feeds.subscribe(session, editor, site.base + path).id for path in ("/rss.xml", "/broken.xml", "/garbage.xml", "/atom.xml")]
    site.change("/broken.xml", broken=True)
    site.change("/garbage.xml", garbage=True)
    session.execute(text("UPDATE feeds SET next_poll_at = now() - interval '1 second'"))
    due = feeds.due_feed_ids(session)
    assert sorted(due) == sorted(ids)
    reports = {feed_id: _poll_and_import(session, feed_id) for feed_id in due}
    rss, broken, garbage, atom = (reports[i] for i in ids)
    assert (rss.status, atom.status) == ("ok", "ok") and len(rss.new_items) == 2 and len(atom.new_items) == 3
    assert broken.status == "error" and "500" in broken.error
    assert garbage.status == "error" and "not an RSS or Atom feed" in garbage.error
    for feed_id in (ids[1], ids[2]):
        feed = session.get(Feed, feed_id)
        session.refresh(feed)
        assert feed.error_count == 1 and feed.last_error
        now = session.execute(select(func.now())).scalar_one()
        # Backed off: twice the interval after the first error.
        assert feed.next_poll_at - now == timedelta(seconds=2 * feed.poll_seconds)
    # A second failure doubles the wait again; a success clears the error.
    assert _poll_and_import(session, ids[1]).status == "error"
    feed = session.get(Feed, ids[1])
    session.refresh(feed)
    assert feed.error_count == 2
    site.change("/broken.xml", broken=False)
    assert _poll_and_import(session, ids[1]).status == "ok"
    session.refresh(feed)
    assert (feed.error_count, feed.last_error) == (0, None)
    assert feeds.backoff(900, 30) == timedelta(days=1)


def test_an_item_whose_page_fails_is_recorded_and_the_rest_import(session, users, site):
    site.feeds["/rss.xml"].items = [7]
    feed = feeds.subscribe(session, users["eddie"].id, site.base + "/rss.xml")
    report = _poll_and_import(session, feed.id)
    # An entry linking to a page that is not there (404).
    session.add(FeedItem(feed_id=feed.id, item_key="missing", link=site.base + "/news/missing.html"))
    session.flush()
    missing = session.execute(select(FeedItem).where(FeedItem.item_key == "missing")).scalar_one()
    result = feeds.import_feed_item(session, missing.id)
    assert result["outcome"] == "failed" and "404" in result["error"]
    session.refresh(missing)
    assert missing.outcome == ItemOutcome.FAILED and "404" in missing.error
    assert len(report.new_items) == 1
    assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 1


def test_robots_txt_disallowing_the_feed_is_honoured(session, users, site):
    site.robots = "User-agent: *\nDisallow: /rss.xml\n"
    with pytest.raises(ValidationFailed) as info:
        feeds.subscribe(session, users["eddie"].id, site.base + "/rss.xml")
    assert "robots.txt" in info.value.errors["url"][0]
    assert site.requests_for("/rss.xml") == []  # never fetched
    # A feed followed before its site disallowed it: the poll records why and fetches nothing.
    feed = feeds.subscribe(session, users["eddie"].id, site.base + "/atom.xml")
    fetch_module._robots_cache.clear()
    site.robots = "User-agent: *\nDisallow: /\n"
    fetched_before = len(site.requests_for("/atom.xml"))
    report = _poll_and_import(session, feed.id)
    assert report.status == "error" and "robots.txt" in report.error
    assert len(site.requests_for("/atom.xml")) == fetched_before


def test_a_feed_outside_the_allow_list_is_refused(session, users, site, monkeypatch):
    monkeypatch.delenv("FACTCHECK_FETCH_ALLOW_HOSTS")
    with pytest.raises(ValidationFailed) as info:
        feeds.subscribe(session, users["eddie"].id, site.base + "/rss.xml")
    assert "FACTCHECK_FETCH_ALLOW_HOSTS" in info.value.errors["url"][0]
    assert site.requests == []


def test_subscribing_twice_and_non_feeds_are_refused(session, users, site):
    feeds.subscribe(session, users["eddie"].id, site.base + "/rss.xml")
    with pytest.raises(ValidationFailed, match="already follows"):
        feeds.subscribe(session, users["erin"].id, site.base + "/rss.xml")
    with pytest.raises(ValidationFailed, match="is .*text/html"):
        feeds.subscribe(session, users["eddie"].id, site.link(1))
    with pytest.raises(ValidationFailed):
        feeds.subscribe(session, users["eddie"].id, "ftp://example.org/feed")


def test_reviewers_cannot_subscribe_or_triage(session, users, site, login):
    with pytest.raises(PermissionDenied):
        feeds.subscribe(session, users["rita"].id, site.base + "/rss.xml")
    assert site.requests == []
    rita = login("rita")
    assert "/feeds/incoming" not in rita.get("/articles").get_data(as_text=True)
    assert rita.get("/feeds").status_code == 403
    assert rita.get("/feeds/incoming").status_code == 403
    response = rita.post("/feeds", {"url": site.base + "/rss.xml"})
    assert response.status_code == 403
    assert session.execute(select(func.count()).select_from(Feed)).scalar_one() == 0


def test_editor_subscribes_and_unsubscribes_on_the_page(session, users, site, login):
    eddie = login("eddie")
    articles = eddie.get("/articles").get_data(as_text=True)
    assert 'href="/feeds/incoming"' in articles and 'href="/feeds"' in articles
    page = eddie.get("/feeds")
    assert page.status_code == 200 and "Subscribe to a feed" in page.get_data(as_text=True)
    # The request fetches nothing (no web request waits on another site): the first poll names the feed.
    response = eddie.post("/feeds", {"url": site.base + "/atom.xml"})
    assert response.status_code == 303
    listing = eddie.get("/feeds").get_data(as_text=True)
    assert "Subscribed to" in listing and site.base + "/atom.xml" in listing and "Region (Atom)" not in listing
    assert not [path for path, _headers in site.requests if path == "/atom.xml"]
    feed = session.execute(select(Feed)).scalar_one()
    assert feeds.poll_feed(session, feed.id, force=True, queue_imports=False).status == "ok"
    assert "Region (Atom)" in eddie.get("/feeds").get_data(as_text=True)
    # A page that is not a feed: subscribed, and the first poll says why it cannot be read.
    assert eddie.post("/feeds", {"url": site.link(1)}).status_code == 303
    bad = session.execute(select(Feed).where(Feed.url == site.link(1))).scalar_one()
    assert feeds.poll_feed(session, bad.id, force=True, queue_imports=False).status == "error"
    assert "not what was expected" in eddie.get("/feeds").get_data(as_text=True)
    # The same address twice is refused beside the field.
    again = eddie.post("/feeds", {"url": site.base + "/atom.xml"})
    assert again.status_code == 422 and "already follows" in again.get_data(as_text=True)
    for each in (feed, bad):
        assert eddie.post(f"/feeds/{each.id}/remove").status_code == 303
    assert session.execute(select(func.count()).select_from(Feed)).scalar_one() == 0
    assert eddie.post("/feeds/999999/remove").status_code == 404


def test_incoming_view_triage_keep_and_discard(session, users, site, login):
    feed = feeds.subscribe(session, users["eddie"].id, site.base + "/atom.xml")
    _poll_and_import(session, feed.id)
    eddie = login("eddie")
    page = eddie.get("/feeds/incoming").get_data(as_text=True)
    ids = [a for a, in session.execute(select(ArticleIntake.article_id).order_by(ArticleIntake.arrived_at.desc(), ArticleIntake.article_id.desc()))]
    assert len(ids) == 3
    # Newest first (ties on arrival broken by id), each with its suggestions and best score.
    positions = [page.index(f'value="{i}"') for i in ids]
    assert positions == sorted(positions)
    listed = feeds.list_incoming(session, users["eddie"].id)
    assert [r.article_id for r in listed.rows] == ids
    for row in listed.rows:
        counted = session.execute(
            text("SELECT count(*), max(score) FROM claim_candidates WHERE article_id = :a AND status = 'pending'"), {"a": row.article_id}
        ).one()
        assert (row.suggestions, row.best_score) == (counted[0], counted[1]) and row.suggestions > 0
        assert f"{row.best_score:.2f}" in page

    assert eddie.post(f"/feeds/incoming/{ids[0]}/keep").status_code == 303
    response = eddie.post("/feeds/incoming", {"article_ids": [str(ids[1]), str(ids[2])], "action": "discard"})
    assert response.status_code == 303
    statuses = dict(session.execute(select(ArticleIntake.article_id, ArticleIntake.status)).all())
    assert statuses == {ids[0]: IntakeStatus.KEPT, ids[1]: IntakeStatus.DISCARDED, ids[2]: IntakeStatus.DISCARDED}
    triaged_by = set(session.execute(select(ArticleIntake.triaged_by_id)).scalars())
    assert triaged_by == {users["eddie"].id}
    after = eddie.get("/feeds/incoming").get_data(as_text=True)
    assert "Nothing waiting" in after
    # Triaging again changes nothing and says so; nonsense is refused without a 500.
    again = eddie.post(f"/feeds/incoming/{ids[0]}/discard", follow_redirects=True)
    assert "was not waiting" in again.get_data(as_text=True)
    kept = session.execute(select(ArticleIntake.status).where(ArticleIntake.article_id == ids[0])).scalar_one()
    assert kept == IntakeStatus.KEPT  # read again: the second triage left the kept article alone
    assert eddie.post("/feeds/incoming", {"article_ids": ["x"], "action": "keep"}).status_code in (303, 400)
    assert eddie.post("/feeds/incoming", {"action": "burn"}).status_code == 303


def test_incoming_pages_by_cursor(session, users, site):
    site.feeds["/rss.xml"].items = list(range(100, 107))
    feed = feeds.subscribe(session, users["eddie"].id, site.base + "/rss.xml")
    _poll_and_import(session, feed.id)
    first = feeds.list_incoming(session, users["eddie"].id, per_page=3)
    second = feeds.list_incoming(session, users["eddie"].id, cursor=first.nav.next, per_page=3)
    third = feeds.list_incoming(session, users["eddie"].id, cursor=second.nav.next, per_page=3)
    seen = [r.article_id for page in (first, second, third) for r in page.rows]
    assert len(seen) == 7 == len(set(seen))
    assert not third.nav.has_next


def test_a_real_worker_polls_and_imports(fresh_db_url, site):
    """`factcheck feed add` (checks the feed, queues its first poll), then a real
    `factcheck worker`: the poll job queues one import job per item and the worker
    imports them; `factcheck feed poll --once` afterwards finds nothing due."""
    env = {**os.environ, "DATABASE_URL": fresh_db_url, "FACTCHECK_FETCH_ALLOW_HOSTS": "127.0.0.1"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "factcheck.cli", *args], env=env, capture_output=True, text=True, timeout=120)

    added = run("feed", "add", site.base + "/atom.xml")
    assert added.returncode == 0, added.stderr
    assert "Region (Atom)" in added.stdout
    worker = subprocess.Popen(
        [sys.executable, "-m", "factcheck.cli", "worker", "--concurrency", "2", "--poll", "0.2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    engine = create_engine(fresh_db_url)
    try:
        deadline = time.monotonic() + 60
        imported = 0
        while time.monotonic() < deadline and imported < 3:
            with engine.connect() as conn:
                imported = conn.execute(text("SELECT count(*) FROM feed_items WHERE outcome = 'imported'")).scalar_one()
            time.sleep(0.2)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM article_intake WHERE status = 'incoming'")).scalar_one() == 3
    finally:
        engine.dispose()
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=30)
    assert imported == 3, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and all(line.startswith("{") for line in lines), stderr[:2000]  # JSON lines only
    import_lines = [line for line in stderr.splitlines() if '"task": "factcheck:import_feed_item"' in line]
    assert len(import_lines) == 3 and all('"outcome": "imported"' in line and '"fetch_ms"' in line for line in import_lines)
    listed = run("feed", "list")
    assert listed.returncode == 0 and "items 3, imported 3" in listed.stdout
    polled = run("feed", "poll", "--once")
    assert polled.returncode == 0 and polled.stdout == ""  # not due for another 15 minutes
    removed = run("feed", "remove", "1")
    assert removed.returncode == 0 and "Removed feed #1" in removed.stdout


def test_the_scheduler_queues_one_poll_per_due_feed_and_a_claimed_feed_is_not_polled_twice(session, users, site):
    rss = feeds.subscribe(session, users["eddie"].id, site.base + "/rss.xml")
    atom = feeds.subscribe(session, users["eddie"].id, site.base + "/atom.xml")
    session.execute(text("UPDATE feeds SET next_poll_at = now() - interval '1 second'"))
    assert feeds.queue_due_polls(session) == 2
    assert feeds.queue_due_polls(session) == 0  # a poll of each is already waiting (queueing lock)
    waiting = session.execute(
        text("SELECT queueing_lock FROM procrastinate_jobs WHERE queueing_lock IS NOT NULL ORDER BY id")
    ).scalars().all()
    assert waiting == [f"feed:{rss.id}", f"feed:{atom.id}"]
    # The first poll claims the feed; a second job for it (a repeat, another worker) does nothing.
    assert feeds.poll_feed(session, rss.id, queue_imports=True).status == "ok"
    requests = len(site.requests_for("/rss.xml"))
    assert feeds.poll_feed(session, rss.id).status == "skipped"
    assert len(site.requests_for("/rss.xml")) == requests
    imports = session.execute(
        text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'factcheck:import_feed_item'")
    ).scalar_one()
    assert imports == 2


def test_the_worker_runs_the_scheduler_periodically():
    from factcheck.worker.app import build_app

    app = build_app("postgresql://nobody@127.0.0.1:1/none")
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic == {"factcheck:queue_feed_polls": "* * * * * */30"}
    assert {"factcheck:poll_feed", "factcheck:import_feed_item"} <= set(app.tasks)


def test_an_item_left_waiting_is_queued_again_at_the_next_poll(session, users, site):
    """An import job that failed for good (or a `feed poll` that died) leaves its item queued;
    the feed's next poll queues it again, once, even when the feed answers 304."""
    feed = feeds.subscribe(session, users["eddie"].id, site.base + "/rss.xml")
    report = feeds.poll_feed(session, feed.id, force=True)
    assert len(report.new_items) == 2 and report.retried == []
    session.execute(text("DELETE FROM procrastinate_jobs WHERE task_name = 'factcheck:import_feed_item'"))
    session.execute(text("UPDATE feed_items SET seen_at = now() - interval '2 hours' WHERE id = :i"), {"i": report.new_items[0]})
    again = feeds.poll_feed(session, feed.id, force=True)
    assert again.status == "not_modified" and again.retried == [report.new_items[0]]
    waiting = session.execute(
        text("SELECT args->>'item_id' FROM procrastinate_jobs WHERE task_name = 'factcheck:import_feed_item'")
    ).scalars().all()
    assert waiting == [str(report.new_items[0])]
    assert feeds.poll_feed(session, feed.id, force=True).retried == []  # not again within the hour
    assert feeds.import_feed_item(session, report.new_items[0])["outcome"] == "imported"


def test_the_feeds_page_counts_a_long_history_up_to_a_cap(session, users, site, login):
    feed = feeds.subscribe(session, users["eddie"].id, site.base + "/rss.xml")
    session.execute(
        text("INSERT INTO feed_items (feed_id, item_key, link, outcome) "
             "SELECT :f, 'k' || n, 'https://example.org/' || n, 'imported' FROM generate_series(1, 1500) n"),
        {"f": feed.id},
    )
    (row,) = feeds.list_feeds(session, users["eddie"].id)
    assert (row.items, row.imported) == (feeds.COUNT_CAP + 1, feeds.COUNT_CAP + 1)
    page = login("eddie").get("/feeds").get_data(as_text=True)
    assert "1,000+" in page


def test_entries_without_a_web_link_are_skipped_and_repeats_read_once():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Odd wire</title>
    <item><title>Script</title><link>javascript:alert(1)</link></item>
    <item><title>Mail</title><link>mailto:desk@example.org</link></item>
    <item><title>No link</title></item>
    <item><title>Good</title><link>https://example.org/a</link><guid>a-1</guid></item>
    <item><title>Good again</title><link>https://example.org/a?utm=x</link><guid>a-1</guid></item>
    <item><title>Other</title><link>http://example.org/b</link></item>
    </channel></rss>"""
    parsed = feeds.parse_feed(body, "application/rss+xml", "https://example.org/rss")
    assert parsed.title == "Odd wire"
    # (feedparser reads a guid as a link relative to the feed unless isPermaLink="false")
    assert parsed.entries == [("https://example.org/a-1", "https://example.org/a", "Good"), ("http://example.org/b", "http://example.org/b", "Other")]
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        feeds.parse_feed(b"<html><body>hello</body></html>", "text/xml", "https://example.org/")
    with pytest.raises(ValueError):
        feeds.parse_feed(b"\x00\xff garbage", None, "https://example.org/")
