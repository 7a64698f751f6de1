"""The queue and the activity feed page by cursor: every row once, in order, both ways, at any depth."""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, text

from factcheck.models import Article, Category, Claim, ClaimEvent, ClaimStatus
from factcheck.services import claims as claim_service
from factcheck.services import workflow
from factcheck.services.paging import AFTER, BAD_CURSOR, Keyset, SortKey, fetch_page

PER_PAGE = 7
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a class="claim-link" href="/claims/(\d+)">', page)]


def _link(page: str, label: str) -> str | None:
    """The href of the pagination link whose text contains ``label``."""
    nav = re.search(r'<nav class="pagination".*?</nav>', page, re.S)
    if not nav:
        return None
    for href, body in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', nav.group(0), re.S):
        if label in html.unescape(body):
            return html.unescape(href)
    return None


def _walk(client, url: str, label: str, ids=_ids) -> list[list[int]]:
    """Pages met following the ``label`` link from ``url`` until there is none."""
    pages = []
    for _ in range(200):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        pages.append(ids(page))
        url = _link(page, label)
        if url is None:
            return pages
    raise AssertionError("the walk did not end")


@pytest.fixture
def desk(session, seeded, users, app):
    """The seeded claims (created together: one timestamp, one priority) and
    40 more with repeated priorities and repeated creation times."""
    app.config["PER_PAGE"] = PER_PAGE
    article = session.execute(select(Article).order_by(Article.id)).scalars().first()
    for i in range(40):
        start = 5 * i
        session.add(
            Claim(
                article_id=article.id,
                quote=article.body[start : start + 12],
                span_start=start,
                span_end=start + 12,
                statement=f"Statement {i}",
                category=Category.EVENT if i % 3 else Category.WEAPONS,
                priority=i % 4,
                hedged=i % 5 == 0,
                created_at=T0 + timedelta(minutes=i % 6),  # six times, each shared by several claims
            )
        )
    session.flush()
    # Some claims change hands, so the status and assignee filters have something to show.
    some = session.execute(select(Claim.id).order_by(Claim.id).limit(12)).scalars().all()
    for claim_id in some:
        workflow.take_claim(session, users["ron"].id, claim_id)
    return session


def _expected(session, sort: str, *where) -> list[int]:
    """The claim ids in the sort's order, computed in Python from the rows."""
    rows = session.execute(select(Claim.id, Claim.priority, Claim.created_at).where(*where)).all()
    if sort == "priority":
        key = lambda r: (-r.priority, r.created_at, r.id)  # noqa: E731
        return [r.id for r in sorted(rows, key=key)]
    newest = sort == "newest"
    return [r.id for r in sorted(rows, key=lambda r: (r.created_at, r.id), reverse=newest)]


@pytest.mark.parametrize("sort", sorted(claim_service.SORTS))
def test_next_and_previous_visit_every_claim_once_in_order(login, desk, sort):
    expected = _expected(desk, sort)
    assert len(expected) > 10 * PER_PAGE
    client = login("rita")

    forward = _walk(client, f"/claims?sort={sort}", "Next")
    assert [i for page in forward for i in page] == expected
    assert all(len(page) == PER_PAGE for page in forward[:-1])

    # Last, then Previous to the start: the same claims in the same order.
    last = _link(client.get(f"/claims?sort={sort}").get_data(as_text=True), "Last")
    backward = _walk(client, last, "Previous")
    assert [i for page in reversed(backward) for i in page] == expected
    assert backward[0] == expected[-len(backward[0]):] and len(backward[0]) == PER_PAGE


def test_previous_from_the_middle_returns_the_page_before(login, desk):
    client = login("rita")
    expected = _expected(desk, "priority")
    first = client.get("/claims").get_data(as_text=True)
    second = client.get(_link(first, "Next")).get_data(as_text=True)
    third = client.get(_link(second, "Next")).get_data(as_text=True)
    assert _ids(third) == expected[2 * PER_PAGE : 3 * PER_PAGE]
    back = client.get(_link(third, "Previous")).get_data(as_text=True)
    assert _ids(back) == _ids(second)
    assert _ids(client.get(_link(third, "First")).get_data(as_text=True)) == _ids(first)
    # The first page offers no way further back; the last none further on.
    assert _link(first, "Previous") is None and _link(first, "First") is None
    last = client.get(_link(first, "Last")).get_data(as_text=True)
    assert _link(last, "Next") is None and _link(last, "Last") is None
    assert _ids(last) == expected[-PER_PAGE:]


