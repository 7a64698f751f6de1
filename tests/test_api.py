"""The JSON API /api/v1 (issue 15): tokens, scopes, the permission matrix, problem+json,
versions, pagination and the rate limit, through the Flask test client."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from factcheck.models import ApiToken, ClaimStatus
from factcheck.services import articles as article_service
from factcheck.services import tokens as token_service
from factcheck.services import workflow

from .api_helpers import ARTICLE_BODY, ApiClient, make_token
from .helpers import with_time_left_in_the_minute

PROBLEM = "application/problem+json"
ISO_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


@pytest.fixture
def api(app, session, users):
    """api("rita") / api("rita", "read") -> a client with a fresh token of that user."""

    def _api(username: str, scope: str = "write") -> ApiClient:
        return ApiClient(app.test_client(), make_token(session, users[username], scope))

    return _api


def assert_problem(response, status: int, kind: str | None = None):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == PROBLEM
    doc = response.get_json()
    assert doc["status"] == status and doc["title"] and doc["type"]
    if kind is not None:
        assert doc["type"] == f"urn:factcheck:problem:{kind}", doc
    assert doc["request_id"] == response.headers["X-Request-Id"]
    return doc


# --- state builders (through the services, as other users) ----------------------------


def new_article(session, users, body: str = ARTICLE_BODY, title: str = "Strike on the market"):
    existing = article_service.find_by_body(session, body)
    if existing is not None:  # a second claim_in() in one test: the same article
        return existing
    draft = article_service.ArticleDraft(title=title, body=body, source="test")
    (article,) = article_service.import_articles(session, [draft], imported_by_id=users["ron"].id)
    return article


def new_claim(session, users, article=None, quote: str = "29 people were killed"):
    article = article or new_article(session, users)
    fields = workflow.ClaimFields(statement="29 people were killed in the strike.", category="casualties")
    return workflow.create_claim(session, users["ron"].id, article.id, quote, fields)


def claim_in(session, users, state: str):
    """A claim by ron in ``state``: open, taken (by ron), evidence (taken, with ron's evidence),
    pending (ron proposed), verified (erin approved)."""
    claim = new_claim(session, users)
    if state == "open":
        return claim
    ron, erin = users["ron"].id, users["erin"].id
    workflow.take_claim(session, ron, claim.id)
    if state == "taken":
        return claim
    workflow.add_evidence(
        session, ron, claim.id, workflow.EvidenceFields(url="https://example.org/report", title="Report", stance="supports")
    )
    if state == "evidence":
        return claim
    workflow.propose_verdict(session, ron, claim.id, "true", "The hospital lists confirm it.")
    if state == "pending":
        return claim
    workflow.approve_verdict(session, erin, claim.id)
    return claim


def evidence_of(session, claim_id):
    from factcheck.services import claims as claim_service

    return claim_service.claim_evidence(session, claim_id)[0]


def suggestion_of(session, users):
    from factcheck.services import candidates as candidate_service

    body = ARTICLE_BODY + "\n\nA second report said 40 rockets were fired at the port."
    article = new_article(session, users, body=body, title="Second report")
    return candidate_service.article_candidates(session, article.id)[0]


# --- authentication --------------------------------------------------------------------


def test_no_token_is_401_with_a_bearer_challenge(app):
    response = app.test_client().get("/api/v1/claims")
    doc = assert_problem(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in doc["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer fct_" + "A" * 43, "Bearer garbage", "Basic cml0YTpwdw==", "Bearer ", "fct_" + "A" * 43, "Bearer  " + "x" * 5000],
)
def test_garbage_tokens_are_401_problems(app, header):
    response = app.test_client().get("/api/v1/claims", headers={"Authorization": header})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_tokens_are_401(app, session, users):
    revoked = token_service.create_token(session, users["rita"].id, name="r", scope="read")
    token_service.revoke_token(session, users["rita"].id, revoked.token.id)
    expired = token_service.create_token(session, users["rita"].id, name="e", scope="read", expires_days=1)
    session.get(ApiToken, expired.token.id).expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    session.commit()
    for plain in (revoked.plain, expired.plain):
        response = ApiClient(app.test_client(), plain).get("/api/v1/claims")
        doc = assert_problem(response, 401, "invalid-token")
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
        assert plain not in response.get_data(as_text=True)


def test_a_deactivated_users_token_stops_working(app, session, users, api):
    from factcheck.services import users as user_service

    client = api("rita")
    assert client.get("/api/v1/claims").status_code == 200
    user_service.set_active(session, users["ada"].id, users["rita"].id, False)
    assert_problem(client.get("/api/v1/claims"), 401, "invalid-token")


def test_a_browser_session_does_not_authenticate_the_api(app, login, session, users):
    """Every API route x every method, with a logged-in admin's cookie (and its CSRF token): 401
    (but the OpenAPI document, which is public)."""
    claim = claim_in(session, users, "open")
    browser = login("ada")
    assert browser.get("/claims").status_code == 200  # logged in for the web
    token = browser.csrf_token()
    count = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:int:)?[a-z_]+>", str(claim.id), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = browser.raw.open(
                path, method=method, json={}, headers={"X-CSRFToken": token, "If-Match": f'"{claim.version}"'}
            )
            if rule.endpoint == "api.openapi":
                assert response.status_code == 200  # the document alone is public
                continue
            assert_problem(response, 401, "unauthenticated")
            count += 1
    assert count >= 20
    session.refresh(claim)
    assert claim.version == 1


def test_the_api_needs_no_csrf_token(api):
    response = api("rita").post("/api/v1/extract", json={"text": "The army said 12 soldiers were killed."})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_last_use_is_recorded(api, session):
    client = api("rita")
    assert client.get("/api/v1/articles").status_code == 200
    session.expire_all()
    row = session.query(ApiToken).one()
    assert row.last_used_at is not None


# --- scopes: a read token cannot write, on any write route -------------------------------


def _write_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.extract":  # stores nothing: see below
            continue
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            path = re.sub(r"<(?:int:)?[a-z_]+>", "1", rule.rule)
            rules.append((method, path))
    return rules


def test_every_write_route_refuses_a_read_token(app, api, session):
    reader = api("eddie", "read")
    rules = _write_rules(app)
    assert len(rules) >= 15
    before = session.execute(text("SELECT count(*) FROM claim_events")).scalar_one()
    for method, path in rules:
        response = reader.request(method, path, json={}, headers={"If-Match": '"1"'})
        assert_problem(response, 403, "read-only-token")
    after = session.execute(text("SELECT count(*) FROM claim_events")).scalar_one()
    assert after == before


def test_a_read_token_reads(api, session, users):
    claim = new_claim(session, users)
    reader = api("rita", "read")
    assert reader.get(f"/api/v1/claims/{claim.id}").status_code == 200
    # POST only because a text is too big for a query string: it stores nothing, so a read token may.
    assert reader.post("/api/v1/extract", json={"text": "The army said 12 soldiers were killed."}).status_code == 200


# --- the permission matrix of the write routes -------------------------------------------

ROLES = ("rita", "eddie", "ada")  # reviewer, editor, admin; ron and erin set the scene


def _matrix_cases():
    everyone = {"rita": True, "eddie": True, "ada": True}
    editors = {"rita": False, "eddie": True, "ada": True}
    return [
        ("create article", everyone),
        ("create claim", everyone),
        ("edit claim", everyone),
        ("edit priority", editors),
        ("take", everyone),
        ("release another's claim", editors),
        ("propose on another's claim", editors),
        ("approve", editors),
        ("send back", editors),
        ("reopen", editors),
        ("publish", editors),
        ("unpublish", editors),
        ("assign", editors),
        ("comment", everyone),
        ("add evidence", everyone),
        ("edit another's evidence", editors),
        ("remove another's evidence", editors),
        ("accept suggestion", everyone),
        ("dismiss suggestion", everyone),
    ]


def _attempt(case: str, client: ApiClient, session, users):
    """Do ``case`` through the API; returns the response."""
    if case == "create article":
        return client.post("/api/v1/articles", json={"title": "New", "body": ARTICLE_BODY + " Extra."})
    if case == "create claim":
        article = new_article(session, users)
        return client.post(
            f"/api/v1/articles/{article.id}/claims",
            json={"quote": "355 miles", "statement": "The missile flew 355 miles.", "category": "distance"},
        )
    if case in ("take", "edit claim", "edit priority"):
        claim = claim_in(session, users, "open")
        match = {"If-Match": f'"{claim.version}"'}
        if case == "take":
            return client.post(f"/api/v1/claims/{claim.id}/take", headers=match)
        body = {"claimant": "The ministry"} if case == "edit claim" else {"priority": 3}
        return client.patch(f"/api/v1/claims/{claim.id}", json=body, headers=match)
    if case in ("release another's claim", "propose on another's claim"):
        claim = claim_in(session, users, "evidence")
        match = {"If-Match": f'"{claim.version}"'}
        if case.startswith("release"):
            return client.post(f"/api/v1/claims/{claim.id}/release", headers=match)
        return client.post(
            f"/api/v1/claims/{claim.id}/propose", json={"verdict": "true", "rationale": "Checked."}, headers=match
        )
    if case in ("approve", "send back"):
        claim = claim_in(session, users, "pending")
        match = {"If-Match": f'"{claim.version}"'}
        if case == "approve":
            return client.post(f"/api/v1/claims/{claim.id}/approve", headers=match)
        return client.post(f"/api/v1/claims/{claim.id}/send-back", json={"comment": "Needs a source."}, headers=match)
    if case in ("reopen", "publish"):
        claim = claim_in(session, users, "verified")
        match = {"If-Match": f'"{claim.version}"'}
        if case == "reopen":
            return client.post(f"/api/v1/claims/{claim.id}/reopen", json={"comment": "New figures."}, headers=match)
        return client.post(f"/api/v1/claims/{claim.id}/publish", headers=match)
    if case == "unpublish":
        from factcheck.services import publishing

        claim = claim_in(session, users, "verified")
        publishing.publish_claim(session, users["erin"].id, claim.id)
        return client.post(
            f"/api/v1/claims/{claim.id}/unpublish", json={"reason": "Legal review."}, headers={"If-Match": f'"{claim.version}"'}
        )
    if case == "assign":
        claim = claim_in(session, users, "open")
        return client.post(
            f"/api/v1/claims/{claim.id}/assign", json={"assignee": users["ron"].id}, headers={"If-Match": f'"{claim.version}"'}
        )
    if case == "comment":
        claim = claim_in(session, users, "verified")
        return client.post(f"/api/v1/claims/{claim.id}/comments", json={"comment": "Noted."})
    if case == "add evidence":
        claim = claim_in(session, users, "taken")
        return client.post(
            f"/api/v1/claims/{claim.id}/evidence", json={"url": "https://example.org/a", "title": "A", "stance": "context"}
        )
    if case in ("edit another's evidence", "remove another's evidence"):
        claim = claim_in(session, users, "evidence")
        item = evidence_of(session, claim.id)
        if case.startswith("edit"):
            return client.patch(f"/api/v1/evidence/{item.id}", json={"title": "Better title"})
        return client.delete(f"/api/v1/evidence/{item.id}")
    if case in ("accept suggestion", "dismiss suggestion"):
        suggestion = suggestion_of(session, users)
        action = "accept" if case.startswith("accept") else "dismiss"
        return client.post(f"/api/v1/suggestions/{suggestion.id}/{action}")
    raise AssertionError(case)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case, allowed", _matrix_cases(), ids=[c for c, _ in _matrix_cases()])
def test_write_permission_matrix(api, session, users, role, case, allowed):
    response = _attempt(case, api(role), session, users)
    if allowed[role]:
        assert response.status_code in (200, 201, 204), (case, role, response.get_data(as_text=True)[:400])
    else:
        doc = assert_problem(response, 403, "forbidden")
        assert doc["detail"]


def test_approving_your_own_proposal_is_refused(api, session, users):
    claim = claim_in(session, users, "evidence")
    editor = api("eddie")
    taken = editor.post(f"/api/v1/claims/{claim.id}/propose", json={"verdict": "false", "rationale": "No."},
                        headers={"If-Match": f'"{claim.version}"'})
    assert taken.status_code == 200
    response = editor.post(f"/api/v1/claims/{claim.id}/approve", headers={"If-Match": taken.headers["ETag"]})
    doc = assert_problem(response, 403, "forbidden")
    assert "another editor" in doc["detail"]


# --- versions ---------------------------------------------------------------------------


def test_etag_is_the_version_and_a_stale_if_match_is_412(api, session, users):
    claim = claim_in(session, users, "open")
    client = api("rita")
    read = client.get(f"/api/v1/claims/{claim.id}")
    assert read.headers["ETag"] == f'"{read.get_json()["version"]}"'
    first = client.patch(f"/api/v1/claims/{claim.id}", json={"claimant": "Ministry"}, headers={"If-Match": read.headers["ETag"]})
    assert first.status_code == 200 and first.headers["ETag"] != read.headers["ETag"]
    stale = client.patch(f"/api/v1/claims/{claim.id}", json={"claimant": "Army"}, headers={"If-Match": read.headers["ETag"]})
    doc = assert_problem(stale, 412, "stale-version")
    assert doc["current_version"] == first.get_json()["version"]
    assert stale.headers["ETag"] == first.headers["ETag"]
    assert client.get(f"/api/v1/claims/{claim.id}").get_json()["claimant"] == "Ministry"


@pytest.mark.parametrize("header, status", [(None, 428), ('W/"1"', 400), ("1", 400), ('"0"', 400), ('"1", "2"', 400), ('"abc"', 400)])
def test_claim_writes_need_one_strong_if_match(api, session, users, header, status):
    claim = claim_in(session, users, "open")
    headers = {} if header is None else {"If-Match": header}
    response = api("rita").post(f"/api/v1/claims/{claim.id}/take", headers=headers)
    assert_problem(response, status)
    session.refresh(claim)
    assert claim.status is ClaimStatus.UNVERIFIED


def test_partial_edit_keeps_the_fields_not_sent(api, session, users):
    claim = claim_in(session, users, "open")
    client = api("eddie")
    response = client.patch(
        f"/api/v1/claims/{claim.id}", json={"priority": 3, "quantity_value": "29", "quantity_unit": "people"},
        headers={"If-Match": f'"{claim.version}"'},
    )
    assert response.status_code == 200, response.get_json()
    doc = response.get_json()
    assert doc["priority"] == 3 and doc["quantity"] == {"value": 29, "unit": "people", "qualifier": None}
    assert doc["statement"] == "29 people were killed in the strike." and doc["category"] == "casualties"


# --- problem+json shapes ------------------------------------------------------------------


def test_validation_errors_map_fields(api, session, users):
    claim = claim_in(session, users, "evidence")
    response = api("eddie").post(
        f"/api/v1/claims/{claim.id}/propose", json={"verdict": "maybe", "rationale": ""}, headers={"If-Match": f'"{claim.version}"'}
    )
    doc = assert_problem(response, 422, "validation")
    assert set(doc["errors"]) == {"verdict", "rationale"}
    assert all(isinstance(msgs, list) and msgs and all(isinstance(m, str) for m in msgs) for msgs in doc["errors"].values())


def test_service_validation_reaches_the_field_map(api, session, users):
    claim = claim_in(session, users, "taken")  # no evidence yet: the service refuses
    response = api("eddie").post(
        f"/api/v1/claims/{claim.id}/propose", json={"verdict": "true", "rationale": "Sure."}, headers={"If-Match": f'"{claim.version}"'}
    )
    doc = assert_problem(response, 422, "validation")
    assert "evidence" in doc["errors"]


def test_unknown_fields_are_refused_not_ignored(api, session, users):
    article = new_article(session, users)
    response = api("rita").post(
        f"/api/v1/articles/{article.id}/claims",
        json={"quote": "355 miles", "statement": "x", "category": "distance", "status": "verified"},
    )
    doc = assert_problem(response, 422, "validation")
    assert doc["errors"] == {"status": ["Unknown field."]}


def test_a_quote_not_in_the_article_is_a_field_error(api, session, users):
    article = new_article(session, users)
    response = api("rita").post(
        f"/api/v1/articles/{article.id}/claims", json={"quote": "not in the text", "statement": "x", "category": "other"}
    )
    doc = assert_problem(response, 422, "validation")
    assert "quote" in doc["errors"]


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"data": "[1, 2]", "content_type": "application/json"}, 400),
        ({"data": "title=x", "content_type": "application/x-www-form-urlencoded"}, 415),
        ({"data": "<a/>", "content_type": "text/xml"}, 415),
        ({}, 400),
    ],
)
def test_bodies_that_are_not_json_objects(api, kwargs, status):
    response = api("rita").request("POST", "/api/v1/articles", **kwargs)
    assert_problem(response, status)


def test_unknown_paths_and_methods_are_problems_not_pages(api):
    client = api("rita")
    for path in ("/api/v1/nothing", "/api/v1/claims/abc", "/api/v1/claims/1/unknown", "/api/v1"):
        assert_problem(client.get(path), 404)
    assert_problem(client.post("/api/v1/nothing", json={}), 404)
    assert_problem(ApiClient(client.raw, None).post("/api/v1/nothing", data="x", content_type="text/plain"), 404)
    response = client.request("PUT", "/api/v1/claims")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    assert_problem(client.get("/api/v1/claims/99999"), 404, "not-found")
    assert_problem(client.get("/api/v1/claims/99999999999"), 404)


def test_a_conflicting_transition_is_409(api, session, users):
    claim = claim_in(session, users, "open")
    response = api("eddie").post(f"/api/v1/claims/{claim.id}/approve", headers={"If-Match": f'"{claim.version}"'})
    assert_problem(response, 409, "invalid-transition")


def test_a_duplicate_article_is_409_with_the_existing_id(api, session, users):
    article = new_article(session, users)
    response = api("rita").post("/api/v1/articles", json={"title": "Again", "body": ARTICLE_BODY})
    doc = assert_problem(response, 409, "duplicate-article")
    assert doc["existing_article_id"] == article.id


def test_extract_stores_nothing_and_refuses_too_much(api, session):
    client = api("rita")
    response = client.post("/api/v1/extract", json={"text": ARTICLE_BODY})
    assert response.status_code == 200
    quotes = [s["quote"] for s in response.get_json()["suggestions"]]
    assert "29 people were killed" in quotes
    assert session.execute(text("SELECT count(*) FROM claim_candidates")).scalar_one() == 0
    assert_problem(client.post("/api/v1/extract", json={"text": "x" * 200_001}), 413, "too-large")
    assert_problem(client.post("/api/v1/extract", json={"text": 5}), 422, "validation")


def test_a_body_over_the_server_limit_is_a_413_problem(api):
    response = api("rita").request(
        "POST", "/api/v1/articles", data=b"{" + b" " * (6 * 1024 * 1024) + b"}", content_type="application/json"
    )
    assert_problem(response, 413)


def test_request_ids_are_echoed(api):
    client = api("rita")
    ok = client.get("/api/v1/articles", headers={"X-Request-Id": "client-chosen-1"})
    assert ok.headers["X-Request-Id"] == "client-chosen-1"
    problem = client.get("/api/v1/nope", headers={"X-Request-Id": "client-chosen-2"})
    assert problem.headers["X-Request-Id"] == "client-chosen-2" == problem.get_json()["request_id"]


def test_times_are_utc_with_z(api, session, users):
    claim = claim_in(session, users, "verified")
    doc = api("rita").get(f"/api/v1/claims/{claim.id}").get_json()
    for value in (doc["created_at"], doc["updated_at"], doc["verified_at"], doc["evidence"][0]["created_at"], doc["history"][0]["created_at"]):
        assert ISO_Z.fullmatch(value), value
    assert [e["action"] for e in doc["history"]][:2] == ["created", "taken"]


# --- lists --------------------------------------------------------------------------------


def _walk(client, path: str, limit: int):
    seen, cursor, pages = [], None, 0
    while True:
        url = f"{path}{'&' if '?' in path else '?'}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        doc = response.get_json()
        assert len(doc["data"]) <= limit
        seen.extend(row["id"] for row in doc["data"])
        pages += 1
        cursor = doc["next_cursor"]
        if cursor is None:
            return seen, pages


def test_cursor_pagination_walks_every_claim_once(api, session, users):
    article = new_article(session, users)
    made = []
    for n in range(23):
        fields = workflow.ClaimFields(statement=f"Claim {n}", category="other", priority=n % 3 + 1)
        made.append(workflow.create_claim(session, users["eddie"].id, article.id, "29 people were killed", fields).id)
    client = api("rita")
    for sort in ("priority", "newest", "oldest"):
        seen, pages = _walk(client, f"/api/v1/claims?article={article.id}&sort={sort}", 5)
        assert sorted(seen) == sorted(made) and len(seen) == len(set(seen)) == 23
        assert pages == 5
    doc = client.get(f"/api/v1/claims?article={article.id}&limit=5").get_json()
    assert doc["total"] == 23
    back = client.get(f"/api/v1/claims?article={article.id}&limit=5&cursor={doc['next_cursor']}").get_json()
    previous = client.get(f"/api/v1/claims?article={article.id}&limit=5&cursor={back['prev_cursor']}").get_json()
    assert [r["id"] for r in previous["data"]] == [r["id"] for r in doc["data"]]


def test_articles_page_by_cursor(api, session, users):
    ids = [new_article(session, users, body=f"{ARTICLE_BODY}\n\nUpdate {n}.", title=f"A{n}").id for n in range(7)]
    seen, pages = _walk(api("rita"), "/api/v1/articles", 3)
    assert seen == sorted(ids, reverse=True) and pages == 3


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"), ("limit=101", "limit"), ("limit=x", "limit"), ("status=done", "status"),
        ("verdict=yes", "verdict"), ("sort=random", "sort"), ("article=abc", "article"), ("assignee=bob", "assignee"),
        ("created_from=yesterday", "created_from"), ("page=2", "page"),
    ],
)
def test_bad_list_parameters_are_422(api, query, field):
    doc = assert_problem(api("rita").get(f"/api/v1/claims?{query}"), 422, "validation")
    assert field in doc["errors"]


def test_a_bad_cursor_is_400(api):
    assert_problem(api("rita").get("/api/v1/claims?cursor=bm90LWEtY3Vyc29y"), 400, "bad-cursor")
    assert_problem(api("rita").get("/api/v1/articles?cursor=%%%"), 400, "bad-cursor")


def test_queue_filters(api, session, users):
    open_claim = claim_in(session, users, "open")
    client = api("rita")
    doc = client.get("/api/v1/claims?status=unverified").get_json()
    assert [r["id"] for r in doc["data"]] == [open_claim.id]
    client.post(f"/api/v1/claims/{open_claim.id}/take", headers={"If-Match": f'"{open_claim.version}"'})
    mine = client.get("/api/v1/claims?assignee=mine").get_json()
    assert [r["id"] for r in mine["data"]] == [open_claim.id]
    assert client.get("/api/v1/claims?assignee=unassigned").get_json()["data"] == []


# --- rate limit ---------------------------------------------------------------------------


def test_rate_limit_per_token_with_headers(app, session, users):
    app.config["API_RATE_LIMIT"] = 3
    first = ApiClient(app.test_client(), make_token(session, users["rita"], "read"))
    other = ApiClient(app.test_client(), make_token(session, users["rita"], "read"))
    with_time_left_in_the_minute()  # the counts are per minute: all of this in one
    responses = [first.get("/api/v1/articles") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[0].headers["RateLimit-Policy"] == '"token";q=3;w=60'
    assert responses[0].headers["RateLimit"].startswith('"token";r=2;t=')
    limited = responses[3]
    doc = assert_problem(limited, 429, "rate-limited")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.headers["RateLimit"].startswith('"token";r=0;')
    assert "3 requests a minute" in doc["detail"]
    assert other.get("/api/v1/articles").status_code == 200  # another token counts on its own


# --- reading resources --------------------------------------------------------------------


def test_article_with_claims_and_pending_suggestions(api, session, users):
    claim = new_claim(session, users)
    doc = api("rita").get(f"/api/v1/articles/{claim.article_id}").get_json()
    assert doc["body"] == ARTICLE_BODY
    assert [c["id"] for c in doc["claims"]] == [claim.id]
    assert doc["suggestions"] and all(s["span"]["end"] > s["span"]["start"] for s in doc["suggestions"])
    for s in doc["suggestions"]:
        assert doc["body"][s["span"]["start"]:s["span"]["end"]] == s["quote"]


def test_search(api, session, users):
    claim_in(session, users, "open")
    client = api("rita")
    doc = client.get("/api/v1/search?q=killed&kind=claims").get_json()
    assert doc["sections"]["claims"]["total"] >= 1
    assert "<mark>" in doc["sections"]["claims"]["hits"][0]["snippet_html"]
    assert_problem(client.get("/api/v1/search"), 422, "validation")
    assert_problem(client.get("/api/v1/search?q=x&kind=people"), 422, "validation")


def test_fact_checks_are_the_published_claimreviews(api, session, users):
    claim = claim_in(session, users, "verified")
    client = api("rita")
    assert client.get("/api/v1/fact-checks").get_json()["data"] == []
    published = api("eddie").post(f"/api/v1/claims/{claim.id}/publish", headers={"If-Match": f'"{claim.version}"'})
    assert published.status_code == 200, published.get_json()
    listed = client.get("/api/v1/fact-checks").get_json()["data"]
    assert [f["claim_id"] for f in listed] == [claim.id]
    review = listed[0]["claim_review"]
    assert review["@type"] == "ClaimReview" and review["reviewRating"]["alternateName"]
    assert client.get(f"/api/v1/fact-checks/{claim.id}").get_json()["url"] == listed[0]["url"]


def test_assign_comment_and_unpublish(api, session, users):
    claim = claim_in(session, users, "open")
    editor = api("eddie")
    match = {"If-Match": f'"{claim.version}"'}
    nobody = editor.post(f"/api/v1/claims/{claim.id}/assign", json={"assignee": 987654}, headers=match)
    assert "assignee" in assert_problem(nobody, 422, "validation")["errors"]
    assigned = editor.post(f"/api/v1/claims/{claim.id}/assign", json={"assignee": users["rita"].id}, headers=match)
    assert assigned.status_code == 200 and assigned.json["assignee"]["username"] == "rita"
    commented = api("rita").post(f"/api/v1/claims/{claim.id}/comments", json={"comment": "On it."})
    assert commented.status_code == 201 and commented.json["action"] == "commented"
    assert editor.get(f"/api/v1/claims/{claim.id}").json["history"][-1]["comment"] == "On it."

    verified = claim_in(session, users, "verified")
    published = editor.post(f"/api/v1/claims/{verified.id}/publish", headers={"If-Match": f'"{verified.version}"'})
    assert [f["claim_id"] for f in editor.get("/api/v1/fact-checks").json["data"]] == [verified.id]
    taken_down = editor.post(
        f"/api/v1/claims/{verified.id}/unpublish", json={"reason": "Legal review."}, headers={"If-Match": published.headers["ETag"]}
    )
    assert taken_down.status_code == 200 and taken_down.json["public"] is False
    assert editor.get("/api/v1/fact-checks").json["data"] == []
    assert_problem(editor.get(f"/api/v1/fact-checks/{verified.id}"), 404, "not-found")


# --- every route x every role x both scopes -------------------------------------------------


def _get_paths(app, ids: dict) -> list[str]:
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and "GET" in rule.methods:
            out.append(re.sub(r"<(?:int:)?([a-z_]+)>", lambda m: str(ids[m.group(1)]), rule.rule))
    return out


@pytest.mark.parametrize("role", ROLES)
def test_every_read_route_answers_every_role_with_either_scope(app, api, session, users, role):
    from factcheck.services import publishing

    claim = claim_in(session, users, "verified")
    publishing.publish_claim(session, users["erin"].id, claim.id)
    from factcheck.models import LinkImport

    # rita's import from a link (seen by her, and by editors and administrators).
    link_import = LinkImport(url="https://news.example/story", requested_by_id=users["rita"].id)
    session.add(link_import)
    session.flush()
    ids = {"claim_id": claim.id, "article_id": claim.article_id, "import_id": link_import.id}
    paths = _get_paths(app, ids)
    assert len(paths) >= 8
    for scope in ("read", "write"):
        client = api(role, scope)
        for path in paths:
            response = client.get(path + ("?q=killed" if path.endswith("/search") else ""))
            assert response.status_code == 200, (role, scope, path, response.get_data(as_text=True)[:300])
            assert response.mimetype == "application/json"


@pytest.mark.parametrize("role", ROLES)
def test_a_read_token_of_any_role_cannot_write(app, api, role):
    reader = api(role, "read")
    rules = _write_rules(app)
    assert len(rules) >= 20  # every write route, not an empty list
    for method, path in rules:
        assert_problem(reader.request(method, path, json={}, headers={"If-Match": '"1"'}), 403, "read-only-token")


# --- failures on our side are problems too --------------------------------------------------


def test_an_unexpected_error_is_a_500_problem_without_details(api, session, users, monkeypatch, caplog):
    from factcheck.services import claims as claim_service

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail 7f3a")

    monkeypatch.setattr(claim_service, "get_claim", broken)
    response = api("rita").get("/api/v1/claims/1")
    doc = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "logged" in doc["detail"]
    assert any("secret detail 7f3a" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_database_outage_is_a_503_problem_with_retry_after(api, monkeypatch):
    from factcheck.db import DatabaseUnavailable
    from factcheck.services import claims as claim_service

    def down(*args, **kwargs):
        raise DatabaseUnavailable("cannot reach PostgreSQL")

    client = api("rita")
    monkeypatch.setattr(claim_service, "list_claims", down)
    response = client.get("/api/v1/claims")
    assert_problem(response, 503)
    assert response.headers["Retry-After"] == "5"


def test_the_request_log_names_the_tokens_user_and_never_the_token(api, users, caplog):
    import json as json_module

    from factcheck.logs import JsonFormatter

    caplog.set_level(logging.INFO, logger="factcheck.request")
    client = api("rita")
    response = client.get("/api/v1/claims?limit=5", headers={"X-Request-Id": "api-log-1"})
    assert response.status_code == 200
    response.close()  # the line is written when the response is closed
    lines = [json_module.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "factcheck.request"]
    (line,) = [entry for entry in lines if entry["request_id"] == "api-log-1"]
    assert (line["endpoint"], line["status"], line["user_id"], line["path"]) == (
        "api.list_claims", 200, users["rita"].id, "/api/v1/claims"
    )
    assert client.token not in json_module.dumps(lines)


def test_history_pages_back_from_the_latest(api, session, users):
    claim = claim_in(session, users, "open")
    for n in range(11):
        workflow.add_comment(session, users["ron"].id, claim.id, f"Comment {n}")
    client = api("rita")
    latest = client.get(f"/api/v1/claims/{claim.id}/history?limit=5").json
    assert [e["comment"] for e in latest["data"]] == [f"Comment {n}" for n in range(6, 11)]
    assert latest["next_cursor"] is None
    seen, cursor = [e["id"] for e in latest["data"]], latest["prev_cursor"]
    while cursor:
        page = client.get(f"/api/v1/claims/{claim.id}/history?limit=5&cursor={cursor}").json
        seen = [e["id"] for e in page["data"]] + seen
        cursor = page["prev_cursor"]
    assert len(seen) == len(set(seen)) == 12 and seen == sorted(seen)  # created + 11 comments, oldest first
    assert_problem(client.get("/api/v1/claims/987654/history"), 404, "not-found")


def test_the_api_rate_limit_setting():
    from factcheck.config import ConfigurationError, load_settings

    base = {"SECRET_KEY": "k"}
    assert load_settings(base).api_rate_limit == 600
    assert load_settings({**base, "FACTCHECK_API_RATE_LIMIT": "0"}).api_rate_limit == 0
    for bad in ("-1", "lots", "1000001"):
        with pytest.raises(ConfigurationError, match="FACTCHECK_API_RATE_LIMIT"):
            load_settings({**base, "FACTCHECK_API_RATE_LIMIT": bad})
