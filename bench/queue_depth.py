#!/usr/bin/env python3
"""The claim queue at depth: first, middle and last page, each sort, through gunicorn.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_bench \\
        python bench/queue_depth.py [--repeat 7] [--user demo-reviewer-1]

Needs a database built with `factcheck demo-data` (bench/run_all.py builds
fc_bench with 1,000,000 claims; the demo users' password is read from
BENCH_PASSWORD or bench/.bench-password). The queue pages by cursor
(services.paging): the first page has no cursor, the middle page is reached
with a cursor made from the keys of the row halfway down the list (found once,
untimed, with OFFSET), and the last page through the page's own Last link.
Each URL is fetched once to warm up, then --repeat times; the median and the
fastest are printed, with the load average (the machine may be shared).

Then, for the default sort, the EXPLAIN (ANALYZE, BUFFERS) of the query the
service runs for the last page, and for contrast the OFFSET query the queue
used to run for the same rows (run once, SQL only: it takes seconds).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import REPO, Client, server  # noqa: E402

from sqlalchemy import event, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from factcheck.db import make_engine  # noqa: E402
from factcheck.models import Claim  # noqa: E402
from factcheck.services import claims as claim_service  # noqa: E402
from factcheck.services.paging import AFTER  # noqa: E402

SORTS = ["priority", "newest", "oldest"]  # the default first
FILTERS = ["", "status=unverified", "assignee=unassigned", "status=open&category=weapons"]
LAST = re.compile(r'<a href="([^"]+)">Last &raquo;</a>')
IDS = re.compile(r'<td><a href="/claims/(\d+)">\d+</a></td>')


def password() -> str:
    if os.environ.get("BENCH_PASSWORD"):
        return os.environ["BENCH_PASSWORD"]
    return (REPO / "bench" / ".bench-password").read_text().strip()


def last_link(page: str) -> str | None:
    match = LAST.search(page)
    return html.unescape(match.group(1)) if match else None


def timed(client: Client, path: str, repeat: int) -> tuple[float, float, int]:
    status, body = client.get(path)  # warm
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        status, body = client.get(path)
        times.append(1000 * (time.perf_counter() - start))
        assert status == 200, (path, status)
    return statistics.median(times), min(times), len(IDS.findall(body.decode()))


_middles: dict[str, str] = {}


def middle_cursor(session: Session, sort: str) -> str:
    """A cursor after the row halfway down the sort's unfiltered order (in a filtered
    list, somewhere near its middle)."""
    if sort in _middles:
        return _middles[sort]
    keyset = claim_service.SORTS[sort]
    total = session.execute(text("SELECT sum(n) FROM claim_totals")).scalar_one()
    keys = session.execute(
        select(*(k.expr for k in keyset.keys)).order_by(*keyset.order_by()).offset(int(total) // 2).limit(1)
    ).one()
    _middles[sort] = keyset.cursor(AFTER, tuple(keys))
    return _middles[sort]


def explain_last_page(session: Session, sort: str) -> None:
    keyset = claim_service.SORTS[sort]
    statements: list[tuple[str, dict]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        claim_service.list_claims(session, claim_service.ClaimQuery(sort=sort, cursor=keyset.cursor("z"), per_page=50))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = next((s, p) for s, p in statements if "LIMIT" in s)
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        plan = [row[0] for row in cur.fetchall()]
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the last page, sort={sort}:")
        for line in plan:
            print("   ", line)
        # The query the queue ran before keyset pagination, for the same last page.
        total = session.execute(text("SELECT sum(n) FROM claim_totals")).scalar_one()
        offset = (int(total) - 1) // 50 * 50
        old = {
            "priority": "ORDER BY claims.priority DESC, claims.created_at ASC, claims.id ASC",
            "newest": "ORDER BY claims.created_at DESC, claims.id DESC",
            "oldest": "ORDER BY claims.created_at ASC, claims.id ASC",
        }[sort]
        sql = re.sub(r"\s*ORDER BY .*$", "", statement, flags=re.S)
        sql = re.sub(r", [^,]*? AS _page_key_\d+", "", sql)
        sql = sql.rstrip() + f" {old} LIMIT 50 OFFSET {offset}"
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = [row[0] for row in cur.fetchall()]
        print(f"\nFor contrast, the old OFFSET query for the same page (OFFSET {offset:,}):")
        for line in plan:
            if any(word in line for word in ("Limit", "Sort", "Gather", "Execution Time", "Buffers", "Scan")):
                print("   ", line)
    session.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--user", default="demo-reviewer-1")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    engine = make_engine(url)
    with Session(engine) as session:
        total = session.execute(text("SELECT sum(n) FROM claim_totals")).scalar_one()
        print(f"{int(total):,} claims; load average {os.getloadavg()[0]:.2f} at the start; "
              f"{args.repeat} timed requests per URL after one warm-up (median / fastest).\n")
        # A dashboard drill-down: the claims verified in the last 30 days of the data, which
        # the queue reads through their own index and sorts ("narrow" in paging.fetch_page).
        latest = session.execute(text("SELECT max(verified_at)::date FROM claims")).scalar_one()
        cases = FILTERS + [f"status=verified&verified_from={latest - timedelta(days=29)}&verified_to={latest}"]
        with server(url, workers=1) as (base, _proc):
            client = Client(base)
            client.login(args.user, password())
            print(f"  {'sort':9} {'filters':30} {'first page':>20} {'middle (cursor)':>20} {'last page':>20}")
            for filters in cases:
                for sort in SORTS:
                    query = f"sort={sort}" + (f"&{filters}" if filters else "")
                    first_path = f"/claims?{query}"
                    _, page = client.get(first_path)
                    last = last_link(page.decode())
                    middle = f"/claims?{query}&" + urlencode({"cursor": middle_cursor(session, sort)})
                    cells = []
                    for path in (first_path, middle, last):
                        if path is None:
                            cells.append(f"{'(one page)':>20}")
                            continue
                        median, fastest, rows = timed(client, path, args.repeat)
                        cells.append(f"{median:8.1f} / {fastest:5.1f} ms")
                    print(f"  {sort:9} {(filters or '(none)')[:30]:30} " + " ".join(f"{c:>20}" for c in cells), flush=True)
        print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
        explain_last_page(session, "priority")


if __name__ == "__main__":
    main()
