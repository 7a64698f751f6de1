"""Two app servers over one database: nothing a request needs lives in one process's memory.

Two `factcheck serve --production` instances (gunicorn, factcheck/gunicorn_conf.py)
run on two ports against the same database, with the same SECRET_KEY, as two
hosts behind a load balancer would. One cookie-keeping client (cookies go by
host, not port, as in a browser) moves between them: the session, the CSRF
token, log-in throttling, the public rate limit and the optimistic lock on a
claim must all hold across the two.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from factcheck.db import make_engine
from factcheck.models import Article, Category, Role
from factcheck.services import users as user_service
from factcheck.services import workflow
from factcheck.services.workflow import ClaimFields

from .helpers import csrf_from
from .helpers import free_port
from .test_production import SECRET, _running

PASSWORD = "correct horse battery"
RATE_LIMIT = 6
_VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


class Browser:
    """Keeps cookies like a browser (by host, whatever the port) and the last page's CSRF token."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.token: str | None = None

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=20) as response:
                status, url, body = response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as err:
            status, url, body = err.code, err.url, err.read().decode()
        token = csrf_from(body)
        if token:
            self.token = token
        return status, url, body

    def get(self, url: str):
        return self._open(urllib.request.Request(url))

    def post(self, url: str, fields: dict):
        data = urllib.parse.urlencode({"csrf_token": self.token or "", **fields}).encode()
        return self._open(urllib.request.Request(url, data=data, method="POST"))

    def log_in(self, base: str, username: str, password: str = PASSWORD):
        self.get(base + "/login")
        return self.post(base + "/login", {"username": username, "password": password})

    def cookies(self) -> set[str]:
        return {cookie.name for cookie in self.jar}


@pytest.fixture(scope="module")
def setup(databases, template_name):
    name = databases.create("twoservers", template=template_name)
    url = databases.url(name)
    engine = make_engine(url, poolclass=NullPool)
    with Session(bind=engine, expire_on_commit=False) as session:
        ids = {}
        for username, role in [
            ("rita", Role.REVIEWER), ("ron", Role.REVIEWER), ("tess", Role.REVIEWER),
            ("eddie", Role.EDITOR), ("erin", Role.EDITOR),
        ]:
            ids[username] = user_service.create_user(
                session, username=username, password=PASSWORD, role=role, display_name=username.capitalize()
            ).id
        article = Article(
            title="Strike on the depot", url="https://news.example/depot", outlet="Wire",
            body="Officials said six missiles flew 355 miles. The attack killed 29 people, the ministry said.",
        )
        session.add(article)
        session.commit()
        claims = [
            workflow.create_claim(
                session, ids["rita"], article.id, quote,
                ClaimFields(statement=statement, category=category, claimant="Officials"),
            ).id
            for quote, statement, category in [
                ("six missiles flew 355 miles", "Six missiles flew 355 miles.", Category.DISTANCE),
                ("killed 29 people", "The attack killed 29 people.", Category.CASUALTIES),
            ]
        ]
    engine.dispose()
    return url, ids, claims


@pytest.fixture(scope="module")
def servers(setup, tmp_path_factory):
    """Two production servers (one gunicorn worker each) on two ports over one database."""
    url, _ids, _claims = setup
    started = time.perf_counter()
    bases = []
    with ExitStack() as stack:
        for n in range(2):
            port = free_port()
            folder = tmp_path_factory.mktemp(f"server{n}")
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "FACTCHECK_PUBLIC_URL": f"http://127.0.0.1:{port}",
                "SECRET_KEY": SECRET,  # the same on every app server, as README's production section says
                "FACTCHECK_INSTANCE": str(folder / "instance"),
                "FACTCHECK_PUBLIC_RATE_LIMIT": str(RATE_LIMIT),
                "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
                "FACTCHECK_LOG_LEVEL": "WARNING",
            }
            env.pop("DATABASE_REPLICA_URL", None)
            argv = [sys.executable, "-m", "factcheck.cli", "serve", "--production", "--port", str(port), "--workers", "1"]
            base = f"http://127.0.0.1:{port}"
            stack.enter_context(_running(argv, env, folder / "server.log", base + "/healthz"))
            bases.append(base)
        print(f"\ntwo servers: started in {time.perf_counter() - started:.2f} s", flush=True)
        yield bases


