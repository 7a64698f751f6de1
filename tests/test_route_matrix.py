"""Every route x every role answers as DESIGN.md's matrix says.

EXPECTED lists each (endpoint, method) with how to call it and the status
each role gets. A route added without an entry here fails
``test_every_route_has_an_expectation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest

from sqlalchemy import select

from factcheck.models import (
    Alias, AliasGroup, Article, CandidateStatus, Category, Claim, ClaimCandidate, DeliveryStatus, Event, Stance, Verdict,
    WebhookDelivery,
)
from factcheck.services import publishing, related, tokens, webhooks, workflow
from factcheck.services.workflow import ClaimFields, EvidenceFields

from .conftest import PASSWORD
from .helpers import WebClient

ROLES = ["anonymous", "reviewer", "editor", "admin"]
ACCOUNT = {"reviewer": "ron", "editor": "eddie", "admin": "ada"}

BODY = (
    "Officials said six missiles flew 355 miles before striking the depot. "
    "The attack killed 29 people and wounded 70 others, the ministry said. "
    "Over 2,000 troops remain deployed in the province."
)


@dataclass
class World:
    article: Article
    unverified: Claim
    in_review: Claim  # assigned to rita, with rita's evidence
    pending: Claim  # proposed by rita
    verified: Claim  # proposed by rita, approved by erin
    evidence_id: int
    users: dict
    link_id: int = 0
    alias_group_id: int = 0
    candidate_id: int = 0
    removed_event_id: int = 0
    dismissed_candidate_id: int = 0
    token_id: int = 0  # an API token of ron's (the reviewer)
    webhook_id: int = 0
    failed_delivery_id: int = 0  # a webhook delivery that used up its retries
    feed_id: int = 0  # a feed the desk follows; the article arrived from it (incoming)
    link_import_id: int = 0  # ron's import from a link, fetched by the worker and ready for review


def _claim(session, article, quote, actor_id):
    return workflow.create_claim(
        session, actor_id, article.id, quote, ClaimFields(statement=quote, category=Category.OTHER)
    )


def build_world(session, users) -> World:
    rita, erin = users["rita"].id, users["erin"].id
    article = Article(title="Matrix article", body=BODY)
    session.add(article)
    session.commit()
    unverified = _claim(session, article, "six missiles", rita)
    in_review = _claim(session, article, "flew 355 miles", rita)
    pending = _claim(session, article, "killed 29 people", rita)
    verified = _claim(session, article, "wounded 70 others", rita)
    link = EvidenceFields(url="https://example.org/report", title="Report", stance=Stance.SUPPORTS)
    for claim in (in_review, pending, verified):
        workflow.take_claim(session, rita, claim.id)
    evidence = workflow.add_evidence(session, rita, in_review.id, link)
    removed = workflow.remove_evidence(session, rita, workflow.add_evidence(session, rita, in_review.id, link).id)
    for claim in (pending, verified):
        workflow.add_evidence(session, rita, claim.id, link)
        workflow.propose_verdict(session, rita, claim.id, Verdict.TRUE, "Matches the ministry's figures.")
    workflow.approve_verdict(session, erin, verified.id)
    publishing.publish_claim(session, erin, verified.id)
    link = related.link_claims(session, rita, unverified.id, verified.id, "same")
    group = AliasGroup(name="Deir Ezzor", aliases=[Alias(term="Deir Ezzor"), Alias(term="Deir al Zour")])
    quote = "Over 2,000 troops remain deployed in the province"
    start = BODY.index(quote)
    candidate = ClaimCandidate(
        article_id=article.id, quote=quote, span_start=start, span_end=start + len(quote), category=Category.FORCES
    )
    other = "The attack killed 29 people"
    dismissed = ClaimCandidate(
        article_id=article.id, quote=other, span_start=BODY.index(other), span_end=BODY.index(other) + len(other),
        category=Category.CASUALTIES, status=CandidateStatus.DISMISSED, decided_by_id=rita,
    )
    session.add_all([group, candidate, dismissed])
    session.commit()
    token = tokens.create_token(session, users["ron"].id, name="matrix", scope="read").token
    hook = webhooks.register_endpoint(session, None, "https://hooks.example/matrix", ["claim.taken"]).endpoint
    event = session.execute(select(Event).order_by(Event.created_at).limit(1)).scalar_one()
    failed = WebhookDelivery(endpoint_id=hook.id, event_id=event.id, status=DeliveryStatus.FAILED.value, attempts=16)
    session.add(failed)
    session.commit()
    from factcheck.models import ArticleIntake, Feed

    feed = Feed(url="https://feeds.example/matrix.xml", title="Matrix feed")
    session.add(feed)
    session.flush()
    session.add(ArticleIntake(article_id=article.id, feed_id=feed.id))
    from factcheck.models import LinkImport

    link_import = LinkImport(
        url="https://news.example/story", requested_by_id=users["ron"].id, status="ready",
        fetched_from="https://news.example/story", title="A linked story", body="Four rockets hit the harbour on Monday.",
    )
    session.add(link_import)
    session.commit()
    return World(
        article, unverified, in_review, pending, verified, evidence.id, users, link.id, group.id, candidate.id, removed.id,
        dismissed.id, token.id, hook.id, failed.id, feed.id, link_import.id,
    )


Request = Callable[[World], tuple[str, dict | None]]


def get(url: Callable[[World], str]) -> Request:
    return lambda w: (url(w), None)


def post(url: Callable[[World], str], data: Callable[[World], dict]) -> Request:
    return lambda w: (url(w), data(w))


def expect(anonymous, reviewer, editor, admin):
    return dict(zip(ROLES, (anonymous, reviewer, editor, admin)))


EVERYONE_200 = expect(302, 200, 200, 200)
EDITORS_200 = expect(302, 403, 200, 200)
ADMIN_200 = expect(302, 403, 403, 200)
EVERYONE_303 = expect(302, 303, 303, 303)
EDITORS_303 = expect(302, 403, 303, 303)
ADMIN_302 = expect(302, 403, 403, 302)
ADMIN_303 = expect(302, 403, 403, 303)

EXPECTED: dict[tuple[str, str], tuple[Request, dict]] = {
    ("static", "GET"): (get(lambda w: "/static/css/app.css"), expect(200, 200, 200, 200)),
    ("health.healthz", "GET"): (get(lambda w: "/healthz"), expect(200, 200, 200, 200)),
    # No FACTCHECK_METRICS_TOKEN in the test app: /metrics does not exist for anyone (tests/test_metrics.py has the rest).
    ("health.metrics", "GET"): (get(lambda w: "/metrics"), expect(404, 404, 404, 404)),
    ("auth.login", "GET"): (get(lambda w: "/login"), expect(200, 302, 302, 302)),
    ("auth.login", "POST"): (
        post(lambda w: "/login", lambda w: {"username": "rita", "password": "wrong password"}),
        expect(422, 302, 302, 302),
    ),
    ("auth.logout", "POST"): (post(lambda w: "/logout", lambda w: {}), expect(302, 302, 302, 302)),
    ("auth.change_password", "GET"): (get(lambda w: "/account/password"), EVERYONE_200),
    ("auth.change_password", "POST"): (
        post(
            lambda w: "/account/password",
            lambda w: {"current_password": "wrong", "new_password": "x" * 14, "confirm": "x" * 14},
        ),
        expect(302, 422, 422, 422),
    ),
    ("auth.tokens", "GET"): (get(lambda w: "/account/tokens"), EVERYONE_200),
    ("auth.create_token", "POST"): (
        post(lambda w: "/account/tokens", lambda w: {"name": "matrix", "scope": "read"}), expect(302, 201, 201, 201)
    ),
    # The token is ron's (the reviewer): he may revoke it, an administrator too; to an
    # editor it does not exist.
    ("auth.revoke_token", "POST"): (
        post(lambda w: f"/account/tokens/{w.token_id}/revoke", lambda w: {}), expect(302, 303, 404, 303)
    ),
    ("auth.notifications", "GET"): (get(lambda w: "/account/notifications"), EVERYONE_200),
    ("auth.update_notifications", "POST"): (
        post(lambda w: "/account/notifications", lambda w: {"email": "someone@example.org", "notify": "y"}), EVERYONE_303
    ),
    ("claims.home", "GET"): (get(lambda w: "/"), expect(302, 302, 302, 302)),
    ("claims.index", "GET"): (get(lambda w: "/claims?status=unverified&sort=oldest"), EVERYONE_200),
    ("claims.detail", "GET"): (get(lambda w: f"/claims/{w.pending.id}"), EVERYONE_200),
    ("claims.activity", "GET"): (get(lambda w: "/activity"), EDITORS_200),
    ("claims.edit", "GET"): (get(lambda w: f"/claims/{w.unverified.id}/edit"), EVERYONE_200),
    ("claims.edit", "POST"): (
        post(
            lambda w: f"/claims/{w.unverified.id}/edit",
            lambda w: {
                "statement": "Six missiles were fired.",
                "category": "weapons",
                "quantity_value": "6",
                "quantity_unit": "missiles",
                "quantity_qualifier": "",
                "version": w.unverified.version,
            },
        ),
        EVERYONE_303,
    ),
    ("claims.take", "POST"): (
        post(lambda w: f"/claims/{w.unverified.id}/take", lambda w: {"version": w.unverified.version}),
        EVERYONE_303,
    ),
    # Releasing rita's claim: she or an editor may (ron is not its reviewer).
    ("claims.release", "POST"): (
        post(lambda w: f"/claims/{w.in_review.id}/release", lambda w: {"version": w.in_review.version}),
        EDITORS_303,
    ),
    # Assigning the queue's ticked claims: editors only (taking them is everyone's, see test_bulk.py).
    ("claims.bulk", "POST"): (
        post(
            lambda w: "/claims/bulk",
            lambda w: {
                "claim": f"{w.unverified.id}:{w.unverified.version}", "action": "assign", "assignee": str(w.users["ron"].id)
            },
        ),
        EDITORS_303,
    ),
    ("claims.restore_evidence", "POST"): (
        post(lambda w: f"/claims/{w.in_review.id}/evidence/restore/{w.removed_event_id}", lambda w: {}),
        EDITORS_303,
    ),
    ("articles.dismiss_candidates", "POST"): (
        post(lambda w: f"/articles/{w.article.id}/candidates/dismiss", lambda w: {"candidate": [w.candidate_id]}),
        EVERYONE_303,
    ),
    ("articles.restore_candidate", "POST"): (
        post(lambda w: f"/articles/{w.article.id}/candidates/{w.dismissed_candidate_id}/restore", lambda w: {}),
        EVERYONE_303,
    ),
    ("claims.assign", "POST"): (
        post(
            lambda w: f"/claims/{w.unverified.id}/assign",
            lambda w: {"assignee": w.users["ron"].id, "version": w.unverified.version},
        ),
        EDITORS_303,
    ),
    # The reviewer here (ron) is not the claim's reviewer (rita): only she or an editor may propose.
    ("claims.propose", "POST"): (
        post(
            lambda w: f"/claims/{w.in_review.id}/propose",
            lambda w: {"verdict": "false", "rationale": "The ministry's data says otherwise.", "version": w.in_review.version},
        ),
        EDITORS_303,
    ),
    ("claims.approve", "POST"): (
        post(lambda w: f"/claims/{w.pending.id}/approve", lambda w: {"version": w.pending.version}),
        EDITORS_303,
    ),
    ("claims.send_back", "POST"): (
        post(
            lambda w: f"/claims/{w.pending.id}/send-back",
            lambda w: {"comment": "Find a second source.", "version": w.pending.version},
        ),
        EDITORS_303,
    ),
    ("claims.reopen", "POST"): (
        post(
            lambda w: f"/claims/{w.verified.id}/reopen",
            lambda w: {"comment": "New figures published.", "version": w.verified.version},
        ),
        EDITORS_303,
    ),
    ("claims.comment", "POST"): (
        post(lambda w: f"/claims/{w.verified.id}/comments", lambda w: {"comment": "Noted."}),
        EVERYONE_303,
    ),
    ("claims.add_evidence", "POST"): (
        post(
            lambda w: f"/claims/{w.in_review.id}/evidence",
            lambda w: {"url": "https://example.org/second", "title": "Second source", "stance": "context"},
        ),
        EVERYONE_303,
    ),
    # rita added this evidence; ron (a reviewer) may not change it, editors may.
    ("claims.edit_evidence", "GET"): (get(lambda w: f"/evidence/{w.evidence_id}/edit"), EDITORS_200),
    ("claims.edit_evidence", "POST"): (
        post(
            lambda w: f"/evidence/{w.evidence_id}/edit",
            lambda w: {"url": "https://example.org/report", "title": "Report (updated)", "stance": "supports"},
        ),
        EDITORS_303,
    ),
    ("claims.delete_evidence", "POST"): (post(lambda w: f"/evidence/{w.evidence_id}/delete", lambda w: {}), EDITORS_303),
    ("articles.index", "GET"): (get(lambda w: "/articles"), EVERYONE_200),
    ("articles.detail", "GET"): (get(lambda w: f"/articles/{w.article.id}"), EVERYONE_200),
    ("articles.create_claim", "POST"): (
        post(
            lambda w: f"/articles/{w.article.id}/claims",
            lambda w: {"quote": "Over 2,000 troops remain deployed", "statement": "Over 2,000 troops.", "category": "forces"},
        ),
        EVERYONE_303,
    ),
    ("dashboard.index", "GET"): (get(lambda w: "/dashboard?category=distance&created_from=2020-01-01"), EDITORS_200),
    ("dashboard.export_csv", "GET"): (get(lambda w: "/export/verified.csv"), EDITORS_200),
    ("dashboard.export_claimreview", "GET"): (get(lambda w: "/export/claimreview.json"), EDITORS_200),
    ("search.search", "GET"): (get(lambda w: "/search?q=missiles+OR+%22Deir+al+Zour%22&status=verified"), EVERYONE_200),
    ("search.aliases", "GET"): (get(lambda w: "/aliases"), EDITORS_200),
    ("search.create_alias_group", "POST"): (
        post(lambda w: "/aliases", lambda w: {"name": "IRGC", "terms": "Revolutionary Guards\nSepah"}),
        expect(302, 403, 302, 302),
    ),
    ("search.edit_alias_group", "GET"): (get(lambda w: f"/aliases/{w.alias_group_id}/edit"), EDITORS_200),
    ("search.edit_alias_group", "POST"): (
        post(lambda w: f"/aliases/{w.alias_group_id}/edit", lambda w: {"name": "Deir Ezzor", "terms": "Deir ez-Zor"}),
        expect(302, 403, 302, 302),
    ),
    ("search.delete_alias_group", "POST"): (
        post(lambda w: f"/aliases/{w.alias_group_id}/delete", lambda w: {}), expect(302, 403, 302, 302)
    ),
    ("search.link", "POST"): (
        post(lambda w: f"/claims/{w.in_review.id}/links", lambda w: {"other": w.pending.id, "kind": "related"}),
        EVERYONE_303,
    ),
    ("search.unlink", "POST"): (
        post(lambda w: f"/claims/{w.unverified.id}/links/{w.link_id}/delete", lambda w: {}), EVERYONE_303
    ),
    # Reusing a verified claim's verdict on the unverified claim linked to it as the same:
    # the user takes it and proposes; it still needs an editor's approval.
    ("search.reuse", "POST"): (
        post(lambda w: f"/claims/{w.unverified.id}/reuse/{w.verified.id}", lambda w: {}), EVERYONE_303
    ),
    ("articles.new", "GET"): (get(lambda w: "/articles/new"), EVERYONE_200),
    ("articles.new", "POST"): (
        post(lambda w: "/articles/new", lambda w: {"title": "A new story", "body": "Six rockets hit the port, officials said."}),
        EVERYONE_303,
    ),
    # Importing from a link: the submit only queues the fetch for the worker (no connection),
    # whatever the address; the import's page and its save are the requester's (ron) and editors'.
    ("articles.from_link", "POST"): (
        post(lambda w: "/articles/from-link", lambda w: {"link": "http://10.0.0.1/story"}), EVERYONE_303
    ),
    ("articles.link_import", "GET"): (get(lambda w: f"/articles/imports/{w.link_import_id}"), EVERYONE_200),
    ("articles.save_link_import", "POST"): (
        post(lambda w: f"/articles/imports/{w.link_import_id}", lambda w: {"title": "A story"}), EVERYONE_303
    ),
    ("articles.accept_candidate", "GET"): (get(lambda w: f"/articles/{w.article.id}/candidates/{w.candidate_id}/accept"), EVERYONE_200),
    ("articles.accept_candidate", "POST"): (
        post(
            lambda w: f"/articles/{w.article.id}/candidates/{w.candidate_id}/accept",
            lambda w: {"statement": "Over 2,000 troops are deployed.", "category": "forces", "quantity_value": "2000",
                       "quantity_unit": "troops", "quantity_qualifier": "over"},
        ),
        EVERYONE_303,
    ),
    ("articles.dismiss_candidate", "POST"): (
        post(lambda w: f"/articles/{w.article.id}/candidates/{w.candidate_id}/dismiss", lambda w: {}), EVERYONE_303
    ),
    # Publishing (the verified claim is published in build_world: publishing it again
    # without a change is refused with a flash, 303, to editors; reviewers get 403).
    ("publishing.publish", "POST"): (
        post(
            lambda w: f"/claims/{w.verified.id}/publish",
            lambda w: {"update_note": "Figures checked again.", "version": w.verified.version},
        ),
        EDITORS_303,
    ),
    ("publishing.unpublish", "POST"): (
        post(
            lambda w: f"/claims/{w.verified.id}/unpublish",
            lambda w: {"reason": "Legal review.", "version": w.verified.version},
        ),
        EDITORS_303,
    ),
    # The public pages: anyone, logged in or not.
    ("public.index", "GET"): (get(lambda w: "/fact-checks/?verdict=true"), expect(200, 200, 200, 200)),
    ("public.fact_check", "GET"): (
        get(lambda w: f"/fact-checks/{w.verified.id}-wounded-70-others"), expect(200, 200, 200, 200)
    ),
    ("public.article", "GET"): (get(lambda w: f"/fact-checks/articles/{w.article.id}"), expect(200, 200, 200, 200)),
    ("public.robots", "GET"): (get(lambda w: "/robots.txt"), expect(200, 200, 200, 200)),
    ("public.sitemap", "GET"): (get(lambda w: "/sitemap.xml"), expect(200, 200, 200, 200)),
    ("public.sitemap_block", "GET"): (get(lambda w: "/sitemaps/0.xml"), expect(200, 200, 200, 200)),
    ("public.feed_atom", "GET"): (get(lambda w: "/fact-checks/feed.atom"), expect(200, 200, 200, 200)),
    ("public.feed_json", "GET"): (get(lambda w: "/fact-checks.json"), expect(200, 200, 200, 200)),
    ("admin.users", "GET"): (get(lambda w: "/admin/users"), ADMIN_200),
    ("admin.user", "GET"): (get(lambda w: f"/admin/users/{w.users['rita'].id}"), ADMIN_200),
    ("admin.create_user", "POST"): (
        post(
            lambda w: "/admin/users",
            lambda w: {"username": "newbie", "display_name": "New", "role": "reviewer", "password": "a long new passphrase"},
        ),
        ADMIN_302,
    ),
    ("admin.change_role", "POST"): (
        post(lambda w: f"/admin/users/{w.users['rita'].id}/role", lambda w: {"role": "editor"}),
        ADMIN_302,
    ),
    ("admin.set_active", "POST"): (
        post(lambda w: f"/admin/users/{w.users['rita'].id}/active", lambda w: {"active": "0"}),
        ADMIN_302,
    ),
    ("admin.reset_password", "POST"): (
        post(lambda w: f"/admin/users/{w.users['rita'].id}/password", lambda w: {"password": "a reset passphrase"}),
        ADMIN_302,
    ),
    ("admin.webhooks", "GET"): (get(lambda w: "/admin/webhooks"), ADMIN_200),
    # 201: the new endpoint's secret is on this answer only (no redirect).
    ("admin.create_webhook", "POST"): (
        post(lambda w: "/admin/webhooks", lambda w: {"url": "https://hooks.example/new", "event_types": ["claim.approved"]}),
        expect(302, 403, 403, 201),
    ),
    ("admin.remove_webhook", "POST"): (post(lambda w: f"/admin/webhooks/{w.webhook_id}/remove", lambda w: {}), ADMIN_303),
    ("admin.webhook_failures", "GET"): (get(lambda w: "/admin/webhooks/failures"), ADMIN_200),
    ("admin.redeliver_webhook", "POST"): (
        post(lambda w: f"/admin/webhooks/deliveries/{w.failed_delivery_id}/redeliver", lambda w: {}), ADMIN_303
    ),
    ("feeds.index", "GET"): (get(lambda w: "/feeds"), EDITORS_200),
    # Subscribing fetches nothing in the request (the worker's first poll reads the feed).
    ("feeds.subscribe", "POST"): (post(lambda w: "/feeds", lambda w: {"url": "http://127.0.0.1:9/feed.xml"}), EDITORS_303),
    ("feeds.remove", "POST"): (post(lambda w: f"/feeds/{w.feed_id}/remove", lambda w: {}), EDITORS_303),
    ("feeds.incoming", "GET"): (get(lambda w: "/feeds/incoming"), EDITORS_200),
    ("feeds.triage_one", "POST"): (post(lambda w: f"/feeds/incoming/{w.article.id}/keep", lambda w: {}), EDITORS_303),
    ("feeds.triage_many", "POST"): (
        post(lambda w: "/feeds/incoming", lambda w: {"article_ids": [str(w.article.id)], "action": "discard"}), EDITORS_303
    ),
}


def _route_keys(app) -> set[tuple[str, str]]:
    keys = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            # The JSON API authenticates by token, never by this matrix's log-in cookie, and
            # has no CSRF tokens: tests/test_api.py checks that a logged-in browser gets 401
            # on every API route, a read token 403 on every write, and the roles per write route.
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            keys.add((rule.endpoint, method))
    return keys


def test_every_route_has_an_expectation(app):
    routes = _route_keys(app)
    missing = sorted(routes - set(EXPECTED))
    stale = sorted(set(EXPECTED) - routes)
    assert not missing, f"routes with no expectation in the matrix: {missing}"
    assert not stale, f"expectations for routes that no longer exist: {stale}"


def _client_for(app, role: str) -> WebClient:
    client = WebClient(app.test_client())
    client.get("/login")
    if role != "anonymous":
        response = client.post("/login", {"username": ACCOUNT[role], "password": PASSWORD})
        assert response.status_code == 302
        client.forget_token()
        client.get("/claims")
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: f"{k[1]} {k[0]}")
def test_route_answers_role_as_expected(app, session, users, key, role):
    world = build_world(session, users)
    request, expected = EXPECTED[key]
    url, data = request(world)
    client = _client_for(app, role)
    if key[1] == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data)
    assert response.status_code == expected[role], (
        f"{key[1]} {url} as {role}: {response.status_code}\n" + response.get_data(as_text=True)[:800]
    )
    if role == "anonymous" and expected[role] == 302:
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED if k[1] == "POST"), ids=lambda k: k[0])
def test_post_routes_refuse_missing_and_foreign_csrf_tokens(app, session, users, key):
    world = build_world(session, users)
    request, _ = EXPECTED[key]
    url, data = request(world)
    versions = {c.id: c.version for c in session.query(Claim)}
    client = _client_for(app, "admin")
    missing = client.post(url, data, csrf=False)
    assert missing.status_code == 400
    assert "Form expired" in missing.get_data(as_text=True)
    foreign = _client_for(app, "editor").csrf_token()
    response = client.post(url, {**data, "csrf_token": foreign})
    assert response.status_code == 400
    session.expire_all()
    assert {c.id: c.version for c in session.query(Claim)} == versions
