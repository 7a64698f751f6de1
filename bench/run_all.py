#!/usr/bin/env python3
"""Run every benchmark in bench/ one after the other and print their figures.

    . .venv/bin/activate && pip install -e '.[bench]'
    python bench/run_all.py                 # builds the data sets if missing
    python bench/run_all.py --only queue_page search_related
    python bench/run_all.py --list

The 1,000,000-claim databases are built once, on the PostgreSQL server given
by BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres):

    fc_bench      demo-data --articles 10000 --claims 1000000 (40% verified)
    fc_bench_mem  demo-data --articles 10500 --claims 1050000 --verified-share 1.0

Building both takes several minutes; later runs reuse them (they are migrated
to the current schema and VACUUM ANALYZEd first). --rebuild drops and rebuilds
them. The demo users' password is kept in bench/.bench-password (git-ignored).

load.py and faults.py build their own throwaway databases; security_scan.sh
needs sqlmap and wapiti and runs only when asked (--only security_scan).
Exits non-zero when any benchmark does.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD_FILE = BENCH / ".bench-password"

# name, command, needs the 1M-claim database
BENCHMARKS: list[tuple[str, list[str], bool]] = [
    ("extraction", ["extraction.py"], False),
    ("dashboard_export", ["dashboard_export.py", "--memory-db", "{memory_db}"], True),
    ("search_related", ["search_related.py"], True),
    ("queue_page", ["queue_page.py"], True),
    ("load", ["load.py"], False),
    ("faults", ["faults.py"], False),
]
OPTIONAL = {"security_scan": ["bash", str(BENCH / "security_scan.sh")]}

DATA_SETS = {
    "fc_bench": ["--articles", "10000", "--claims", "1000000"],
    "fc_bench_mem": ["--articles", "10500", "--claims", "1050000", "--verified-share", "1.0"],
}


def database_url(name: str) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


def psql_scalar(url: str, sql: str) -> str | None:
    import psycopg2

    try:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute(sql)
            row = cur.fetchone()
            return None if row is None else str(row[0])
    except psycopg2.Error:
        return None


def admin(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(ADMIN_URL)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def password() -> str:
    if not PASSWORD_FILE.exists():
        PASSWORD_FILE.write_text(secrets.token_urlsafe(18) + "\n")
        PASSWORD_FILE.chmod(0o600)
    return PASSWORD_FILE.read_text().strip()


def factcheck(url: str, *args: str, stdin: str | None = None) -> None:
    env = dict(os.environ, DATABASE_URL=url)
    subprocess.run(
        [sys.executable, "-m", "factcheck.cli", *args],
        cwd=REPO, env=env, input=stdin, text=True, check=True, timeout=3600,
    )


def ensure_data_set(name: str, rebuild: bool) -> str:
    """The database `name` with its demo data, migrated to the current schema."""
    url = database_url(name)
    exists = psql_scalar(ADMIN_URL, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    claims = psql_scalar(url, "SELECT count(*) FROM claims") if exists else None
    if rebuild or claims is None or int(claims) < 1_000_000:
        admin(f'DROP DATABASE IF EXISTS "{name}"')
        print(f"-- building {name} (several minutes)", flush=True)
        admin(f'CREATE DATABASE "{name}"')
        factcheck(url, "db", "upgrade")
        factcheck(url, "seed")
        factcheck(url, "demo-data", *DATA_SETS[name], "--password-stdin", stdin=password() + "\n")
    else:
        factcheck(url, "db", "upgrade")
        factcheck(url, "seed")
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.close()
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    names = [name for name, _, _ in BENCHMARKS] + list(OPTIONAL)
    parser.add_argument("--only", nargs="+", choices=names, help="run just these")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the 1M-claim databases")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(names))
        return 0
    chosen = args.only or [name for name, _, _ in BENCHMARKS]

    urls: dict[str, str] = {}
    if any(needs for name, _, needs in BENCHMARKS if name in chosen and needs):
        for name in DATA_SETS:
            if name == "fc_bench_mem" and "dashboard_export" not in chosen:
                continue
            urls[name] = ensure_data_set(name, args.rebuild)

    failed: list[str] = []
    for name in chosen:
        if name in OPTIONAL:
            command = OPTIONAL[name]
            env = dict(os.environ)
        else:
            script, *rest = next(cmd for n, cmd, _ in BENCHMARKS if n == name)
            command = [sys.executable, str(BENCH / script)]
            command += [part.format(memory_db=urls.get("fc_bench_mem", "")) for part in rest]
            env = dict(os.environ)
            if "fc_bench" in urls:
                env.update(DATABASE_URL=urls["fc_bench"], BENCH_PASSWORD=password())
        print(f"\n======== {name}: {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        result = subprocess.run(command, cwd=REPO, env=env)
        print(f"======== {name}: exit {result.returncode} after {time.monotonic() - started:.0f} s", flush=True)
        if result.returncode != 0:
            failed.append(name)

    if failed:
        print("\nFAILED: " + ", ".join(failed), file=sys.stderr)
        return 1
    print("\nall benchmarks finished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
