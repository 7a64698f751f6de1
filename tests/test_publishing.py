"""Publishing (issue 14): publish, unpublish and re-publish a verified claim, who may,
and a public snapshot that edits and reopenings do not touch."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from factcheck.models import Article, Category, Claim, ClaimEvent, ClaimStatus, Publication, Stance, Verdict
from factcheck.services import publishing, workflow
from factcheck.services.errors import InvalidTransition, PermissionDenied, StaleClaim, ValidationFailed
from factcheck.services.workflow import ClaimFields, EvidenceFields

from .helpers import with_time_left_in_the_minute

BODY = (
    "Officials said six missiles flew 355 miles before striking the depot. "
    "The attack killed 29 people and wounded 70 others, the ministry said."
)


def make_verified(session, users, quote="six missiles flew 355 miles", statement="Six missiles flew 355 miles.",
                  article=None, verdict=Verdict.MISLEADING, note=None):
    if article is None:
        article = Article(title="Strike on the depot", body=BODY, url="https://news.example/depot", outlet="Wire")
        session.add(article)
        session.commit()
    rita, erin = users["rita"].id, users["erin"].id
    claim = workflow.create_claim(
        session, rita, article.id, quote, ClaimFields(statement=statement, category=Category.DISTANCE, claimant="Officials")
    )
    workflow.take_claim(session, rita, claim.id)
    workflow.add_evidence(
        session, rita, claim.id,
        EvidenceFields(url="https://example.org/range", title="Missile range table", stance=Stance.REFUTES,
                       publisher="Example Institute", archive_url="https://web.archive.org/web/1/https://example.org/range",
                       note=note),
    )
    workflow.propose_verdict(session, rita, claim.id, verdict, "The missile's range is 200 miles.")
    workflow.approve_verdict(session, erin, claim.id)
    return claim


@pytest.fixture
def verified(session, users):
    return make_verified(session, users)


def actions(session, claim_id):
    return [e.action for e in session.execute(
        select(ClaimEvent).where(ClaimEvent.claim_id == claim_id).order_by(ClaimEvent.id)).scalars()]


def state(session, claim_id):
    session.expire_all()
    p = session.get(Publication, claim_id)
    return None if p is None else (p.version, p.statement, p.unpublished_at, len(p.updates), len(actions(session, claim_id)))


# --- the use cases ---------------------------------------------------------------------


def test_publish_unpublish_republish_each_leave_history(session, users, verified):
    eddie = users["eddie"].id
    pub = publishing.publish_claim(session, eddie, verified.id, expected_version=verified.version)
    assert (pub.version, pub.slug, pub.verdict, pub.updated_at, pub.updates) == (
        1, "six-missiles-flew-355-miles", Verdict.MISLEADING, None, [])
    assert pub.evidence == [{"title": "Missile range table", "url": "https://example.org/range",
                             "publisher": "Example Institute", "stance": "refutes",
                             "archive_url": "https://web.archive.org/web/1/https://example.org/range"}]
    assert actions(session, verified.id)[-1] == "published"

    before = state(session, verified.id)
    with pytest.raises(ValidationFailed) as refused:
        publishing.unpublish_claim(session, eddie, verified.id, "   ")
    assert "reason" in refused.value.errors
    assert state(session, verified.id) == before

    publishing.unpublish_claim(session, eddie, verified.id, "Retracted pending a new source.")
    event = session.execute(select(ClaimEvent).where(ClaimEvent.claim_id == verified.id)
                            .order_by(ClaimEvent.id.desc()).limit(1)).scalar_one()
    assert (event.action, event.comment) == ("unpublished", "Retracted pending a new source.")
    with pytest.raises(InvalidTransition):
        publishing.unpublish_claim(session, eddie, verified.id, "Again.")

    before = state(session, verified.id)
    with pytest.raises(ValidationFailed) as refused:
        publishing.publish_claim(session, eddie, verified.id)  # a re-publication needs its note
    assert "update_note" in refused.value.errors
    assert state(session, verified.id) == before

    pub = publishing.publish_claim(session, eddie, verified.id, "Checked against a second source.")
    assert (pub.version, pub.unpublished_at, pub.unpublish_reason) == (2, None, None)
    assert [u["note"] for u in pub.updates] == ["Checked against a second source."]
    assert pub.updated_at is not None and pub.updated_at >= pub.published_at
    assert actions(session, verified.id)[-3:] == ["published", "unpublished", "published"]


@pytest.mark.parametrize("who, allowed", [("rita", False), ("ron", False), ("eddie", True), ("erin", True), ("ada", True)])
def test_only_editors_and_admins_publish_and_unpublish(session, users, verified, who, allowed):
    actor = users[who].id
    if not allowed:
        with pytest.raises(PermissionDenied):
            publishing.publish_claim(session, actor, verified.id)
        assert state(session, verified.id) is None
        publishing.publish_claim(session, users["eddie"].id, verified.id)
        with pytest.raises(PermissionDenied):
            publishing.unpublish_claim(session, actor, verified.id, "No.")
        assert state(session, verified.id)[2] is None
    else:
        publishing.publish_claim(session, actor, verified.id)
        publishing.unpublish_claim(session, actor, verified.id, "Taken down.")
        assert state(session, verified.id)[2] is not None


def test_a_deactivated_editor_cannot_publish(session, users, verified):
    from factcheck.services import users as user_service

    user_service.set_active(session, users["ada"].id, users["eddie"].id, False)
    with pytest.raises(PermissionDenied):
        publishing.publish_claim(session, users["eddie"].id, verified.id)
    assert state(session, verified.id) is None


def test_only_a_verified_claim_is_published_and_only_once_per_version(session, users, verified):
    eddie = users["eddie"].id
    workflow.reopen_claim(session, eddie, verified.id, "New figures.")
    with pytest.raises(InvalidTransition, match="Only a verified claim"):
        publishing.publish_claim(session, eddie, verified.id)
    assert state(session, verified.id) is None


def test_publishing_the_same_version_twice_is_refused(session, users, verified):
    eddie = users["eddie"].id
    publishing.publish_claim(session, eddie, verified.id)
    before = state(session, verified.id)
    with pytest.raises(InvalidTransition, match="already published"):
        publishing.publish_claim(session, eddie, verified.id, "Nothing really.")
    assert state(session, verified.id) == before


def test_a_stale_version_publishes_nothing(session, users, verified):
    eddie = users["eddie"].id
    seen = verified.version
    workflow.add_comment(session, users["rita"].id, verified.id, "A comment does not change the version.")
    workflow.reopen_claim(session, eddie, verified.id, "Recheck.")
    with pytest.raises(StaleClaim):
        publishing.publish_claim(session, eddie, verified.id, expected_version=seen)
    assert state(session, verified.id) is None


def test_the_snapshot_stays_through_edit_and_reopen_until_published_again(session, users, verified):
    eddie, erin, rita = users["eddie"].id, users["erin"].id, users["rita"].id
    publishing.publish_claim(session, eddie, verified.id)
    workflow.reopen_claim(session, eddie, verified.id, "A new figure came in.")
    claim = session.get(Claim, verified.id)
    workflow.edit_claim(session, rita, verified.id,
                        ClaimFields(statement="Six missiles flew 300 miles.", category=Category.DISTANCE, claimant="Officials"),
                        claim.version)
    workflow.add_evidence(session, rita, verified.id, EvidenceFields(url="https://example.org/b", title="Second", stance=Stance.CONTEXT))
    pub = session.get(Publication, verified.id)
    session.refresh(pub)
    assert (pub.statement, pub.verdict, len(pub.evidence), pub.version) == (
        "Six missiles flew 355 miles.", Verdict.MISLEADING, 1, 1)

    workflow.propose_verdict(session, rita, verified.id, Verdict.FALSE, "Range is 200 miles.")
    workflow.approve_verdict(session, erin, verified.id)
    pub = publishing.publish_claim(session, eddie, verified.id, "The distance claimed was corrected to 300 miles.")
    assert (pub.statement, pub.verdict, len(pub.evidence), pub.version, pub.slug) == (
        "Six missiles flew 300 miles.", Verdict.FALSE, 2, 2, "six-missiles-flew-300-miles")


@pytest.mark.parametrize("text, slug", [
    ("Six missiles flew 355 miles.", "six-missiles-flew-355-miles"),
    ("Ça coûte 2 000 €, dit-on", "ca-coute-2-000-dit-on"),
    ("“”!!!", "fact-check"),
    ("ملايين", "fact-check"),
    ("word " * 40, "-".join(["word"] * 16)),
    ("x" * 200, "x" * 80),
])
def test_slugs_are_short_readable_ascii(text, slug):
    assert publishing.slugify(text) == slug


# --- the claim page --------------------------------------------------------------------


def test_claim_page_offers_publish_to_editors_only_when_verified(login, session, users, verified):
    assert 'action="/claims/%d/publish#publishing"' % verified.id in login("eddie").get(f"/claims/{verified.id}").get_data(as_text=True)
    reviewer_page = login("rita").get(f"/claims/{verified.id}").get_data(as_text=True)
    assert "/publish" not in reviewer_page and "Not published." in reviewer_page
    workflow.reopen_claim(session, users["eddie"].id, verified.id, "Recheck.")
    assert "/publish#publishing" not in login("eddie").get(f"/claims/{verified.id}").get_data(as_text=True)


def test_publish_and_unpublish_through_the_claim_page(login, session, users, verified):
    client = login("eddie")
    response = client.post(f"/claims/{verified.id}/publish", {"version": verified.version})
    assert response.status_code == 303
    page = client.get(f"/claims/{verified.id}").get_data(as_text=True)
    assert "Published: the fact check is on its public page." in page
    assert "published the fact check" in page and f"/fact-checks/{verified.id}-six-missiles" in page
    refused = client.post(f"/claims/{verified.id}/unpublish", {"version": verified.version, "reason": ""})
    assert refused.status_code == 422 and "Say why the fact check is taken down." in refused.get_data(as_text=True)
    assert state(session, verified.id)[2] is None
    assert client.post(f"/claims/{verified.id}/unpublish", {"version": verified.version, "reason": "Legal review."}).status_code == 303
    assert state(session, verified.id)[2] is not None
    refused = client.post(f"/claims/{verified.id}/publish", {"version": verified.version, "update_note": ""})
    assert refused.status_code == 422 and "Say what changed" in refused.get_data(as_text=True)
    assert login("rita").post(f"/claims/{verified.id}/publish", {"version": verified.version, "update_note": "x"}).status_code == 403


# --- the public pages --------------------------------------------------------------------

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from factcheck.web.auth.session import SessionCookies

PUBLIC = "https://checks.example.org"


@pytest.fixture
def public_app(app):
    app.config["PUBLIC_URL"] = PUBLIC
    app.config["ORG_NAME"] = "Example Fact Desk"
    app.config["ORG_URL"] = "https://desk.example.org/"
    return app


def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def publish(session, users, claim, note=None):
    return publishing.publish_claim(session, users["eddie"].id, claim.id, note)


def test_the_public_page_shows_the_fact_check_to_anyone(public_app, session, users, verified):
    pub = publish(session, users, verified)
    client = public_app.test_client()
    response = client.get(f"/fact-checks/{verified.id}-{pub.slug}", headers={"Host": "evil.example"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Six missiles flew 355 miles.", "“six missiles flew 355 miles”", "Claimed by Officials",
                 'href="https://news.example/depot"', "Misleading", "rated 2 out of 5", "The missile&#39;s range is 200 miles.",
                 "Missile range table", "Example Institute", "https://web.archive.org/web/1/https://example.org/range",
                 "Published by Example Fact Desk on", f"{pub.published_at.day} {pub.published_at.strftime('%B %Y')}"):
        assert text in html, text
    url = f"{PUBLIC}/fact-checks/{verified.id}-six-missiles-flew-355-miles"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert "evil.example" not in html
    assert "<script src" not in html  # no JavaScript on public pages
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_json_ld_carries_the_claimreview_fields(public_app, session, users, verified):
    pub = publish(session, users, verified)
    html = public_app.test_client().get(f"/fact-checks/{verified.id}-{pub.slug}").get_data(as_text=True)
    [review] = json_ld(html)
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == f"{PUBLIC}/fact-checks/{verified.id}-six-missiles-flew-355-miles"
    assert review["claimReviewed"] == "Six missiles flew 355 miles."
    assert review["author"] == {"@type": "Organization", "name": "Example Fact Desk", "url": "https://desk.example.org/"}
    assert review["datePublished"].startswith(pub.published_at.date().isoformat())
    assert "dateModified" not in review
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                                      "alternateName": "Misleading"}
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"]["name"] == "Officials"
    assert item["appearance"] == {"@type": "CreativeWork", "url": "https://news.example/depot", "headline": "Strike on the depot"}

    workflow.reopen_claim(session, users["eddie"].id, verified.id, "Recheck.")
    workflow.propose_verdict(session, users["rita"].id, verified.id, Verdict.FALSE, "Range is 200 miles.")
    workflow.approve_verdict(session, users["erin"].id, verified.id)
    publish(session, users, verified, "Verdict changed to False after a second source.")
    html = public_app.test_client().get(f"/fact-checks/{verified.id}-{pub.slug}").get_data(as_text=True)
    [review] = json_ld(html)
    assert review["reviewRating"]["alternateName"] == "False" and "dateModified" in review
    assert "Updated on" in html and "Verdict changed to False after a second source." in html


def test_slugs_redirect_permanently_and_unpublished_pages_are_gone(public_app, session, users, verified):
    client = public_app.test_client()
    assert client.get(f"/fact-checks/{verified.id}-six-missiles-flew-355-miles").status_code == 404  # not yet published
    publish(session, users, verified)
    current = f"/fact-checks/{verified.id}-six-missiles-flew-355-miles"
    for old in (f"/fact-checks/{verified.id}", f"/fact-checks/{verified.id}-wrong-words", f"/fact-checks/{verified.id}-SIX"):
        response = client.get(old)
        assert response.status_code == 301 and response.headers["Location"].endswith(current), old
    assert client.get(current).status_code == 200

    eddie = users["eddie"].id
    workflow.reopen_claim(session, eddie, verified.id, "Recheck.")
    claim = session.get(Claim, verified.id)
    workflow.edit_claim(session, users["rita"].id, verified.id,
                        ClaimFields(statement="Six missiles flew 300 miles.", category=Category.DISTANCE, claimant="Officials"),
                        claim.version)
    # Edited and reopened: the public page still shows the published version, at its address.
    html = client.get(current).get_data(as_text=True)
    assert "Six missiles flew 355 miles." in html and "300 miles" not in html
    workflow.propose_verdict(session, users["rita"].id, verified.id, Verdict.FALSE, "Range is 200 miles.")
    workflow.approve_verdict(session, users["erin"].id, verified.id)
    publish(session, users, verified, "The distance was corrected.")
    moved = client.get(current)
    assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/fact-checks/{verified.id}-six-missiles-flew-300-miles")

    publishing.unpublish_claim(session, eddie, verified.id, "Legal review.")
    gone = client.get(f"/fact-checks/{verified.id}-six-missiles-flew-300-miles")
    assert gone.status_code == 404 and "Legal review" not in gone.get_data(as_text=True)
    assert client.get(f"/fact-checks/{verified.id}").status_code == 404
    assert client.get("/fact-checks/999999-x").status_code == 404
    assert client.get("/fact-checks/99999999999999999999-x").status_code == 404
    assert client.get(f"/fact-checks/articles/{claim.article_id}").status_code == 404


def test_public_pages_set_no_cookie_even_for_a_logged_in_user(public_app, session, users, verified, login, monkeypatch):
    pub = publish(session, users, verified)
    client = login("eddie")
    # Make the desk re-sign the session cookie on every request (as it does every few minutes)...
    monkeypatch.setattr(SessionCookies, "REFRESH_AFTER", timedelta(0))
    assert "Set-Cookie" in client.get("/claims").headers  # ...the control: a desk page sets it
    for url in (f"/fact-checks/{verified.id}-{pub.slug}", f"/fact-checks/{verified.id}", "/fact-checks/",
                f"/fact-checks/articles/{pub.article_id}", "/robots.txt", "/sitemap.xml", "/fact-checks/424242"):
        response = client.get(url)
        assert response.status_code in (200, 301, 404), url
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url
    html = client.get(f"/fact-checks/{verified.id}-{pub.slug}").get_data(as_text=True)
    assert "Log out" not in html and "csrf" not in html.lower()


def test_conditional_requests_get_304(public_app, session, users, verified):
    pub = publish(session, users, verified)
    client = public_app.test_client()
    url = f"/fact-checks/{verified.id}-{pub.slug}"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    index = client.get("/fact-checks/")
    assert client.get("/fact-checks/", headers={"If-None-Match": index.headers["ETag"]}).status_code == 304


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="pub-card__title"><a href="[^"]+">([^<]+)</a>', html)


def test_the_index_lists_newest_first_filters_and_pages(public_app, session, users):
    public_app.config["PUBLIC_PER_PAGE"] = 2
    first = make_verified(session, users)
    article = session.get(Article, first.article_id)
    second = make_verified(session, users, "killed 29 people", "The attack killed 29 people.", article, Verdict.TRUE)
    other = Article(title="Another story", body=BODY + " More later.")
    session.add(other)
    session.commit()
    third = make_verified(session, users, "wounded 70 others", "It wounded 70 others.", other, Verdict.FALSE)
    for claim in (first, second, third):
        publish(session, users, claim)
    client = public_app.test_client()
    page1 = client.get("/fact-checks/").get_data(as_text=True)
    assert _titles(page1) == ["It wounded 70 others.", "The attack killed 29 people."]
    next_link = re.search(r'<a rel="next" href="([^"]+)"', page1).group(1).replace("&amp;", "&")
    page2 = client.get(next_link).get_data(as_text=True)
    assert _titles(page2) == ["Six missiles flew 355 miles."]
    assert client.get(next_link).get_data(as_text=True) == page2  # a page link always means the same rows
    assert _titles(client.get("/fact-checks/?verdict=true").get_data(as_text=True)) == ["The attack killed 29 people."]
    assert _titles(client.get("/fact-checks/?category=distance&verdict=false").get_data(as_text=True)) == ["It wounded 70 others."]
    assert _titles(client.get(f"/fact-checks/?article={article.id}").get_data(as_text=True)) == [
        "The attack killed 29 people.", "Six missiles flew 355 miles."]
    article_page = client.get(f"/fact-checks/articles/{article.id}").get_data(as_text=True)
    assert "Fact checks of “Strike on the depot”" in article_page
    assert _titles(article_page) == ["The attack killed 29 people.", "Six missiles flew 355 miles."]
    for junk in ("?verdict=nonsense", "?cursor=%00%%", "?article=-1", "?category=" + "x" * 5000, "?cursor=" + "A" * 500):
        assert client.get("/fact-checks/" + junk).status_code == 200, junk
    publishing.unpublish_claim(session, users["eddie"].id, third.id, "Withdrawn.")
    assert "It wounded 70 others." not in client.get("/fact-checks/").get_data(as_text=True)


def test_robots_and_sitemap(public_app, session, users, verified):
    pub = publish(session, users, verified)
    never = make_verified(session, users, "killed 29 people", "The attack killed 29 people.",
                          session.get(Article, verified.article_id))
    client = public_app.test_client()
    robots = client.get("/robots.txt", headers={"Host": "evil.example"})
    assert robots.mimetype == "text/plain"
    lines = robots.get_data(as_text=True).splitlines()
    assert lines == ["User-agent: *", "Allow: /fact-checks/", "Allow: /sitemaps/", "Disallow: /", f"Sitemap: {PUBLIC}/sitemap.xml"]
    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    root = ET.fromstring(sitemap.get_data())
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert root.tag == f"{ns}urlset"
    entries = {u.find(f"{ns}loc").text: u.find(f"{ns}lastmod") for u in root.findall(f"{ns}url")}
    page = f"{PUBLIC}/fact-checks/{verified.id}-{pub.slug}"
    assert set(entries) == {f"{PUBLIC}/fact-checks/", page}
    assert entries[page].text.startswith(pub.published_at.date().isoformat())
    assert f"/fact-checks/{never.id}-" not in sitemap.get_data(as_text=True)  # verified, never published


def test_past_the_limit_the_sitemap_is_an_index_of_files_by_claim_id(public_app, session, users, verified, monkeypatch):
    """sitemaps.org allows 50,000 URLs a file: past that, /sitemap.xml lists files, one per
    block of claim ids, and together they hold every public page once (and no unpublished one)."""
    from factcheck.services import publishing as publishing_service

    article = session.get(Article, verified.article_id)
    second = make_verified(session, users, "killed 29 people", "The attack killed 29 people.", article)
    never = make_verified(session, users, "wounded 70 others", "The attack wounded 70 others.", article)
    pages = {f"{PUBLIC}/fact-checks/"}
    for claim in (verified, second):
        pub = publish(session, users, claim)
        pages.add(f"{PUBLIC}/fact-checks/{claim.id}-{pub.slug}")
    monkeypatch.setattr(publishing_service, "SITEMAP_LIMIT", 2)
    monkeypatch.setattr(publishing_service, "SITEMAP_BLOCK", 1)  # one claim id per file
    client = public_app.test_client()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.fromstring(client.get("/sitemap.xml").get_data())
    assert root.tag == f"{ns}sitemapindex"
    files = [s.find(f"{ns}loc").text for s in root.findall(f"{ns}sitemap")]
    assert files == [f"{PUBLIC}/sitemaps/0.xml"] + [f"{PUBLIC}/sitemaps/{c.id}.xml" for c in sorted((verified, second), key=lambda c: c.id)]
    found = []
    for url in files:
        response = client.get(url.removeprefix(PUBLIC))
        assert response.status_code == 200 and response.mimetype == "application/xml"
        urlset = ET.fromstring(response.get_data())
        assert urlset.tag == f"{ns}urlset"
        found += [u.find(f"{ns}loc").text for u in urlset.findall(f"{ns}url")]
    assert sorted(found) == sorted(pages)
    assert client.get(f"/sitemaps/{never.id}.xml").status_code == 404  # verified, never published
    assert client.get("/sitemaps/99999999999.xml").status_code == 404
    assert "Set-Cookie" not in client.get("/sitemaps/0.xml").headers


# --- nothing internal reaches a public page -----------------------------------------------------


def test_no_internal_text_reaches_any_public_response(public_app, session, users):
    """A claim published with internal text all around it: every public answer is grepped for the markers."""
    eddie, erin, rita = users["eddie"].id, users["erin"].id, users["rita"].id
    users["rita"].display_name = "Rita MARKER-ASSIGNEE-NAME"
    users["erin"].display_name = "Erin MARKER-APPROVER-NAME"
    users["eddie"].display_name = "Eddie MARKER-PUBLISHER-NAME"
    session.commit()
    claim = make_verified(session, users, note="MARKER-EVIDENCE-NOTE private source details")
    article = session.get(Article, claim.article_id)
    workflow.add_comment(session, rita, claim.id, "MARKER-REVIEWER-COMMENT do not quote")
    # A draft of another claim on the same article, sent back once, never published.
    draft = workflow.create_claim(session, rita, article.id, "killed 29 people",
                                  ClaimFields(statement="MARKER-OTHER-DRAFT-STATEMENT", category=Category.CASUALTIES,
                                              claimant="MARKER-OTHER-DRAFT-CLAIMANT"))
    workflow.take_claim(session, rita, draft.id)
    workflow.add_evidence(session, rita, draft.id, EvidenceFields(url="https://example.org/marker-other-draft-evidence",
                                                                 title="MARKER-OTHER-DRAFT-EVIDENCE", stance=Stance.SUPPORTS))
    workflow.propose_verdict(session, rita, draft.id, Verdict.TRUE, "MARKER-OTHER-DRAFT-RATIONALE")
    workflow.send_back(session, eddie, draft.id, "MARKER-SEND-BACK-REASON")
    # Another claim published, then taken down.
    gone = make_verified(session, users, "wounded 70 others", "MARKER-UNPUBLISHED-STATEMENT", article)
    publishing.publish_claim(session, eddie, gone.id)
    publishing.unpublish_claim(session, eddie, gone.id, "MARKER-UNPUBLISH-REASON")
    # The published claim: published, then reopened and edited in private.
    pub = publishing.publish_claim(session, eddie, claim.id)
    workflow.reopen_claim(session, eddie, claim.id, "MARKER-REOPEN-COMMENT")
    fresh = session.get(Claim, claim.id)
    workflow.edit_claim(session, rita, claim.id,
                        ClaimFields(statement="MARKER-UNPUBLISHED-EDIT", category=Category.DISTANCE,
                                    claimant="MARKER-UNPUBLISHED-CLAIMANT", hedge_note=None), fresh.version)
    workflow.add_evidence(session, rita, claim.id, EvidenceFields(url="https://example.org/marker-new-evidence",
                                                                 title="MARKER-NEW-EVIDENCE", stance=Stance.CONTEXT))
    workflow.propose_verdict(session, rita, claim.id, Verdict.TRUE, "MARKER-NEW-RATIONALE-DRAFT")

    client = public_app.test_client()
    page = f"/fact-checks/{claim.id}-{pub.slug}"
    urls = [
        "/fact-checks/", "/fact-checks/?verdict=misleading", "/fact-checks/?verdict=true", "/fact-checks/?category=distance",
        "/fact-checks/?category=casualties", f"/fact-checks/?article={article.id}", page, f"/fact-checks/{claim.id}",
        f"/fact-checks/{claim.id}-old-slug", f"/fact-checks/{draft.id}", f"/fact-checks/{gone.id}",
        f"/fact-checks/{gone.id}-marker-unpublished-statement", f"/fact-checks/articles/{article.id}",
        f"/fact-checks/articles/{article.id}?verdict=true", "/sitemap.xml", "/robots.txt", "/fact-checks/999999",
        "/fact-checks/feed.atom", "/fact-checks.json",
    ]
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 301, 404), url
        text = response.get_data(as_text=True) + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        assert "MARKER" not in text.upper(), (url, re.findall(r".{60}MARKER.{60}", text, re.I | re.S)[:3])
        seen += response.status_code == 200
    assert seen >= 11
    # The control: the markers are really there inside the desk.
    from .helpers import WebClient
    from .conftest import PASSWORD

    inside = WebClient(public_app.test_client())
    inside.get("/login")
    inside.post("/login", {"username": "eddie", "password": PASSWORD})
    inside.forget_token()
    html = inside.get(f"/claims/{claim.id}").get_data(as_text=True)
    for marker in ("MARKER-EVIDENCE-NOTE", "MARKER-REVIEWER-COMMENT", "MARKER-REOPEN-COMMENT", "MARKER-UNPUBLISHED-EDIT",
                   "MARKER-ASSIGNEE-NAME"):
        assert marker in html, marker
    # And the public page still shows what was published.
    assert "Six missiles flew 355 miles." in client.get(page).get_data(as_text=True)


def test_atom_feed_lists_published_and_updated_checks(public_app, session, users, verified):
    other = make_verified(session, users, "killed 29 people", "The attack killed 29 people.",
                          session.get(Article, verified.article_id), Verdict.TRUE)
    publish(session, users, other)
    pub = publish(session, users, verified)  # published after the other one...
    publishing.unpublish_claim(session, users["eddie"].id, other.id, "Withdrawn.")
    publishing.publish_claim(session, users["eddie"].id, other.id, "Back after a legal review.")
    response = public_app.test_client().get("/fact-checks/feed.atom", headers={"Host": "evil.example"})
    assert response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.get_data())
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.find("a:id", ns).text == f"{PUBLIC}/fact-checks/"
    assert root.find("a:link[@rel='self']", ns).get("href") == f"{PUBLIC}/fact-checks/feed.atom"
    entries = root.findall("a:entry", ns)
    # ...but the other one, re-published since, comes first: it was updated last.
    assert [e.find("a:title", ns).text for e in entries] == [
        "True: The attack killed 29 people.", "Misleading: Six missiles flew 355 miles."]
    assert entries[0].find("a:updated", ns).text >= entries[1].find("a:published", ns).text
    assert "Back after a legal review." in entries[0].find("a:summary", ns).text
    assert entries[1].find("a:link", ns).get("href") == f"{PUBLIC}/fact-checks/{verified.id}-{pub.slug}"
    assert "evil.example" not in response.get_data(as_text=True)


def test_claimreview_feed_has_every_published_check(public_app, session, users, verified):
    pub = publish(session, users, verified)
    make_verified(session, users, "killed 29 people", "The attack killed 29 people.",
                  session.get(Article, verified.article_id))  # verified, never published
    response = public_app.test_client().get("/fact-checks.json")
    assert response.mimetype == "application/json" and "Set-Cookie" not in response.headers
    reviews = json.loads(response.get_data(as_text=True))
    assert [r["url"] for r in reviews] == [f"{PUBLIC}/fact-checks/{verified.id}-{pub.slug}"]
    assert reviews[0]["reviewRating"]["alternateName"] == "Misleading"
    # The same ClaimReview as on the page itself.
    html = public_app.test_client().get(f"/fact-checks/{verified.id}-{pub.slug}").get_data(as_text=True)
    assert json_ld(html) == reviews


# --- read by parsers nobody here wrote ----------------------------------------------------


def test_structured_data_through_a_real_html_parser(public_app, session, users, verified):
    """lxml's HTML parser reads the page as a crawler would: the JSON-LD block(s) and the
    Open Graph properties, nothing else claiming to be data. (extruct, the usual tool, needs
    jstyleson, which PyPI has only as a source distribution: our dependencies must all be wheels.)"""
    import lxml.html

    pub = publish(session, users, verified)
    url = f"{PUBLIC}/fact-checks/{verified.id}-{pub.slug}"
    html = public_app.test_client().get(f"/fact-checks/{verified.id}-{pub.slug}").get_data(as_text=True)
    tree = lxml.html.fromstring(html)
    blocks = tree.xpath('//script[@type="application/ld+json"]')
    data = {"json-ld": [json.loads(block.text_content()) for block in blocks]}
    properties: dict[str, str] = {}
    for meta in tree.xpath("//meta[@property]"):
        properties.setdefault(meta.get("property"), meta.get("content"))
    data["opengraph"] = [properties]
    [review] = data["json-ld"]
    assert review["@type"] == "ClaimReview" and review["url"] == url
    assert review["claimReviewed"] == "Six missiles flew 355 miles."
    assert review["author"]["@type"] == "Organization" and review["author"]["name"] == "Example Fact Desk"
    assert review["author"]["url"] == "https://desk.example.org/"
    assert review["datePublished"][:10] == pub.published_at.date().isoformat()
    rating = review["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"], rating["alternateName"]) == (2, 5, 1, "Misleading")
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"]["name"] == "Officials"
    assert item["appearance"]["url"] == "https://news.example/depot"
    [og] = data["opengraph"]
    assert og["og:url"] == url and og["og:type"] == "article" and og["og:title"].startswith("Misleading: ")
    assert og["article:published_time"] == review["datePublished"]


def test_atom_feed_through_feedparser(public_app, session, users, verified):
    import feedparser

    pub = publish(session, users, verified)
    feed = feedparser.parse(public_app.test_client().get("/fact-checks/feed.atom").get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Fact checks · Example Fact Desk"
    [entry] = feed.entries
    assert entry.link == f"{PUBLIC}/fact-checks/{verified.id}-{pub.slug}"
    assert entry.title == "Misleading: Six missiles flew 355 miles."
    assert entry.published_parsed[:3] == pub.published_at.timetuple()[:3]
    assert "rated 2 out of 5" in entry.summary


# --- a per-client rate limit ----------------------------------------------------------------


def test_public_pages_are_rate_limited_per_client(public_app, session, users, verified):
    pub = publish(session, users, verified)
    public_app.config["PUBLIC_RATE_LIMIT"] = 3
    client = public_app.test_client()
    crowd = {"REMOTE_ADDR": "198.51.100.7"}
    with_time_left_in_the_minute()  # the counts are per minute: all of this in one
    urls = ["/fact-checks/", f"/fact-checks/{verified.id}-{pub.slug}", "/sitemap.xml"]
    assert [client.get(u, environ_base=crowd).status_code for u in urls] == [200, 200, 200]
    refused = client.get("/robots.txt", environ_base=crowd)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in refused.headers
    assert "Too many requests" in refused.get_data(as_text=True)
    # The fact-check page counts in the statement that reads it, and refuses as well.
    page = client.get(f"/fact-checks/{verified.id}-{pub.slug}", environ_base=crowd)
    assert page.status_code == 429 and page.headers["Cache-Control"] == "no-store"
    # Ids past the column's range are counted too, not a free way round the limit.
    prober = {"REMOTE_ADDR": "198.51.100.8"}
    probes = [client.get("/fact-checks/99999999999999999999", environ_base=prober).status_code for _ in range(4)]
    assert probes == [404, 404, 404, 429]
    # Another reader is not held back by this one, and the desk is not limited.
    assert client.get(f"/fact-checks/{verified.id}-{pub.slug}", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200
    assert client.get("/login", environ_base=crowd).status_code == 200


def test_rate_limit_windows_reset_and_old_counts_are_pruned(session):
    from datetime import datetime, timezone

    from factcheck.models import PublicRateLimit
    from factcheck.services import rate_limit

    start = datetime(2026, 12, 6, 10, 0, 30, tzinfo=timezone.utc)
    decisions = [rate_limit.hit(session, "192.0.2.1", 2, now=start) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False] and decisions[-1].retry_after == 30
    assert rate_limit.hit(session, "192.0.2.1", 2, now=start + timedelta(minutes=1)).allowed  # a new minute
    rate_limit.hit(session, "192.0.2.2", 2, now=start + timedelta(minutes=5))  # a new client's first hit prunes
    windows = session.execute(select(PublicRateLimit.window_start)).scalars().all()
    assert [w.minute for w in windows] == [5]


def test_a_count_and_a_read_in_one_statement(session, users, verified):
    """rate_limit.hit_and_read counts like hit and returns the row read with it (None when none)."""
    from datetime import datetime, timezone

    from factcheck.services import rate_limit

    pub = publish(session, users, verified)
    start = datetime(2026, 12, 6, 11, 0, 10, tzinfo=timezone.utc)
    found = [rate_limit.hit_and_read(session.connection(), "192.0.2.5", 2, *publishing.head_query(verified.id), now=start) for _ in range(3)]
    assert [(d.allowed, d.hits) for d, _row in found] == [(True, 1), (True, 2), (False, 3)]
    assert found[0][0].retry_after == 50
    head = publishing.head_from_row(verified.id, found[0][1])
    assert (head.slug, head.version, head.modified_at) == (pub.slug, pub.version, pub.modified_at)
    missing, row = rate_limit.hit_and_read(session.connection(), "192.0.2.5", 2, *publishing.head_query(verified.id + 1000), now=start)
    assert row is None and missing.hits == 4 and not missing.allowed
    # The same count as hit(): one row per client and minute.
    assert rate_limit.hit(session, "192.0.2.5", 2, now=start).hits == 5


def test_a_revalidated_page_is_not_drawn_again_and_changes_with_a_republication(public_app, session, users, verified, monkeypatch):
    from factcheck.web.public import page as public_page

    pub = publish(session, users, verified)
    client = public_app.test_client()
    url = f"/fact-checks/{verified.id}-{pub.slug}"
    first = client.get(url)
    etag = first.headers["ETag"]

    def no_drawing(*args, **kwargs):
        raise AssertionError("the page was drawn for a revalidation")

    monkeypatch.setattr(public_page, "draw", no_drawing)
    monkeypatch.setattr(publishing, "snapshot_query", no_drawing)  # nor the snapshot loaded
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and again.get_data() == b""
    assert again.headers["Cache-Control"] == "public, max-age=300" and "Set-Cookie" not in again.headers
    monkeypatch.undo()

    workflow.reopen_claim(session, users["eddie"].id, verified.id, "Recheck.")
    workflow.propose_verdict(session, users["rita"].id, verified.id, Verdict.FALSE, "Range is 200 miles.")
    workflow.approve_verdict(session, users["erin"].id, verified.id)
    publish(session, users, verified, "Verdict changed.")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Verdict changed." in changed.get_data(as_text=True)


def test_a_page_changed_between_its_head_and_its_snapshot_is_drawn_as_it_is_now(public_app, session, users, verified, monkeypatch):
    """The head (slug, version, dates) and the whole snapshot are two reads: a re-publication
    between them draws the newer page under its own ETag; a new slug redirects; a take-down is 404."""
    pub = publish(session, users, verified)
    url = f"/fact-checks/{verified.id}-{pub.slug}"
    stale = publishing.PublicHead(verified.id, pub.slug, pub.version, pub.modified_at)  # values, not the row
    stale_etag = public_app.test_client().get(url).headers["ETag"]
    workflow.reopen_claim(session, users["eddie"].id, verified.id, "Recheck.")
    workflow.propose_verdict(session, users["rita"].id, verified.id, Verdict.FALSE, "Range is 200 miles.")
    workflow.approve_verdict(session, users["erin"].id, verified.id)
    newer = publish(session, users, verified, "Verdict changed.")
    assert newer.version == stale.version + 1
    # Every read of the head answers as it was before the re-publication, and no worker
    # keeps a page for it (the race: the head read just before the re-publication).
    public_app.extensions.pop("factcheck.public_pages", None)
    monkeypatch.setattr(publishing, "public_head", lambda connection, claim_id: stale)
    monkeypatch.setattr(publishing, "head_from_row", lambda claim_id, row: stale)
    drawn = public_app.test_client().get(url)
    assert drawn.status_code == 200 and "Verdict changed." in drawn.get_data(as_text=True)
    assert drawn.headers["ETag"] != stale_etag
    assert drawn.last_modified == newer.modified_at.replace(microsecond=0)
    monkeypatch.undo()
    # The newer page went out under its own ETag, which the current head revalidates.
    assert public_app.test_client().get(url, headers={"If-None-Match": drawn.headers["ETag"]}).status_code == 304
    assert public_app.test_client().get(url, headers={"If-None-Match": stale_etag}).status_code == 200

    monkeypatch.setattr(publishing, "public_head", lambda connection, claim_id: stale)
    monkeypatch.setattr(publishing, "head_from_row", lambda claim_id, row: stale)
    session.execute(update(Publication).where(Publication.claim_id == verified.id).values(slug="a-new-address"))
    moved = public_app.test_client().get(url)
    assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/fact-checks/{verified.id}-a-new-address")

    publishing.unpublish_claim(session, users["eddie"].id, verified.id, "Taken down.")
    assert public_app.test_client().get(url).status_code == 404


def test_settings_for_the_public_pages():
    from factcheck.config import ConfigurationError, load_settings

    base = {"SECRET_KEY": "k"}
    assert load_settings({**base, "FACTCHECK_PUBLIC_URL": "https://checks.example.org/"}).org_url == "https://checks.example.org/"
    assert load_settings({**base, "FACTCHECK_PUBLIC_URL": "https://checks.example.org",
                          "FACTCHECK_ORG_URL": "https://org.example/"}).org_url == "https://org.example/"
    assert load_settings(base).public_rate_limit == 120
    assert load_settings({**base, "FACTCHECK_PUBLIC_RATE_LIMIT": "0"}).public_rate_limit == 0
    for bad in ("-1", "lots", "1e3", "99999999"):
        with pytest.raises(ConfigurationError, match="FACTCHECK_PUBLIC_RATE_LIMIT"):
            load_settings({**base, "FACTCHECK_PUBLIC_RATE_LIMIT": bad})


def test_a_drawn_page_is_kept_by_its_etag_and_never_outlives_its_publication(public_app, session, users, verified, monkeypatch):
    """A worker draws a shared check once; the kept page is served only while the snapshot's
    ETag is the same: a re-publication draws the new page, an unpublication answers 404."""
    from factcheck.web.public import page as public_page

    pub = publish(session, users, verified)
    client = public_app.test_client()
    url = f"/fact-checks/{verified.id}-{pub.slug}"
    first = client.get(url)
    assert first.status_code == 200

    def no_drawing(*args, **kwargs):
        raise AssertionError("the same page was drawn twice")

    monkeypatch.setattr(public_page, "draw", no_drawing)
    monkeypatch.setattr(publishing, "snapshot_query", no_drawing)  # a kept page needs only the head
    again = client.get(url)
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"] and "Set-Cookie" not in again.headers
    monkeypatch.undo()

    workflow.reopen_claim(session, users["eddie"].id, verified.id, "Recheck.")
    workflow.propose_verdict(session, users["rita"].id, verified.id, Verdict.FALSE, "Range is 200 miles.")
    workflow.approve_verdict(session, users["erin"].id, verified.id)
    publish(session, users, verified, "Verdict changed.")
    changed = client.get(url)
    assert changed.status_code == 200 and "Verdict changed." in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != first.headers["ETag"]

    publishing.unpublish_claim(session, users["eddie"].id, verified.id, "Taken down for review.")
    assert client.get(url).status_code == 404


def test_the_page_cache_keeps_the_latest_pages_within_its_bounds():
    from factcheck.web.public.page_cache import MAX_PAGE_BYTES, PageCache

    cache = PageCache(2, max_bytes=10_000)
    cache.put("a", b"A" * 100)
    cache.put("b", b"B" * 100)
    assert cache.get("a") == b"A" * 100  # a is now the most recently used
    cache.put("c", b"C" * 100)
    assert cache.get("b") is None and cache.get("a") and cache.get("c") and len(cache) == 2
    cache.put("d", b"D" * 9_950)  # bytes bound: the older pages go
    assert cache.get("d") and cache.get("a") is None and cache.get("c") is None
    big = PageCache(10, max_bytes=10 * MAX_PAGE_BYTES)
    big.put("huge", b"x" * (MAX_PAGE_BYTES + 1))  # drawn each time rather than kept
    assert big.get("huge") is None
    off = PageCache(0)
    off.put("a", b"A")
    assert off.get("a") is None


def test_the_page_cache_setting():
    from factcheck.config import ConfigurationError, load_settings

    base = {"SECRET_KEY": "k"}
    assert load_settings(base).public_page_cache == 256
    assert load_settings({**base, "FACTCHECK_PUBLIC_PAGE_CACHE": "0"}).public_page_cache == 0
    for bad in ("-1", "many", "100001"):
        with pytest.raises(ConfigurationError, match="FACTCHECK_PUBLIC_PAGE_CACHE"):
            load_settings({**base, "FACTCHECK_PUBLIC_PAGE_CACHE": bad})
