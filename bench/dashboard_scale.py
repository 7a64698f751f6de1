#!/usr/bin/env python3
"""Does the dashboard cost the same on 1M claims as on 100k? Every view, both sizes, side by side.

    BENCH_PASSWORD=... python bench/dashboard_scale.py \\
        --small postgresql://postgres@127.0.0.1:5432/fc_dash_100k \\
        --large postgresql://postgres@127.0.0.1:5432/fc_dash_1m [--requests 40]

Both databases are made the same way, ten times apart (365 days of claims, 100 per article):
    factcheck demo-data --articles 1000 --claims 100000 --password-stdin
    factcheck demo-data --articles 10000 --claims 1000000 --password-stdin
so the large one has ten times the claims per day, and per week, and per 30 days.

One gunicorn worker per database, both running; each view is requested from
both in alternation (small, large, small, ...), so both see the same machine
load. Printed per view and size: median latency, and CPU milliseconds per
request in the worker and its PostgreSQL backend together (the steadier figure
on a busy machine) and in the backend alone (pg: the backends of the worker's
own connections, so another session working on the same database is not counted); then the large/small ratios. Issue 12's target: <= 1.2 for
every view. Exits non-zero when a view's CPU ratio is over it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import connect, proc_cpu_seconds  # noqa: E402
from common import Client, children, server  # noqa: E402
from queue_page import client_ports  # noqa: E402

TARGET = 1.2


def server_backend_pids(url: str, pids) -> list[int]:
    """The PostgreSQL backends serving these processes' connections: only the server's own,
    not every backend of the database (another session writing to it would be counted)."""
    ports = client_ports(list(pids), urllib.parse.urlsplit(url).port or 5432)
    if not ports:
        return []
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND client_port = ANY(%s)",
                (sorted(ports),),
            )
            return [r[0] for r in cur.fetchall()]
    finally:
        conn.close()


def views(url: str) -> list[tuple[str, str]]:
    today = date.today()
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT article_id FROM claims ORDER BY id DESC LIMIT 1")
            article = cur.fetchone()[0]
    finally:
        conn.close()
    days = lambda n: f"created_from={today - timedelta(days=n - 1)}&created_to={today}"  # noqa: E731
    return [
        ("no filter", "/dashboard"),
        ("one category", "/dashboard?category=casualties"),
        ("one article", f"/dashboard?article={article}"),
        ("last 7 days", f"/dashboard?{days(7)}"),
        ("last 30 days", f"/dashboard?{days(30)}"),
        ("30 days, one category", f"/dashboard?{days(30)}&category=weapons"),
        ("last 365 days", f"/dashboard?{days(365)}"),
        ("30 days ending 60 days ago", f"/dashboard?created_from={today - timedelta(days=89)}"
                                       f"&created_to={today - timedelta(days=60)}"),
    ]


class Site:
    """One database behind its own single-worker server, a logged-in client, and its CPU counters."""

    def __init__(self, url: str, base: str, proc, user: str, password: str):
        self.url, self.base, self.proc = url, base, proc
        self.client = Client(base)
        self.client.login(user, password)

    def cpu(self) -> tuple[float, float]:
        """CPU seconds so far of (the worker, its PostgreSQL backends)."""
        workers = children(self.proc.pid)
        return proc_cpu_seconds(workers), proc_cpu_seconds(server_backend_pids(self.url, [self.proc.pid, *workers]))

    def measure(self, path: str) -> float:
        """Latency of one request, ms."""
        started = time.perf_counter()
        status, _ = self.client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", default="postgresql://postgres@127.0.0.1:5432/fc_dash_100k")
    parser.add_argument("--large", default="postgresql://postgres@127.0.0.1:5432/fc_dash_1m")
    parser.add_argument("--requests", type=int, default=40, help="per view and size, after 3 warm-up requests")
    parser.add_argument("--user", default="demo-editor-1")
    args = parser.parse_args()
    password = os.environ["BENCH_PASSWORD"]

    sizes = {}
    for label, url in (("small", args.small), ("large", args.large)):
        conn = connect(url)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM claims")
            sizes[label] = cur.fetchone()[0]
        conn.close()
    print(f"small: {sizes['small']:,} claims; large: {sizes['large']:,} claims "
          f"({sizes['large'] / sizes['small']:.1f}x). {os.cpu_count()} cores; one gunicorn worker per size.")
    print(f"{args.requests} requests per view and size, alternating sizes, after 3 warm-up requests each.\n")

    failed = []
    with server(args.small, workers=1) as (small_base, small_proc), server(args.large, workers=1) as (large_base, large_proc):
        small = Site(args.small, small_base, small_proc, args.user, password)
        large = Site(args.large, large_base, large_proc, args.user, password)
        paths = dict(views(args.small))
        large_paths = dict(views(args.large))
        header = (f"{'view':28} {'100k: ms':>9} {'cpu ms':>7} {'(pg)':>6} {'1M: ms':>9} {'cpu ms':>7} {'(pg)':>6}"
                  f"  {'ratio ms':>8} {'ratio cpu':>9}")
        print(header)
        print("-" * len(header))
        for name, path in paths.items():
            big_path = large_paths[name]
            for _ in range(3):
                small.measure(path)
                large.measure(big_path)
            # CPU counters tick every 10 ms: per request, the batch's total over its size.
            results = {"small": [], "large": []}
            cpu = {"small": small.cpu(), "large": large.cpu()}
            for _ in range(args.requests):
                results["small"].append(small.measure(path))
                results["large"].append(large.measure(big_path))
            after = {"small": small.cpu(), "large": large.cpu()}
            # per request: (median ms, worker + backend CPU ms, backend CPU ms)
            med = {
                k: (
                    statistics.median(v),
                    (sum(after[k]) - sum(cpu[k])) * 1000 / args.requests,
                    (after[k][1] - cpu[k][1]) * 1000 / args.requests,
                )
                for k, v in results.items()
            }
            ratio_ms = med["large"][0] / med["small"][0]
            ratio_cpu = med["large"][1] / med["small"][1] if med["small"][1] else float("nan")
            mark = "" if ratio_cpu <= TARGET else "  over target"
            if ratio_cpu > TARGET:
                failed.append(name)
            print(f"{name:28} {med['small'][0]:9.1f} {med['small'][1]:7.1f} {med['small'][2]:6.1f}"
                  f" {med['large'][0]:9.1f} {med['large'][1]:7.1f} {med['large'][2]:6.1f}"
                  f"  {ratio_ms:8.2f} {ratio_cpu:9.2f}{mark}")
    print(f"\ntarget: 1M/100k <= {TARGET} for every view; "
          + ("met." if not failed else f"NOT met for: {', '.join(failed)}"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
