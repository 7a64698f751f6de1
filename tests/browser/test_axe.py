"""axe-core (WCAG 2.0/2.1, levels A and AA) on every page of the app, as each role.

The pages come from the app's own URL map: every GET route without parameters
is visited as it is, the ones with parameters through PAGES (claims in each
state, an article with suggestions, ...); ``test_every_get_route_is_scanned``
fails when a GET route is neither visited nor excluded with a reason in
EXCLUDED, so a new page cannot escape the scan.

axe is the vendored copy in tests/browser/vendor (no npm, no network), injected
into a browser context made with ``bypass_csp=True``: the app keeps its strict
CSP, the test lifts it for its own script only. Any serious or critical
violation fails, listed with page, rule, impact and target; so does an id used
twice on a page (axe 4.x dropped that rule; a label would point at the wrong field).
"""

from __future__ import annotations

import uuid

import pytest

from .support import ClaimWorld, axe_violations, build_claim_world, describe_violations, duplicate_ids, login

pytestmark = [pytest.mark.browser]

ACCOUNTS = {"reviewer": "rita", "editor": "eddie", "admin": "ada"}

# GET routes that are not HTML pages a person reads, or that only redirect.
EXCLUDED = {
    "static": "stylesheet, scripts and icons, not pages",
    "health.healthz": "a status answer for load balancers, not a page",
    "health.metrics": "Prometheus text for a scraper, behind a token",
    "dashboard.export_csv": "a CSV download",
    "dashboard.export_claimreview": "a JSON download",
    "claims.home": "redirects to the queue (/claims), which is scanned",
    "public.robots": "robots.txt, plain text",
    "public.sitemap": "sitemap.xml, XML for crawlers",
    "public.sitemap_block": "one file of the sitemap index, XML for crawlers",
    "public.feed_atom": "an Atom feed",
    "public.feed_json": "a JSON feed of ClaimReviews",
    # The JSON API (token auth, no pages): tests/test_api*.py cover it.
    "api.openapi": "the API's OpenAPI document (JSON)",
    "api.list_articles": "JSON API",
    "api.get_article": "JSON API",
    "api.list_claims": "JSON API",
    "api.get_claim": "JSON API",
    "api.claim_history": "JSON API",
    "api.list_fact_checks": "JSON API",
    "api.get_fact_check": "JSON API",
    "api.search": "JSON API",
    "api.get_link_import": "JSON API",
    # Its three states (fetching, ready for review, failed) need the worker and the page server.
    "articles.link_import": "scanned by tests/browser/test_import_link.py while fetching, for review and failed",
}

# Pages beyond the parameterless GET routes (which are visited as they are):
# paths built from the world of claims in every state. The queue and the search
# appear again with filters, since filters change what the page shows.
PAGES = [
    "/claims?status=in_review&category=casualties&sort=oldest",
    "/claims?assignee=mine",
    "/claims?article={w.article_id}",
    "/claims/{w.unverified}",
    "/claims/{w.in_review}",
    "/claims/{w.pending}",
    "/claims/{w.verified}",
    "/claims/{w.sent_back}",
    "/claims/{w.unverified}/edit",
    "/evidence/{w.evidence_id}/edit",
    "/articles/{w.article_id}",
    "/articles/{w.article_id}/candidates/{w.candidate_id}/accept",
    "/search?q=Deir+Ezzor",
    "/search?q=killed&status=in_review&category=casualties",
    "/search?q=zzqxv+nothing+matches",
    "/aliases/{w.alias_group_id}/edit",
    "/admin/users/{w.user_ids[rita]}",
    "/feeds/incoming?cursor=not-a-cursor",  # the notice of a bad page link (/feeds and /feeds/incoming are scanned as they are)
    "/claims/999999999",  # 404 page
    # The public pages (world.verified is published by the world fixture).
    "/fact-checks/?verdict=true&category=casualties",
    "/fact-checks/{w.verified}",  # redirects to its slug
    "/fact-checks/articles/{w.article_id}",
]

# The public pages, scanned as a reader who is not logged in, at phone and desktop widths.
PUBLIC_PAGES = [
    "/fact-checks/",
    "/fact-checks/?verdict=nonsense&category=weapons",
    "/fact-checks/{w.verified}",
    "/fact-checks/articles/{w.article_id}",
    "/fact-checks/999999999",  # the public 404 page
]


