"""Evidence links: what is accepted, how they are shown, who may change them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.models import Article, Category, ClaimEvent, Evidence, Stance
from factcheck.services import workflow
from factcheck.services.validation import http_url_problem
from factcheck.services.workflow import ClaimFields, EvidenceFields


@pytest.fixture
def claim(session, users):
    article = Article(title="Evidence", body="The strike killed 29 people, the ministry said.")
    session.add(article)
    session.commit()
    claim = workflow.create_claim(
        session, users["rita"].id, article.id, "killed 29 people", ClaimFields("29 killed.", Category.CASUALTIES)
    )
    workflow.take_claim(session, users["rita"].id, claim.id)
    return claim


BAD_URLS = [
    ("javascript:alert(document.cookie)", "Only http:// and https://"),
    ("JaVaScRiPt:alert(1)", "Only http:// and https://"),
    ("data:text/html;base64,PHNjcmlwdD4=", "Only http:// and https://"),
    ("file:///etc/passwd", "Only http:// and https://"),
    ("ftp://example.org/x", "Only http:// and https://"),
    ("https://user:secret@example.org/", "username or password"),
    ("https://user@example.org/", "username or password"),
    ("https://exa mple.org/", "spaces or control characters"),
    ("https:///nohost", "no valid host"),
    ("example.org/page", "Only http:// and https://"),
    ("https://example.org:99999/", "not a valid link"),
    ("https://" + "a" * 2050, "limited to 2048"),
]


@pytest.mark.parametrize("url, message", BAD_URLS)
def test_unsafe_urls_are_refused_beside_the_field(login, session, claim, url, message):
    assert message in http_url_problem(url)
    response = login("rita").post(
        f"/claims/{claim.id}/evidence", {"url": url, "title": "Source", "stance": "supports"}
    )
    assert response.status_code == 422
    error = re.search(r'id="url-error">([^<]*)<', response.get_data(as_text=True))
    assert error and message in error.group(1).replace("&#39;", "'")
    assert session.execute(select(func.count()).select_from(Evidence)).scalar_one() == 0


def test_unsafe_archive_url_is_refused(session, users, claim):
    from factcheck.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as info:
        workflow.add_evidence(
            session,
            users["rita"].id,
            claim.id,
            EvidenceFields(url="https://example.org", title="x", stance="context", archive_url="javascript:x"),
        )
    assert "archive_url" in info.value.errors


@pytest.mark.parametrize("url", ["https://example.org/a?b=c#d", "http://127.0.0.1:8080/x", "https://[2001:db8::1]/p"])
def test_ordinary_urls_are_accepted(url):
    assert http_url_problem(url) is None


def test_evidence_links_are_safe_and_offer_an_archive(login, session, users, claim):
    workflow.add_evidence(
        session,
        users["rita"].id,
        claim.id,
        EvidenceFields(url="https://example.org/report?id=1&x=2", title="Ministry report", stance=Stance.SUPPORTS),
    )
    page = login("rita").get(f"/claims/{claim.id}").get_data(as_text=True)
    link = re.search(r'<a href="https://example.org/report\?id=1&amp;x=2"([^>]*)>Ministry report</a>', page)
    assert link and 'rel="noopener noreferrer nofollow"' in link.group(1)
    assert 'href="https://web.archive.org/save/https://example.org/report?id=1&amp;x=2" rel="noopener noreferrer nofollow"' in page


def test_edit_and_remove_evidence_with_history(login, session, users, claim):
    evidence = workflow.add_evidence(
        session, users["rita"].id, claim.id, EvidenceFields(url="https://a.example/1", title="One", stance="supports")
    )
    client = login("rita")
    response = client.post(
        f"/evidence/{evidence.id}/edit",
        {"url": "https://a.example/1", "title": "One, corrected", "stance": "refutes", "publisher": "Wire"},
    )
    assert response.status_code == 303
    session.expire_all()
    edited = session.get(Evidence, evidence.id)
    assert (edited.title, edited.stance, edited.publisher) == ("One, corrected", Stance.REFUTES, "Wire")
    evidence_id = evidence.id
    response = client.post(f"/evidence/{evidence_id}/delete", {})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Evidence, evidence_id) is None
    actions = session.execute(
        select(ClaimEvent.action).where(ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.id)
    ).scalars().all()
    assert actions[-3:] == ["evidence_added", "evidence_edited", "evidence_removed"]
    removed = session.execute(
        select(ClaimEvent).where(ClaimEvent.action == "evidence_removed")
    ).scalar_one()
    assert removed.details["url"] == "https://a.example/1" and removed.details["title"] == "One, corrected"


def test_only_the_adder_or_an_editor_changes_evidence(login, session, users, claim):
    evidence = workflow.add_evidence(
        session, users["rita"].id, claim.id, EvidenceFields(url="https://a.example/1", title="One", stance="supports")
    )
    evidence_id = evidence.id
    assert login("ron").post(f"/evidence/{evidence_id}/delete", {}).status_code == 403
    session.expire_all()
    assert session.get(Evidence, evidence_id) is not None
    assert login("eddie").post(f"/evidence/{evidence_id}/delete", {}).status_code == 303
    session.expire_all()
    assert session.get(Evidence, evidence_id) is None


def test_evidence_is_frozen_while_a_verdict_waits(login, session, users, claim):
    evidence = workflow.add_evidence(
        session, users["rita"].id, claim.id, EvidenceFields(url="https://a.example/1", title="One", stance="supports")
    )
    workflow.propose_verdict(session, users["rita"].id, claim.id, "true", "Confirmed.")
    client = login("rita")
    response = client.post(f"/evidence/{evidence.id}/delete", {})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Evidence, evidence.id) is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "an editor must send it back first" in page
