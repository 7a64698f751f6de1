"""Every main page, as each role, stays on 127.0.0.1: no CDN, no web font, no
analytics, nothing fetched from elsewhere; no console error, no failed asset."""

from __future__ import annotations

import json
import time
from urllib.parse import urljoin, urlsplit

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, Watch, claim_id_by_quote, login

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

# Each role's main pages: a reviewer sees the shared pages; editors and the admin
# see them with more in the navigation and on the claim page, plus their own.
SHARED = ["/claims", "/claims/{claim}", "/articles/{article}", "/search?q=Deir+Ezzor"]
PAGES = {
    "rita": SHARED
    + [
        "/claims?status=unverified&category=casualties&sort=oldest",
        "/claims?assignee=mine",
        "/claims/{claim}/edit",
        "/articles",
        "/articles/new",
        "/account/password",
    ],
    "eddie": SHARED + ["/claims/{claim}/edit", "/dashboard", "/dashboard?category=weapons", "/aliases", "/activity"],
    "ada": SHARED + ["/dashboard", "/admin/users"],
}

# Elements whose URL the browser fetches by itself.
_FETCHED = "link[href], script[src], img[src], iframe[src], source[src], video[src], audio[src], embed[src], object[data]"


def test_main_pages_load_everything_from_the_app_alone(new_context, live_server):
    base = live_server.base_url
    origin = f"http://{live_server.host}:{live_server.port}"
    failures: list[str] = []
    watches: dict[str, Watch] = {}

    # The log-in page, before anyone is logged in.
    ctx, watch = new_context()
    page = ctx.new_page()
    watches["anonymous"] = watch
    response = page.goto(f"{base}/login")
    assert response.status == 200

    for username, paths in PAGES.items():
        ctx, watch = new_context()
        watches[username] = watch
        page = ctx.new_page()
        login(page, base, username)
        claim = claim_id_by_quote(page, base, "flew 355 miles over Iraqi territory", category="distance")
        values = {"claim": claim, "article": 1}
        for template in paths:
            path = template.format(**values)
            response = page.goto(base + path)
            if response.status != 200:
                failures.append(f"{username} {path}: HTTP {response.status}")
                continue
            if page.get_by_role("heading", level=1).count() != 1:
                failures.append(f"{username} {path}: no single <h1>")
            if page.locator(".site-nav").count() != 1:
                failures.append(f"{username} {path}: no navigation")
            for attribute_url in page.eval_on_selector_all(
                _FETCHED, "els => els.map(e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('data'))"
            ):
                absolute = urljoin(base + path, attribute_url)
                if not absolute.startswith(origin + "/") and not absolute.startswith("data:"):
                    failures.append(f"{username} {path}: the page refers to {attribute_url}")

    for who, watch in watches.items():
        for url in watch.off_host(live_server.host, live_server.port):
            failures.append(f"{who}: request left {origin}: {url}")
        for problem in watch.error_responses():
            failures.append(f"{who}: {problem}")
        for url, reason in watch.failed:
            # The browser fetches the icon after the load event, so going on to the next page can cancel it.
            if urlsplit(url).path == "/static/favicon.svg" and reason == "net::ERR_ABORTED":
                continue
            failures.append(f"{who}: request failed: {url} ({reason})")
        failures += [f"{who}: dialog {d}" for d in watch.dialogs]
        failures += [f"{who}: JS error {e}" for e in watch.page_errors]
        failures += [f"{who}: console {c}" for c in watch.console_errors()]
    assert failures == [], "\n".join(failures)

    # What was fetched besides the pages: the app's own static files, the stylesheet and script among them.
    fetched = {urlsplit(url).path for w in watches.values() for _m, url, kind in w.requests if kind != "document"}
    assert {"/static/css/app.css", "/static/js/article.js"} <= fetched, fetched
    assert all(path.startswith("/static/") for path in fetched), fetched


def _icon_requests(log: str) -> list[tuple[str, str]]:
    """(path, status) of the icon requests in the server's log: one JSON line per request
    (logger factcheck.request, see factcheck/web/observe.py)."""
    found = []
    for line in log.splitlines():
        if '"factcheck.request"' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("path") in ("/favicon.ico", "/static/favicon.svg"):
            found.append((record["path"], str(record["status"])))
    return found


def test_first_page_of_a_fresh_browser_gets_its_icon(browser, live_server):
    """No 404 for the icon. Chromium requests it once per browser (then caches the
    answer), so this test starts a browser of its own to see that first request.
    (Until 5f27cc3 the pages named no icon: /favicon.ico answered 404 and the console
    of every browser's first page showed 'Failed to load resource ... 404'.)"""
    own = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000)
    try:
        page = own.new_page(viewport=VIEWPORT)
        watch = Watch()
        watch.attach(page)
        log_start = len(live_server.log())
        assert page.goto(f"{live_server.base_url}/login").status == 200
        page.wait_for_load_state("load")
        deadline = time.monotonic() + 3  # the icon is fetched after the load event
        while time.monotonic() < deadline and not _icon_requests(live_server.log()[log_start:]):
            page.wait_for_timeout(100)
        fetched = _icon_requests(live_server.log()[log_start:])
    finally:
        own.close()
    assert watch.favicon_errors() == [] and watch.console_errors() == [], watch.console
    assert fetched, "Chromium fetched no icon"
    assert all(status in ("200", "304") for _path, status in fetched), f"icon requests answered {fetched}"