def _get_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]


def page_paths(app, world: ClaimWorld) -> list[str]:
    """Every page to scan: the parameterless GET routes, then PAGES."""
    plain = sorted(rule.rule for rule in _get_rules(app) if not rule.arguments and rule.endpoint not in EXCLUDED)
    return plain + [path.format(w=world) for path in PAGES]


def test_every_get_route_is_scanned(app):
    """A GET route is scanned (directly or through PAGES) or excluded with a reason."""
    dummy = ClaimWorld(1, 1, 1, 1, 1, 1, 1, 1, 1, {"rita": 1})
    adapter = app.url_map.bind("localhost")
    scanned = set()
    for path in page_paths(app, dummy):
        endpoint, _args = adapter.match(path.split("?")[0], method="GET")
        scanned.add(endpoint)
    endpoints = {rule.endpoint for rule in _get_rules(app)}
    missing = endpoints - scanned - set(EXCLUDED)
    assert not missing, f"GET routes no axe scan visits: {sorted(missing)}; add a page to PAGES or a reason to EXCLUDED"
    assert not (set(EXCLUDED) - endpoints), f"EXCLUDED names routes that no longer exist: {set(EXCLUDED) - endpoints}"


@pytest.fixture(scope="module")
def world(live_server) -> ClaimWorld:
    made = build_claim_world(live_server.database_url, f"axe {uuid.uuid4().hex[:8]}")
    _publish(live_server.database_url, made)
    return made


def _publish(database_url: str, world: ClaimWorld) -> None:
    """Publish the world's verified claim, so the public fact-check pages have something to show."""
    from factcheck.db import Database
    from factcheck.services import publishing

    database = Database.from_url(database_url)
    try:
        with database.session() as session:
            publishing.publish_claim(session, world.user_ids["erin"], world.verified)
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def url_app(live_server):
    """The app object, for its URL map only (no request is served through it)."""
    from factcheck import create_app
    from factcheck.db import Database

    database = Database.from_url(live_server.database_url)
    yield create_app({"TESTING": True, "DATABASE": database, "SECRET_KEY": "url-map-only"})
    database.dispose()


def _check(page, where: str) -> list[str]:
    found = describe_violations(where, axe_violations(page))
    return found + [f"{where}: duplicate id {d}" for d in duplicate_ids(page)]


def _scan(page, base: str, path: str) -> list[str]:
    response = page.goto(base + path)
    return _check(page, f"{path} [{response.status if response else '?'}]")


def _conflict_page(context, base: str, claim_id: int) -> list[str]:
    """The page that says the claim changed while you edited it: two tabs edit the
    same version, the first saves, the second's save is stopped (409)."""
    first, second = context.new_page(), context.new_page()
    for page in (first, second):
        page.goto(f"{base}/claims/{claim_id}/edit")
    first.get_by_label("Claimant", exact=True).fill(f"the ministry {uuid.uuid4().hex[:6]}")
    first.get_by_role("button", name="Save claim").click()
    first.wait_for_load_state()
    second.get_by_label("Claimant", exact=True).fill("the province's governor")
    with second.expect_response(lambda r: r.request.method == "POST") as info:
        second.get_by_role("button", name="Save claim").click()
    second.wait_for_load_state()
    assert info.value.status == 409, f"expected the conflict page, got {info.value.status} at {second.url}"
    found = _check(second, f"conflict page of claim {claim_id} [409]")
    first.close()
    second.close()
    return found


@pytest.mark.timeout(600)
@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_no_serious_axe_violation_on_any_page(new_context, live_server, world, url_app, role):
    base = live_server.base_url
    context, _watch = new_context(bypass_csp=True)
    page = context.new_page()
    login(page, base, ACCOUNTS[role])
    found = []
    paths = page_paths(url_app, world)
    for path in paths:
        found += _scan(page, base, path)
    found += _conflict_page(context, base, world.unverified)
    assert not found, f"{len(found)} serious/critical axe violations as {role}:\n" + "\n".join(found)


