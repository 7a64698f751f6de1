"""The dashboard's numbers, checked against hand-built data, and the claim lists they link to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from factcheck.models import Article, Category, Claim, ClaimStatus, Verdict
from factcheck.services import dashboard
from factcheck.services.dashboard import DashboardFilters
from factcheck.services.errors import PermissionDenied

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=timezone.utc)  # a Wednesday
TODAY = NOW.date()


@dataclass
class Desk:
    a1: Article
    a2: Article
    claims: dict[str, Claim]


def _claim(session, article, word, *, status, category, hedged=False, verdict=None, created, verified=None,
           assignee=None, proposer=None, approver=None):
    start = article.body.index(word)
    claim = Claim(
        article_id=article.id, quote=word, span_start=start, span_end=start + len(word), statement=word,
        category=category, hedged=hedged, status=status, verdict=verdict, created_at=created,
        rationale="checked" if verdict else None, assignee_id=assignee, proposed_by_id=proposer,
        proposed_at=created if proposer else None, approved_by_id=approver, verified_at=verified,
    )
    session.add(claim)
    session.flush()
    return claim


@pytest.fixture
def desk(session, users) -> Desk:
    rita, ron, eddie, erin = (users[n].id for n in ("rita", "ron", "eddie", "erin"))
    a1 = Article(title="First", body="alpha beta gamma delta epsilon zeta eta theta")
    a2 = Article(title="Second", body="one two three four five six")
    session.add_all([a1, a2])
    session.flush()
    d = lambda days, hours=0: NOW - timedelta(days=days, hours=hours)  # noqa: E731
    c = {}
    # Article 1: two verified, one pending, one in review (rita), two unverified (one hedged).
    c["alpha"] = _claim(session, a1, "alpha", status=ClaimStatus.VERIFIED, category=Category.CASUALTIES,
                        verdict=Verdict.FALSE, created=d(20), verified=d(20) + timedelta(hours=2),
                        assignee=rita, proposer=rita, approver=eddie)
    c["beta"] = _claim(session, a1, "beta", status=ClaimStatus.VERIFIED, category=Category.WEAPONS, hedged=True,
                       verdict=Verdict.TRUE, created=d(5), verified=d(5) + timedelta(hours=6),
                       assignee=ron, proposer=ron, approver=erin)
    c["gamma"] = _claim(session, a1, "gamma", status=ClaimStatus.PENDING_APPROVAL, category=Category.WEAPONS,
                        hedged=True, verdict=Verdict.MISLEADING, created=d(3), assignee=rita, proposer=rita)
    # Proposal times: each claim's latest proposal is when it was created, in this fixture.
    c["delta"] = _claim(session, a1, "delta", status=ClaimStatus.IN_REVIEW, category=Category.DISTANCE,
                        hedged=True, created=d(2), assignee=rita)
    c["epsilon"] = _claim(session, a1, "epsilon", status=ClaimStatus.UNVERIFIED, category=Category.DISTANCE,
                          hedged=True, created=d(40))
    c["zeta"] = _claim(session, a1, "zeta", status=ClaimStatus.UNVERIFIED, category=Category.EVENT, created=d(1))
    # Article 2: one verified long ago (outside the median's 90 days), one unverified.
    c["one"] = _claim(session, a2, "one", status=ClaimStatus.VERIFIED, category=Category.CASUALTIES,
                      verdict=Verdict.TRUE, created=d(200), verified=d(100), assignee=ron, proposer=ron, approver=eddie)
    c["two"] = _claim(session, a2, "two", status=ClaimStatus.UNVERIFIED, category=Category.OTHER, created=d(10))
    session.commit()
    return Desk(a1, a2, c)


def build(session, users, **filters):
    return dashboard.build_dashboard(session, users["eddie"].id, DashboardFilters(**filters), now=NOW)


def test_breakdowns(session, users, desk):
    data = build(session, users)
    assert data.total == 8
    assert data.by_status == {
        ClaimStatus.UNVERIFIED: 3, ClaimStatus.IN_REVIEW: 1, ClaimStatus.PENDING_APPROVAL: 1, ClaimStatus.VERIFIED: 3,
    }
    # Verdicts of verified claims only (gamma's proposal is not a verdict yet).
    assert {v: n for v, n in data.by_verdict.items() if n} == {Verdict.FALSE: 1, Verdict.TRUE: 2}
    assert {c: n for c, n in data.by_category.items() if n} == {
        Category.CASUALTIES: 2, Category.WEAPONS: 2, Category.DISTANCE: 2, Category.EVENT: 1, Category.OTHER: 1,
    }


def test_articles_rank_by_unverified_hedged(session, users, desk):
    data = build(session, users)
    assert [(a.title, a.claims, a.verified, a.unverified_hedged) for a in data.articles] == [
        ("First", 6, 2, 3),  # gamma, delta, epsilon: hedged and not verified
        ("Second", 2, 1, 0),
    ]
    assert data.articles_total == 2
    assert data.articles[0].share_verified == pytest.approx(2 / 6)


def test_reviewers(session, users, desk):
    data = build(session, users)
    stats = {r.name: r for r in data.reviewers}
    rita, ron, eddie, erin = stats["Rita"], stats["Ron"], stats["Eddie"], stats["Erin"]
    # rita's latest proposals: gamma 3 days ago, alpha 20 days ago.
    assert (rita.open_assigned, rita.proposed_7, rita.proposed_30, rita.approved_30) == (1, 1, 2, 0)
    assert (ron.open_assigned, ron.proposed_7, ron.proposed_30) == (0, 1, 1)
    assert (eddie.approved_7, eddie.approved_30) == (0, 1)
    assert (erin.approved_7, erin.approved_30) == (1, 1)


def test_backlog(session, users, desk):
    data = build(session, users)
    assert data.oldest_unverified_id == desk.claims["epsilon"].id
    # Within the 30-day window: alpha took 2 hours, beta 6 hours; "one" was verified 100 days ago.
    assert data.median_sample == 2
    assert data.median_to_verified == timedelta(hours=4)


def test_median_reads_the_middle_claims_together_when_they_share_a_bucket(session, users, desk):
    """The median equals percentile_cont over the claims; with an even sample whose two middle
    durations fall in one duration bucket, both are read by one statement."""
    from sqlalchemy import event

    d = lambda days, hours=0: NOW - timedelta(days=days, hours=hours)  # noqa: E731
    people = {"proposer": users["ron"].id, "approver": users["eddie"].id}
    # With alpha (2 h) and beta (6 h): 2 h, 6 h, 6 h 1 min, 6 h 2 min; the middle two share a bucket.
    for word, minutes in (("three", 1), ("four", 2)):
        _claim(session, desk.a2, word, status=ClaimStatus.VERIFIED, category=Category.CASUALTIES,
               verdict=Verdict.TRUE, created=d(4), verified=d(4) + timedelta(hours=6, minutes=minutes), **people)
    session.commit()
    reads = []
    listener = lambda conn, cursor, statement, *rest: reads.append(statement)  # noqa: E731
    connection = session.connection()
    event.listen(connection.engine, "before_cursor_execute", listener)
    try:
        data = build(session, users)
    finally:
        event.remove(connection.engine, "before_cursor_execute", listener)

    assert (data.median_to_verified, data.median_sample) == (timedelta(hours=6, seconds=30), 4) == tuple(
        _percentile_cont(session, data)
    )
    assert len([r for r in reads if "claim_duration_bucket" in r and "OFFSET" in r]) == 1
    # An odd sample: the middle claim alone. And a category's median.
    _claim(session, desk.a2, "five", status=ClaimStatus.VERIFIED, category=Category.WEAPONS,
           verdict=Verdict.TRUE, created=d(3), verified=d(3) + timedelta(hours=7), **people)
    session.commit()
    data = build(session, users)
    assert (data.median_to_verified, data.median_sample) == (timedelta(hours=6, minutes=1), 5) == tuple(
        _percentile_cont(session, data)
    )
    weapons = build(session, users, category=Category.WEAPONS)
    assert (weapons.median_to_verified, weapons.median_sample) == tuple(_percentile_cont(session, weapons, "category = 'weapons'"))
    assert weapons.median_sample == 2


def test_median_survives_claims_that_leave_between_its_two_reads(session, users, desk, monkeypatch):
    """The histogram and the middle claims are two statements: claims reopened in between leave
    the middle position past the bucket's rows. The median is then sorted for, not a 500."""
    real_run = dashboard._run

    def stale_histogram(session_, key, build_, values):
        rows = real_run(session_, key, build_, values)
        if key[0] == "histogram" and rows:
            # Ten more claims in the last bucket than are there now: the middle lies past its rows.
            *head, (bucket, n) = rows
            rows = [*head, (bucket, int(n) + 10)]
        return rows

    monkeypatch.setattr(dashboard, "_run", stale_histogram)
    data = build(session, users)
    # alpha (2 h) and beta (6 h), as test_backlog finds without the race.
    assert (data.median_to_verified, data.median_sample) == (timedelta(hours=4), 2)


