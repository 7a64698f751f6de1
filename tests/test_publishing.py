"""Publishing (issue 14): publish, unpublish and re-publish a verified claim, who may,
and a public snapshot that edits and reopenings do not touch."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.models import Article, Category, Claim, ClaimEvent, ClaimStatus, Publication, Stance, Verdict
from factcheck.services import publishing, workflow
from factcheck.services.errors import InvalidTransition, PermissionDenied, StaleClaim, ValidationFailed
from factcheck.services.workflow import ClaimFields, EvidenceFields

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
    assert "published the fact check" in page
    refused = client.post(f"/claims/{verified.id}/unpublish", {"version": verified.version, "reason": ""})
    assert refused.status_code == 422 and "Say why the fact check is taken down." in refused.get_data(as_text=True)
    assert state(session, verified.id)[2] is None
    assert client.post(f"/claims/{verified.id}/unpublish", {"version": verified.version, "reason": "Legal review."}).status_code == 303
    assert state(session, verified.id)[2] is not None
    refused = client.post(f"/claims/{verified.id}/publish", {"version": verified.version, "update_note": ""})
    assert refused.status_code == 422 and "Say what changed" in refused.get_data(as_text=True)
    assert login("rita").post(f"/claims/{verified.id}/publish", {"version": verified.version, "update_note": "x"}).status_code == 403
