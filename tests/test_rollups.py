"""The dashboard's summary tables stay exactly what a full recount gives, whatever happens to claims."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from factcheck.models import Category, Claim, ClaimStatus, Stance
from factcheck.services import dashboard, seeding, workflow
from factcheck.services.dashboard import DashboardFilters
from factcheck.services.workflow import ClaimFields, EvidenceFields

ROLLUPS = {
    "claim_daily_counts": ("day, category, status, verdict_key, hedged", "n"),
    "article_claim_counts": ("article_id, category_key", "claims, verified, unverified_hedged"),
    "assignee_open_counts": ("assignee_id, category_key", "in_review"),
    "reviewer_daily_counts": ("day, user_id, kind, category_key", "n"),
    "claim_totals": ("category, status, verdict_key, hedged, assigned", "n"),
}


def snapshot(session) -> dict:
    """Every rollup's non-zero rows (rows that fell back to zero are the same as absent ones)."""
    out = {}
    for table, (keys, measures) in ROLLUPS.items():
        nonzero = " OR ".join(f"{m.strip()} <> 0" for m in measures.split(","))
        out[table] = session.execute(
            text(f"SELECT {keys}, {measures} FROM {table} WHERE {nonzero} ORDER BY {keys}")
        ).all()
    return out


def assert_rollups_exact(session):
    kept = snapshot(session)
    session.execute(text("SELECT refresh_claim_rollups()"))
    session.execute(text("SELECT refresh_claim_totals()"))
    assert snapshot(session) == kept


def test_rollups_follow_every_kind_of_change(session, users):
    seeding.seed(session)
    assert_rollups_exact(session)
    rita, ron, eddie, erin = (users[n].id for n in ("rita", "ron", "eddie", "erin"))
    claims = session.query(Claim).order_by(Claim.id).all()
    link = EvidenceFields("https://e.example/1", "E", Stance.SUPPORTS)
    a, b, c, d, e = claims[:5]
    for claim in (a, b, c, d):
        workflow.take_claim(session, rita if claim is not d else ron, claim.id)
    workflow.assign_claim(session, eddie, e.id, ron)
    workflow.assign_claim(session, eddie, e.id, rita)  # reassigned: ron's open count goes back down
    for claim in (a, b, c):
        workflow.add_evidence(session, rita, claim.id, link)
        workflow.propose_verdict(session, rita, claim.id, "true", "Fine.")
    workflow.approve_verdict(session, eddie, a.id)
    workflow.approve_verdict(session, erin, b.id)
    workflow.send_back(session, eddie, c.id, "Needs more.")
    workflow.propose_verdict(session, rita, c.id, "false", "Wrong after all.")
    workflow.reopen_claim(session, erin, b.id, "New figures.")
    workflow.edit_claim(session, ron, d.id, ClaimFields(d.statement, Category.OTHER, hedged=True), d.version)
    # A claim's creation date moving (an import correcting a timestamp) moves its day too.
    session.execute(text("UPDATE claims SET created_at = created_at - interval '40 days' WHERE id = :id"), {"id": e.id})
    session.commit()
    assert_rollups_exact(session)


def test_rollups_follow_bulk_statements(session, users):
    seeding.seed(session)
    # One statement touching many claims at once, in several keys.
    session.execute(
        text(
            "UPDATE claims SET status = 'in_review', assignee_id = :u, hedged = NOT hedged "
            "WHERE id % 3 = 0"
        ),
        {"u": users["ron"].id},
    )
    session.commit()
    assert_rollups_exact(session)


def test_dashboard_from_rollups_equals_dashboard_from_claims(session, users, monkeypatch):
    """The same figures whether read from the rollups or recounted from the claims."""
    seeding.seed(session)
    rita, eddie = users["rita"].id, users["eddie"].id
    claims = session.query(Claim).order_by(Claim.id).limit(6).all()
    for claim in claims:
        workflow.take_claim(session, rita, claim.id)
        workflow.add_evidence(session, rita, claim.id, EvidenceFields("https://e.example/x", "X", "context"))
        workflow.propose_verdict(session, rita, claim.id, "unproven", "Unconfirmed.")
    for claim in claims[:4]:
        workflow.approve_verdict(session, eddie, claim.id)
    now = datetime.now(timezone.utc)
    everything = dashboard.build_dashboard(session, eddie, DashboardFilters(), now=now)
    assert everything.by_status[ClaimStatus.VERIFIED] == 4
    assert everything.by_status[ClaimStatus.PENDING_APPROVAL] == 2
    assert sum(w.verified for w in everything.weekly) == 4
    for category in (None, Category.CASUALTIES):
        from_rollups = dashboard.build_dashboard(session, eddie, DashboardFilters(category=category), now=now)
        # A date range far wide enough to include everything forces the direct queries.
        wide = DashboardFilters(date_from=(now - timedelta(days=3650)).date(), date_to=now.date(), category=category)
        from_claims = dashboard.build_dashboard(session, eddie, wide, now=now)
        for attribute in ("total", "by_status", "by_verdict", "by_category", "articles", "reviewers", "weekly"):
            assert getattr(from_rollups, attribute) == getattr(from_claims, attribute), (attribute, category)
