"""Related claims across the two seed articles, links, verdict reuse, conflicting figures."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import literal, select

from factcheck.models import Article, Category, Claim, ClaimEvent, ClaimStatus, Evidence, LinkKind
from factcheck.services import dashboard as dashboard_service, related, workflow
from factcheck.services.dashboard import DashboardFilters
from factcheck.services.errors import InvalidTransition, ValidationFailed
from factcheck.services.workflow import ClaimFields, EvidenceFields

REUTERS_STRIKE = (
    "Iranian Revolutionary Guard Corps units launched mid-range ground-to-ground missiles from western Iran "
    "into the Deir al Zour region of eastern Syria"
)
DEIR_EZZOR_TARGETS = "to hit their targets in Syria’s eastern Deir Ezzor province"
IRGC_STRIKES = (
    "Iran’s Islamic Revolutionary Guard Corps (IRGC) early Monday morning carried out missile strikes "
    "against targets inside Syria"
)


def _claim(session, quote) -> Claim:
    return session.execute(select(Claim).where(Claim.quote == quote)).scalar_one()


def test_related_claims_cross_the_two_articles_through_aliases(session, seeded):
    strike = _claim(session, REUTERS_STRIKE)
    suggestions = related.related_claims(session, strike.id)
    by_id = {s.claim.id: s for s in suggestions}
    targets, irgc = _claim(session, DEIR_EZZOR_TARGETS), _claim(session, IRGC_STRIKES)
    assert targets.id in by_id and irgc.id in by_id
    assert all(s.claim.article_id != strike.article_id for s in suggestions)
    assert "Deir Ezzor" in " ".join(by_id[targets.id].reasons)
    assert any("IRGC" in r and "Islamic Revolutionary Guard Corps" in r for r in by_id[irgc.id].reasons)
    # Ranked: the IRGC strike (three shared names) comes before claims sharing one.
    assert suggestions.index(by_id[irgc.id]) < 3


def test_related_claims_are_shown_on_the_claim_page(login, session, seeded):
    strike = _claim(session, REUTERS_STRIKE)
    page = login("rita").get(f"/claims/{strike.id}").get_data(as_text=True)
    section = page.split('id="related"')[1]
    assert f'href="/claims/{_claim(session, DEIR_EZZOR_TARGETS).id}"' in section
    assert "Why:" in section and "Link as same claim" in section


def test_links_show_on_both_sides_and_in_history(login, session, seeded):
    a, b = _claim(session, IRGC_STRIKES), _claim(session, REUTERS_STRIKE)
    client = login("rita")
    response = client.post(f"/claims/{b.id}/links", {"other": a.id, "kind": "related"})
    assert response.status_code == 303
    for this, that in ((a, b), (b, a)):
        page = client.get(f"/claims/{this.id}").get_data(as_text=True)
        linked = page.split('id="related"')[1].split("Likely about the same thing")[0]
        assert f'href="/claims/{that.id}"' in linked and "Related" in linked
        event = session.execute(
            select(ClaimEvent).where(ClaimEvent.claim_id == this.id, ClaimEvent.action == "linked")
        ).scalar_one()
        assert event.details["other_claim_id"] == that.id
    again = client.post(f"/claims/{a.id}/links", {"other": b.id, "kind": "same"})
    assert "already linked" in client.get(again.headers["Location"]).get_data(as_text=True)
    link, _ = related.claim_links(session, a.id)[0]
    assert client.post(f"/claims/{a.id}/links/{link.id}/delete", {}).status_code == 303
    assert related.claim_links(session, a.id) == []
    assert session.execute(
        select(ClaimEvent.action).where(ClaimEvent.claim_id == b.id).order_by(ClaimEvent.id.desc()).limit(1)
    ).scalar_one() == "unlinked"


def test_bad_link_input_is_explained(login, session, seeded):
    a = _claim(session, IRGC_STRIKES)
    client = login("rita")
    for data, message in (
        ({"other": a.id, "kind": "same"}, "cannot be linked to itself"),
        ({"other": 999999, "kind": "same"}, "No claim #999999"),
        ({"other": "x", "kind": "same"}, "Not a valid integer"),
    ):
        response = client.post(f"/claims/{a.id}/links", data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


def test_verdict_reuse_goes_through_approval(login, session, seeded, users):
    source, target = _claim(session, IRGC_STRIKES), _claim(session, REUTERS_STRIKE)
    rita, eddie = users["rita"].id, users["eddie"].id
    workflow.take_claim(session, rita, source.id)
    workflow.add_evidence(session, rita, source.id, EvidenceFields("https://e.example/irgc", "IRGC statement", "supports"))
    workflow.add_evidence(session, rita, source.id, EvidenceFields("https://e.example/cent", "CENTCOM note", "context"))
    workflow.propose_verdict(session, rita, source.id, "mostly_true", "The strike is confirmed by CENTCOM.")
    workflow.approve_verdict(session, eddie, source.id)
    with pytest.raises(InvalidTransition, match="linked as the same claim"):
        related.reuse_verdict(session, users["ron"].id, target.id, source.id)
    related.link_claims(session, rita, target.id, source.id, LinkKind.SAME)

    ron = login("ron")
    page = ron.get(f"/claims/{target.id}").get_data(as_text=True)
    assert "Reuse its verdict (Mostly true)" in page
    assert ron.post(f"/claims/{target.id}/reuse/{source.id}", {}).status_code == 303
    session.expire_all()
    target = session.get(Claim, target.id)
    assert (target.status, target.verdict, target.assignee_id, target.proposed_by_id) == (
        ClaimStatus.PENDING_APPROVAL, source.verdict, users["ron"].id, users["ron"].id,
    )
    assert f"#{source.id}" in target.rationale
    copied = session.execute(select(Evidence.url).where(Evidence.claim_id == target.id).order_by(Evidence.id)).scalars().all()
    assert copied == ["https://e.example/irgc", "https://e.example/cent"]
    # Still an editor's decision.
    assert login("eddie").post(f"/claims/{target.id}/approve", {"version": target.version}).status_code == 303
    session.expire_all()
    assert session.get(Claim, target.id).status is ClaimStatus.VERIFIED


def _conflicting_article(session, users) -> Claim:
    article = Article(title="Ahvaz attack toll revised", body="The parade attack in Ahvaz killed 25 people, the governor said.")
    session.add(article)
    session.commit()
    return workflow.create_claim(
        session, users["rita"].id, article.id, "killed 25 people",
        ClaimFields("The Ahvaz parade attack killed 25 people.", "casualties", claimant="the governor",
                    quantity_value="25", quantity_unit="people"),
    )


def test_conflicting_figures_are_flagged_on_both_pages_and_the_dashboard(login, session, seeded, users):
    ours = _claim(session, "killed 29 people")
    theirs = _conflicting_article(session, users)
    related.link_claims(session, users["rita"].id, ours.id, theirs.id, LinkKind.SAME)
    client = login("eddie")
    for this, other_figure in ((ours, "25 people"), (theirs, "29 people")):
        page = client.get(f"/claims/{this.id}").get_data(as_text=True)
        conflict = re.search(r'<p class="conflict" role="note">(.*?)</p>', page, re.S)
        assert conflict and other_figure in conflict.group(1)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    section = dashboard.split('id="conflicts-heading"')[1].split("</section>")[0]
    assert "(1)" in section and "29 people" in section and "25 people" in section
    conflicts, total = dashboard_service.linked_conflicts(session, DashboardFilters(category=Category.CASUALTIES))
    assert total == 1 and {conflicts[0].a.id, conflicts[0].b.id} == {ours.id, theirs.id}
    assert dashboard_service.linked_conflicts(session, DashboardFilters(category=Category.WEAPONS))[1] == 0


@pytest.mark.parametrize(
    "value, unit, conflict",
    [("29", "persons", False), ("25", "persons", True), ("25", "People", True), ("25", "missiles", False)],
)
def test_what_counts_as_a_conflict(session, seeded, users, value, unit, conflict):
    ours = _claim(session, "killed 29 people")
    other = _conflicting_article(session, users)
    workflow.edit_claim(
        session, users["rita"].id, other.id,
        ClaimFields(other.statement, "casualties", quantity_value=value, quantity_unit=unit), other.version,
    )
    related.link_claims(session, users["rita"].id, ours.id, other.id, LinkKind.SAME)
    assert related.figures_conflict(ours, other) is conflict  # the claim page's rule
    assert dashboard_service.linked_conflicts(session, DashboardFilters())[1] == (1 if conflict else 0)  # the dashboard's


@pytest.mark.parametrize("unit", ["people", "Persons", " person ", "casualties", "missiles", "miles", "troops", "US", "glass", "bus", "Tonnes"])
def test_unit_rules_agree_in_python_and_sql(session, unit):
    sql = session.execute(select(related._unit_key(literal(unit)))).scalar_one()
    assert sql == related.normalise_unit(unit)


def test_related_suggestion_flags_a_different_figure(session, seeded, users):
    theirs = _conflicting_article(session, users)
    # Ahvaz links the two: the suggestion carries both figures.
    suggestions = related.related_claims(session, theirs.id)
    ours = next(s for s in suggestions if s.claim.quote == "killed 29 people")
    assert ours.conflict == "25 people here, 29 people there"


def test_linking_needs_a_kind(session, seeded, users):
    with pytest.raises(ValidationFailed):
        related.link_claims(session, users["rita"].id, 1, 2, "maybe")


def test_a_statement_scores_its_figures_as_the_index_holds_them(session):
    # The index writes "1,500" as 1500 (search_figures); scoring by "1" and "500" would match nothing.
    words = related._lexemes(session, "capable of carrying over 1,500 pounds")
    assert "'1500'" in words.split(" | ") and "'500'" not in words.split(" | ")