def _percentile_cont(session, data, where="true"):
    """percentile_cont(0.5) of the time to verified, and the count, over the claims verified in
    ``data``'s median window: what the dashboard's median must agree with."""
    return session.execute(
        text(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY verified_at - created_at), count(*) FROM claims "
            f"WHERE status = 'verified' AND verified_at >= :start AND verified_at < :end AND {where}"
        ),
        {"start": data.as_of - timedelta(days=dashboard.MEDIAN_DAYS), "end": data.as_of},
    ).one()


def test_median_is_interpolated_within_its_precision_past_exact_reads(session, users, desk, monkeypatch):
    """A middle bucket holding more than EXACT_READS claims verified in the window is not read
    claim by claim: the median is interpolated inside it, and is then within MEDIAN_PRECISION of
    percentile_cont, and says it is not exact. Up to EXACT_READS it is exact."""
    d = lambda days: NOW - timedelta(days=days)  # noqa: E731
    people = {"proposer": users["ron"].id, "approver": users["eddie"].id}
    # Thirty claims taking 10 h to 10 h 29 min (two duration buckets), with alpha (2 h) and beta (6 h).
    for minutes in range(30):
        _claim(session, desk.a2, "one", status=ClaimStatus.VERIFIED, category=Category.EVENT,
               verdict=Verdict.TRUE, created=d(6), verified=d(6) + timedelta(hours=10, minutes=minutes), **people)
    session.commit()
    exact = build(session, users)
    median, sample = _percentile_cont(session, exact)
    assert (exact.median_to_verified, exact.median_sample, exact.median_exact) == (median, sample, True)

    monkeypatch.setattr(dashboard, "EXACT_READS", 5)
    estimated = build(session, users)
    assert (estimated.median_sample, estimated.median_exact) == (32, False)
    error = abs(estimated.median_to_verified - median) / median
    assert error <= dashboard.MEDIAN_PRECISION
    # The estimate is a real interpolation, not the bucket's edge: here it is far closer than a bucket.
    assert error < dashboard.MEDIAN_PRECISION / 4
    # One category whose claim shares a bucket with the thirty: every category's entries count
    # towards the reads (they are what reading costs), so it is interpolated too.
    _claim(session, desk.a2, "one", status=ClaimStatus.VERIFIED, category=Category.WEAPONS,
           verdict=Verdict.TRUE, created=d(6), verified=d(6) + timedelta(hours=10, minutes=10), **people)
    session.commit()
    for category, where in ((Category.WEAPONS, "category = 'weapons'"), (None, "true")):
        data = build(session, users, category=category)
        median, sample = _percentile_cont(session, data, where)
        assert data.median_sample == sample and not data.median_exact
        assert abs(data.median_to_verified - median) <= median * dashboard.MEDIAN_PRECISION
    assert build(session, users, category=Category.WEAPONS).median_sample == 2  # beta and the new one
    # Beta's bucket alone holds few claims: a category whose middle lies there is exact.
    monkeypatch.setattr(dashboard, "EXACT_READS", 1)
    casualties = build(session, users, category=Category.CASUALTIES)
    median, sample = _percentile_cont(session, casualties, "category = 'casualties'")
    assert (casualties.median_to_verified, casualties.median_sample, casualties.median_exact) == (median, 1, True)