@pytest.mark.parametrize(
    "query, where",
    [
        ("status=unverified", (Claim.status == ClaimStatus.UNVERIFIED,)),
        ("status=open&category=event", (Claim.status != ClaimStatus.VERIFIED, Claim.category == Category.EVENT)),
        ("assignee=unassigned&hedged=no", (Claim.assignee_id.is_(None), Claim.hedged.is_(False))),
    ],
)
@pytest.mark.parametrize("sort", ["priority", "newest"])
def test_filters_are_kept_from_page_to_page(login, desk, query, where, sort):
    client = login("rita")
    expected = _expected(desk, sort, *where)
    assert len(expected) > PER_PAGE
    url = f"/claims?{query}&sort={sort}"
    wanted = parse_qs(f"{query}&sort={sort}")

    def kept(page: str, *labels: str) -> bool:
        links = [_link(page, label) for label in labels]
        return all(
            link and {k: v for k, v in parse_qs(urlsplit(link).query).items() if k != "cursor"} == wanted
            for link in links
        )

    first = client.get(url).get_data(as_text=True)
    assert kept(first, "Next", "Last")
    last = client.get(_link(first, "Last")).get_data(as_text=True)
    assert kept(last, "Previous", "First")
    forward = _walk(client, url, "Next")
    backward = _walk(client, _link(first, "Last"), "Previous")
    assert [i for page in forward for i in page] == expected
    assert [i for page in reversed(backward) for i in page] == expected


@pytest.mark.parametrize("sort", sorted(claim_service.SORTS))
def test_narrow_filters_page_the_same_way(login, desk, sort):
    """One article's claims (or a dashboard date range) are read and sorted rather
    than found along the order's index: the pages must come out the same."""
    article_id = desk.execute(select(Article.id).order_by(Article.id)).scalars().first()
    expected = _expected(desk, sort, Claim.article_id == article_id)
    assert len(expected) > 3 * PER_PAGE
    client = login("rita")
    url = f"/claims?article={article_id}&sort={sort}"
    forward = _walk(client, url, "Next")
    assert [i for page in forward for i in page] == expected
    backward = _walk(client, _link(client.get(url).get_data(as_text=True), "Last"), "Previous")
    assert [i for page in reversed(backward) for i in page] == expected


def _cursor(doc) -> str:
    return base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%%%",
        "a" * 5000,
        "////",
        _cursor([1, 2, 3]),
        _cursor({"l": "claims:priority", "d": "a"}),
        _cursor({"l": "claims:priority", "d": "a", "k": [1, "2026-01-01T00:00:00+00:00"]}),
        _cursor({"l": "claims:priority", "d": "a", "k": [1, "2026-01-01T00:00:00", 5]}),  # no time zone
        _cursor({"l": "claims:priority", "d": "a", "k": [1, "yesterday", 5]}),
        _cursor({"l": "claims:priority", "d": "a", "k": [10**30, "2026-01-01T00:00:00+00:00", 5]}),
        _cursor({"l": "claims:priority", "d": "a", "k": [True, "2026-01-01T00:00:00+00:00", 5]}),
        _cursor({"l": "claims:priority", "d": "a", "k": [None, "2026-01-01T00:00:00+00:00", 5]}),
        _cursor({"l": "claims:priority", "d": "x", "k": [1, "2026-01-01T00:00:00+00:00", 5]}),
        _cursor({"l": "claims:newest", "d": "a", "k": ["2026-01-01T00:00:00+00:00", 5]}),  # another sort's
        _cursor({"l": "activity", "d": "z"}),
        _cursor({"l": "claims:priority", "d": "z", "k": []}),
        base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
        base64.urlsafe_b64encode(b"[" * 300).decode().rstrip("="),
    ],
)
def test_a_bad_cursor_gives_the_first_page_and_says_so(login, desk, cursor):
    client = login("rita")
    first = _ids(client.get("/claims").get_data(as_text=True))
    response = client.get("/claims", query_string={"cursor": cursor})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert html.escape(BAD_CURSOR, quote=True) in page or BAD_CURSOR in page
    assert _ids(page) == first


