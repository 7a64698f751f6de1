"""Evidence links: what is accepted, how they are shown, who may change them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from factcheck.models import Article, Category, ClaimEvent, Evidence, Stance
from factcheck.services.errors import InvalidTransition
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
    error = re.search(r'id="evidence-url-error">([^<]*)<', response.get_data(as_text=True))
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


# --- undoing a removal ----------------------------------------------------------------


def test_removed_evidence_can_be_undone_as_it_was_with_history(login, session, users, claim):
    evidence = workflow.add_evidence(
        session, users["rita"].id, claim.id,
        EvidenceFields(url="https://a.example/1", title="Ministry report", stance="refutes", publisher="Ministry",
                       archive_url="https://web.archive.org/web/2018/https://a.example/1",
                       accessed_on=date(2018, 10, 2), note="Gives 29 dead."),
    )
    evidence_id, created_at = evidence.id, evidence.created_at
    client = login("rita")
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert 'data-confirm="Remove “Ministry report” from this claim’s evidence?' in page
    response = client.post(f"/evidence/{evidence_id}/delete", {})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    undo = re.search(r'<form class="flash flash--success undo"[^>]*action="([^"]+)"', page)
    assert undo and "Removed “Ministry report”." in page
    assert client.post(undo.group(1), {}).status_code == 303
    session.expire_all()
    back = session.get(Evidence, evidence_id)
    assert (back.url, back.title, back.stance, back.publisher, back.note, back.accessed_on, back.added_by_id, back.created_at) == (
        "https://a.example/1", "Ministry report", Stance.REFUTES, "Ministry", "Gives 29 dead.", date(2018, 10, 2),
        users["rita"].id, created_at,
    )
    assert back.archive_url == "https://web.archive.org/web/2018/https://a.example/1"
    last = session.execute(
        select(ClaimEvent).where(ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.id.desc()).limit(1)
    ).scalar_one()
    assert last.action == "evidence_added" and last.details["restored_from_event_id"]
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "restored evidence" in page and ">Restore</button>" not in page
    # A second undo (another tab) changes nothing.
    assert client.post(undo.group(1), {}).status_code == 303
    assert session.execute(select(func.count()).select_from(Evidence).where(Evidence.claim_id == claim.id)).scalar_one() == 1


def test_removed_evidence_stays_restorable_from_the_history(login, session, users, claim):
    evidence = workflow.add_evidence(
        session, users["rita"].id, claim.id, EvidenceFields(url="https://a.example/2", title="Wire copy", stance="supports")
    )
    evidence_id = evidence.id
    workflow.remove_evidence(session, users["eddie"].id, evidence_id)
    ron_page = login("ron").get(f"/claims/{claim.id}").get_data(as_text=True)
    assert ">Restore</button>" not in ron_page  # neither its adder nor an editor
    page = login("rita").get(f"/claims/{claim.id}").get_data(as_text=True)
    restore = re.search(r'action="([^"]+)">\s*<input name="csrf_token"[^>]*>\s*<button[^>]*aria-label="Restore evidence “Wire copy”"', page)
    assert restore
    assert login("ron").post(restore.group(1), {}).status_code == 403
    assert login("rita").post(restore.group(1), {}).status_code == 303
    session.expire_all()
    assert session.get(Evidence, evidence_id).title == "Wire copy"


def test_an_older_removal_cannot_bring_back_stale_evidence(session, users, claim):
    rita = users["rita"].id
    evidence = workflow.add_evidence(session, rita, claim.id, EvidenceFields(url="https://a.example/3", title="Old", stance="supports"))
    evidence_id = evidence.id
    first = workflow.remove_evidence(session, rita, evidence_id).id
    workflow.restore_evidence(session, rita, claim.id, first)
    workflow.update_evidence(session, rita, evidence_id, EvidenceFields(url="https://a.example/3", title="New", stance="supports"))
    workflow.remove_evidence(session, rita, evidence_id)
    with pytest.raises(InvalidTransition, match="removed again"):
        workflow.restore_evidence(session, rita, claim.id, first)
    assert session.get(Evidence, evidence_id) is None


def test_a_removal_is_only_undone_through_its_own_claim(login, session, users, claim):
    evidence = workflow.add_evidence(session, users["rita"].id, claim.id, EvidenceFields(url="https://a.example/4", title="X", stance="supports"))
    event = workflow.remove_evidence(session, users["rita"].id, evidence.id)
    other = workflow.create_claim(session, users["rita"].id, claim.article_id, "the ministry said", ClaimFields("Ministry.", Category.ATTRIBUTION))
    client = login("eddie")
    assert client.post(f"/claims/{other.id}/evidence/restore/{event.id}", {}).status_code == 404
    assert client.post(f"/claims/{claim.id}/evidence/restore/{event.id - 1}", {}).status_code == 404  # not a removal
    assert client.get(f"/claims/{other.id}?undo={event.id}").status_code == 200
    assert "Undo" not in client.get(f"/claims/{other.id}?undo={event.id}").get_data(as_text=True)
    assert client.get(f"/claims/{claim.id}?undo=99999999999999999999").status_code == 200