@pytest.mark.timeout(120)
def test_no_serious_axe_violation_logged_out(new_context, live_server):
    """The login page, its error state (sent empty: no log-in attempt is counted
    against the address), and a 404 seen before logging in."""
    base = live_server.base_url
    context, _watch = new_context(bypass_csp=True)
    page = context.new_page()
    found = _scan(page, base, "/login")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_load_state()
    found += _check(page, "/login sent empty")
    found += _scan(page, base, "/no-such-page")
    assert not found, f"{len(found)} serious/critical axe violations logged out:\n" + "\n".join(found)


@pytest.mark.timeout(180)
@pytest.mark.parametrize("width", [375, 1280])
def test_public_fact_check_pages_logged_out(new_context, live_server, world, width):
    """The public pages as a reader who is not logged in, on a phone and a desktop:
    no serious axe violation, no sideways scrolling, no console error and, in a context
    that keeps the CSP, no violation of it (the JSON-LD block is data, not script)."""
    base = live_server.base_url
    context, _watch = new_context(bypass_csp=True, viewport={"width": width, "height": 800})
    page = context.new_page()
    found = []
    for path in PUBLIC_PAGES:
        found += _scan(page, base, path.format(w=world))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            found.append(f"{path} at {width}px: scrolls sideways by {overflow}px")
    assert not found, f"{len(found)} problems on the public pages at {width}px:\n" + "\n".join(found)

    strict, watch = new_context(viewport={"width": width, "height": 800})
    page = strict.new_page()
    response = page.goto(f"{base}/fact-checks/{world.verified}")
    assert response.status == 200 and page.url.startswith(f"{base}/fact-checks/{world.verified}-")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert page.get_by_role("heading", level=1).count() == 1
    watch.assert_clean()


@pytest.mark.timeout(60)
def test_skip_link_is_the_first_tab_stop_and_leads_to_the_content(new_context, live_server, world):
    """Keyboard users skip the header's dozen links: the first Tab shows "Skip to
    main content", Enter follows it, and the next Tab is inside the page's content."""
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/claims/{world.unverified}")
    skip = page.get_by_role("link", name="Skip to main content", exact=True)
    box = skip.bounding_box()
    assert box["y"] + box["height"] <= 0, f"the skip link shows before it has focus: {box}"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0, f"the focused skip link is off-screen: {box}"

    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/claims/{world.unverified}#main")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({inMain: !!document.activeElement.closest('main'), text: document.activeElement.textContent.trim()})"
    )
    assert focused["inMain"], f"after the skip link, Tab went to {focused['text']!r}, outside the content"
    take = page.get_by_role("button", name="Take", exact=True)
    assert take.count() == 1
    watch.assert_clean()


@pytest.mark.timeout(120)
def test_api_token_page_in_each_state(new_context, live_server):
    """/account/tokens empty (scanned above with every page), refused with errors beside
    the fields, with a new token shown once, and with a token in the list: no serious
    axe violation; the token is read from a labelled field, and Revoke removes it."""
    base = live_server.base_url
    context, watch = new_context(bypass_csp=True)
    page = context.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/account/tokens")
    page.get_by_label("Expires after (days)").fill("0")
    page.get_by_role("button", name="Create token").click()
    page.wait_for_load_state()
    found = _check(page, "/account/tokens refused")
    name = f"axe {uuid.uuid4().hex[:6]}"
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Expires after (days)").fill("30")
    page.get_by_role("button", name="Create token").click()
    page.wait_for_load_state()
    found += _check(page, "/account/tokens with a new token")
    token = page.get_by_label("Your new token").input_value()
    assert token.startswith("fct_") and len(token) == 47
    found += _scan(page, base, "/account/tokens")
    assert token not in page.content()
    watch.confirm_answer = True
    page.get_by_role("button", name=f"Revoke token {name}").click()
    page.wait_for_load_state()
    assert watch.confirms == ["Revoke this token? Programs using it stop working at once."]
    assert "revoked" in page.locator(".flash--success").inner_text()
    assert not found, f"{len(found)} serious/critical axe violations on the token page:\n" + "\n".join(found)


