"""The claim queue: filters, sorting, counts and the Take button."""

from __future__ import annotations

import re

from markupsafe import escape
from sqlalchemy import func, select

from factcheck.models import Claim
from factcheck.services import workflow


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a class="claim-link" href="/claims/(\d+)">', page)]


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
    button = re.search(r'formaction="/claims/(\d+)/take" name="version" value="(\d+)">Take<', page)
    claim_id, version = int(button.group(1)), button.group(2)
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


# --- what a row says (issue 12) ---------------------------------------------------


def _row(page: str, claim_id: int) -> str:
    """The queue's table row for one claim."""
    match = re.search(r'<tr>\s*(?:(?!</tr>).)*?class="claim-link" href="/claims/%d">.*?</tr>' % claim_id, page, re.S)
    assert match, f"claim #{claim_id} is not in the queue"
    return match.group(0)


def test_a_row_leads_with_the_statement_and_keeps_the_quote(login, session, seeded):
    claim = session.execute(
        select(Claim).where(Claim.statement != Claim.quote).order_by(Claim.id)
    ).scalars().first()
    page = login("rita").get(f"/claims?article={claim.article_id}").get_data(as_text=True)
    row = _row(page, claim.id)
    link = re.search(r'class="claim-link" href="/claims/\d+">([^<]*)</a>', row).group(1)
    assert link == escape(claim.statement)
    assert f"<q>{escape(claim.quote)}</q>" in row


def test_age_is_a_time_in_words(login, session, seeded):
    from datetime import datetime, timedelta, timezone

    claim = session.execute(select(Claim).order_by(Claim.id)).scalars().first()
    created = datetime.now(timezone.utc) - timedelta(days=3, hours=2)
    claim.created_at = created
    session.commit()
    row = _row(login("rita").get(f"/claims?article={claim.article_id}").get_data(as_text=True), claim.id)
    assert f'<time datetime="{created.isoformat()}">3 days</time>' in row


def test_age_words():
    from datetime import datetime, timedelta, timezone

    from factcheck.web.claims.routes import _age

    now = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)
    assert [_age(now - d, now) for d in (
        timedelta(seconds=20), timedelta(minutes=1), timedelta(minutes=59), timedelta(hours=1, minutes=30),
        timedelta(hours=23), timedelta(days=1, hours=23), timedelta(days=400),
    )] == ["under a minute", "1 minute", "59 minutes", "1 hour", "23 hours", "1 day", "400 days"]


def test_my_queue_is_called_my_queue(login, session, seeded, users):
    claim = session.execute(select(Claim).order_by(Claim.id)).scalars().first()
    workflow.take_claim(session, users["rita"].id, claim.id)
    client = login("rita")
    page = client.get("/claims?assignee=mine").get_data(as_text=True)
    assert "<h1>My queue</h1>" in page and "<title>My queue ·" in page
    everything = client.get("/claims").get_data(as_text=True)
    assert "<h1>Claims</h1>" in everything and "<title>Claims ·" in everything


def test_my_queue_lights_my_queue_in_the_menu(login, seeded):
    """The main menu marks the page you are on: My queue, not Claims."""
    client = login("rita")

    def current(url: str) -> list[str]:
        nav = re.search(r'<nav class="site-nav".*?</nav>', client.get(url).get_data(as_text=True), re.S).group(0)
        return re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)

    assert current("/claims?assignee=mine") == ["My queue"]
    assert current("/claims?assignee=mine&status=in_review") == ["My queue"]
    assert current("/claims") == ["Claims"]
    assert current("/claims?assignee=unassigned") == ["Claims"]


def test_one_claim_is_one_claim_not_one_claims(login, session, seeded, users):
    claim = session.execute(select(Claim).order_by(Claim.id)).scalars().first()
    url = f"/claims?article={claim.article_id}&status=in_review"
    assert "0 claims" in login("rita").get(url).get_data(as_text=True)
    workflow.take_claim(session, users["rita"].id, claim.id)
    page = login("rita").get(url).get_data(as_text=True)
    assert re.search(r"\b1 claim\b", page) and "1 claims" not in page


def _send_back(session, users, claim, reason: str):
    from factcheck.services.workflow import EvidenceFields

    rita, eddie = users["rita"].id, users["eddie"].id
    workflow.take_claim(session, rita, claim.id)
    workflow.add_evidence(session, rita, claim.id, EvidenceFields("https://e.example/report", "Report", "supports"))
    workflow.propose_verdict(session, rita, claim.id, "mostly_true", "Two sources agree.")
    workflow.send_back(session, eddie, claim.id, reason)


