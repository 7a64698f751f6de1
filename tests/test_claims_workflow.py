"""The verdict state machine, through the services and through the web forms."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.models import Article, Category, Claim, ClaimEvent, ClaimStatus, Stance, Verdict
from factcheck.services import workflow
from factcheck.services.errors import InvalidTransition, PermissionDenied, StaleClaim, ValidationFailed
from factcheck.services.workflow import ClaimAction, ClaimFields, EvidenceFields

BODY = "Tehran said the six missiles flew 355 miles. The strike killed 29 people, officials said."
LINK = EvidenceFields(url="https://example.org/a", title="A source", stance=Stance.SUPPORTS)


@pytest.fixture
def claim(session, users):
    article = Article(title="Workflow", body=BODY)
    session.add(article)
    session.commit()
    return workflow.create_claim(
        session,
        users["rita"].id,
        article.id,
        "six missiles flew 355 miles",
        ClaimFields(statement="Six missiles flew 355 miles.", category=Category.DISTANCE),
    )


def ids(users, *names):
    return [users[n].id for n in names]


def events(session, claim):
    return session.execute(
        select(ClaimEvent).where(ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.id)
    ).scalars().all()


def snapshot(session, claim):
    session.expire_all()
    fresh = session.get(Claim, claim.id)
    return (fresh.status, fresh.version, fresh.assignee_id, fresh.verdict, len(events(session, claim)))


def to_pending(session, users, claim):
    rita = users["rita"].id
    workflow.take_claim(session, rita, claim.id)
    workflow.add_evidence(session, rita, claim.id, LINK)
    workflow.propose_verdict(session, rita, claim.id, Verdict.MOSTLY_TRUE, "Confirmed by a second source.")
    return claim


# --- the legal path ------------------------------------------------------------


def test_full_path_with_history(session, users, claim):
    rita, eddie = ids(users, "rita", "eddie")
    workflow.take_claim(session, rita, claim.id)
    assert (claim.status, claim.assignee_id) == (ClaimStatus.IN_REVIEW, rita)
    workflow.add_evidence(session, rita, claim.id, LINK)
    workflow.propose_verdict(session, rita, claim.id, "mostly_true", "Two sources agree.")
    assert claim.status is ClaimStatus.PENDING_APPROVAL and claim.proposed_by_id == rita
    workflow.send_back(session, eddie, claim.id, "Name the second source.")
    assert claim.status is ClaimStatus.IN_REVIEW and claim.proposed_by_id == rita  # the latest proposal's author
    assert claim.verdict is Verdict.MOSTLY_TRUE  # kept as the reviewer's draft
    workflow.propose_verdict(session, rita, claim.id, "true", "IRNA and Reuters agree.")
    workflow.approve_verdict(session, eddie, claim.id)
    assert claim.status is ClaimStatus.VERIFIED
    assert (claim.approved_by_id, claim.verified_at is not None) == (eddie, True)
    workflow.reopen_claim(session, eddie, claim.id, "A new casualty figure was published.")
    assert claim.status is ClaimStatus.IN_REVIEW and claim.verified_at is None

    history = events(session, claim)
    assert [(e.action, e.from_status, e.to_status) for e in history] == [
        ("created", None, ClaimStatus.UNVERIFIED),
        ("taken", ClaimStatus.UNVERIFIED, ClaimStatus.IN_REVIEW),
        ("evidence_added", None, None),
        ("verdict_proposed", ClaimStatus.IN_REVIEW, ClaimStatus.PENDING_APPROVAL),
        ("sent_back", ClaimStatus.PENDING_APPROVAL, ClaimStatus.IN_REVIEW),
        ("verdict_proposed", ClaimStatus.IN_REVIEW, ClaimStatus.PENDING_APPROVAL),
        ("approved", ClaimStatus.PENDING_APPROVAL, ClaimStatus.VERIFIED),
        ("reopened", ClaimStatus.VERIFIED, ClaimStatus.IN_REVIEW),
    ]
    assert [e.actor_id for e in history] == [rita, rita, rita, rita, eddie, rita, eddie, eddie]
    assert history[4].comment == "Name the second source."
    # One event per change: every version the claim went through has exactly one event.
    assert [e.claim_version for e in history] == list(range(1, claim.version + 1))


def test_editor_assigns_and_reassigns(session, users, claim):
    eddie, ron, rita = ids(users, "eddie", "ron", "rita")
    workflow.assign_claim(session, eddie, claim.id, ron)
    assert (claim.status, claim.assignee_id) == (ClaimStatus.IN_REVIEW, ron)
    workflow.assign_claim(session, eddie, claim.id, rita)
    assert claim.assignee_id == rita
    assigned = [e for e in events(session, claim) if e.action == "assigned"]
    assert [e.details["assignee"] for e in assigned] == ["ron", "rita"]


def test_admin_can_do_what_editors_do(session, users, claim):
    to_pending(session, users, claim)
    workflow.approve_verdict(session, users["ada"].id, claim.id)
    assert claim.status is ClaimStatus.VERIFIED


# --- refusals: each says why and changes nothing --------------------------------


REFUSALS = [
    # (setup, actor, call, exception, words in the message)
    ("unverified", "rita", lambda s, a, c: workflow.propose_verdict(s, a, c, "true", "x"), InvalidTransition, "in review"),
    ("unverified", "eddie", lambda s, a, c: workflow.approve_verdict(s, a, c), InvalidTransition, "Only a proposed verdict"),
    ("unverified", "eddie", lambda s, a, c: workflow.send_back(s, a, c, "x"), InvalidTransition, "Only a proposed verdict"),
    ("unverified", "eddie", lambda s, a, c: workflow.reopen_claim(s, a, c, "x"), InvalidTransition, "Only a verified claim"),
    ("unverified", "rita", lambda s, a, c: workflow.assign_claim(s, a, c, a), PermissionDenied, "Only editors"),
    ("in_review", "ron", lambda s, a, c: workflow.take_claim(s, a, c), InvalidTransition, "Someone else"),
    ("in_review", "rita", lambda s, a, c: workflow.take_claim(s, a, c), InvalidTransition, "already have"),
    ("in_review", "ron", lambda s, a, c: workflow.propose_verdict(s, a, c, "true", "x"), PermissionDenied, "claim's reviewer"),
    ("in_review", "rita", lambda s, a, c: workflow.propose_verdict(s, a, c, "true", ""), ValidationFailed, "rationale"),
    ("in_review", "rita", lambda s, a, c: workflow.propose_verdict(s, a, c, "maybe", "x"), ValidationFailed, "Choose a verdict"),
    ("pending", "rita", lambda s, a, c: workflow.approve_verdict(s, a, c), PermissionDenied, "Only editors"),
    ("pending", "eddie", lambda s, a, c: workflow.send_back(s, a, c, "   "), ValidationFailed, "comment is required"),
    ("pending", "rita", lambda s, a, c: workflow.take_claim(s, a, c), InvalidTransition, "cannot be taken"),
    ("pending", "rita", lambda s, a, c: workflow.add_evidence(s, a, c, LINK), InvalidTransition, "send it back"),
    (
        "pending",
        "rita",
        lambda s, a, c: workflow.edit_claim(s, a, c, ClaimFields("x", "other"), s.get(Claim, c).version),
        InvalidTransition,
        "cannot be edited",
    ),
    ("verified", "eddie", lambda s, a, c: workflow.approve_verdict(s, a, c), InvalidTransition, "Only a proposed"),
    ("verified", "eddie", lambda s, a, c: workflow.reopen_claim(s, a, c, ""), ValidationFailed, "comment is required"),
    ("verified", "ron", lambda s, a, c: workflow.reopen_claim(s, a, c, "x"), PermissionDenied, "Only editors"),
    ("verified", "eddie", lambda s, a, c: workflow.assign_claim(s, a, c, a), InvalidTransition, "cannot be assigned"),
    ("unverified", "rita", lambda s, a, c: workflow.release_claim(s, a, c), InvalidTransition, "someone is reviewing"),
    ("in_review", "ron", lambda s, a, c: workflow.release_claim(s, a, c), PermissionDenied, "reviewer or an editor"),
    ("pending", "rita", lambda s, a, c: workflow.release_claim(s, a, c), InvalidTransition, "send it back first"),
    ("verified", "eddie", lambda s, a, c: workflow.release_claim(s, a, c), InvalidTransition, "someone is reviewing"),
    ("in_review", "rita", lambda s, a, c: workflow.release_claim(s, a, c, 1), StaleClaim, "changed by someone else"),
]


def _bring_to(session, users, claim, state):
    if state == "in_review":
        workflow.take_claim(session, users["rita"].id, claim.id)
    elif state == "pending":
        to_pending(session, users, claim)
    elif state == "verified":
        to_pending(session, users, claim)
        workflow.approve_verdict(session, users["erin"].id, claim.id)


@pytest.mark.parametrize("state, actor, call, exc, words", REFUSALS, ids=[f"{r[0]}-{r[1]}-{i}" for i, r in enumerate(REFUSALS)])
def test_refused_actions_say_why_and_change_nothing(session, users, claim, state, actor, call, exc, words):
    _bring_to(session, users, claim, state)
    before = snapshot(session, claim)
    with pytest.raises(exc) as info:
        call(session, users[actor].id, claim.id)
    assert words in info.value.message
    assert snapshot(session, claim) == before


def test_proposing_needs_evidence(session, users, claim):
    workflow.take_claim(session, users["rita"].id, claim.id)
    with pytest.raises(ValidationFailed) as info:
        workflow.propose_verdict(session, users["rita"].id, claim.id, "true", "Looks right.")
    assert "evidence" in info.value.errors


def test_nobody_approves_their_own_proposal(session, users, claim):
    eddie = users["eddie"].id
    workflow.take_claim(session, eddie, claim.id)
    workflow.add_evidence(session, eddie, claim.id, LINK)
    workflow.propose_verdict(session, eddie, claim.id, "false", "The figure is wrong.")
    with pytest.raises(PermissionDenied, match="another editor must approve"):
        workflow.approve_verdict(session, eddie, claim.id)
    workflow.approve_verdict(session, users["erin"].id, claim.id)
    assert claim.status is ClaimStatus.VERIFIED


def test_deactivated_users_can_do_nothing(session, users, claim):
    users["rita"].is_active = False
    session.commit()
    with pytest.raises(PermissionDenied, match="not active"):
        workflow.take_claim(session, users["rita"].id, claim.id)


def test_available_actions_follow_the_same_rules(session, users, claim):
    rita, ron, eddie = (session.get(type(users["rita"]), users[n].id) for n in ("rita", "ron", "eddie"))
    assert workflow.available_actions(rita, claim) == {
        ClaimAction.TAKE, ClaimAction.EDIT, ClaimAction.ADD_EVIDENCE, ClaimAction.COMMENT,
    }
    assert ClaimAction.ASSIGN in workflow.available_actions(eddie, claim)
    to_pending(session, users, claim)
    assert workflow.available_actions(rita, claim) == {ClaimAction.COMMENT}
    assert workflow.available_actions(ron, claim) == {ClaimAction.COMMENT}
    assert workflow.available_actions(eddie, claim) == {ClaimAction.APPROVE, ClaimAction.SEND_BACK, ClaimAction.COMMENT}


# --- through the web ----------------------------------------------------------------


def test_claim_page_offers_only_allowed_actions(login, session, users, claim):
    to_pending(session, users, claim)
    rita_page = login("rita").get(f"/claims/{claim.id}").get_data(as_text=True)
    eddie_page = login("eddie").get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Approve verdict" not in rita_page and "Send back" not in rita_page
    assert "Approve verdict" in eddie_page and "Send back" in eddie_page
    assert "Propose verdict" not in eddie_page and 'value="Take"' not in eddie_page


def test_reviewer_cannot_mass_assign_fields(login, session, users, claim):
    client = login("rita")
    version = claim.version
    response = client.post(
        f"/claims/{claim.id}/edit",
        {
            "statement": "Six missiles flew 355 miles over Iraq.",
            "category": "distance",
            "quantity_qualifier": "",
            "version": version,
            "priority": "3",
            "status": "verified",
            "verdict": "true",
            "assignee_id": users["rita"].id,
            "approved_by_id": users["rita"].id,
        },
    )
    assert response.status_code == 303
    session.expire_all()
    fresh = session.get(Claim, claim.id)
    assert fresh.statement == "Six missiles flew 355 miles over Iraq."
    assert (fresh.priority, fresh.status, fresh.verdict, fresh.assignee_id, fresh.approved_by_id) == (
        1, ClaimStatus.UNVERIFIED, None, None, None,
    )


def test_reviewer_priority_change_is_refused_by_the_service(session, users, claim):
    with pytest.raises(PermissionDenied, match="priority"):
        workflow.edit_claim(
            session, users["rita"].id, claim.id, ClaimFields("x", "other", priority=3), claim.version
        )
    workflow.edit_claim(session, users["eddie"].id, claim.id, ClaimFields("x", "other", priority=3), claim.version)
    assert claim.priority == 3


def test_take_ignores_extra_fields(login, session, claim):
    response = login("rita").post(
        f"/claims/{claim.id}/take", {"version": claim.version, "status": "verified", "assignee_id": 999}
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Claim, claim.id).status is ClaimStatus.IN_REVIEW


def test_illegal_transition_through_the_web_is_explained(login, session, claim):
    client = login("eddie")
    response = client.post(f"/claims/{claim.id}/approve", {"version": claim.version})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Only a proposed verdict can be approved" in page


def test_propose_form_errors_show_beside_the_fields(login, session, users, claim):
    client = login("rita")
    client.post(f"/claims/{claim.id}/take", {"version": claim.version})
    session.expire_all()
    version = session.get(Claim, claim.id).version
    response = client.post(f"/claims/{claim.id}/propose", {"verdict": "true", "rationale": "", "version": version})
    assert response.status_code == 422
    assert 'id="propose-rationale-error">Explain the verdict: a rationale is required.' in response.get_data(as_text=True)
    response = client.post(f"/claims/{claim.id}/propose", {"verdict": "true", "rationale": "Fine.", "version": version})
    assert response.status_code == 422
    assert "Add at least one evidence link before proposing a verdict." in response.get_data(as_text=True)
    assert snapshot(session, claim)[0] is ClaimStatus.IN_REVIEW


def test_history_counts_match_changes(session, users, claim):
    before = session.execute(select(func.count()).select_from(ClaimEvent)).scalar_one()
    to_pending(session, users, claim)  # take, evidence, propose: three changes
    workflow.add_comment(session, users["ron"].id, claim.id, "I can help with the Farsi sources.")
    after = session.execute(select(func.count()).select_from(ClaimEvent)).scalar_one()
    assert after - before == 4


def test_edit_form_starts_from_the_claims_own_values(login, session, users, claim):
    workflow.edit_claim(
        session, users["rita"].id, claim.id,
        ClaimFields("Six missiles.", Category.WEAPONS, quantity_value="1500", quantity_unit="pounds", quantity_qualifier="over"),
        claim.version,
    )
    page = login("rita").get(f"/claims/{claim.id}/edit").get_data(as_text=True)
    assert '<option value="weapons" selected>' in page
    assert '<option value="over" selected>' in page
    assert 'name="quantity_value" type="text" value="1500"' in page


def test_evidence_edit_form_starts_from_its_own_stance(login, session, users, claim):
    workflow.take_claim(session, users["rita"].id, claim.id)
    item = workflow.add_evidence(
        session, users["rita"].id, claim.id, EvidenceFields("https://e.example/r", "Refuting", Stance.REFUTES)
    )
    page = login("rita").get(f"/evidence/{item.id}/edit").get_data(as_text=True)
    assert '<option value="refutes" selected>' in page


def test_propose_form_preselects_no_verdict(login, session, users, claim):
    """The form starts on a prompt, not on "False": a verdict is a choice the
    reviewer makes, and one left unchosen is refused beside the field."""
    client = login("rita")
    client.post(f"/claims/{claim.id}/take", {"version": claim.version})
    session.expire_all()
    workflow.add_evidence(
        session, users["rita"].id, claim.id, EvidenceFields("https://e.example/s", "Source", Stance.SUPPORTS)
    )
    session.expire_all()
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    select_html = page[page.index('name="verdict"'):]
    select_html = select_html[: select_html.index("</select>")]
    assert '<option value="" selected>Choose a verdict…</option>' in select_html
    assert select_html.count("selected") == 1

    version = session.get(Claim, claim.id).version
    response = client.post(f"/claims/{claim.id}/propose", {"verdict": "", "rationale": "Looks right.", "version": version})
    assert response.status_code == 422
    assert 'id="propose-verdict-error">Choose a verdict.' in response.get_data(as_text=True)
    assert snapshot(session, claim)[0] is ClaimStatus.IN_REVIEW


def test_assign_form_preselects_nobody(login, session, users, claim):
    """Clicking Assign without choosing must not hand the claim to whoever is first in the list."""
    client = login("eddie")
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    select_html = page[page.index('name="assignee"'):]
    select_html = select_html[: select_html.index("</select>")]
    assert '<option value="" selected>Choose a person…</option>' in select_html
    assert select_html.count("selected") == 1

    response = client.post(f"/claims/{claim.id}/assign", {"assignee": "", "version": claim.version})
    assert response.status_code == 422
    errors = re.findall(r'id="assign-assignee-error">([^<]*)<', response.get_data(as_text=True))
    assert errors == ["Choose who takes the claim."]
    assert snapshot(session, claim)[0] is ClaimStatus.UNVERIFIED


def test_line_breaks_count_once_as_the_browser_counts_them(login, session, users, claim):
    """A browser sends a textarea's line breaks as CRLF but its maxlength counts
    each as one character: text the browser allowed must not be refused as too
    long. Stored text has plain LF line breaks."""
    client = login("rita")
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert 'maxlength="10000" name="comment"' in page
    text = "\r\n".join(["x" * 99] * 100) + "y"  # 100 lines of 99 characters, 99 breaks and a "y"
    assert (len(text.replace("\r\n", "\n")), len(text)) == (10_000, 10_099)
    response = client.post(f"/claims/{claim.id}/comments", {"comment": text})
    assert response.status_code == 303, re.findall(r'id="history-comment-error">([^<]*)<', response.get_data(as_text=True))
    stored = session.execute(
        select(ClaimEvent.comment).where(ClaimEvent.claim_id == claim.id).order_by(ClaimEvent.id.desc()).limit(1)
    ).scalar_one()
    assert stored == text.replace("\r\n", "\n") and "\r" not in stored


def test_history_names_the_assignee_as_everywhere_else(login, session, users, claim):
    workflow.assign_claim(session, users["eddie"].id, claim.id, users["ron"].id, claim.version)
    page = login("eddie").get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "<strong>Eddie</strong> assigned the claim to Ron" in page


# --- release ----------------------------------------------------------------------


def test_a_reviewer_releases_their_claim_back_to_the_queue(session, users, claim):
    rita = users["rita"].id
    workflow.take_claim(session, rita, claim.id)
    workflow.add_evidence(session, rita, claim.id, LINK)
    workflow.release_claim(session, rita, claim.id, claim.version)
    assert (claim.status, claim.assignee_id) == (ClaimStatus.UNVERIFIED, None)
    last = events(session, claim)[-1]
    assert (last.action, last.actor_id, last.from_status, last.to_status) == (
        "unassigned", rita, ClaimStatus.IN_REVIEW, ClaimStatus.UNVERIFIED,
    )
    assert last.details["previous_assignee_id"] == rita
    # The evidence stays, and anyone may take the claim now.
    assert workflow.evidence_count(session, claim.id) == 1
    workflow.take_claim(session, users["ron"].id, claim.id)
    assert claim.assignee_id == users["ron"].id


def test_an_editor_releases_anyones_claim_and_history_says_whose(login, session, users, claim):
    workflow.take_claim(session, users["ron"].id, claim.id)
    client = login("eddie")
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Take this claim off Ron" in page
    assert 'data-confirm="Take this claim off Ron? It goes back to the queue, unassigned."' in page
    response = client.post(f"/claims/{claim.id}/release", {"version": claim.version})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Released: the claim is back in the queue" in page
    assert "<strong>Eddie</strong> took the claim off Ron and put it back in the queue" in page
    session.expire_all()
    fresh = session.get(Claim, claim.id)
    assert (fresh.status, fresh.assignee_id) == (ClaimStatus.UNVERIFIED, None)


def test_release_through_the_web_is_offered_only_to_who_may_and_checks_the_version(login, session, users, claim):
    workflow.take_claim(session, users["rita"].id, claim.id)
    seen = claim.version
    assert 'value="Release"' in login("rita").get(f"/claims/{claim.id}").get_data(as_text=True)
    ron = login("ron")
    assert 'value="Release"' not in ron.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert ron.post(f"/claims/{claim.id}/release", {"version": seen}).status_code == 403
    workflow.add_comment(session, users["rita"].id, claim.id, "Comments do not move the version.")
    workflow.edit_claim(session, users["rita"].id, claim.id, ClaimFields("Six missiles.", Category.DISTANCE), seen)
    before = snapshot(session, claim)
    response = login("eddie").post(f"/claims/{claim.id}/release", {"version": seen})
    assert response.status_code == 409
    assert "Rita changed the statement at" in response.get_data(as_text=True)
    assert snapshot(session, claim) == before
