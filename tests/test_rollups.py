"""The dashboard's summary tables stay exactly what a full recount gives, whatever happens to claims."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

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
    "article_daily_counts": ("category_key, day, article_id", "claims, verified, unverified_hedged"),
    "assignee_daily_counts": ("category_key, day, assignee_id", "in_review"),
    "verified_daily_counts": ("category_key, verified_day, created_day", "n"),
    "verified_duration_counts": ("category_key, verified_day, created_day, bucket", "n"),
    "articles_with_claims": ("category_key", "articles"),
    "claim_weekly_counts": ("week, category, status, verdict_key", "n"),
    "article_weekly_counts": ("category_key, week, article_id", "claims, verified, unverified_hedged"),
}
# refresh_articles_with_claims recounts article_claim_counts, so it runs after refresh_claim_rollups.
REFRESH = ("refresh_claim_rollups", "refresh_claim_totals", "refresh_claim_day_rollups", "refresh_articles_with_claims")


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
    for function in REFRESH:
        session.execute(text(f"SELECT {function}()"))
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
        # A range holding every claim's day gives the same figures (counted without its dates);
        # ranges that leave claims out are checked against direct counts below.
        wide = DashboardFilters(date_from=(now - timedelta(days=3650)).date(), date_to=now.date(), category=category)
        from_claims = dashboard.build_dashboard(session, eddie, wide, now=now)
        for attribute in ("total", "by_status", "by_verdict", "by_category", "articles", "articles_total", "reviewers",
                          "weekly"):
            assert getattr(from_rollups, attribute) == getattr(from_claims, attribute), (attribute, category)


def test_date_ranges_read_whole_weeks_and_edge_days(session, users):
    """A range's whole ISO weeks come from the weekly rollups and the days at its edges from the
    daily ones: every start weekday and length gives what counting the claims gives."""
    seeding.seed(session)
    session.execute(text("UPDATE claims SET created_at = now() - (id % 40) * interval '1 day' - interval '1 hour'"))
    session.commit()
    assert_rollups_exact(session)
    eddie = users["eddie"].id
    now = datetime.now(timezone.utc)
    today = now.date()
    checked = 0
    for start_back in range(14, 21):  # seven start weekdays
        for days in (1, 6, 7, 8, 9, 14, 15):
            for category in (None, Category.CASUALTIES):
                first = today - timedelta(days=start_back)
                filters = DashboardFilters(date_from=first, date_to=first + timedelta(days=days - 1), category=category)
                counted, outside, inside = dashboard._plan_days(session, filters)
                assert inside is not None and not outside  # the weekly path, not the all-time one
                data = dashboard.build_dashboard(session, eddie, filters, now=now)
                shown, direct = _shown(data), _direct_dashboard(session, filters, data.as_of)
                for figure in ("by_status", "by_verdict", "by_category", "total", "articles", "articles_total"):
                    assert shown[figure] == direct[figure], (figure, filters)
                checked += 1
    assert checked == 98


def test_week_split():
    monday = date(2026, 11, 30)
    split = dashboard._week_split
    # Thursday to the Sunday after next: four days, then two whole weeks, no days after them.
    assert split((monday - timedelta(days=4), monday + timedelta(days=13))) == {
        "p_head_first": monday - timedelta(days=4), "p_head_last": monday - timedelta(days=1),
        "p_week_first": monday, "p_week_last": monday + timedelta(days=7),
        "p_tail_first": monday + timedelta(days=14), "p_tail_last": monday + timedelta(days=13),
    }
    # No whole week: all days are the head; the weeks and the tail are empty (first after last).
    six = split((monday + timedelta(days=1), monday + timedelta(days=7)))
    assert (six["p_head_first"], six["p_head_last"]) == (monday + timedelta(days=1), monday + timedelta(days=7))
    assert six["p_week_first"] > six["p_week_last"] and six["p_tail_first"] > six["p_tail_last"]
    # Exactly one week: no edge days.
    week = split((monday, monday + timedelta(days=6)))
    assert (week["p_week_first"], week["p_week_last"]) == (monday, monday)
    assert week["p_head_first"] > week["p_head_last"] and week["p_tail_first"] > week["p_tail_last"]


def test_articles_with_claims_follows_first_and_last_claims(session, users):
    """The dashboard's count of articles with claims (all and per category, kept in
    articles_with_claims) equals a count of the claims after each write that changes it:
    an article's first claim, a bulk insert, a category edit that moves an article's
    last claim of a category, deletions, and a rebuild of the rollups."""
    from factcheck.models import Article

    eddie = users["eddie"].id
    now = datetime.now(timezone.utc)

    def check(label):
        session.flush()
        for category in (None, *Category):
            data = dashboard.build_dashboard(session, eddie, DashboardFilters(category=category), now=now)
            direct = session.execute(
                text("SELECT count(DISTINCT article_id) FROM claims WHERE :c IS NULL OR category::text = :c"),
                {"c": category.value if category else None},
            ).scalar_one()
            assert data.articles_total == direct, (label, category)
        assert_rollups_exact(session)

    check("empty")
    seeding.seed(session)
    check("seeded")
    bodies = ["one two three four five", "six seven eight nine ten"]
    articles = [Article(title=f"Fresh {i}", body=body) for i, body in enumerate(bodies)]
    session.add_all(articles)
    session.flush()

    def add(article, word, category):
        start = article.body.index(word)
        claim = Claim(article_id=article.id, quote=word, span_start=start, span_end=start + len(word),
                      statement=word, category=category, status=ClaimStatus.UNVERIFIED)
        session.add(claim)
        session.flush()
        return claim

    first = add(articles[0], "one", Category.CASUALTIES)  # a new article's first claim
    check("first claim")
    second = add(articles[0], "two", Category.CASUALTIES)  # not a new article for any key
    check("second claim")
    # Two articles gain claims in one statement.
    session.execute(
        text(
            "INSERT INTO claims (article_id, quote, span_start, span_end, statement, category, status) "
            "VALUES (:a, 'three', 8, 13, 'three', 'weapons', 'unverified'), "
            "(:b, 'six', 0, 3, 'six', 'weapons', 'unverified')"
        ),
        {"a": articles[0].id, "b": articles[1].id},
    )
    check("bulk insert")
    # The article's casualties claims move to another category one by one: the last one takes the article out.
    session.execute(text("UPDATE claims SET category = 'distance' WHERE id = :id"), {"id": first.id})
    check("first of two moved")
    session.execute(text("UPDATE claims SET category = 'distance' WHERE id = :id"), {"id": second.id})
    check("last one moved")
    session.execute(text("DELETE FROM claims WHERE article_id = :b"), {"b": articles[1].id})
    check("an article's only claim deleted")
    session.execute(text("DELETE FROM claims WHERE article_id = :a"), {"a": articles[0].id})
    check("every claim of an article deleted")
    session.execute(text("SELECT refresh_claim_rollups()"))
    check("rollups rebuilt")
    session.commit()


# --- under concurrent writers ----------------------------------------------------------

WRITERS = 6
STEPS = 30


def _direct_dashboard(session, filters: DashboardFilters, end: datetime) -> dict:
    """The dashboard's figures counted straight from the claims, without any rollup."""
    where = ["true"]
    params: dict = {"end": end, "since_7": end - timedelta(days=7), "since_30": end - timedelta(days=30)}
    if filters.created_from:
        where.append("created_at >= :created_from")
        params["created_from"] = filters.created_from
    if filters.created_to:
        where.append("created_at < :created_to")
        params["created_to"] = filters.created_to
    if filters.category:
        where.append("category = :category")
        params["category"] = filters.category.value
    picked = " AND ".join(where)
    category_only = "category = :category" if filters.category else "true"

    def rows(sql: str) -> list:
        return [tuple(r) for r in session.execute(text(sql), params).all()]

    first_week = dashboard.week_start(end - timedelta(days=1)) - timedelta(weeks=dashboard.WEEKS - 1)
    params["first_week"] = datetime.combine(first_week, datetime.min.time(), timezone.utc)
    return {
        "by_status": rows(f"SELECT status::text, count(*) FROM claims WHERE {picked} GROUP BY 1 ORDER BY 1"),
        "by_verdict": rows(
            f"SELECT verdict::text, count(*) FROM claims WHERE {picked} AND status = 'verified' GROUP BY 1 ORDER BY 1"
        ),
        "by_category": rows(f"SELECT category::text, count(*) FROM claims WHERE {picked} GROUP BY 1 ORDER BY 1"),
        "articles": rows(
            f"""SELECT article_id, count(*), count(*) FILTER (WHERE status = 'verified'),
                       count(*) FILTER (WHERE hedged AND status <> 'verified')
                  FROM claims WHERE {picked} GROUP BY 1 ORDER BY 4 DESC, 2 DESC, 1 LIMIT {dashboard.TOP_ARTICLES}"""
        ),
        "open": rows(
            f"""SELECT assignee_id, count(*) FROM claims WHERE {picked} AND status = 'in_review'
                 GROUP BY 1 ORDER BY 1"""
        ),
        "proposed": rows(
            f"""SELECT proposed_by_id, count(*) FILTER (WHERE proposed_at >= :since_7), count(*) FROM claims
                 WHERE {category_only} AND proposed_at >= :since_30 AND proposed_at < :end GROUP BY 1 ORDER BY 1"""
        ),
        "approved": rows(
            f"""SELECT approved_by_id, count(*) FILTER (WHERE verified_at >= :since_7), count(*) FROM claims
                 WHERE {category_only} AND status = 'verified' AND verified_at >= :since_30 AND verified_at < :end
                 GROUP BY 1 ORDER BY 1"""
        ),
        "weekly": rows(
            f"""SELECT date_trunc('week', verified_at AT TIME ZONE 'UTC')::date, count(*) FROM claims
                 WHERE {picked} AND status = 'verified' AND verified_at >= :first_week AND verified_at < :end
                 GROUP BY 1 ORDER BY 1"""
        ),
        "median": rows(
            f"""SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY verified_at - created_at), count(*) FROM claims
                 WHERE {picked} AND status = 'verified' AND verified_at >= :end - interval '30 days'
                   AND verified_at < :end"""
        ),
        "total": session.execute(text(f"SELECT count(*) FROM claims WHERE {picked}"), params).scalar_one(),
        "articles_total": session.execute(
            text(f"SELECT count(DISTINCT article_id) FROM claims WHERE {picked}"), params
        ).scalar_one(),
    }