def test_log_in_on_one_server_and_work_on_the_other(servers, setup):
    a, b = servers
    _url, _ids, (claim, _other) = setup
    browser = Browser()
    status, landed, _ = browser.log_in(a, "rita")
    assert status == 200 and landed.startswith(a) and "/login" not in landed
    assert "factcheck_session" in browser.cookies()

    # The session (and its CSRF token) made on A is honoured by B.
    status, _, page = browser.get(f"{b}/claims/{claim}")
    assert status == 200 and "Log out" in page
    version = _VERSION.search(page).group(1)
    status, landed, page = browser.post(f"{b}/claims/{claim}/take", {"version": version})
    assert status == 200 and landed == f"{b}/claims/{claim}" and "The claim is yours" in page

    status, _, page = browser.post(
        f"{a}/claims/{claim}/evidence",
        {"url": "https://example.org/range", "title": "Range table", "stance": "refutes", "publisher": "Example"},
    )
    assert status == 200 and "Range table" in page
    version = _VERSION.search(page).group(1)
    status, _, page = browser.post(
        f"{b}/claims/{claim}/propose", {"version": version, "verdict": "misleading", "rationale": "The range is 200 miles."}
    )
    assert status == 200 and "Pending approval" in page, page[-2000:]

    # Logging out on B ends the session on A too (the session version is in the database).
    browser.post(f"{b}/logout", {})
    status, landed, _ = browser.get(f"{a}/claims/{claim}")
    assert "/login" in landed


def test_two_editors_on_two_servers_conflict_on_one_claim(servers, setup):
    a, b = servers
    _url, _ids, (claim, _other) = setup
    eddie, erin = Browser(), Browser()
    eddie.log_in(a, "eddie")
    erin.log_in(b, "erin")
    _, _, page_a = eddie.get(f"{a}/claims/{claim}")
    _, _, page_b = erin.get(f"{b}/claims/{claim}")
    version = _VERSION.search(page_a).group(1)
    assert _VERSION.search(page_b).group(1) == version and "Pending approval" in page_a
    # eddie sends the verdict back on A; erin, on B, approves the copy she loaded before.
    status, _, _ = eddie.post(f"{a}/claims/{claim}/send-back", {"version": version, "comment": "Cite the source."})
    assert status == 200
    status, _, page = erin.post(f"{b}/claims/{claim}/approve", {"version": version})
    assert status == 409 and "changed while you were working" in page
    assert "Eddie" in page  # what changed, and who did it
    _, _, page = erin.get(f"{b}/claims/{claim}")
    assert "In review" in page and "Verified" not in re.sub(r"<option[^>]*>[^<]*</option>", "", page)


def test_failed_log_ins_are_counted_across_servers(servers):
    a, b = servers
    browser = Browser()
    for base in (a, b, a, b):  # four free failures for (tess, this address), split over both
        status, _, page = browser.log_in(base, "tess", "wrong password")
        assert status == 422 and "temporarily locked" not in page
    # The fifth starts a delay, although A itself has seen only three...
    status, _, page = browser.log_in(a, "tess", "wrong password")
    assert status == 422 and "Too many failed log-ins: temporarily locked" in page
    # ...and B, which has seen two, refuses even the right password meanwhile.
    status, _, page = browser.log_in(b, "tess")
    assert status == 422 and "Too many failed log-ins: temporarily locked" in page
    _, landed, _ = browser.get(f"{b}/dashboard")
    assert "/login" in landed  # not logged in anywhere


def test_the_public_rate_limit_is_counted_across_servers(servers):
    a, b = servers
    # One-minute windows: start well inside one, so the count is not reset half-way.
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)
    statuses = []
    for n in range(RATE_LIMIT + 2):
        base = a if n % 2 == 0 else b
        try:
            with urllib.request.urlopen(f"{base}/fact-checks/", timeout=10) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as err:
            statuses.append(err.code)
            assert err.headers["Retry-After"]
    assert statuses == [200] * RATE_LIMIT + [429, 429], statuses
