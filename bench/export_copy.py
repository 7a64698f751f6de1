#!/usr/bin/env python3
"""The CSV export next to PostgreSQL's own COPY of the same rows, interleaved round by round.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_bench BENCH_PASSWORD=... \\
        python bench/export_copy.py [--rounds 5] [--format people|data] [--user demo-editor-1]

DATABASE_URL holds the benchmark data (`factcheck demo-data --articles 10000
--claims 1000000`, 40 % verified); BENCH_PASSWORD is the editor's password.

Each round runs, in alternating order so neither side always goes first:
  COPY    psql-style COPY (SELECT <the export's columns>) TO STDOUT (FORMAT csv)
          into a counting sink: the same rows and values, without the formula
          guard, the CRLF line ends and the HTTP response;
  HTTP    GET /export/verified.csv (through gunicorn, 1 sync worker) read to the end;
  service the export service in this process, without HTTP.
It prints rows/s, wall time and CPU seconds (this process or the gunicorn
worker, and the PostgreSQL backend) per round, then the median ratio to COPY.
Wall time on a shared machine is noisy: the CPU columns say where time went.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _setup import connect, proc_cpu_seconds  # noqa: E402
from common import Client, children, drain, server  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.dialects import postgresql  # noqa: E402

from factcheck.db import Database, sqlalchemy_url  # noqa: E402
from factcheck.models import Claim, ClaimStatus  # noqa: E402
from factcheck.services import export  # noqa: E402
from factcheck.services.dashboard import DashboardFilters  # noqa: E402

PUBLIC_URL = "https://desk.example.org"
PREFIX = PUBLIC_URL + "/claims/"


def _libpq_url(url: str) -> str:
    return sqlalchemy_url(url).replace("postgresql+psycopg2", "postgresql")


def _backends(monitor, application: str | None = None, exclude: int | None = None) -> list[int]:
    with monitor.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cur.fetchall() if pid != exclude]


def run_copy(url: str, fmt: export.CsvFormat) -> dict:
    """COPY of the export's rows (plain columns) into a sink that counts bytes."""
    sql = str(
        export.verified_claims_query(DashboardFilters(), fmt, PREFIX).compile(
            dialect=postgresql.psycopg2.dialect(), compile_kwargs={"literal_binds": True}
        )
    )

    class Sink:
        size = 0

        def write(self, data):
            self.size += len(data)

    conn = connect(_libpq_url(url))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            backend = cur.fetchone()[0]
            sink = Sink()
            cpu0, pg0, t0 = time.process_time(), proc_cpu_seconds([backend]), time.perf_counter()
            cur.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", sink)
            wall = time.perf_counter() - t0
            return {"wall": wall, "app": time.process_time() - cpu0, "pg": proc_cpu_seconds([backend]) - pg0,
                    "bytes": sink.size}
    finally:
        conn.close()


def _cpu_by_pid(pids: list[int]) -> dict[int, float]:
    return {pid: proc_cpu_seconds([pid]) for pid in pids}


def run_http(client: Client, path: str, worker_pids: list[int], monitor, exclude: int) -> dict:
    # Per backend: the worker may open a connection during the request (its CPU counts from zero).
    pg_before = _cpu_by_pid(_backends(monitor, exclude=exclude))
    app0, t0 = proc_cpu_seconds(worker_pids), time.perf_counter()
    resp = client.request(path, timeout=1800)
    size = drain(resp)
    wall = time.perf_counter() - t0
    app = proc_cpu_seconds(worker_pids) - app0
    pg_after = _cpu_by_pid(_backends(monitor, exclude=exclude))
    if resp.status != 200:
        raise RuntimeError(f"{path} answered {resp.status}")
    pg = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
    return {"wall": wall, "app": app, "pg": pg, "bytes": size}


def run_service(database: Database, fmt: export.CsvFormat, monitor, exclude: int) -> dict:
    session = database.session()
    backend = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    cpu0, pg0, t0 = time.process_time(), proc_cpu_seconds([backend]), time.perf_counter()
    size = 0
    for chunk in export.stream_verified_claims_csv(session, DashboardFilters(), fmt=fmt, claim_url_prefix=PREFIX,
                                                    as_bytes=True):
        size += len(chunk)
    wall = time.perf_counter() - t0
    return {"wall": wall, "app": time.process_time() - cpu0, "pg": proc_cpu_seconds([backend]) - pg0, "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--format", choices=[f.value for f in export.CsvFormat], default="people")
    parser.add_argument("--user", default="demo-editor-1")
    parser.add_argument("--no-service", action="store_true", help="skip the in-process run")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    password = os.environ["BENCH_PASSWORD"]
    fmt = export.CsvFormat(args.format)
    path = "/export/verified.csv" + ("?format=data" if fmt is export.CsvFormat.DATA else "")

    database = Database.from_url(url)
    with database.session() as session:
        rows = session.execute(
            select(func.count()).select_from(Claim).where(Claim.status == ClaimStatus.VERIFIED)
        ).scalar_one()
        total = session.execute(select(func.count()).select_from(Claim)).scalar_one()
    print(f"Database: {total:,} claims, {rows:,} verified (the rows exported). Format: {fmt.value}.")
    print(f"Machine: {os.cpu_count()} cores; load before: {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"{args.rounds} interleaved rounds; gunicorn with 1 sync worker on 127.0.0.1.\n")

    monitor = connect(_libpq_url(url))
    monitor.autocommit = True
    with monitor.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        monitor_pid = cur.fetchone()[0]
    results: dict[str, list[dict]] = {"COPY": [], "HTTP": [], "service": []}
    with server(url, workers=1, extra_env={"FACTCHECK_PUBLIC_URL": PUBLIC_URL}) as (base, proc):
        client = Client(base)
        client.login(args.user, password)
        workers = children(proc.pid)
        runs = {
            "COPY": lambda: run_copy(url, fmt),
            "HTTP": lambda: run_http(client, path, workers, monitor, monitor_pid),
        }
        if not args.no_service:
            runs["service"] = lambda: run_service(database, fmt, monitor, monitor_pid)
        names = list(runs)
        print(f"{'round':>5} {'run':8} {'rows/s':>10} {'wall s':>7} {'app CPU s':>9} {'PG CPU s':>8} {'MB':>7}  of COPY")
        for rnd in range(1, args.rounds + 1):
            order = names if rnd % 2 else names[::-1]
            got = {name: runs[name]() for name in order}
            for name in names:
                r = got[name]
                results[name].append(r)
                ratio = got["COPY"]["wall"] / r["wall"]
                print(f"{rnd:>5} {name:8} {rows / r['wall']:>10,.0f} {r['wall']:>7.2f} {r['app']:>9.2f} {r['pg']:>8.2f}"
                      f" {r['bytes'] / 1e6:>7.1f}  {ratio:.0%}", flush=True)
    monitor.close()
    database.dispose()

    print("\nMedians over the rounds:")
    for name in names:
        if name == "COPY":
            continue
        ratios = [c["wall"] / r["wall"] for c, r in zip(results["COPY"], results[name])]
        cpu = [(r["app"] + r["pg"]) / (c["app"] + c["pg"]) for c, r in zip(results["COPY"], results[name])]
        print(f"  {name:8} throughput {statistics.median(ratios):.0%} of COPY (rounds: "
              f"{', '.join(f'{x:.0%}' for x in ratios)}); CPU (app + PostgreSQL) {statistics.median(cpu):.2f}x COPY's")
    print(f"load after: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    main()