def _shown(data) -> dict:
    """The same figures as build_dashboard gives them, in _direct_dashboard's shape."""
    nonzero = lambda d: sorted((k.value, n) for k, n in d.items() if n)  # noqa: E731
    return {
        "by_status": nonzero(data.by_status),
        "by_verdict": nonzero(data.by_verdict),
        "by_category": nonzero(data.by_category),
        "articles": [(a.article_id, a.claims, a.verified, a.unverified_hedged) for a in data.articles],
        "open": sorted((r.user_id, r.open_assigned) for r in data.reviewers if r.open_assigned),
        "proposed": sorted((r.user_id, r.proposed_7, r.proposed_30) for r in data.reviewers if r.proposed_30),
        "approved": sorted((r.user_id, r.approved_7, r.approved_30) for r in data.reviewers if r.approved_30),
        "weekly": [(w.week_start, w.verified) for w in data.weekly if w.verified],
        "median": [(data.median_to_verified, data.median_sample)],
        "total": data.total,
        "articles_total": data.articles_total,
    }


def _random_step(factory, rng, people, article_ids) -> str:
    """One thing the workflow allows, on a random claim, by a fitting person; returns what it tried."""
    from factcheck.services.errors import ServiceError

    reviewers, editors = people["reviewer"], people["editor"]
    with factory() as s:
        claim = s.get(Claim, rng.choice(s.execute(text("SELECT id FROM claims")).scalars().all()))
        status, assignee, proposer, version = claim.status, claim.assignee_id, claim.proposed_by_id, claim.version
        editor = rng.choice([e for e in editors if e != proposer])
        who = assignee or rng.choice(reviewers)
        roll = rng.random()
        try:
            if roll < 0.08:
                article = rng.choice(article_ids)
                body = s.execute(text("SELECT body FROM articles WHERE id = :a"), {"a": article}).scalar_one()
                start = rng.randrange(0, max(1, len(body) - 40))
                workflow.create_claim(
                    s, rng.choice(reviewers), article, body[start:start + 30],
                    ClaimFields("Made under load.", rng.choice(list(Category)), hedged=rng.random() < 0.5),
                )
                return "create"
            if roll < 0.2:
                fields = ClaimFields(claim.statement, rng.choice(list(Category)), hedged=not claim.hedged)
                workflow.edit_claim(s, editor, claim.id, fields, version)
                return "edit"
            if status is ClaimStatus.UNVERIFIED:
                if roll < 0.6:
                    workflow.take_claim(s, who, claim.id)
                    return "take"
                workflow.assign_claim(s, editor, claim.id, rng.choice(reviewers))
                return "assign"
            if status is ClaimStatus.IN_REVIEW:
                if roll < 0.3:
                    workflow.assign_claim(s, editor, claim.id, rng.choice(reviewers))  # reassign
                    return "reassign"
                workflow.add_evidence(s, who, claim.id, EvidenceFields("https://e.example/c", "C", Stance.CONTEXT))
                workflow.propose_verdict(s, who, claim.id, rng.choice(["true", "false", "unproven"]), "Checked.")
                return "propose"
            if status is ClaimStatus.PENDING_APPROVAL:
                if roll < 0.7:
                    workflow.approve_verdict(s, editor, claim.id)
                    return "approve"
                workflow.send_back(s, editor, claim.id, "More sources.")
                return "send back"
            workflow.reopen_claim(s, editor, claim.id, "New figures.")
            return "reopen"
        except ServiceError as exc:  # someone else got there first, or the draw did not fit
            s.rollback()
            return type(exc).__name__