def test_interpolation_stays_inside_the_bucket():
    """Each interpolated duration lies in its bucket, [e^(b/20), e^((b+1)/20)) seconds, as
    claim_duration_bucket() defines it: the reason for MEDIAN_PRECISION."""
    import math

    for bucket in (0, 1, 177, 199, 263):
        # Bucket 0 holds every duration under e^(1/20) s: claim_duration_bucket counts sub-second ones as 1 s.
        low, high = (0.0 if bucket == 0 else math.exp(bucket / 20)), math.exp((bucket + 1) / 20)
        for claims in (1, 2, 1000):
            for position in (0, claims // 2, claims - 1):
                seconds = dashboard._interpolated(bucket, position, claims).total_seconds()
                assert low <= seconds < high
    assert dashboard.MEDIAN_PRECISION == pytest.approx(0.0513, abs=1e-4)
    # The middle of a bucket's claims is its geometric middle.
    assert dashboard._interpolated(263, 1, 3).total_seconds() == pytest.approx(math.exp(263.5 / 20))


def test_weekly(session, users, desk):
    data = build(session, users)
    assert len(data.weekly) == 12
    assert data.weekly[-1].week_start == date(2026, 11, 16)  # the Monday of NOW's week
    by_week = {w.week_start: w.verified for w in data.weekly}
    assert by_week[dashboard.week_start(NOW - timedelta(days=5))] == 1  # beta
    assert by_week[dashboard.week_start(NOW - timedelta(days=20))] == 1  # alpha
    assert sum(by_week.values()) == 2  # "one" is older than twelve weeks


def test_filters_apply_to_the_whole_page(session, users, desk):
    data = build(session, users, category=Category.WEAPONS)
    assert data.total == 2
    assert [(a.title, a.claims) for a in data.articles] == [("First", 2)]
    stats = {r.name: r for r in data.reviewers}
    assert stats["Rita"].open_assigned == 0 and stats["Rita"].proposed_30 == 1  # gamma only
    assert sum(w.verified for w in data.weekly) == 1  # beta
    dated = build(session, users, date_from=TODAY - timedelta(days=4), date_to=TODAY)
    assert dated.total == 3  # gamma, delta, zeta were created in those days
    by_article = build(session, users, article_id=desk.a2.id)
    assert by_article.total == 2 and by_article.oldest_unverified_id == desk.claims["two"].id


def test_reviewers_may_not_see_it(session, users):
    with pytest.raises(PermissionDenied):
        dashboard.build_dashboard(session, users["rita"].id, DashboardFilters())


def _count_in_list(client, href: str) -> int:
    page = client.get(href).get_data(as_text=True)
    match = re.search(r"Page \d+ of \d+ · ([\d,]+) claims?\b|<p class=\"muted\">([\d,]+) claims?</p>", page)
    assert match, href
    return int((match.group(1) or match.group(2)).replace(",", ""))


@pytest.mark.parametrize("query", ["", "?category=weapons", "?created_from=2026-11-10&created_to=2026-11-18"])
def test_every_number_links_to_the_list_that_produced_it(login, session, users, desk, query, monkeypatch):
    monkeypatch.setattr(dashboard, "_now", lambda: NOW)
    client = login("eddie")
    page = client.get(f"/dashboard{query}").get_data(as_text=True)
    links = re.findall(r'<a href="(/claims\?[^"]+)">([\d,]+)</a>', page)
    assert len(links) > 20
    for href, shown in links:
        href = href.replace("&amp;", "&")
        assert _count_in_list(client, href) == int(shown.replace(",", "")), href


def test_dashboard_page_works_without_script_and_describes_its_charts(login, desk):
    page = login("eddie").get("/dashboard").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (the CSP forbids them)
    titles = re.findall(r'<svg class="chart" role="img" aria-labelledby="([^"]+)"', page)
    assert len(titles) == 4
    for chart in titles:
        assert re.search(rf'<title id="{chart}">[^<]+: [^<]*\d', page)
    assert "style=" not in page


def test_page_says_when_the_median_is_estimated(login, desk, monkeypatch):
    monkeypatch.setattr(dashboard, "_now", lambda: NOW)
    client = login("eddie")
    median = lambda page: re.search(r"Median time to verified</dt><dd>(.*?)</dd>", page).group(1)  # noqa: E731
    exact = median(client.get("/dashboard").get_data(as_text=True))
    assert exact.startswith("4.0 hours") and "estimated" not in exact
    monkeypatch.setattr(dashboard, "EXACT_READS", 0)
    estimated = median(client.get("/dashboard").get_data(as_text=True))
    assert estimated.startswith("about 4.0 hours")
    assert "(estimated from the duration histogram, within 5.1%)" in estimated


def test_bad_filter_input_is_reported_not_fatal(login, desk):
    client = login("eddie")
    response = client.get("/dashboard?created_from=yesterday&created_to=2026-01-01&article=abc&category=nonsense")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="created_from-error"' in page and 'id="article-error"' in page
    response = client.get("/dashboard?created_from=2026-05-01&created_to=2026-01-01")
    assert "The end date is before the start date." in response.get_data(as_text=True)