def test_a_cursor_past_the_end_shows_the_last_page(login, desk):
    client = login("rita")
    expected = _expected(desk, "oldest")
    beyond = claim_service.SORTS["oldest"].cursor(AFTER, (datetime(2999, 1, 1, tzinfo=timezone.utc), 1))
    page = client.get("/claims", query_string={"sort": "oldest", "cursor": beyond}).get_data(as_text=True)
    assert _ids(page) == expected[-PER_PAGE:]
    assert _link(page, "Next") is None and _link(page, "Previous")
    before = claim_service.SORTS["oldest"].cursor("b", (datetime(1999, 1, 1, tzinfo=timezone.utc), 1))
    page = client.get("/claims", query_string={"sort": "oldest", "cursor": before}).get_data(as_text=True)
    assert _ids(page) == expected[:PER_PAGE]


def test_a_claim_gone_between_pages_does_not_lose_the_place(login, desk, users):
    """The cursor holds the last row's keys, not the row: deleting it does not matter."""
    client = login("rita")
    expected = _expected(desk, "priority")
    first = client.get("/claims").get_data(as_text=True)
    gone = _ids(first)[-1]  # urgent, so one of the desk's own claims, which have no history to keep them
    assert not desk.execute(select(ClaimEvent.id).where(ClaimEvent.claim_id == gone)).first()
    desk.execute(text("DELETE FROM claims WHERE id = :id"), {"id": gone})
    second = client.get(_link(first, "Next")).get_data(as_text=True)
    assert _ids(second) == expected[PER_PAGE : 2 * PER_PAGE]


def test_old_numbered_page_links_open_the_first_page(login, desk):
    client = login("rita")
    response = client.get("/claims?category=event&page=4")
    assert response.status_code == 302
    assert response.headers["Location"] == "/claims?category=event"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pages are no longer numbered" in page
    assert client.get("/claims?page=1").status_code == 200
    assert client.get("/claims?page=-3&cursor=zz").status_code == 200


def test_the_total_comes_from_the_counts_not_page_numbers(login, desk):
    page = login("rita").get("/claims").get_data(as_text=True)
    total = desk.execute(select(Claim.id)).scalars().all()
    assert f"{len(total):,} claims" in page
    assert not re.search(r"Page \d+ of", page)


# --- the activity feed ------------------------------------------------------------


def _event_ids(page: str) -> list[tuple[str, int]]:
    return [(t, int(c)) for t, c in re.findall(r'<time datetime="([^"]+)">.*?href="/claims/(\d+)"', page, re.S)]


def test_activity_pages_newest_first_both_ways(login, desk, monkeypatch):
    from factcheck.web.claims import routes

    real = claim_service.recent_activity
    monkeypatch.setattr(
        routes.claim_service, "recent_activity", lambda s, a, cursor=None, per_page=50: real(s, a, cursor=cursor, per_page=5)
    )
    rows = desk.execute(select(ClaimEvent.id, ClaimEvent.created_at, ClaimEvent.claim_id)).all()
    expected = [(r.created_at.isoformat(), r.claim_id) for r in sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True)]
    assert len(expected) > 15
    client = login("eddie")
    forward = _walk(client, "/activity", "Older", ids=_event_ids)
    assert [e for page in forward for e in page] == expected
    last = _link(client.get("/activity").get_data(as_text=True), "Oldest")
    backward = _walk(client, last, "Newer", ids=_event_ids)
    assert [e for page in reversed(backward) for e in page] == expected
    assert client.get("/activity?cursor=nonsense").status_code == 200
    assert client.get("/activity?page=9").status_code == 302


