"""The public fact-check page's fast path (web/public/fast.py): the same answers as the Flask view,
each request counted once, logged once, and Flask answering whatever the fast path does not."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from werkzeug.test import Client

from factcheck import create_app
from factcheck.models import Role
from factcheck.services import publishing
from factcheck.services import users as user_service
from factcheck.web.public import fast

from .test_publishing import make_verified
from .helpers import with_time_left_in_the_minute

LIMIT = 12


@pytest.fixture
def served(fresh_db_url, request):
    """An app with its own pools (the fast path needs the autocommit pool, as in production),
    one published check, and its URL. Indirect parameter: more settings."""
    app = create_app({
        "DATABASE_URL": fresh_db_url, "SECRET_KEY": "x", "PUBLIC_URL": "https://checks.example.org",
        "PUBLIC_RATE_LIMIT": LIMIT, "ORG_NAME": "Example Fact Desk", **getattr(request, "param", {}),
    })
    try:
        url, claim_id = publish_one(app)
        yield app, url, claim_id
    finally:
        app.extensions["factcheck.db"].dispose()


def publish_one(app) -> tuple[str, int]:
    """Users, a verified claim and its publication in ``app``'s own database, committed; (its URL, its id)."""
    session = app.extensions["factcheck.db"].session()
    try:
        users = {
            name: user_service.create_user(session, username=name, password="correct horse battery", role=role)
            for name, role in (("rita", Role.REVIEWER), ("erin", Role.EDITOR), ("eddie", Role.EDITOR))
        }
        claim = make_verified(session, users)
        pub = publishing.publish_claim(session, users["eddie"].id, claim.id)
        return f"/fact-checks/{claim.id}-{pub.slug}", claim.id
    finally:
        session.close()


def hits(app) -> int:
    with app.extensions["factcheck.db"].engine.connect() as conn:
        return conn.execute(text("SELECT coalesce(sum(hits), 0) FROM public_rate_limits")).scalar_one()


def comparable(response):
    headers = sorted((k, v) for k, v in response.headers.items() if k not in ("X-Request-Id", "Content-Length"))
    return response.status_code, headers, response.get_data()


def test_the_fast_path_gives_the_views_answers(served):
    app, url, _claim_id = served
    outer = Client(app.wsgi_app)  # the fast path in front of Flask, as gunicorn calls it
    flask_only = Client(app.wsgi_app.wsgi_app)  # Flask alone
    drawn = outer.get(url)  # no worker keeps the page yet: the fast path draws it
    assert drawn.status_code == 200
    etag = drawn.headers["ETag"]
    for headers in ({}, {"If-None-Match": etag}, {"If-Modified-Since": drawn.headers["Last-Modified"]},
                    {"If-None-Match": '"another"'}):
        fast_answer, view_answer = outer.get(url, headers=headers), flask_only.get(url, headers=headers)
        assert fast_answer.status_code in (200, 304)
        assert comparable(fast_answer) == comparable(view_answer)
        assert len(fast_answer.headers["X-Request-Id"]) == 32 and "Set-Cookie" not in fast_answer.headers
    assert outer.get(url, headers={"X-Request-Id": "edge-42"}).headers["X-Request-Id"] == "edge-42"


def test_the_fast_path_answers_without_flask_and_logs_the_request(served, monkeypatch, caplog):
    app, url, _claim_id = served
    client = Client(app.wsgi_app)
    etag = client.get(url).headers["ETag"]

    def no_flask(environ, start_response):
        raise AssertionError("Flask was asked")

    monkeypatch.setattr(app.wsgi_app, "wsgi_app", no_flask)
    caplog.set_level(logging.INFO, logger="factcheck.request")
    caplog.clear()  # only these two requests' lines (an earlier test may have left the level at INFO)
    assert client.get(url).status_code == 200
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    lines = [r.fields for r in caplog.records if r.name == "factcheck.request"]
    assert [(f["endpoint"], f["status"], f["db_queries"], f["path"]) for f in lines] == [
        ("public.fact_check", 200, 1, url), ("public.fact_check", 304, 1, url)
    ]