def test_webhook_pages_in_each_state(new_context, live_server):
    """/admin/webhooks refused with errors beside the fields, with a new secret shown once,
    with an endpoint listed; /admin/webhooks/failures with a failed delivery: no serious axe
    violation; the secret is read from a labelled field, Remove asks first."""
    from factcheck.db import Database
    from factcheck.models import DeliveryStatus, EventType, WebhookDelivery
    from factcheck.services import events, webhooks

    base = live_server.base_url
    context, watch = new_context(bypass_csp=True)
    page = context.new_page()
    login(page, base, "ada")
    page.goto(f"{base}/admin/webhooks")
    page.get_by_label("Address (URL)").fill("ftp://hooks.example/x")
    page.get_by_role("button", name="Add webhook").click()
    page.wait_for_load_state()
    found = _check(page, "/admin/webhooks refused")
    url = f"https://hooks.example/axe-{uuid.uuid4().hex[:6]}"
    page.get_by_label("Address (URL)").fill(url)
    page.get_by_label("claim.approved").check()
    page.get_by_role("button", name="Add webhook").click()
    page.wait_for_load_state()
    found += _check(page, "/admin/webhooks with a new secret")
    secret = page.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    found += _scan(page, base, "/admin/webhooks")
    assert secret not in page.content() and url in page.content()

    database = Database.from_url(live_server.database_url)
    try:
        with database.session() as session:
            endpoint = next(e for e in webhooks.list_endpoints(session, None) if e.url == url)
            event = events.emit(session, EventType.CLAIM_APPROVED, payload={"axe": True})
            session.add(WebhookDelivery(endpoint_id=endpoint.id, event_id=event.id, status=DeliveryStatus.FAILED.value))
            session.commit()
    finally:
        database.dispose()
    found += _scan(page, base, "/admin/webhooks/failures")
    assert url in page.content()

    page.goto(f"{base}/admin/webhooks")
    watch.confirm_answer = True
    page.get_by_role("button", name=f"Remove the webhook to {url}").click()
    page.wait_for_load_state()
    assert watch.confirms == ["Remove this webhook and its delivery log?"]
    assert "Removed the webhook" in page.locator(".flash--success").inner_text()
    assert not found, f"{len(found)} serious/critical axe violations on the webhook pages:\n" + "\n".join(found)


@pytest.mark.timeout(300)
def test_feed_pages_in_each_state(new_context, live_server):
    """/feeds refused with the reason beside the field and with a failing feed listed;
    /feeds/incoming with an article waiting: no serious axe violation; Keep takes the
    article out of Incoming, Unsubscribe asks first."""
    from factcheck.db import Database
    from factcheck.models import Article, ArticleIntake, Feed

    base = live_server.base_url
    context, watch = new_context(bypass_csp=True)
    page = context.new_page()
    login(page, base, ACCOUNTS["editor"])
    page.goto(f"{base}/feeds")
    page.get_by_label("Feed address (RSS or Atom)").fill("ftp://feeds.example/x")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state()
    found = _check(page, "/feeds refused")
    assert "http" in page.locator(".field-error").inner_text()

    tag = uuid.uuid4().hex[:6]
    title = f"Strike on the market {tag}"
    database = Database.from_url(live_server.database_url)
    try:
        with database.session() as session:
            feed = Feed(url=f"https://feeds.example/{tag}.xml", title=f"Wire {tag}", last_error="example.org answered 500.", error_count=2)
            article = Article(title=title, body=f"At least 12 people were killed on Tuesday, officials said. {tag}")
            session.add_all([feed, article])
            session.flush()
            session.add(ArticleIntake(article_id=article.id, feed_id=feed.id))
            session.commit()
    finally:
        database.dispose()
    found += _scan(page, base, "/feeds")
    assert f"Wire {tag}" in page.content() and "2 times in a row" in page.content()
    found += _scan(page, base, "/feeds/incoming")
    page.get_by_role("button", name=f"Keep {title}").click()
    page.wait_for_load_state()
    assert "Kept article" in page.locator(".flash--success").inner_text()
    assert title not in page.content()

    page.goto(f"{base}/feeds")
    watch.confirm_answer = True
    page.get_by_role("button", name=f"Unsubscribe from Wire {tag}").click()
    page.wait_for_load_state()
    assert watch.confirms == ["Stop following this feed? Its articles stay."]
    assert "Unsubscribed" in page.locator(".flash--success").inner_text()
    assert not found, f"{len(found)} serious/critical axe violations on the feed pages:\n" + "\n".join(found)
