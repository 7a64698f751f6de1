"""Security properties of the web app, checked from the outside.

What other files already cover is not repeated here: the cookie flags
HttpOnly/SameSite/Secure, the session change at log-in, revocation on log-out
and password change, lock-out across addresses and the error text of unknown
users (test_auth); every route x role and every POST refusing missing or
foreign CSRF tokens (test_route_matrix); refused URL schemes for evidence
(test_evidence); CSV formula injection and the ClaimReview script block
(test_export); hostile search queries (test_search).

This file goes deeper: security headers on every response including errors,
redirects, downloads and static files; the 500 page; output escaping of every
user-controlled field on every page that shows it; open redirects through
``next``; forged and replayed session cookies; argon2id hashes never shown;
cross-site posts; mass assignment on every form; and answers to failed
log-ins that do not tell which accounts exist.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from markupsafe import escape
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from factcheck import create_app
from factcheck.models import Base, Claim, ClaimCandidate, ClaimLink, Evidence, Role, User
from factcheck.services import claims as claim_service
from factcheck.services import passwords
from factcheck.services import users as user_service
from factcheck.services.articles import parse_article_text
from factcheck.services.errors import ArticleFormatError
from factcheck.web.articles.forms import AcceptCandidateForm
from factcheck.web.claims.forms import ClaimEditForm, NewClaimForm

from .conftest import PASSWORD
from .helpers import WebClient, csrf_from
from .test_fuzz_forms import POST_FORMS, form_fields
from .test_route_matrix import EXPECTED, World, build_world

COOKIE = "factcheck_session"
GET_KEYS = sorted(k for k in EXPECTED if k[1] == "GET")
POST_KEYS = sorted(k for k in EXPECTED if k[1] == "POST")


def anonymous(app) -> WebClient:
    client = WebClient(app.test_client())
    client.get("/login")
    return client


# --- 1. security headers on every response ------------------------------------------------


def csp_of(response) -> dict[str, list[str]]:
    value = response.headers.get("Content-Security-Policy")
    assert value, "no Content-Security-Policy"
    directives: dict[str, list[str]] = {}
    for part in value.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def assert_security_headers(response, what: str) -> None:
    csp = csp_of(response)
    assert "'self'" in csp.get("default-src", []), what
    for name in ("script-src", "style-src"):
        assert name in csp, f"{what}: no {name}"
        for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            assert loose not in csp[name], f"{what}: {name} allows {loose}"
    assert csp.get("frame-ancestors") == ["'none'"], what
    assert csp.get("object-src") == ["'none'"], what
    assert csp.get("base-uri") in (["'none'"], ["'self'"]), what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") in SAFE_REFERRER_POLICIES, what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    if _is_public(what):
        # The public fact-check pages are meant for shared caches: cacheable, and never a cookie.
        assert "Set-Cookie" not in response.headers, what
        assert response.headers.get("Cache-Control", "").startswith(("public", "no-store")), what
    elif "/static/" not in what:
        # Pages, redirects, errors and downloads are never kept by a shared cache or the back button.
        assert "no-store" in response.headers.get("Cache-Control", ""), what


def _is_public(what: str) -> bool:
    path = what.split(" ", 1)[-1]
    return path.startswith(("/fact-checks", "/robots.txt", "/sitemap.xml", "/sitemaps/"))


def _walk_gets(client: WebClient, world: World) -> list[tuple[str, object]]:
    out = []
    for key in GET_KEYS:
        url, _ = EXPECTED[key][0](world)
        response = client.get(url)
        response.get_data()  # runs streamed downloads to the end
        out.append((f"GET {url}", response))
    return out


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_get_route_sends_the_security_headers(app, session, users, login, role):
    world = build_world(session, users)
    client = anonymous(app) if role == "anonymous" else login("ada")
    statuses = set()
    for what, response in _walk_gets(client, world):
        assert_security_headers(response, what)
        statuses.add(response.status_code)
        if response.mimetype == "text/html" and response.status_code == 200:
            assert_page_is_safe(response.get_data(as_text=True), what)
    # Both walks met pages and redirects (anonymous: redirects to the log-in page).
    assert 200 in statuses and 302 in statuses


def test_error_pages_redirects_and_downloads_send_the_security_headers(app, session, users, login, monkeypatch):
    world = build_world(session, users)
    admin, reviewer = login("ada"), login("ron")
    cases = [
        (admin, "GET", "/no/such/page", None, 404),
        (admin, "GET", "/claims/987654321", None, 404),
        (admin, "GET", "/evidence/987654321/edit", None, 404),
        (reviewer, "GET", "/dashboard", None, 403),
        (reviewer, "POST", f"/claims/{world.pending.id}/approve", {"version": world.pending.version}, 403),
        (admin, "POST", f"/claims/{world.unverified.id}/take", {"version": world.unverified.version + 7}, 409),
        (admin, "POST", f"/claims/{world.verified.id}/comments", {"comment": "x", "csrf_token": "forged"}, 400),
        (admin, "POST", f"/claims/{world.verified.id}/comments", {"comment": ""}, 422),
        (admin, "GET", "/logout", None, 405),
        (admin, "POST", f"/claims/{world.verified.id}/comments", {"comment": "Noted."}, 303),
        (admin, "GET", "/", None, 302),
        (anonymous(app), "GET", "/claims", None, 302),
        (anonymous(app), "POST", "/login", {"username": "nobody", "password": "wrong"}, 422),
        (admin, "GET", "/export/verified.csv", None, 200),
        (admin, "GET", "/export/claimreview.json", None, 200),
        (anonymous(app), "GET", "/static/css/app.css", None, 200),
        (anonymous(app), "GET", "/static/js/article.js", None, 200),
        (anonymous(app), "GET", "/healthz", None, 200),
    ]
    for client, method, url, data, status in cases:
        response = client.get(url) if method == "GET" else client.post(url, data)
        body = response.get_data(as_text=True)
        assert response.status_code == status, f"{method} {url}: {response.status_code}"
        assert "Traceback" not in body
        assert_security_headers(response, f"{method} {url}")
    # The 500 and 503 pages (an unexpected error; the database down).
    def fail(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(claim_service, "list_claims", fail)
    response = admin.get("/claims")
    assert response.status_code == 500
    assert_security_headers(response, "GET /claims (500)")

    def down(*_a, **_k):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(claim_service, "list_claims", down)
    response = admin.get("/claims")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert_security_headers(response, "GET /claims (503)")


def test_routes_that_change_state_refuse_get(app, session, users, login):
    """No state changes over GET (which CSRF protection does not cover): GET on a POST-only route is 405."""
    world = build_world(session, users)
    admin = login("ada")
    adapter = app.url_map.bind("localhost")
    versions = {c.id: c.version for c in session.query(Claim)}
    urls = [EXPECTED[key][0](world)[0] for key in POST_KEYS]
    post_only = [url for url in urls if not adapter.test(url.split("?")[0], method="GET")]
    assert len(post_only) > 15
    for url in post_only:
        response = admin.get(url)
        assert response.status_code == 405, f"GET {url}: {response.status_code}"
        assert_security_headers(response, f"GET {url}")
    session.expire_all()
    assert {c.id: c.version for c in session.query(Claim)} == versions
    assert admin.get("/claims").status_code == 200  # GET /logout did not log out


@pytest.mark.parametrize(
    "url, data, field",
    [
        ("/articles/new", {"title": "Bell\x07", "body": "Six rockets hit the port."}, "title"),
        ("/aliases", {"name": "Escape\x1b[31m", "terms": "a\nb"}, "name"),
    ],
)
def test_control_characters_are_refused_beside_the_field(login, session, url, data, field):
    response = login("eddie").post(url, data)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">[^<]*Remove the control characters', response.get_data(as_text=True))


def test_method_not_allowed_lists_the_allowed_methods(login, users):
    response = login("rita").get("/logout")
    assert response.status_code == 405
    assert "POST" in response.headers.get("Allow", "")


# --- page scanning: what a browser would build from the HTML ------------------------------


class _PageScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs]
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = [dict(attrs), ""]

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, [(name, value or "") for name, value in attrs]))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], self._script[1]))
            self._script = None


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite"}
FORBIDDEN_TAGS = {"img", "iframe", "frame", "object", "embed", "base", "applet", "style"}
EXTERNAL_REL = {"noopener", "noreferrer", "nofollow"}


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "" and not url.startswith("//") and not url.startswith("\\")


def assert_page_is_safe(page: str, what: str) -> None:
    """No element or attribute the app did not write: every script from /static/ or
    an ld+json data block, no event handler or inline style (the CSP would block
    them anyway), every link http(s) or on this site, outside links with rel."""
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    for tag, attrs in scan.tags:
        names = [name for name, _ in attrs]
        assert tag not in FORBIDDEN_TAGS, f"{what}: <{tag}> in the page"
        assert not [n for n in names if n.startswith("on")], f"{what}: event handler on <{tag}>: {attrs}"
        assert "style" not in names, f"{what}: inline style on <{tag}> (the CSP forbids it)"
        assert "srcdoc" not in names, f"{what}: srcdoc on <{tag}>"
        if tag == "meta":
            assert dict(attrs).get("http-equiv", "").lower() != "refresh", what
        for name, value in attrs:
            if name in URL_ATTRIBUTES:
                stripped = value.strip()
                scheme = urlsplit(stripped).scheme.lower()
                assert scheme in ("http", "https") or _is_local(stripped), f"{what}: {name}={value!r} on <{tag}>"
        attributes = dict(attrs)
        if tag == "a" and urlsplit(attributes.get("href", "").strip()).scheme in ("http", "https"):
            rel = set(attributes.get("rel", "").split())
            assert EXTERNAL_REL <= rel, f"{what}: outside link without rel=noopener noreferrer nofollow: {attrs}"
        if attributes.get("target", "").lower() == "_blank":
            assert "noopener" in attributes.get("rel", "").split(), f"{what}: target=_blank without noopener"
        if tag == "link" and "stylesheet" in attributes.get("rel", ""):
            assert attributes.get("href", "").startswith("/static/"), what
    for attrs, content in scan.scripts:
        if "src" in attrs:
            assert attrs["src"].startswith("/static/") and not content.strip(), f"{what}: script {attrs}"
        else:
            assert attrs.get("type") == "application/ld+json", f"{what}: inline script {attrs}: {content[:200]!r}"
            json.loads(content)  # a data block that stayed whole


# --- 2. no stack trace on a 500 ------------------------------------------------------------


def _make_list_claims_fail(monkeypatch, exc: Exception) -> None:
    def fail(*_args, **_kwargs):
        raise exc

    monkeypatch.setattr(claim_service, "list_claims", fail)


@pytest.mark.parametrize("testing", [True, False], ids=["testing", "production-config"])
def test_unexpected_error_is_a_plain_500_page(app, database, users, monkeypatch, caplog, testing):
    application = app if testing else create_app(
        {"DATABASE": database, "SECRET_KEY": "another-test-key", "PUBLIC_URL": "http://127.0.0.1:5000"}
    )
    assert application.debug is False
    client = anonymous(application)
    assert client.post("/login", {"username": "eddie", "password": PASSWORD}).status_code == 302
    _make_list_claims_fail(monkeypatch, RuntimeError("secret detail 7f3a in /srv/app/secret.py"))
    response = client.get("/claims")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert "Something went wrong" in body
    for leak in ("Traceback", "secret detail", "7f3a", "RuntimeError", "secret.py", 'File "', "werkzeug", "site-packages"):
        assert leak not in body, leak
    assert_security_headers(response, "GET /claims (500)")
    assert_page_is_safe(body, "500 page")
    # The details go to the log, where the operators look.
    assert any("secret detail 7f3a" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_database_errors_do_not_show_sql(login, users, monkeypatch):
    client = login("eddie")
    _make_list_claims_fail(
        monkeypatch, ProgrammingError("SELECT password_hash FROM users WHERE x", {"p": "secret-param"}, Exception("relation leaked"))
    )
    response = client.get("/claims")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    for leak in ("SELECT", "password_hash", "secret-param", "relation leaked", "Traceback", "sqlalche.me"):
        assert leak not in body, leak
    _make_list_claims_fail(monkeypatch, OperationalError("SELECT 1", {}, Exception("could not connect to 10.1.2.3:5432")))
    response = client.get("/claims")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "10.1.2.3" not in body and "SELECT" not in body and "Traceback" not in body


# --- 3. output escaping ----------------------------------------------------------------------

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(2)>',
    "single-quote": "' autofocus onfocus='alert(6)",
    "javascript-url": "javascript:alert(3)",
    "jinja": "{{7*7}}",
    "dollar": "${7*7}",
    "textarea": "</textarea></title><script>alert(4)</script>",
    "svg": "<svg/onload=alert(5)><!--",
    # Invisible and direction-changing characters are accepted (and shown escaped);
    # C0 control characters are refused (test_control_characters_are_refused_beside_the_field).
    "invisible-unicode": "\u202e\u2066\u200b\ufeff\u00ad end",
}
# Quotes alone are harmless in text; they are checked by parsing (no attribute may appear).
MARKUP_PAYLOADS = {name for name, p in PAYLOADS.items() if "<" in p or ">" in p}
# URLs that pass the http(s) check but carry markup; they must come back intact inside href="...".
HOSTILE_URL = "https://example.org/x?a=\"><svg/onload=alert(8)>&b='{{7*7}}'"
HOSTILE_ARCHIVE = "https://archive.example/\"onmouseover=alert(9)//"
NEW_PASSWORD = "a long passphrase 4 tests"


def _value(field: str, payload: str) -> str:
    return f"qzxmark {field} {payload}"


def _version(session, claim_id: int) -> int:
    return session.execute(select(Claim.version).where(Claim.id == claim_id)).scalar_one()


def _id_from(location: str) -> int:
    return int(re.search(r"/(\d+)(?:#.*)?$", location).group(1))


def _store_everywhere_through_the_forms(app, session, users, login, payload: str) -> dict:
    """Every user-controlled field, filled through the web forms by an editor whose
    display name is hostile too. Returns the ids and the pages to check."""
    v = lambda field: _value(field, payload)  # noqa: E731
    admin = login("ada")
    response = admin.post(
        "/admin/users",
        {"username": "mallory", "display_name": v("dname"), "role": "editor", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    mallory_id = session.execute(select(User.id).where(User.username == "mallory")).scalar_one()
    m = login("mallory", NEW_PASSWORD)
    pages: dict[str, object] = {}

    body = f"Opening words of the story. {v('body')}\n\nThen {v('quote')} and the rest of the text."
    response = m.post(
        "/articles/new",
        {"title": v("title"), "outlet": v("outlet"), "byline": v("byline"), "url": HOSTILE_URL, "body": body},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    article_id = _id_from(response.headers["Location"])

    claim_fields = {
        "statement": v("statement"), "category": "other", "claimant": v("claimant"), "quantity_value": "12",
        "quantity_unit": v("unit"), "quantity_qualifier": "", "hedged": "y", "hedge_note": v("hedge"), "priority": "1",
    }
    response = m.post(f"/articles/{article_id}/claims", {"quote": v("quote"), **claim_fields})
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    claim_id = _id_from(response.headers["Location"])
    assert m.post(f"/claims/{claim_id}/take", {"version": _version(session, claim_id)}).status_code == 303
    response = m.post(
        f"/claims/{claim_id}/evidence",
        {"url": HOSTILE_URL, "title": v("evtitle"), "publisher": v("publisher"), "note": v("evnote"),
         "stance": "refutes", "archive_url": HOSTILE_ARCHIVE},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    evidence_id = session.execute(select(Evidence.id).where(Evidence.claim_id == claim_id)).scalar_one()
    assert m.post(f"/claims/{claim_id}/comments", {"comment": v("comment")}).status_code == 303

    pages["claim edit form"] = m.get(f"/claims/{claim_id}/edit")
    pages["evidence edit form"] = m.get(f"/evidence/{evidence_id}/edit")
    old_version = _version(session, claim_id)
    edited = {**claim_fields, "statement": v("statement2")}
    assert m.post(f"/claims/{claim_id}/edit", {**edited, "version": old_version}).status_code == 303
    # A stale save: the conflict page shows what changed and the user's input.
    pages["conflict page"] = m.post(f"/claims/{claim_id}/edit", {**edited, "claimant": v("claimant2"), "version": old_version})
    assert pages["conflict page"].status_code == 409
    # Refused input is shown again beside the field.
    pages["evidence form error"] = m.post(
        f"/claims/{claim_id}/evidence", {"url": v("badurl"), "title": v("evtitle"), "stance": "supports"}
    )
    assert pages["evidence form error"].status_code == 422
    pages["article form error"] = m.post("/articles/new", {"title": v("title"), "outlet": v("outlet"), "body": ""})
    assert pages["article form error"].status_code == 422
    response = m.post(
        f"/claims/{claim_id}/propose", {"verdict": "false", "rationale": v("rationale"), "version": _version(session, claim_id)}
    )
    assert response.status_code == 303
    response = m.post("/aliases", {"name": v("alias"), "terms": f"{v('term')}\nqzxmark second name", "note": v("anote")})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    anon = anonymous(app)
    pages["login form error"] = anon.post("/login", {"username": v("username"), "password": "x"})
    pages["login page with next"] = anon.get("/login", query_string={"next": v("next")})
    for name, url in {
        "article page": f"/articles/{article_id}",
        "article list": "/articles",
        "claim page": f"/claims/{claim_id}",
        "queue": "/claims?sort=newest",
        "queue pending": "/claims?status=pending_approval",
        "search": "/search?q=qzxmark",
        "search claims": "/search?q=qzxmark&kind=claims",
        "dashboard": "/dashboard",
        "activity": "/activity",
        "aliases": "/aliases",
    }.items():
        pages[name] = m.get(url)
    # Hostile text in the query string of the GET forms, echoed in their fields and links.
    pages["search with hostile query"] = m.get("/search", query_string={"q": v("query"), "status": payload, "kind": payload})
    pages["claims with hostile filters"] = m.get(
        "/claims", query_string={"status": payload, "created_from": payload, "article": payload, "sort": payload, "q": payload}
    )
    pages["dashboard with hostile filters"] = m.get("/dashboard", query_string={"category": payload, "created_from": payload})
    # A suggestion the extractor made from the hostile text: its accept form.
    candidate_id = session.execute(
        select(ClaimCandidate.id).where(ClaimCandidate.article_id == article_id).order_by(ClaimCandidate.id)
    ).scalars().first()
    if candidate_id is not None:
        pages["suggestion accept form"] = m.get(f"/articles/{article_id}/candidates/{candidate_id}/accept")
    pages["admin users"] = admin.get("/admin/users")
    pages["admin user"] = admin.get(f"/admin/users/{mallory_id}")
    pages["admin user form error"] = admin.post(f"/admin/users/{mallory_id}/password", {"password": "short"})
    return {"pages": pages, "claim_id": claim_id, "article_id": article_id}


# Where each field must be seen (escaped), so the checks are not vacuous.
SHOWN = {
    "article page": ["title", "outlet", "byline", "quote", "dname"],  # the body: see TEXT_SHOWN
    "article list": ["title"],
    "claim page": ["title", "quote", "statement2", "statement", "claimant", "unit", "hedge", "rationale", "evtitle",
                   "publisher", "evnote", "comment", "dname"],
    "queue": ["quote", "claimant", "dname"],
    "search": ["title", "outlet", "statement2", "evtitle"],
    "activity": ["dname", "comment"],
    "aliases": ["alias", "term", "anote"],
    "evidence edit form": ["evtitle", "publisher", "evnote"],
    "claim edit form": ["statement", "claimant", "unit", "hedge"],
    "conflict page": ["statement2", "claimant2", "dname"],
    "evidence form error": ["badurl", "evtitle"],
    "article form error": ["title", "outlet"],
    "admin users": ["dname"],
    "admin user": ["dname"],
    "dashboard": ["dname"],
    "login form error": ["username"],
    "suggestion accept form": ["title"],
}


# The article body is cut into highlighted segments (claims, suggestions): it is
# checked in the page's text as a browser reads it.
TEXT_SHOWN = {
    "article page": ["body", "quote"],
    "claim page": ["statement2", "rationale", "comment"],
    "dashboard": ["title"],
    "queue pending": ["quote", "claimant"],
    "search claims": ["statement2", "claimant"],
    "search with hostile query": ["query"],
    "admin user form error": ["dname"],
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "textarea", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "textarea", "title") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def text_of(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_user_data_is_escaped_on_every_page(app, session, users, login, name):
    payload = PAYLOADS[name]
    stored = _store_everywhere_through_the_forms(app, session, users, login, payload)
    for page_name, response in stored["pages"].items():
        what = f"{page_name} [{name}]"
        assert response.status_code < 500, what
        page = response.get_data(as_text=True)
        assert "Traceback" not in page, what
        assert_security_headers(response, what)
        assert_page_is_safe(page, what)
        if name in MARKUP_PAYLOADS:
            assert payload not in page, f"{what}: the payload appears unescaped"
        if name in ("jinja", "dollar"):
            for field in re.findall(r"qzxmark (\w+) ", page):
                assert f"qzxmark {field} 49" not in page, f"{what}: {payload} was evaluated"
        if name != "invisible-unicode":  # some pages fold whitespace-like characters; the rest must show as typed
            for field in SHOWN.get(page_name, []):
                assert str(escape(_value(field, payload))) in page, f"{what}: {field} not shown (escaped)"
            # Read as a browser does, the text is exactly what was typed: it was text, not markup.
            shown_text = text_of(page)
            for field in TEXT_SHOWN.get(page_name, []):
                assert _value(field, payload) in shown_text, f"{what}: {field} not in the page's text"
    # User URLs come back whole, quoted, and with rel on the links.
    for page_name in ("article page", "claim page"):
        page = stored["pages"][page_name].get_data(as_text=True)
        scan = _PageScan()
        scan.feed(page)
        links = [dict(attrs) for tag, attrs in scan.tags if tag == "a"]
        hrefs = [a.get("href") for a in links]
        assert HOSTILE_URL in hrefs, page_name
        for a in links:
            if a.get("href") in (HOSTILE_URL, HOSTILE_ARCHIVE):
                assert EXTERNAL_REL <= set(a.get("rel", "").split()), a
    claim_page = stored["pages"]["claim page"].get_data(as_text=True)
    assert HOSTILE_ARCHIVE in [dict(attrs).get("href") for tag, attrs in _scan(claim_page).tags if tag == "a"]


def _scan(page: str) -> _PageScan:
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    return scan


def test_hostile_display_name_is_escaped_in_the_header_and_flash(app, session, users, login):
    payload = PAYLOADS["attribute"]
    user_service.set_role(session, users["ada"].id, users["eddie"].id, Role.EDITOR)
    users["eddie"].display_name = payload
    session.commit()
    client = anonymous(app)
    response = client.post("/login", {"username": "eddie", "password": PASSWORD})
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert payload not in page
    assert f"Logged in as {escape(payload)}." in page  # the flash
    assert_page_is_safe(page, "landing page")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
     "vbscript:msgbox(1)", "//evil.example/x", "https:evil.example", "java\tscript:alert(1)"],
)
def test_article_links_are_only_http(login, url):
    """The article form refuses other schemes; the file importer too (evidence: test_evidence)."""
    client = login("rita")
    response = client.post("/articles/new", {"title": "A headline", "url": url, "body": "Six rockets hit the port."})
    assert response.status_code == 422
    assert 'id="url-error"' in response.get_data(as_text=True)
    with pytest.raises(ArticleFormatError):
        parse_article_text(f"---\ntitle: T\nurl: {url}\n---\nBody text here.")


# --- 4. open redirects through next --------------------------------------------------------

NEXT_TARGETS = [
    "https:evil.example",
    "https:/evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "////evil.example",
    "///evil.example",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/%5Cevil.example",
    "http://127.0.0.1.evil.example/",
    "http://localhost@evil.example/",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "\u00a0//evil.example",
    "\x00//evil.example",
    "/\x00/evil.example",
    "/\uff0f\uff0fevil.example",
    "\uff0f\uff0fevil.example",
    "/\u2215\u2215evil.example",
    "//evil\u3002example",
    "/.//evil.example",
    "/..//evil.example",
    "/claims/../../evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "@evil.example",
    "/@evil.example",
    "?next=//evil.example",
    "#//evil.example",
]


def _browser_target(location: str, base: str = "http://localhost/login") -> tuple[str, str]:
    """Where a browser goes for this Location: it drops tabs and newlines, trims C0
    controls and spaces, and reads a backslash as a slash in http(s) URLs."""
    cleaned = location.strip("".join(chr(i) for i in range(0x21)))
    cleaned = re.sub(r"[\t\n\r]", "", cleaned).replace("\\", "/")
    parts = urlsplit(urljoin(base, cleaned))
    return parts.scheme, parts.hostname or ""


def assert_on_site(location: str, target: str) -> None:
    scheme, host = _browser_target(location)
    assert (scheme, host) == ("http", "localhost"), f"next={target!r} -> Location {location!r}"
    assert location.startswith("/") and not location.startswith(("//", "/\\")), f"next={target!r} -> {location!r}"
    assert not re.search(r"[\x00-\x20\x7f]", location), f"next={target!r} -> {location!r}"


@pytest.mark.parametrize("target", NEXT_TARGETS, ids=[repr(t) for t in NEXT_TARGETS])
def test_next_never_leaves_the_site(app, users, target):
    client = anonymous(app)
    response = client.post("/login", {"username": "rita", "password": PASSWORD}, query_string={"next": target})
    assert response.status_code == 302
    assert_on_site(response.headers["Location"], target)
    # Already logged in, /login?next= redirects at once: the same rule applies.
    response = client.get("/login", query_string={"next": target})
    assert response.status_code == 302
    assert_on_site(response.headers["Location"], target)
    # And the log-in page carries next only as escaped text in its own form's action.
    page = anonymous(app).get("/login", query_string={"next": target}).get_data(as_text=True)
    assert_page_is_safe(page, f"login?next={target!r}")


def test_login_redirect_for_anonymous_users_keeps_them_on_site(app, users):
    response = WebClient(app.test_client()).get("/claims/1?x=//evil.example")
    assert response.status_code == 302
    assert_on_site(response.headers["Location"], "redirect to log in")


# --- 5. sessions and cookies ----------------------------------------------------------------


def _set_cookies(response) -> dict[str, str]:
    out = {}
    for header in response.headers.getlist("Set-Cookie"):
        out[header.split("=", 1)[0]] = header
    return out


def _cookie_value(client: WebClient) -> str:
    cookie = client.raw.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _with_cookie(app, value: str) -> WebClient:
    client = WebClient(app.test_client())
    client.raw.set_cookie(COOKIE, value)
    return client


def _logged_in(client: WebClient) -> bool:
    response = client.get("/claims")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    return False


def test_login_sets_one_fresh_host_only_session_cookie_and_no_remember_cookie(app, users):
    client = anonymous(app)
    before = _cookie_value(client)
    response = client.post("/login", {"username": "rita", "password": PASSWORD, "remember": "y", "remember_me": "1"})
    assert response.status_code == 302
    cookies = _set_cookies(response)
    assert COOKIE in cookies, "the log-in response must set the session cookie"
    assert set(cookies) == {COOKIE}, f"unexpected cookies: {sorted(cookies)}"
    header = cookies[COOKIE]
    attributes = {part.split("=", 1)[0].strip().lower() for part in header.split(";")[1:]}
    assert "path" in attributes and re.search(r";\s*Path=/(;|$)", header), header
    assert "domain" not in attributes, f"the cookie must stay on this host: {header}"
    assert "httponly" in attributes
    assert _cookie_value(client) != before
    assert client.raw.get_cookie("remember_token") is None
    # Nothing sets a remember-me cookie later either.
    for url in ("/claims", "/articles", "/account/password"):
        assert "remember_token" not in _set_cookies(client.get(url))


def test_session_cookie_expires_within_twelve_hours(app, users):
    client = anonymous(app)
    response = client.post("/login", {"username": "rita", "password": PASSWORD})
    header = _set_cookies(response)[COOKIE]
    expires = re.search(r"Expires=([^;]+)", header)
    assert expires, header
    lifetime = parsedate_to_datetime(expires.group(1)) - datetime.now(timezone.utc)
    assert lifetime <= timedelta(hours=12, minutes=5), f"session cookie lives {lifetime}"


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _flip(value: str, index: int) -> str:
    """Change one base64 character in its high bit, so the decoded bytes always change."""
    ch = value[index]
    assert ch in _B64, (value, index)
    return value[:index] + _B64[_B64.index(ch) ^ 0b100000] + value[index + 1 :]


def test_tampered_or_forged_session_cookies_are_refused(app, users):
    client = anonymous(app)
    client.post("/login", {"username": "ada", "password": PASSWORD})
    good = _cookie_value(client)
    assert _logged_in(_with_cookie(app, good))
    # Flip one character in the payload, in the timestamp, in the signature.
    payload_end, signature_start = good.rfind(".", 0, good.rfind(".")), good.rfind(".") + 1
    for index in (5, payload_end + 2, signature_start + 3, len(good) - 1):
        assert not _logged_in(_with_cookie(app, _flip(good, index))), f"flipped character {index}"
    assert not _logged_in(_with_cookie(app, good[: good.rfind(".")]))  # signature dropped
    assert not _logged_in(_with_cookie(app, good + "x"))
    # A cookie with the right contents signed with another key is refused...
    ada = users["ada"]
    contents = {"_user_id": f"{ada.id}:{ada.session_version}", "_fresh": True, "sid": "forged"}

    def signed(secret: str) -> str:
        forger = Flask("forger")
        forger.secret_key = secret
        return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(contents)

    assert not _logged_in(_with_cookie(app, signed("guessed-secret")))
    # ...while the same contents signed with the app's key would be accepted: only the signature stops a forger.
    assert _logged_in(_with_cookie(app, signed(app.secret_key)))
    # And a well-signed cookie for an old session version (a revoked session) is refused.
    contents["_user_id"] = f"{ada.id}:{ada.session_version - 1}"
    assert not _logged_in(_with_cookie(app, signed(app.secret_key)))
    contents["_user_id"] = f"{ada.id}"
    assert not _logged_in(_with_cookie(app, signed(app.secret_key)))


def test_admin_reset_and_reactivation_do_not_revive_old_cookies(app, users, login, session):
    rita = login("rita")
    stolen = _cookie_value(rita)
    admin = login("ada")
    assert admin.post(f"/admin/users/{users['rita'].id}/password", {"password": "a reset passphrase"}).status_code == 302
    assert not _logged_in(_with_cookie(app, stolen))
    # Deactivate then reactivate: a cookie from before stays dead.
    rita = login("rita", "a reset passphrase")
    stolen = _cookie_value(rita)
    assert admin.post(f"/admin/users/{users['rita'].id}/active", {"active": "0"}).status_code == 302
    assert not _logged_in(_with_cookie(app, stolen))
    assert admin.post(f"/admin/users/{users['rita'].id}/active", {"active": "1"}).status_code == 302
    assert not _logged_in(_with_cookie(app, stolen))
    assert not _logged_in(rita)
    assert _logged_in(login("rita", "a reset passphrase"))


def test_logout_needs_post_with_a_token(app, users, login):
    client = login("rita")
    response = client.get("/logout")
    assert response.status_code == 405
    assert _logged_in(client)
    response = client.post("/logout", {}, csrf=False)
    assert response.status_code == 400
    assert _logged_in(client)
    response = client.post("/logout", {"csrf_token": "not-the-token"})
    assert response.status_code == 400
    assert _logged_in(client)
    response = client.post("/logout", {})
    assert response.status_code == 302
    assert not _logged_in(client)


# --- 6. password hashes --------------------------------------------------------------------

ARGON2ID = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$")


def test_every_way_of_setting_a_password_stores_argon2id(app, session, users, login):
    admin = login("ada")
    assert admin.post(
        "/admin/users", {"username": "newbie", "display_name": "New", "role": "reviewer", "password": "a long new passphrase"}
    ).status_code == 302
    assert admin.post(f"/admin/users/{users['ron'].id}/password", {"password": "a reset passphrase"}).status_code == 302
    rita = login("rita")
    assert rita.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    ).status_code == 302
    session.expire_all()
    hashes = session.execute(select(User.username, User.password_hash)).all()
    assert len(hashes) == 6
    for username, hashed in hashes:
        assert ARGON2ID.match(hashed), (username, hashed)
    assert len({h for _, h in hashes}) == 6  # salted: equal passwords hash differently


def test_production_hash_parameters_are_strong(monkeypatch):
    monkeypatch.delenv("FACTCHECK_ARGON2_FAST", raising=False)
    hashed = passwords.hash_password("a long passphrase")
    match = ARGON2ID.match(hashed)
    assert match, hashed
    memory_kib, time_cost, parallelism = map(int, match.groups())
    # OWASP's floor for argon2id: 19 MiB with 2 passes; RFC 9106's second profile is 64 MiB, t=3.
    assert memory_kib >= 19 * 1024 and time_cost >= 2 and parallelism >= 1
    assert passwords.verify_password(hashed, "a long passphrase")
    # A hash made with the suite's cheap parameters is upgraded at the next log-in.
    monkeypatch.setenv("FACTCHECK_ARGON2_FAST", "1")
    cheap = passwords.hash_password("a long passphrase")
    monkeypatch.delenv("FACTCHECK_ARGON2_FAST")
    assert passwords.needs_rehash(cheap)
    assert passwords.needs_rehash("$2b$12$abcdefghijklmnopqrstuu")  # anything not argon2id


def test_no_page_or_export_shows_a_password_hash(app, session, users, login):
    world = build_world(session, users)
    admin = login("ada")
    hashes = session.execute(select(User.password_hash)).scalars().all()
    digests = [h.rsplit("$", 2)[-1] for h in hashes] + [h.rsplit("$", 2)[-2] for h in hashes]
    responses = _walk_gets(admin, world)
    for user in users.values():
        responses.append((f"GET /admin/users/{user.id}", admin.get(f"/admin/users/{user.id}")))
    responses.append(("POST bad reset", admin.post(f"/admin/users/{users['rita'].id}/password", {"password": "x"})))
    responses.append(("GET csv", admin.get("/export/verified.csv?bom=1")))
    for what, response in responses:
        body = response.get_data(as_text=True)
        assert "$argon2" not in body, what
        assert "password_hash" not in body, what
        for digest in digests:
            assert digest not in body, what


@pytest.mark.parametrize(
    "url, data",
    [
        ("/login", {"username": "rita", "password": "Sekrit-typed-password"}),
        ("/admin/users", {"username": "bad name", "display_name": "X", "role": "reviewer", "password": "Sekrit-typed-password"}),
        ("/admin/users/{rita}/password", {"password": "Sekrit"}),
        ("/account/password", {"current_password": "Sekrit-typed-password", "new_password": "Sekrit-2", "confirm": "Sekrit-3"}),
    ],
)
def test_refused_forms_do_not_echo_passwords(app, users, login, url, data):
    client = anonymous(app) if url == "/login" else login("ada")
    response = client.post(url.format(rita=users["rita"].id), data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Sekrit" not in page


# --- 7. CSRF ----------------------------------------------------------------------------------

CROSS_SITE = {"Origin": "https://evil.example", "Referer": "https://evil.example/page.html"}


def test_cross_site_form_posts_are_refused(app, session, users, login):
    world = build_world(session, users)
    victim = login("ada")
    samples = [
        (f"/claims/{world.verified.id}/comments", {"comment": "Posted from another site."}),
        (f"/claims/{world.unverified.id}/take", {"version": world.unverified.version}),
        (f"/claims/{world.pending.id}/approve", {"version": world.pending.version}),
        ("/admin/users", {"username": "planted", "display_name": "P", "role": "admin", "password": "a long new passphrase"}),
        (f"/admin/users/{users['rita'].id}/role", {"role": "admin"}),
        ("/account/password", {"current_password": PASSWORD, "new_password": "attacker passphrase", "confirm": "attacker passphrase"}),
        ("/logout", {}),
    ]
    attacker_token = login("ron").csrf_token()  # a valid token, of the attacker's own session
    before = _state(session)
    for url, data in samples:
        response = victim.raw.post(url, data=data, headers=CROSS_SITE)
        assert response.status_code == 400, f"POST {url}: {response.status_code}"
        response = victim.raw.post(url, data={**data, "csrf_token": attacker_token}, headers=CROSS_SITE)
        assert response.status_code == 400, f"POST {url} with the attacker's token: {response.status_code}"
    assert _state(session) == before
    assert _logged_in(victim)


def test_tokens_do_not_outlive_their_session(app, users, session):
    client = anonymous(app)
    before_login = client.csrf_token()
    assert client.post("/login", {"username": "ada", "password": PASSWORD}).status_code == 302
    response = client.post("/aliases", {"name": "IRGC", "terms": "Sepah\nPasdaran", "csrf_token": before_login})
    assert response.status_code == 400, "the pre-log-in token must die with the pre-log-in session"
    client.forget_token()
    client.get("/claims")
    old = client.csrf_token()
    assert client.post("/logout", {}).status_code == 302
    client.forget_token()
    client.get("/login")
    assert client.post("/login", {"username": "ada", "password": PASSWORD}).status_code == 302
    response = client.post("/aliases", {"name": "IRGC", "terms": "Sepah\nPasdaran", "csrf_token": old})
    assert response.status_code == 400, "a token from a logged-out session must not work in the next one"


def test_over_https_a_foreign_referer_is_refused_even_with_the_token(app, users):
    client = WebClient(app.test_client())
    client.get("/login", base_url="https://localhost")
    token = client.csrf_token()
    data = {"username": "rita", "password": PASSWORD, "csrf_token": token}
    for headers in ({"Referer": "https://evil.example/"}, {"Referer": "http://localhost/login"}, {}):
        response = client.raw.post("/login", data=data, base_url="https://localhost", headers=headers)
        assert response.status_code == 400, headers
    response = client.raw.post("/login", data=data, base_url="https://localhost", headers={"Referer": "https://localhost/login"})
    assert response.status_code == 302


# --- 8. mass assignment ------------------------------------------------------------------------


def _state(session) -> dict:
    session.expire_all()
    return {
        "claims": {c.id: (c.status, c.version, c.assignee_id, c.approved_by_id, c.proposed_by_id, c.priority) for c in session.query(Claim)},
        "users": {u.id: (u.role, u.is_active, u.session_version, u.password_hash) for u in session.query(User)},
        "links": session.query(ClaimLink).count(),
    }


def _sequences(connection) -> dict[str, tuple[int, bool]]:
    names = connection.execute(
        text("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE c.relkind = 'S' AND n.nspname = current_schema()")
    ).scalars().all()
    return {name: tuple(connection.execute(text(f'SELECT last_value, is_called FROM "{name}"')).one()) for name in names}


def _restore_sequences(connection, values: dict[str, tuple[int, bool]]) -> None:
    for name, (last, called) in values.items():
        connection.execute(text("SELECT setval(CAST(:name AS regclass), :last, :called)"), {"name": f'"{name}"', "last": last, "called": called})


def _snapshot(connection) -> dict:
    """Every row of every table, datetimes reduced to set/unset (they are the clock, not the request)."""
    out = {}
    for table in Base.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = connection.execute(select(table).order_by(*order)).mappings().all()
        out[table.name] = [
            {k: ("<time>" if isinstance(v, datetime) else v) for k, v in row.items()} for row in rows
        ]
    return out


def _hashes_as_changed(snapshot: dict, baseline: dict) -> dict:
    """A new password hash differs on every run (salt): keep only whether it changed."""
    before = {row["id"]: row["password_hash"] for row in baseline["users"]}
    for row in snapshot["users"]:
        row["password_hash"] = "<same>" if before.get(row["id"]) == row["password_hash"] else "<changed>"
    for row in snapshot["api_tokens"]:  # a new token is random; who owns it and its scope are not
        row["token_hash"] = row["display_prefix"] = "<random>"
    # An event's id is a random UUID (its type, subjects and payload are not); a webhook's
    # signing secret is random too.
    for row in snapshot["events"]:
        row["id"] = "<random>"
    snapshot["events"].sort(key=repr)
    for row in snapshot["webhook_endpoints"]:
        row["secret"] = "<random>"
    for row in snapshot["webhook_deliveries"]:
        row["event_id"] = "<random>"
    return snapshot


def _dangerous_extras(world: World) -> dict[str, str]:
    erin, ron, other = world.users["erin"].id, world.users["ron"].id, world.verified.id
    return {
        "status": "verified", "verdict": "true", "rationale": "Injected rationale.",
        "approved_by_id": str(erin), "approved_by": str(erin), "proposed_by_id": str(erin), "proposed_by": str(erin),
        "created_by_id": str(erin), "added_by_id": str(erin), "imported_by_id": str(erin), "decided_by_id": str(erin),
        "actor_id": str(erin), "user_id": str(erin), "assignee_id": str(ron), "assignee": str(ron),
        "role": "admin", "is_active": "false", "active": "0", "session_version": "99", "failed_login_count": "0",
        "locked_until": "2100-01-01", "password_hash": "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        "username": "hijacked", "display_name": "Hijacked", "version": "999", "id": "1", "claim_id": str(other),
        "article_id": str(world.article.id + 1000), "span_start": "0", "span_end": "3", "quote": "Officials",
        "priority": "3", "verified_at": "2020-01-01", "body": "Injected body.", "body_sha256": "0" * 64,
        "kind": "same", "other": str(other), "note": "Injected note.", "url": "https://evil.example/",
        "category": "casualties", "statement": "Injected statement.", "title": "Injected title",
        "hedged": "y", "status_id": "1", "claim_a_id": str(other), "claim_b_id": str(other), "group_id": "1",
    }


# A reviewer gets forms without the priority field: sending one must change nothing.
REVIEWER_FORMS = {
    "claims.edit": ClaimEditForm,
    "articles.create_claim": NewClaimForm,
    "articles.accept_candidate": AcceptCandidateForm,
}


def _fields_for(endpoint: str, role: str) -> set[str]:
    if role == "reviewer" and endpoint in REVIEWER_FORMS:
        return set(form_fields(REVIEWER_FORMS[endpoint]))
    return set(form_fields(POST_FORMS[endpoint]))


# The request each route gets when the matrix's own request is not one that succeeds.
def _republishable(w) -> dict:
    """The world's verified claim is published (build_world): take it down first, so that
    publishing it again, with its note, is a change."""
    from sqlalchemy.orm import object_session

    from factcheck.services import publishing

    publishing.unpublish_claim(object_session(w.verified), w.users["erin"].id, w.verified.id, "Taken down for the test.")
    return {"update_note": "Figures checked again.", "version": w.verified.version}


SUCCESSFUL = {
    "publishing.publish": _republishable,
    "auth.login": lambda w: {"username": "rita", "password": PASSWORD},
    "auth.change_password": lambda w: {"current_password": PASSWORD, "new_password": "a brand new passphrase",
                                       "confirm": "a brand new passphrase"},
}


# Importing from a link only stores the request and queues its fetch (the worker fetches), so both
# steps store rows an extra field could change: none is left out.
STORES_NOTHING: set[str] = set()
MASS_CASES = [(k, "admin") for k in POST_KEYS if k[0] not in STORES_NOTHING] + [
    (k, "reviewer") for k in POST_KEYS if EXPECTED[k][1]["reviewer"] == 303
]


@pytest.mark.parametrize("key, role", MASS_CASES, ids=[f"{k[0]}-{r}" for k, r in MASS_CASES])
def test_extra_form_fields_are_never_applied(app, session, users, login, connection, monkeypatch, key, role):
    """Differential: the same request with and without dangerous extra fields, each from the
    same database state, must leave exactly the same rows (and answer the same)."""
    endpoint, _ = key
    world = build_world(session, users)
    url, data = EXPECTED[key][0](world)
    if endpoint in SUCCESSFUL:
        data = SUCCESSFUL[endpoint](world)
    fields = _fields_for(endpoint, role)
    extras = {k: v for k, v in _dangerous_extras(world).items() if k not in fields and k not in data}
    assert len(extras) > 20

    def client() -> WebClient:
        if endpoint == "auth.login":
            return anonymous(app)
        return login("ada" if role == "admin" else "ron")

    plain_client, extra_client = client(), client()  # logged in before the baseline
    plain_client.csrf_token(), extra_client.csrf_token()
    sequences = _sequences(connection)
    baseline = _snapshot(connection)
    outcomes = []
    for web, payload in ((plain_client, data), (extra_client, {**data, **extras})):
        _restore_sequences(connection, sequences)
        savepoint = connection.begin_nested()
        try:
            response = web.post(url, payload)
            outcomes.append(
                (response.status_code, response.headers.get("Location"), _hashes_as_changed(_snapshot(connection), baseline))
            )
        finally:
            savepoint.rollback()
    _restore_sequences(connection, sequences)
    (plain_status, plain_location, plain_rows), (extra_status, extra_location, extra_rows) = outcomes
    assert plain_status in (201, 302, 303), f"the plain request should succeed: {plain_status}"
    assert plain_rows != _hashes_as_changed(_snapshot(connection), baseline), "the plain request changed nothing"
    assert (extra_status, extra_location) == (plain_status, plain_location)
    for table in plain_rows:
        assert extra_rows[table] == plain_rows[table], f"{endpoint} as {role}: extra fields changed {table}"


# --- 9. failed log-ins do not tell which accounts exist ----------------------------------------


def _normalised(response, username: str) -> tuple:
    body = response.get_data(as_text=True)
    token = csrf_from(body)
    if token:
        body = body.replace(token, "TOKEN")
    body = body.replace(f'value="{username}"', 'value="USERNAME"')
    headers = sorted(
        (name, value) for name, value in response.headers.items() if name not in ("Set-Cookie", "Content-Length", "Date", "X-Request-Id")
    )
    cookies = sorted(
        (h.split("=", 1)[0], ";".join(p.strip() for p in h.split(";")[1:] if not p.strip().startswith("Expires")))
        for h in response.headers.getlist("Set-Cookie")
    )
    return response.status_code, body, headers, cookies


def test_failed_and_locked_log_ins_look_the_same_for_real_unknown_and_deactivated_names(app, users, session):
    user_service.set_active(session, users["ada"].id, users["erin"].id, False)
    names = {"rita": "real account", "riya": "unknown name", "erin": "deactivated account"}
    clients = {name: anonymous(app) for name in names}
    for attempt in range(1, 7):
        answers = {}
        for name, client in clients.items():
            password = PASSWORD if attempt == 6 else f"wrong password {attempt}"  # the 6th: the right one, while locked
            answers[name] = _normalised(client.post("/login", {"username": name, "password": password}), name)
        first = answers["rita"]
        assert first[0] == 422
        if attempt >= 5:
            assert "locked" in first[1]
        for name, answer in answers.items():
            assert answer == first, f"attempt {attempt}: {names[name]} answers differently from a real account"


@pytest.mark.parametrize("path", ["/search", "/claims", "/dashboard"])
def test_a_300_digit_number_in_a_filter_is_refused_not_a_500(login, path):
    huge = "2" * 300
    response = login("eddie").get(path, query_string={"q": "missiles", "article": huge, "proposed_by": huge, "approved_by": huge})
    assert response.status_code in (200, 302, 422), response.status_code
