#!/usr/bin/env python3
"""Dashboard response time, CSV export throughput next to raw COPY, and the export's peak memory.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_bench \\
    BENCH_PASSWORD=... python bench/dashboard_export.py [--memory-db URL] [--requests 200]

DATABASE_URL must hold the benchmark data:
    factcheck demo-data --articles 10000 --claims 1000000          (40% verified)
and --memory-db a database with at least 1,000,000 verified claims:
    factcheck demo-data --articles 10500 --claims 1050000 --verified-share 1.0
(BENCH_PASSWORD is the demo users' password given to demo-data with --password-stdin.)

Everything runs against 127.0.0.1; every loop has a fixed count.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import Client, children, drain, rss_kib, server, summary  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.dialects import postgresql  # noqa: E402

from factcheck.db import Database, sqlalchemy_url  # noqa: E402
from factcheck.models import Claim, ClaimStatus  # noqa: E402
from factcheck.services import export  # noqa: E402
from factcheck.services.dashboard import DashboardFilters  # noqa: E402


# The download's default format (for people); bench/export_copy.py runs the
# same comparison interleaved over several rounds, for either format.
FORMAT = export.CsvFormat.PEOPLE
CLAIM_URL_PREFIX = "http://127.0.0.1/claims/"


def compiled_export_sql(filters: DashboardFilters, limit: int | None = None) -> str:
    stmt = export.verified_claims_query(filters, FORMAT, CLAIM_URL_PREFIX)
    if limit is not None:
        stmt = stmt.limit(limit)
    return str(stmt.compile(dialect=postgresql.psycopg2.dialect(), compile_kwargs={"literal_binds": True}))


def copy_rows_per_second(url: str, rows: int, limit: int | None = None) -> tuple[float, int]:
    """Raw PostgreSQL: COPY (the export's SELECT) TO STDOUT, CSV, into a counting sink."""
    import psycopg2

    class Sink:
        size = 0

        def write(self, data):
            self.size += len(data)

    conn = psycopg2.connect(sqlalchemy_url(url).replace("postgresql+psycopg2", "postgresql"))
    try:
        sink = Sink()
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.copy_expert(f"COPY ({compiled_export_sql(DashboardFilters(), limit)}) TO STDOUT WITH (FORMAT csv)", sink)
        elapsed = time.perf_counter() - started
    finally:
        conn.close()
    return rows / elapsed, sink.size


def service_rows_per_second(url: str, rows: int) -> tuple[float, int]:
    """The export service in this process, streamed into a counting sink (no HTTP)."""
    database = Database.from_url(url)
    size = 0
    started = time.perf_counter()
    for chunk in export.stream_verified_claims_csv(
        database.session(), DashboardFilters(), fmt=FORMAT, claim_url_prefix=CLAIM_URL_PREFIX, as_bytes=True
    ):
        size += len(chunk)
    elapsed = time.perf_counter() - started
    database.dispose()
    return rows / elapsed, size


def http_export(base: str, username: str, password: str, server_pid: int, rows: int) -> tuple[float, int, int]:
    """GET /export/verified.csv through gunicorn; rows/s and the busiest worker's peak RSS."""
    client = Client(base)
    client.login(username, password)
    peak = {"kib": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in children(server_pid):
                peak["kib"] = max(peak["kib"], rss_kib(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    resp = client.request("/export/verified.csv", timeout=600)
    size = drain(resp, 1 << 16)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if resp.status != 200:
        raise RuntimeError(f"export answered {resp.status}")
    return rows / elapsed, size, peak["kib"]


def child_export(url: str, limit: int) -> None:
    """Run in a fresh process: export ``limit`` rows and report peak RSS."""
    database = Database.from_url(url)
    rows = 0
    started = time.perf_counter()
    for chunk in export.stream_verified_claims_csv(
        database.session(), DashboardFilters(), fmt=FORMAT, claim_url_prefix=CLAIM_URL_PREFIX, limit=limit, as_bytes=True
    ):
        rows += chunk.count(b"\r\n")
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{rows - 1} {elapsed:.3f} {peak_kib}")


def measure_memory(url: str, limits: list[int]) -> list[tuple[int, int, float, int]]:
    results = []
    for limit in limits:
        out = subprocess.run(
            [sys.executable, __file__, "--child-export", str(limit), "--db", url],
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        ).stdout.split()
        rows, elapsed, peak = int(out[0]), float(out[1]), int(out[2])
        results.append((limit, rows, rows / elapsed, peak))
    return results


def dashboard_latencies(base: str, username: str, password: str, path: str, requests: int) -> list[float]:
    client = Client(base)
    client.login(username, password)
    for _ in range(5):  # warm the worker's pool and PostgreSQL's cache
        client.get(path)
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _ = client.get(path)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--memory-db", help="database with >= 1,000,000 verified claims for the memory curve")
    parser.add_argument("--user", default="demo-editor-1")
    parser.add_argument("--child-export", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_export:
        child_export(args.db, args.child_export)
        return

    url = os.environ["DATABASE_URL"]
    password = os.environ["BENCH_PASSWORD"]
    database = Database.from_url(url)
    with database.session() as session:
        total = session.execute(select(func.count()).select_from(Claim)).scalar_one()
        verified = session.execute(
            select(func.count()).select_from(Claim).where(Claim.status == ClaimStatus.VERIFIED)
        ).scalar_one()
        article_id = session.execute(text("SELECT article_id FROM claims ORDER BY id LIMIT 1")).scalar_one()
    database.dispose()
    print(f"Database: {total:,} claims, {verified:,} verified ({verified / total:.0%}).")
    print(f"Machine: {os.cpu_count()} cores; gunicorn with 2 sync workers on 127.0.0.1.\n")

    with server(url, workers=2) as (base, proc):
        print(f"Dashboard, {args.requests} sequential requests each after 5 warm-up requests:")
        scenarios = [
            ("no filter", "/dashboard"),
            ("category filter", "/dashboard?category=casualties"),
            ("one article", f"/dashboard?article={article_id}"),
            ("last 30 days", "/dashboard?created_from={}&created_to={}".format(
                *(time.strftime("%Y-%m-%d", time.gmtime(time.time() - d * 86400)) for d in (29, 0)))),
        ]
        for name, path in scenarios:
            print(f"  {name:16} {summary(dashboard_latencies(base, args.user, password, path, args.requests))}")

        print("\nCSV export of every verified claim, same SELECT, same run:")
        copy_rate, copy_bytes = copy_rows_per_second(url, verified)
        print(f"  PostgreSQL COPY (SELECT ...) TO STDOUT  {copy_rate:10,.0f} rows/s  ({copy_bytes / 1e6:,.0f} MB)")
        service_rate, service_bytes = service_rows_per_second(url, verified)
        print(f"  export service, in process              {service_rate:10,.0f} rows/s  ({service_bytes / 1e6:,.0f} MB)"
              f"  = {service_rate / copy_rate:.0%} of COPY")
        http_rate, http_bytes, worker_kib = http_export(base, args.user, password, proc.pid, verified)
        print(f"  GET /export/verified.csv via gunicorn   {http_rate:10,.0f} rows/s  ({http_bytes / 1e6:,.0f} MB)"
              f"  = {http_rate / copy_rate:.0%} of COPY; worker peak RSS {worker_kib / 1024:.0f} MB")

    if args.memory_db:
        print("\nExport peak memory (a fresh process per size, ru_maxrss):")
        for limit, rows, rate, peak_kib in measure_memory(args.memory_db, [10_000, 100_000, 1_000_000]):
            print(f"  {limit:>9,} rows requested, {rows:>9,} written  {rate:9,.0f} rows/s  peak RSS {peak_kib / 1024:6.1f} MB")


if __name__ == "__main__":
    main()
