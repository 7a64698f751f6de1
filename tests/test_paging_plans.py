"""Each queue order has an index that answers a page as a range scan, whatever the depth.

The test database is small, so the planner would rather sort a sequential
scan; with sorts and sequential scans priced out, a plan still needs a Sort
node (or a Filter holding the seek) exactly when no index matches the order.
This checks the shapes of the plans, not their speed: bench/queue_depth.py
measures that on a million claims. (Which of two matching indexes serves a
filter, say the partial one for unassigned claims, is a toss-up on a table this
small, so the filtered indexes are checked there, not here.)
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, select

from factcheck.models import Claim, ClaimStatus
from factcheck.services import claims as claim_service
from factcheck.services.paging import AFTER, BEFORE, LAST


SEEK = re.compile(r"\([^()]*\bid\) [<>] \(")  # (…, claims.id) > (…): a row-value seek


def _plans(session, query) -> list[tuple[bool, dict]]:
    """(whether it seeks, EXPLAIN (FORMAT JSON)) of every page query list_claims runs for ``query``."""
    seen: list[tuple[str, dict]] = []
    engine = session.get_bind()

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "_page_key_" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        claim_service.list_claims(session, query)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    raw = session.connection().connection.driver_connection
    plans = []
    with raw.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off")
        for statement, parameters in seen:
            cur.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
            plans.append((bool(SEEK.search(statement)), cur.fetchone()[0][0]["Plan"]))
        cur.execute("RESET enable_seqscan; RESET enable_sort; RESET enable_bitmapscan")
    assert plans
    return plans


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


FILTERS = {
    "none": {},
    "status": {"status": ClaimStatus.IN_REVIEW},
    "open": {"open_only": True},
    "unassigned": {"unassigned": True},
    "assignee": {"assignee_id": "rita"},
}


@pytest.mark.parametrize("filters", sorted(FILTERS))
@pytest.mark.parametrize("sort", sorted(claim_service.SORTS))
def test_every_page_of_every_order_is_an_index_range_scan(session, seeded, users, sort, filters):
    from factcheck.services import workflow

    for claim_id in session.execute(select(Claim.id).order_by(Claim.id).limit(30)).scalars():
        workflow.take_claim(session, users["rita"].id, claim_id)
    keyset = claim_service.SORTS[sort]
    row = session.execute(select(*(k.expr for k in keyset.keys)).order_by(*keyset.order_by()).offset(20).limit(1)).one()
    given = {k: users[v].id if k == "assignee_id" else v for k, v in FILTERS[filters].items()}
    for cursor in (None, keyset.cursor(AFTER, tuple(row)), keyset.cursor(BEFORE, tuple(row)), keyset.cursor(LAST)):
        query = claim_service.ClaimQuery(sort=sort, cursor=cursor, per_page=5, **given)
        for seeks, plan in _plans(session, query):
            nodes = list(_nodes(plan))
            assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")], (sort, filters, plan)
            scans = [n for n in nodes if n.get("Relation Name") == "claims"]
            assert len(scans) == 1 and scans[0]["Node Type"] == "Index Scan", (sort, filters, plan)
            if seeks:
                assert "ROW(" in scans[0].get("Index Cond", ""), (sort, filters, scans[0])
                assert "ROW(" not in scans[0].get("Filter", ""), (sort, filters, scans[0])


def test_the_activity_feed_seeks_on_its_index(session, seeded, users):
    from factcheck.models import ClaimEvent
    from factcheck.services.paging import fetch_page

    stmt = select(ClaimEvent.id)
    keyset = claim_service.ACTIVITY_ORDER
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    seen = []
    engine = session.get_bind()

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "_page_key_" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        fetch_page(session, stmt, keyset, keyset.cursor(AFTER, (moment, 10)), 5)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off")
        cur.execute("EXPLAIN (FORMAT JSON) " + seen[0][0], seen[0][1])
        plan = cur.fetchone()[0][0]["Plan"]
    nodes = list(_nodes(plan))
    assert not [n for n in nodes if "Sort" in n["Node Type"]]
    scan = next(n for n in nodes if n.get("Relation Name") == "claim_events")
    assert scan.get("Index Name") == "ix_claim_events_created_at_id" and "ROW(" in scan["Index Cond"]
