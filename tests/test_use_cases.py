"""One transaction per use case: a use case made of steps is all or nothing, and ids in URLs belong to their parent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.models import AliasGroup, Article, Claim, ClaimEvent, ClaimLink, ClaimStatus, Evidence, LinkKind
from factcheck.services import aliases, related, seeding, workflow
from factcheck.services.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from factcheck.services.unit import in_unit, unit_of_work
from factcheck.services.workflow import MAX_TEXT, EvidenceFields

from .test_related import IRGC_STRIKES, REUTERS_STRIKE, _claim


class Boom(RuntimeError):
    pass


def _snapshot(session, claim_id: int) -> tuple:
    session.expire_all()
    claim = session.get(Claim, claim_id)
    return (
        claim.status,
        claim.assignee_id,
        claim.verdict,
        claim.version,
        session.scalar(select(func.count()).select_from(Evidence).where(Evidence.claim_id == claim_id)),
        session.scalar(select(func.count()).select_from(ClaimEvent).where(ClaimEvent.claim_id == claim_id)),
    )


@pytest.fixture
def reusable(session, seeded, users):
    """A verified source claim with two evidence links, linked as the same claim to an unverified target."""
    source, target = _claim(session, IRGC_STRIKES), _claim(session, REUTERS_STRIKE)
    rita, eddie = users["rita"].id, users["eddie"].id
    workflow.take_claim(session, rita, source.id)
    workflow.add_evidence(session, rita, source.id, EvidenceFields("https://e.example/irgc", "IRGC statement", "supports"))
    workflow.add_evidence(session, rita, source.id, EvidenceFields("https://e.example/cent", "CENTCOM note", "context"))
    workflow.propose_verdict(session, rita, source.id, "mostly_true", "Confirmed by CENTCOM.")
    workflow.approve_verdict(session, eddie, source.id)
    related.link_claims(session, rita, target.id, source.id, LinkKind.SAME)
    return source, target


def test_a_failure_at_the_last_step_of_reusing_a_verdict_changes_nothing(session, users, reusable, monkeypatch):
    source, target = reusable
    before = _snapshot(session, target.id)

    def fail(*_args, **_kwargs):
        raise Boom("the proposal failed")

    monkeypatch.setattr(workflow, "propose_verdict", fail)
    with pytest.raises(Boom):
        related.reuse_verdict(session, users["ron"].id, target.id, source.id)
    assert _snapshot(session, target.id) == before, "not taken, no evidence copied, no history"


def test_a_refused_reuse_leaves_the_claim_untaken_and_a_retry_copies_the_evidence_once(session, users, reusable):
    source, target = reusable
    source.rationale = "x" * (MAX_TEXT - 10)  # the combined rationale goes over the limit
    session.flush()
    before = _snapshot(session, target.id)
    with pytest.raises(ValidationFailed):
        related.reuse_verdict(session, users["ron"].id, target.id, source.id)
    assert _snapshot(session, target.id) == before

    source.rationale = "Confirmed by CENTCOM."
    session.flush()
    related.reuse_verdict(session, users["ron"].id, target.id, source.id)
    status, assignee, _, _, evidence, _ = _snapshot(session, target.id)
    assert (status, assignee, evidence) == (ClaimStatus.PENDING_APPROVAL, users["ron"].id, 2)


def test_a_reuse_refused_because_another_reviewer_holds_the_claim_changes_nothing(session, users, reusable):
    source, target = reusable
    workflow.take_claim(session, users["rita"].id, target.id)
    before = _snapshot(session, target.id)
    with pytest.raises((PermissionDenied, InvalidTransition)):
        related.reuse_verdict(session, users["ron"].id, target.id, source.id)
    assert _snapshot(session, target.id) == before


def test_unlinking_through_another_claims_url_is_not_found(login, session, seeded, users):
    a, b = _claim(session, IRGC_STRIKES), _claim(session, REUTERS_STRIKE)
    bystander = session.execute(select(Claim).where(Claim.id.not_in((a.id, b.id))).limit(1)).scalar_one()
    link_id = related.link_claims(session, users["rita"].id, a.id, b.id, LinkKind.RELATED).id

    def link_exists() -> bool:
        return session.scalar(select(func.count()).select_from(ClaimLink).where(ClaimLink.id == link_id)) == 1

    editor = login("eddie")
    response = editor.post(f"/claims/{bystander.id}/links/{link_id}/delete", {})
    assert response.status_code == 404
    assert link_exists()
    with pytest.raises(NotFound):
        related.unlink_claims(session, users["rita"].id, bystander.id, link_id)

    assert editor.post(f"/claims/{b.id}/links/{link_id}/delete", {}).status_code == 303
    assert not link_exists()


def test_linking_twice_is_refused_and_the_session_stays_usable(session, seeded, users):
    a, b = _claim(session, IRGC_STRIKES), _claim(session, REUTERS_STRIKE)
    related.link_claims(session, users["rita"].id, a.id, b.id, LinkKind.RELATED)
    with pytest.raises(InvalidTransition, match="already linked"):
        related.link_claims(session, users["rita"].id, b.id, a.id, LinkKind.SAME)
    assert session.scalar(select(func.count()).select_from(ClaimLink)) == 1


def test_a_failure_at_the_last_step_of_seeding_leaves_no_article(session, monkeypatch):
    def fail(*_args, **_kwargs):
        raise Boom("alias seeding failed")

    monkeypatch.setattr(aliases, "seed_aliases", fail)
    with pytest.raises(Boom):
        seeding.seed(session)
    assert session.scalar(select(func.count()).select_from(Article)) == 0
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_an_alias_group_refused_for_a_taken_term_names_it_and_leaves_the_group_as_it_was(session, users):
    eddie = users["eddie"].id
    aliases.save_group(session, eddie, None, "Deir ez-Zor", ["Deir ez-Zor", "Deir Ezzor"])
    other = aliases.save_group(session, eddie, None, "Raqqa", ["Raqqa", "Rakka"])
    with pytest.raises(ValidationFailed, match="Deir Ezzor"):
        aliases.save_group(session, eddie, other.id, "Raqqa", ["Raqqa", "Deir Ezzor"])
    session.expire_all()
    assert sorted(a.term for a in session.get(AliasGroup, other.id).aliases) == ["Rakka", "Raqqa"]


def test_nested_units_commit_once_at_the_outermost_boundary(session, users):
    commits = []
    from sqlalchemy import event

    listener = lambda _s: commits.append(1)  # noqa: E731
    event.listen(session, "after_commit", listener)
    try:
        with unit_of_work(session):
            assert in_unit(session)
            with unit_of_work(session):
                pass
            assert commits == []
        assert commits == [1] and not in_unit(session)
    finally:
        event.remove(session, "after_commit", listener)


def test_a_second_alias_group_of_the_same_name_is_refused_beside_the_name(login, session, users):
    eddie = users["eddie"].id
    aliases.save_group(session, eddie, None, "Raqqa", ["Raqqa", "Rakka"])
    with pytest.raises(ValidationFailed) as refused:
        aliases.save_group(session, eddie, None, "Raqqa", ["Ar-Raqqah", "Raqqah"])
    assert "name" in refused.value.errors
    assert session.scalar(select(func.count()).select_from(AliasGroup)) == 1

    response = login("eddie").post("/aliases", {"name": "Raqqa", "terms": "Ar-Raqqah\nRaqqah"})
    assert response.status_code == 422
    assert "There is already a group called" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "quote, occurrence, reason, occurrences",
    [("", None, "empty", 0), ("absent words", None, "missing", 0), ("the", None, "ambiguous", 3), ("the", 4, "no_such_occurrence", 3)],
)
def test_a_quote_that_cannot_be_placed_says_why_in_fields(quote, occurrence, reason, occurrences):
    """Errors cross layers as typed exceptions with fields, not sentences another layer parses."""
    from factcheck.services.articles import locate_quote
    from factcheck.services.errors import QuoteNotFound

    with pytest.raises(QuoteNotFound) as refused:
        locate_quote("the cat, the dog and the bird", quote, occurrence)
    assert (refused.value.reason, refused.value.occurrences) == (reason, occurrences)
    assert locate_quote("the cat, the dog and the bird", "the", 2) == (9, 12)
