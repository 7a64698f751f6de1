"""Every id on the claim, article and edit pages is unique, and every label
points at the field of its own form (a screen reader reads the right label;
clicking "Why it goes back" puts the cursor in the send-back box).

Each page is checked in the states that change which forms it shows: each
status, as a reviewer and as an editor, and redisplayed with errors."""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from factcheck.models import Article, Category, Claim, Stance
from factcheck.services import workflow
from factcheck.services.workflow import ClaimFields, EvidenceFields

BODY = (
    "Tehran said the six missiles flew 355 miles. The strike killed 29 people, officials said.\n\n"
    "Over 2,000 US troops are presently deployed in Syria, the Pentagon said."
)


@dataclass
class Element:
    tag: str
    name: str | None
    form_action: str | None  # the action of the form it sits in


@dataclass
class Page:
    ids: list[str] = field(default_factory=list)
    elements: dict[str, Element] = field(default_factory=dict)
    labels: list[tuple[str, str]] = field(default_factory=list)  # (for, text)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.page = Page()
        self.form_action: str | None = None
        self.label_for: str | None = None
        self.label_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form_action = (a.get("action") or "").split("#")[0]
        if "id" in a:
            self.page.ids.append(a["id"])
            self.page.elements[a["id"]] = Element(tag, a.get("name"), self.form_action)
        if tag == "label" and "for" in a:
            self.label_for, self.label_text = a["for"], []

    def handle_endtag(self, tag):
        if tag == "form":
            self.form_action = None
        if tag == "label" and self.label_for is not None:
            self.page.labels.append((self.label_for, " ".join("".join(self.label_text).split())))
            self.label_for = None

    def handle_data(self, data):
        if self.label_for is not None:
            self.label_text.append(data)


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    return parser.page


def assert_ids_unique_and_labels_own_fields(html: str, where: str) -> Page:
    page = parse(html)
    repeated = sorted(i for i, n in collections.Counter(page.ids).items() if n > 1)
    assert not repeated, f"{where}: repeated ids {repeated}"
    for target, text in page.labels:
        assert target in page.elements, f"{where}: label {text!r} points at missing id {target!r}"
    return page


@pytest.fixture
def claim(session, users):
    article = Article(title="Ids", body=BODY)
    session.add(article)
    session.commit()
    return workflow.create_claim(
        session, users["rita"].id, article.id, "six missiles flew 355 miles",
        ClaimFields(statement="Six missiles flew 355 miles.", category=Category.DISTANCE),
    )


def version(session, claim) -> int:
    session.expire_all()
    return session.get(Claim, claim.id).version


def check(client, url, where, status=200):
    response = client.get(url)
    assert response.status_code == status, where
    return assert_ids_unique_and_labels_own_fields(response.get_data(as_text=True), where)


def test_claim_page_in_every_status_as_each_role(login, session, users, claim):
    rita, eddie = login("rita"), login("eddie")
    url = f"/claims/{claim.id}"
    check(rita, url, "unverified, reviewer")
    check(eddie, url, "unverified, editor")
    workflow.take_claim(session, users["rita"].id, claim.id)
    for n in range(2):
        workflow.add_evidence(
            session, users["rita"].id, claim.id, EvidenceFields(f"https://e.example/{n}", f"Source {n}", Stance.SUPPORTS, note="A note")
        )
    page = check(rita, url, "in review, reviewer with evidence")
    check(eddie, url, "in review, editor")
    # Each label of the claim page's forms points into its own form.
    owners = {text: page.elements[target].form_action for target, text in page.labels}
    assert owners["Comment"].endswith("/comments")
    assert owners["Rationale"].endswith("/propose") and owners["Link"].endswith("/evidence")
    workflow.propose_verdict(session, users["rita"].id, claim.id, "true", "Two sources.")
    page = check(eddie, url, "pending approval, editor")
    owners = {text: page.elements[target] for target, text in page.labels}
    assert owners["Why it goes back"].form_action.endswith("/send-back")
    assert owners["Why it goes back"].name == "comment"
    assert owners["Comment"].form_action.endswith("/comments")
    workflow.approve_verdict(session, users["eddie"].id, claim.id)
    page = check(eddie, url, "verified, editor")
    owners = {text: page.elements[target].form_action for target, text in page.labels}
    assert owners["Why reopen"].endswith("/reopen") and owners["Comment"].endswith("/comments")


def test_claim_page_redisplayed_with_errors(login, session, users, claim):
    eddie = login("eddie")
    url = f"/claims/{claim.id}"
    response = eddie.post(f"{url}/assign", {"assignee": "", "version": claim.version})
    assert response.status_code == 422
    assert_ids_unique_and_labels_own_fields(response.get_data(as_text=True), "assign error")
    response = eddie.post(f"{url}/comments", {"comment": ""})
    assert response.status_code == 422
    page = assert_ids_unique_and_labels_own_fields(response.get_data(as_text=True), "comment error")
    assert page.elements["history-comment-error"].tag == "p"
    response = eddie.post(f"{url}/evidence", {"url": "ftp://x", "title": "", "stance": "supports"})
    assert response.status_code == 422
    assert_ids_unique_and_labels_own_fields(response.get_data(as_text=True), "evidence error")

    workflow.take_claim(session, users["rita"].id, claim.id)
    workflow.add_evidence(session, users["rita"].id, claim.id, EvidenceFields("https://e.example/a", "A", Stance.SUPPORTS))
    response = login("rita").post(f"{url}/propose", {"verdict": "", "rationale": "", "version": version(session, claim)})
    assert response.status_code == 422
    assert_ids_unique_and_labels_own_fields(response.get_data(as_text=True), "propose error")
    workflow.propose_verdict(session, users["rita"].id, claim.id, "true", "Two sources.")
    response = eddie.post(f"{url}/send-back", {"comment": "", "version": version(session, claim)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    page = assert_ids_unique_and_labels_own_fields(html, "send-back error")
    # The error sits beside the send-back box, which the textarea names as its description.
    assert re.search(r'<textarea aria-describedby="send-back-comment-error" aria-invalid="true" id="send-back-comment"', html)
    assert "history-comment-error" not in page.ids


def test_edit_pages_and_conflict_page(login, session, users, claim):
    rita = login("rita")
    check(rita, f"/claims/{claim.id}/edit", "claim edit")
    workflow.take_claim(session, users["rita"].id, claim.id)
    item = workflow.add_evidence(session, users["rita"].id, claim.id, EvidenceFields("https://e.example/a", "A", Stance.SUPPORTS))
    check(rita, f"/evidence/{item.id}/edit", "evidence edit")
    stale = version(session, claim)
    workflow.edit_claim(session, users["rita"].id, claim.id, ClaimFields("Changed.", Category.DISTANCE), stale)
    response = rita.post(
        f"/claims/{claim.id}/edit", {"statement": "Mine.", "category": "distance", "quantity_qualifier": "", "version": stale}
    )
    assert response.status_code == 409
    assert_ids_unique_and_labels_own_fields(response.get_data(as_text=True), "conflict page")


def test_article_page_with_suggestions_and_errors(login, session, users):
    client = login("rita")
    response = client.post("/articles/new", {"title": "Ids article", "body": BODY})
    assert response.status_code == 303
    url = response.headers["Location"]
    page = check(client, url, "article page")
    assert any(text == "Exact words in the article" for _, text in page.labels)
    response = client.post(f"{url}/claims", {"quote": "not in the text", "statement": "", "category": "other"})
    assert response.status_code == 422
    assert_ids_unique_and_labels_own_fields(response.get_data(as_text=True), "article page, claim errors")