def test_a_sent_back_claim_says_so_and_why_instead_of_a_verdict_badge(login, session, seeded, users):
    claim = session.execute(select(Claim).order_by(Claim.id)).scalars().first()
    _send_back(session, users, claim, "The second source repeats the first one's figure.")
    row = _row(login("rita").get("/claims?assignee=mine").get_data(as_text=True), claim.id)
    assert '<span class="badge badge--returned">Sent back</span>' in row
    assert "by Eddie, " in row
    assert "The second source repeats the first one&#39;s figure." in row
    assert "Draft verdict: Mostly true" in row
    assert "verdict--" not in row  # no coloured verdict badge: nothing was approved


def test_a_reopened_claim_says_reopened(login, session, seeded, users):
    from factcheck.services.workflow import EvidenceFields

    claim = session.execute(select(Claim).order_by(Claim.id)).scalars().first()
    rita, eddie, erin = users["rita"].id, users["eddie"].id, users["erin"].id
    workflow.take_claim(session, rita, claim.id)
    workflow.add_evidence(session, rita, claim.id, EvidenceFields("https://e.example/report", "Report", "supports"))
    workflow.propose_verdict(session, rita, claim.id, "false", "Wrong.")
    workflow.approve_verdict(session, eddie, claim.id)
    workflow.reopen_claim(session, erin, claim.id, "A correction was published.")
    row = _row(login("rita").get("/claims?assignee=mine").get_data(as_text=True), claim.id)
    assert '<span class="badge badge--returned">Reopened</span>' in row and "by Erin, " in row
    assert "A correction was published." in row and "verdict--" not in row


def test_send_back_details_cost_one_query_for_the_whole_page(login, session, seeded, users, app):
    """However many rows were sent back, the page asks for their reasons once."""
    from sqlalchemy import event

    claims = session.execute(select(Claim).order_by(Claim.id).limit(4)).scalars().all()
    for n, claim in enumerate(claims):
        _send_back(session, users, claim, f"Reason {n}")
    client = login("rita")
    statements: list[str] = []
    engine = session.get_bind().engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get("/claims?assignee=mine").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert all(f"Reason {n}" in page for n in range(4))
    assert len([s for s in statements if "claim_events" in s]) == 1


def test_every_value_in_a_queue_row_is_escaped(login, session, seeded, users):
    """The rows are written in Python (web/claims/queue_html.py), not by the template's
    autoescape: markup in any stored text must come out as text."""
    claim = session.execute(select(Claim).order_by(Claim.id)).scalars().first()
    nasty = '<b id="x">&\'"'
    workflow.edit_claim(
        session, users["eddie"].id, claim.id,
        workflow.ClaimFields(nasty + " statement", claim.category, claimant=nasty + " claimant", priority=claim.priority),
        claim.version,
    )
    claim.article.title = nasty + " title"
    users["rita"].display_name = nasty + " Rita"
    session.flush()
    workflow.take_claim(session, users["rita"].id, claim.id)
    page = login("rita").get("/claims?assignee=mine").get_data(as_text=True)
    assert '<b id="x">' not in page
    for text in ("statement", "claimant", "title", "Rita"):
        assert f"{escape(nasty)} {text}" in page, text
    assert claim.id in _ids(page)


def test_a_filter_read_once_still_answers_each_request_for_its_own_user(login, session, seeded, users):
    """Filter forms are reused between requests with the same filters: "Mine" must still be
    each user's own claims, and a refused value must still be refused the next time."""
    claims = session.execute(select(Claim).order_by(Claim.id)).scalars().all()
    workflow.take_claim(session, users["rita"].id, claims[0].id)
    workflow.take_claim(session, users["ron"].id, claims[1].id)
    for _ in range(2):
        assert _ids(login("rita").get("/claims?assignee=mine").get_data(as_text=True)) == [claims[0].id]
        assert _ids(login("ron").get("/claims?assignee=mine").get_data(as_text=True)) == [claims[1].id]
        bad = login("rita").get("/claims?article=0").get_data(as_text=True)
        assert 'id="article-error"' in bad
        good = login("rita").get("/claims?article=").get_data(as_text=True)
        assert 'id="article-error"' not in good