# --- the paging helper on its own: NULLs and mixed directions ----------------------


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("mixed", [False, True])
def test_nullable_keys_sort_nulls_last_both_ways(desk, descending, mixed):
    """A nullable key (proposed_at here, with ties) pages with NULLs last in either direction."""
    ids = desk.execute(select(Claim.id).order_by(Claim.id)).scalars().all()
    for n, claim_id in enumerate(ids):
        if n % 3:  # a third stay NULL
            moment = T0 + timedelta(hours=n % 4)
            desk.execute(text("UPDATE claims SET proposed_at = :t WHERE id = :id"), {"t": moment, "id": claim_id})
    keyset = Keyset(
        "test",
        SortKey(Claim.proposed_at, datetime, descending=descending, nullable=True),
        SortKey(Claim.id, int, descending=descending != mixed),
    )
    rows = desk.execute(select(Claim.id, Claim.proposed_at)).all()

    def order(group):  # by the tiebreaker; the stable sort by time below keeps it within ties
        return sorted(group, key=lambda r: r.id, reverse=descending != mixed)
    present = sorted(order([r for r in rows if r.proposed_at]), key=lambda r: r.proposed_at, reverse=descending)
    expected = [r.id for r in present] + [r.id for r in order([r for r in rows if r.proposed_at is None])]

    stmt = select(Claim.id)
    seen, cursor = [], None
    while True:
        page = fetch_page(desk, stmt, keyset, cursor, 6)
        seen += [r[0] for r in page.rows]
        if not page.has_next:
            break
        cursor = page.next
    assert seen == expected

    seen, cursor = [], fetch_page(desk, stmt, keyset, None, 6).last
    while cursor:
        page = fetch_page(desk, stmt, keyset, cursor, 6)
        seen = [r[0] for r in page.rows] + seen
        cursor = page.prev
    assert seen == expected


def test_a_bad_cursor_is_reported_by_the_helper(desk):
    keyset = claim_service.SORTS["oldest"]
    page = fetch_page(desk, select(Claim.id), keyset, "bm90IGpzb24", 5)
    assert page.notice == BAD_CURSOR and not page.has_prev and len(page.rows) == 5


@pytest.mark.parametrize("sort", sorted(claim_service.SORTS))
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": ClaimStatus.IN_REVIEW},
        {"open_only": True, "hedged": False},
        {"category": Category.EVENT, "hedged": True},
        {"unassigned": True, "category": Category.WEAPONS},
        {"created_from": T0 + timedelta(minutes=2), "created_to": T0 + timedelta(minutes=5)},
    ],
)
def test_compiled_pages_equal_the_statement_built_ones(desk, users, sort, filters):
    """The queue sends SQL compiled once per shape of filters (paging.CompiledList); every
    page, both ways, must be the page fetch_page builds from the same query."""
    query = claim_service.ClaimQuery(sort=sort, per_page=PER_PAGE, **filters)
    keyset = claim_service.SORTS[sort]
    plain = claim_service.apply_filters(claim_service._QUEUE, query)
    seen, cursor = [], None
    for _ in range(50):
        compiled = claim_service.list_claims(desk, claim_service.ClaimQuery(**{**query.__dict__, "cursor": cursor}))
        built = fetch_page(desk.connection(), plain, keyset, cursor, PER_PAGE)
        assert [r.id for r in compiled.rows] == [r[0] for r in built.rows]
        assert [r.status for r in compiled.rows] == [r[4] for r in built.rows]
        assert (compiled.nav.prev, compiled.nav.next) == (built.prev, built.next)
        seen += [r.id for r in compiled.rows]
        if not built.next:
            break
        cursor = built.next
    assert seen == _expected(desk, sort, *_where(filters))
    # and back from the last page
    compiled = claim_service.list_claims(desk, claim_service.ClaimQuery(**{**query.__dict__, "cursor": keyset.cursor("z")}))
    built = fetch_page(desk.connection(), plain, keyset, keyset.cursor("z"), PER_PAGE)
    assert [r.id for r in compiled.rows] == [r[0] for r in built.rows]
    assert compiled.nav.prev == built.prev


def _where(filters: dict) -> list:
    where = []
    for name, value in filters.items():
        if name == "open_only":
            where.append(Claim.status != ClaimStatus.VERIFIED)
        elif name == "unassigned":
            where.append(Claim.assignee_id.is_(None))
        elif name == "created_from":
            where.append(Claim.created_at >= value)
        elif name == "created_to":
            where.append(Claim.created_at < value)
        elif name == "hedged":
            where.append(Claim.hedged.is_(value))
        else:
            where.append(getattr(Claim, name) == value)
    return where