def test_every_request_is_counted_once_whoever_answers_it(served):
    app, url, claim_id = served
    client = Client(app.wsgi_app)
    with_time_left_in_the_minute()  # the counts are per minute: all of this in one
    answers = []
    for path, headers in [
        (url, {}),  # drawn by the fast path
        (url, {}),  # the kept page
        (url, {"If-None-Match": client.get(url).headers["ETag"]}),  # a 304
        (f"/fact-checks/{claim_id}-an-old-slug", {}),  # 301 by Flask
        (f"/fact-checks/{claim_id + 1000}-no-such-check", {}),  # 404 by Flask
        (f"/fact-checks/{claim_id}", {}),  # no slug: not the fast path's
        (url + "?utm_source=x", {}),  # a query string: not the fast path's
    ]:
        before = hits(app)
        answers.append(client.get(path, headers=headers).status_code)
        assert hits(app) == before + 1, path
    assert answers == [200, 200, 304, 301, 404, 301, 200]
    while hits(app) < LIMIT:
        assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["Cache-Control"] == "no-store"
    assert hits(app) == LIMIT + 1


def test_when_the_fast_path_fails_flask_answers_and_counts_nothing_more(served, monkeypatch, caplog):
    app, url, _claim_id = served
    client = Client(app.wsgi_app)
    client.get(url)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the fast path")

    monkeypatch.setattr(fast, "quote_etag", broken)  # after the count: Flask must not count again
    before = hits(app)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.headers["ETag"]
    assert hits(app) == before + 1
    assert any("fast path failed" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("served", [{"PROXY_COUNT": 1}], indirect=True)
def test_behind_a_proxy_the_fast_path_counts_the_forwarded_client(served):
    """ProxyFix wraps the fast path: the count is by the address the proxy forwarded, as Flask's is."""
    from factcheck.services.rate_limit import client_key

    app, url, _claim_id = served
    client = Client(app.wsgi_app)
    forwarded = {"X-Forwarded-For": "203.0.113.50"}
    client.get(url, headers=forwarded)  # drawn, by the fast path
    assert client.get(url, headers=forwarded).status_code == 200  # the kept page, by the fast path
    with app.extensions["factcheck.db"].engine.connect() as conn:
        rows = conn.execute(text("SELECT client_key, hits FROM public_rate_limits")).all()
    assert rows == [(client_key("203.0.113.50"), 2)]


@pytest.mark.parametrize("served", [{"TRUSTED_HOSTS": ["checks.example.org"]}], indirect=True)
def test_a_host_outside_trusted_hosts_is_refused_by_both_paths(served):
    app, url, _claim_id = served
    client = Client(app.wsgi_app)
    assert client.get(url, headers={"Host": "checks.example.org"}).status_code == 200  # drawn
    kept = client.get(url, headers={"Host": "checks.example.org"})
    assert kept.status_code == 200
    for headers in ({"Host": "evil.example"}, {"Host": "evil.example", "If-None-Match": kept.headers["ETag"]}):
        assert client.get(url, headers=headers).status_code == 400


def test_a_database_error_is_the_apps_error_page_not_a_500(served, monkeypatch):
    """Down: 503 with Retry-After; a statement past its timeout: the 'took too long' 503."""
    import psycopg2.errors

    from factcheck import db
    from factcheck.db import Database

    app, url, _claim_id = served
    client = Client(app.wsgi_app)
    client.get(url)

    def too_long(*args, **kwargs):
        raise psycopg2.errors.QueryCanceled("canceling statement due to statement timeout")

    monkeypatch.setattr(db, "fetch_prepared", too_long)
    slow = client.get(url)
    assert slow.status_code == 503 and "took too long" in slow.get_data(as_text=True)
    monkeypatch.undo()

    working = app.extensions["factcheck.db"]
    app.extensions["factcheck.db"] = Database.from_url("postgresql://postgres@127.0.0.1:1/down", autocommit_pool=True)
    try:
        down = client.get(url)
        assert down.status_code == 503 and down.headers["Retry-After"]
        assert "Database unavailable" in down.get_data(as_text=True)
    finally:
        app.extensions["factcheck.db"].dispose()
        app.extensions["factcheck.db"] = working


def test_a_failed_prune_is_logged_and_the_request_counted_once(served, monkeypatch, caplog):
    import psycopg2

    from factcheck import db
    from factcheck.services import rate_limit

    app, url, _claim_id = served
    client = Client(app.wsgi_app)
    client.get(url)
    real_fetch_one = db.fetch_one

    def prune_fails(connection, sql, parameters):
        if sql == rate_limit._PRUNE:
            raise psycopg2.OperationalError("the prune was cancelled")
        return real_fetch_one(connection, sql, parameters)

    monkeypatch.setattr(db, "fetch_one", prune_fails)
    with app.extensions["factcheck.db"].engine.begin() as conn:
        conn.execute(text("DELETE FROM public_rate_limits"))  # the next count is a minute's first: it prunes
    assert client.get(url).status_code == 200
    assert hits(app) == 1
    assert any("could not prune" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("served", [{"PUBLIC_PAGE_CACHE": 0}], indirect=True)
def test_a_page_the_fast_path_draws_is_the_views_page_wherever_the_app_is_mounted(served, monkeypatch, caplog):
    """No worker keeps the page (a crawler walking every check): the fast path reads the snapshot
    and draws it itself, the same page Flask draws, with links under the app's mount point."""
    app, url, _claim_id = served
    outer, flask_only = Client(app.wsgi_app), Client(app.wsgi_app.wsgi_app)
    for base in ("http://localhost/", "http://localhost/desk/"):  # the second: SCRIPT_NAME=/desk
        fast_answer, view_answer = outer.get(url, base_url=base), flask_only.get(url, base_url=base)
        assert fast_answer.status_code == 200
        assert comparable(fast_answer) == comparable(view_answer)
    page = fast_answer.get_data(as_text=True)
    assert 'href="/desk/fact-checks/"' in page and 'href="/desk/static/css/public.css"' in page
    assert f'<link rel="canonical" href="https://checks.example.org/desk{url}">' in page  # PUBLIC_URL, not the Host
    assert outer.get(url).headers["ETag"] != fast_answer.headers["ETag"]  # another mount point, another page

    def no_flask(environ, start_response):
        raise AssertionError("Flask was asked")

    monkeypatch.setattr(app.wsgi_app, "wsgi_app", no_flask)
    caplog.set_level(logging.INFO, logger="factcheck.request")
    caplog.clear()
    assert outer.get(url).get_data() == outer.get(url).get_data()
    lines = [r.fields for r in caplog.records if r.name == "factcheck.request"]
    assert [(f["status"], f["db_queries"]) for f in lines] == [(200, 2), (200, 2)]  # count and head, then the snapshot


@pytest.mark.parametrize("served", [{"PUBLIC_PAGE_CACHE": 0}], indirect=True)
def test_when_the_fast_path_fails_after_counting_flask_counts_nothing_more(served, monkeypatch, caplog):
    from factcheck.web.public import routes

    app, url, _claim_id = served
    client = Client(app.wsgi_app)
    real = routes.not_modified
    calls = []

    def fails_once(*args):
        calls.append(args)
        if len(calls) == 1:  # the fast path's, on the connection that counted the request
            raise RuntimeError("a bug in the fast path")
        return real(*args)

    monkeypatch.setattr(routes, "not_modified", fails_once)
    with_time_left_in_the_minute()
    before = hits(app)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.headers["ETag"] and len(calls) == 2
    assert hits(app) == before + 1
    assert any("fast path failed" in r.getMessage() for r in caplog.records)


def test_the_page_is_drawn_as_jinjas_own_render_draws_it(served, monkeypatch):
    """page.render skips Template.render's copy of the globals, and the rating is drawn once per
    verdict: the page must not change for either."""
    from factcheck.web.public import page

    app, url, _claim_id = served
    drawn = []
    real = page.render

    def recorded(app_, name, **context):
        body = real(app_, name, **context)
        drawn.append((name, context, body))
        return body

    monkeypatch.setattr(page, "render", recorded)
    assert Client(app.wsgi_app).get(url).status_code == 200
    [(name, context, body)] = drawn
    with app.app_context():
        assert body == app.jinja_env.get_template(name).render(**context)
        macro = app.jinja_env.get_template("public/_macros.html").module.rating  # drawn once per verdict, not per page
        assert body == app.jinja_env.get_template(name).render(**{**context, "rating": macro})
    assert "rated" in body and "<script type=\"application/ld+json\">" in body  # the macro and the globals' filters ran