def test_dashboard_equals_direct_counts_after_concurrent_changes(fresh_db_url):
    """Six writers change claims at once in every way the workflow allows; the rollups
    then give exactly what counting the claims gives, for every kind of filter."""
    import random
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from factcheck.db import sqlalchemy_url
    from factcheck.models import Role
    from factcheck.services import users as user_service

    engine = create_engine(sqlalchemy_url(fresh_db_url), pool_size=WRITERS + 1, max_overflow=0)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with factory() as s:
            seeding.seed(s)
            people = {"reviewer": [], "editor": []}
            for role, count in (("reviewer", 3), ("editor", 3)):
                for i in range(count):
                    people[role].append(
                        user_service.create_user(s, username=f"{role}{i}", password="a long passphrase",
                                                 role=Role(role)).id
                    )
            # Creation days spread over ten weeks, so day and week boundaries are crossed.
            s.execute(text("UPDATE claims SET created_at = now() - (id % 70) * interval '1 day' - interval '1 hour'"))
            s.commit()
            article_ids = s.execute(text("SELECT id FROM articles")).scalars().all()

        def writer(i: int) -> Counter:
            rng = random.Random(i)
            return Counter(_random_step(factory, rng, people, article_ids) for _ in range(STEPS))

        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            done = sum(pool.map(writer, range(WRITERS)), Counter())
        for kind in ("create", "edit", "take", "assign", "propose", "approve"):
            assert done[kind] > 0, done

        now = datetime.now(timezone.utc)
        today = now.date()
        with factory() as s:
            editor = people["editor"][0]
            for filters in (
                DashboardFilters(),
                DashboardFilters(category=Category.CASUALTIES),
                DashboardFilters(date_from=today - timedelta(days=20), date_to=today),
                DashboardFilters(date_from=today - timedelta(days=40), date_to=today - timedelta(days=3),
                                 category=Category.WEAPONS),
                DashboardFilters(date_to=today - timedelta(days=10)),
                # Most days: the all-time rollups less the days outside.
                DashboardFilters(date_from=today - timedelta(days=66), category=Category.CASUALTIES),
                DashboardFilters(date_from=today - timedelta(days=60), date_to=today - timedelta(days=1)),
                DashboardFilters(date_from=date(1900, 1, 1), date_to=date(2100, 12, 31)),  # every day: no dates
            ):
                data = dashboard.build_dashboard(s, editor, filters, now=now)
                assert _shown(data) == _direct_dashboard(s, filters, data.as_of), filters
            assert_rollups_exact(s)
    finally:
        engine.dispose()
