"""The claim queue: filters, sorting, counts and the Take button."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from factcheck.models import Claim
from factcheck.services import workflow


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td><a href="/claims/(\d+)">\d+</a></td>', page)]


def test_filters_combine(login, session, seeded, users):
    rita = users["rita"].id
    hedged = session.execute(select(Claim).where(Claim.hedged.is_(True)).order_by(Claim.id)).scalars().all()
    mine = hedged[:2]
    for claim in mine:
        workflow.take_claim(session, rita, claim.id)
    client = login("rita")
    page = client.get("/claims?assignee=mine").get_data(as_text=True)
    assert sorted(_ids(page)) == sorted(c.id for c in mine)
    page = client.get("/claims?assignee=unassigned&hedged=yes").get_data(as_text=True)
    assert sorted(_ids(page)) == sorted(c.id for c in hedged[2:])
    assert not set(_ids(page)) & {c.id for c in mine}
    page = client.get("/claims?status=in_review").get_data(as_text=True)
    assert sorted(_ids(page)) == sorted(c.id for c in mine)
    page = client.get("/claims?category=casualties&hedged=no").get_data(as_text=True)
    expected = session.execute(
        select(Claim.id).where(Claim.category == "casualties", Claim.hedged.is_(False))
    ).scalars().all()
    assert sorted(_ids(page)) == sorted(expected)


def test_status_counts_follow_the_other_filters(login, session, seeded, users):
    claim = session.execute(select(Claim).where(Claim.quote == "killed 29 people")).scalar_one()
    workflow.take_claim(session, users["rita"].id, claim.id)
    page = login("rita").get("/claims?category=casualties").get_data(as_text=True)
    total = session.execute(select(Claim.id).where(Claim.category == "casualties")).scalars().all()
    assert "In review <strong>1</strong>" in page
    assert f"Unverified <strong>{len(total) - 1}</strong>" in page


def test_priority_sort_puts_urgent_first(login, session, seeded, users):
    last = session.execute(select(Claim).order_by(Claim.id.desc())).scalars().first()
    workflow.edit_claim(
        session, users["eddie"].id, last.id,
        workflow.ClaimFields(last.statement, last.category, claimant=last.claimant, priority=3), last.version,
    )
    page = login("rita").get("/claims?sort=priority").get_data(as_text=True)
    assert _ids(page)[0] == last.id
    newest = login("rita").get("/claims?sort=newest").get_data(as_text=True)
    assert _ids(newest)[0] == last.id
    oldest = login("rita").get("/claims?sort=oldest").get_data(as_text=True)
    assert _ids(oldest)[0] < last.id


def test_take_from_the_queue(login, session, seeded):
    client = login("ron")
    page = client.get("/claims?assignee=unassigned").get_data(as_text=True)
    form = re.search(r'action="/claims/(\d+)/take">\s*<input[^>]+>\s*<input type="hidden" name="version" value="(\d+)">', page)
    claim_id, version = int(form.group(1)), form.group(2)
    assert client.post(f"/claims/{claim_id}/take", {"version": version}).status_code == 303
    assert claim_id in _ids(client.get("/claims?assignee=mine").get_data(as_text=True))


def test_odd_query_strings_are_harmless(login, seeded):
    client = login("rita")
    for query in (
        "status=bogus&verdict=x&category=%00&assignee=' OR 1=1--&hedged=maybe&article=abc&sort=;drop&page=-5",
        "article=99999999999999999999&page=999999",
        "assignee=99999",
        "cursor=%00&sort=newest",
        "cursor=" + "A" * 5000,
        "cursor=eyJsIjoiY2xhaW1zOnByaW9yaXR5IiwiZCI6ImEiLCJrIjpbMSwiMjAyNi0wMS0wMSIsMV19",  # a time without a zone
        "cursor=a&cursor=b&page=1",
    ):
        response = client.get(f"/claims?{query}", follow_redirects=True)  # an old page number redirects
        assert response.status_code == 200, query


def test_counts_from_rollups_equal_counts_from_claims(session, seeded, users):
    """Every filter combination the rollups serve gives the same counts as counting the claims."""
    from datetime import datetime, timedelta, timezone

    from factcheck.models import Category, ClaimStatus, Verdict
    from factcheck.services import claims as claim_service
    from factcheck.services.workflow import EvidenceFields

    rita, eddie = users["rita"].id, users["eddie"].id
    for claim in session.execute(select(Claim).order_by(Claim.id).limit(8)).scalars().all():
        workflow.take_claim(session, rita, claim.id)
        if claim.id % 2:
            workflow.add_evidence(session, rita, claim.id, EvidenceFields("https://e.example", "E", "context"))
            workflow.propose_verdict(session, rita, claim.id, "false", "Wrong.")
            workflow.approve_verdict(session, eddie, claim.id)
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    queries = [
        claim_service.ClaimQuery(),
        claim_service.ClaimQuery(unassigned=True),
        claim_service.ClaimQuery(category=Category.WEAPONS, hedged=True),
        claim_service.ClaimQuery(verdict=Verdict.FALSE),
        claim_service.ClaimQuery(created_from=today, created_to=today + timedelta(days=1), hedged=False),
        claim_service.ClaimQuery(status=ClaimStatus.VERIFIED, category=Category.EVENT),
    ]
    for q in queries:
        from_rollups = {s: int(n) for s, n in session.execute(claim_service._status_counts(q))}
        direct = claim_service.apply_filters(
            select(Claim.status, func.count()).group_by(Claim.status), q, include_status=False
        )
        from_claims = {s: n for s, n in session.execute(direct)}
        assert {k: v for k, v in from_rollups.items() if v} == from_claims, q
