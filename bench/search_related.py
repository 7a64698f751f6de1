#!/usr/bin/env python3
"""Search and related-claims latency on the benchmark database.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_bench BENCH_PASSWORD=... \\
        python bench/search_related.py [--rounds 10] [--claims 200]

Needs the 1,000,000-claim database of bench/dashboard_export.py, migrated to
the current schema, with the alias table loaded (`factcheck seed` does it).
Everything runs on 127.0.0.1; every loop has a fixed count.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import Client, server, summary  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from factcheck.db import Database  # noqa: E402
from factcheck.models import Claim  # noqa: E402
from factcheck.services import aliases, related, search  # noqa: E402

# What a desk types: places (some with aliases), bodies, phrases, figures,
# combinations, an exclusion, a rare word, and nothing that matches.
QUERIES = [
    "Deir Ezzor",
    "Deir al Zour missiles",
    "IRGC",
    "Pentagon troops",
    "Reuters",
    '"could not be independently verified"',
    "355 miles",
    "killed people Homs",
    "missiles -Reuters",
    "Kidal",
    "troops deployed Tanf",
    "Al Bukamal strikes",
    "Idlib 1500 missiles",
    "state media said",
    "zzzzqq",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10, help="times the query list is run")
    parser.add_argument("--claims", type=int, default=200, help="random claims for related-claims lookups")
    parser.add_argument("--user", default="demo-reviewer-1")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    password = os.environ["BENCH_PASSWORD"]

    database = Database.from_url(url)
    session = database.session()
    total = session.execute(select(func.count()).select_from(Claim)).scalar_one()
    groups = len(aliases.load_index(session).groups)
    rng = random.Random(42)
    top = session.execute(select(func.max(Claim.id))).scalar_one()
    sample = sorted({rng.randint(1, top) for _ in range(args.claims * 2)})
    claim_ids = session.execute(select(Claim.id).where(Claim.id.in_(sample))).scalars().all()[: args.claims]
    print(f"Database: {total:,} claims, {groups} alias groups; {len(QUERIES)} queries x {args.rounds} rounds.\n")

    print("In process (the services alone):")
    index = aliases.load_index(session)
    times = []
    for _ in range(args.rounds):
        for q in QUERIES:
            started = time.perf_counter()
            search.search(session, q, aliases=index, per_page=5)
            times.append((time.perf_counter() - started) * 1000)
    print(f"  search, all three kinds  {summary(times)}")
    times = []
    for claim_id in claim_ids:
        started = time.perf_counter()
        related.related_claims(session, claim_id, aliases=index)
        times.append((time.perf_counter() - started) * 1000)
    print(f"  related claims           {summary(times)}")
    session.close()
    database.dispose()

    with server(url, workers=2) as (base, _proc):
        client = Client(base)
        client.login(args.user, password)
        for q in QUERIES[:3]:
            client.get("/search?" + urllib.parse.urlencode({"q": q}))  # warm-up
        print("\nThrough gunicorn (2 workers), sequential requests:")
        times = []
        per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
        for _ in range(args.rounds):
            for q in QUERIES:
                started = time.perf_counter()
                status, _ = client.get("/search?" + urllib.parse.urlencode({"q": q}))
                elapsed = (time.perf_counter() - started) * 1000
                if status != 200:
                    raise RuntimeError(f"search {q!r} answered {status}")
                times.append(elapsed)
                per_query[q].append(elapsed)
        print(f"  GET /search              {summary(times)}")
        times = []
        for claim_id in claim_ids:
            started = time.perf_counter()
            status, _ = client.get(f"/claims/{claim_id}")
            times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"claim {claim_id} answered {status}")
        print(f"  GET /claims/<id> (page with related claims)  {summary(times)}")
        print("\n  median per search:")
        for q, values in per_query.items():
            print(f"    {statistics.median(values):7.1f} ms  {q}")


if __name__ == "__main__":
    main()
