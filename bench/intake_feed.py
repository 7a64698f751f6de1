#!/usr/bin/env python3
"""Import a local feed of N articles through the job worker; print articles per second and
where the time goes (fetch, extraction, database).

    . .venv/bin/activate
    python bench/intake_feed.py [--items 200] [--concurrency 4] [--quick]

It creates a throwaway database on BENCH_ADMIN_URL's server (default
127.0.0.1:5432), migrates it, and serves a local news site (tests/feed_site.py:
http.server on 127.0.0.1, in a thread of this process) with one RSS feed of N
items linking to N distinct generated article pages (about 4 KB of HTML each,
with figures for the claim extractor). Then:

  1. subscribes the desk to the feed (the service the page and `factcheck feed
     add` call: it fetches and reads the feed, and queues its first poll);
  2. starts a real `factcheck worker` subprocess (FACTCHECK_FETCH_ALLOW_HOSTS=127.0.0.1),
     which runs the poll job (robots.txt, GET, one feed_items row and one
     import job per entry) and then the N import jobs (fetch the page through
     the safe fetcher, trafilatura, the claim extractor, one transaction);
  3. waits until every item has an outcome, then stops the worker (SIGTERM).

Articles per second is N over the time from starting the worker to the last
outcome (so it includes the worker's start, about a second). The split comes
from the worker's own job log lines: each import job reports fetch_ms,
extract_ms (trafilatura), claims_ms (our claim extractor) and db_ms (the
rest of the job: its reads and its transaction); the shares are of their sum over all jobs
(jobs run --concurrency at a time in threads, so the sum exceeds the wall
time). Then, for reference, N other pages of the site go through the same
service functions in this process, one after another, with no job queue (the
poll, then each import): the difference is what the queue and the worker's
threads cost. Exits non-zero unless all N items were imported as N new
articles, each incoming (and the reference's N too). --quick: 10 items, for
tests/test_guards.py.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _setup import ADMIN_URL, throwaway_database, uptime  # noqa: E402


PHASES = ("fetch", "extract", "claims", "db")  # extract: trafilatura; claims: our claim extractor


def _shares(totals: dict[str, float], whole: float, count: int) -> str:
    def part(ms: float) -> str:
        return f"{100 * ms / whole:.1f} % ({ms / max(1, count):.1f} ms/article)"

    extraction = totals["extract"] + totals["claims"]
    return (
        f"fetch {part(totals['fetch'])}, extraction {part(extraction)} "
        f"[trafilatura {part(totals['extract'])}, claim extractor {part(totals['claims'])}], database {part(totals['db'])}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--quick", action="store_true", help="10 items (a smoke run)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if args.quick:
        args.items = 10

    os.environ["FACTCHECK_FETCH_ALLOW_HOSTS"] = "127.0.0.1"
    from sqlalchemy import text

    from factcheck import migrate
    from factcheck.db import Database
    from factcheck.services import feeds, timing
    from tests.feed_site import FeedDoc, NewsSite

    failures: list[str] = []
    site = NewsSite()
    site.feeds["/feed.xml"] = FeedDoc("rss", "Bench wire", list(range(args.items, 0, -1)))
    log_path = Path(f"/tmp/intake_feed_{os.getpid()}.log")
    print(f"intake_feed: {args.items} items, worker concurrency {args.concurrency}; {uptime()}")
    try:
        with throwaway_database("fc_intake_feed", ADMIN_URL, keep=args.keep) as url:
            database = Database.from_url(url)
            migrate.upgrade(database.engine)
            with database.session() as session:
                feed = feeds.subscribe(session, None, site.base + "/feed.xml")
            env = {**os.environ, "DATABASE_URL": url, "FACTCHECK_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
            command = [
                sys.executable, "-m", "factcheck.cli", "worker", "--concurrency", str(args.concurrency), "--poll", "0.2",
            ]
            started = time.monotonic()
            with open(log_path, "w") as log:
                worker = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
            done = seen = 0
            try:
                deadline = started + args.timeout
                while time.monotonic() < deadline:
                    with database.engine.connect() as conn:
                        seen, done = conn.execute(
                            text("SELECT count(*), count(*) FILTER (WHERE outcome <> 'queued') FROM feed_items WHERE feed_id = :f"),
                            {"f": feed.id},
                        ).one()
                    if seen == args.items and done == args.items:
                        break
                    if worker.poll() is not None:
                        failures.append(f"the worker exited ({worker.returncode})")
                        break
                    time.sleep(0.05)
                elapsed = time.monotonic() - started
            finally:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
            with database.engine.connect() as conn:
                outcomes = dict(conn.execute(text("SELECT outcome::text, count(*) FROM feed_items GROUP BY 1")).all())
                articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
                incoming = conn.execute(text("SELECT count(*) FROM article_intake WHERE status = 'incoming'")).scalar_one()
                suggestions = conn.execute(text("SELECT count(*) FROM claim_candidates")).scalar_one()
            # The reference: N other pages through the same service functions in this process,
            # one after another, with no job queue (what the worker adds is the queue's work).
            site.feeds["/floor.xml"] = FeedDoc("rss", "Bench floor", list(range(2 * args.items, args.items, -1)))
            floor_phases = timing.Phases()
            with database.session() as session:
                floor_feed = feeds.subscribe(session, None, site.base + "/floor.xml")
                floor_started = time.monotonic()
                report = feeds.poll_feed(session, floor_feed.id, force=True, queue_imports=False)
                floor_outcomes = [feeds.import_feed_item(session, i, phases=floor_phases)["outcome"] for i in report.new_items]
                floor_elapsed = time.monotonic() - floor_started
            database.dispose()
    finally:
        site.close()

    jobs = []
    for line in log_path.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("logger") == "factcheck.job" or record.get("task"):
            jobs.append(record)
    imports = [j for j in jobs if j.get("task") == "factcheck:import_feed_item" and j.get("status") == "succeeded"]
    polls = [j for j in jobs if j.get("task") == "factcheck:poll_feed"]
    totals = {phase: sum(float(j.get(f"{phase}_ms", 0.0)) for j in imports) for phase in PHASES}
    whole = sum(totals.values()) or 1.0
    job_ms = sorted(float(j.get("duration_ms", 0.0)) for j in imports)

    print(f"outcomes: {outcomes}; {articles} articles, {incoming} incoming, {suggestions} suggestions")
    if polls:
        print(f"poll job: {polls[0].get('duration_ms')} ms, {polls[0].get('new_items')} new items")
    if job_ms:
        print(
            f"{len(imports)} import jobs: median {job_ms[len(job_ms) // 2]:.1f} ms, "
            f"p95 {job_ms[min(len(job_ms) - 1, int(len(job_ms) * 0.95))]:.1f} ms each"
        )
    print(f"imported {done}/{args.items} in {elapsed:.2f} s from the worker's start: {done / elapsed:.1f} articles/s")
    print("share of import job time: " + _shares(totals, whole, len(imports)))
    floor_whole = sum(floor_phases.ms.values()) or 1.0
    print(
        f"reference, the same functions in one process without the queue: {floor_outcomes.count('imported')}/{args.items} "
        f"in {floor_elapsed:.2f} s: {len(floor_outcomes) / floor_elapsed:.1f} articles/s; "
        + _shares({p: floor_phases.ms.get(p, 0.0) for p in PHASES}, floor_whole, len(floor_outcomes))
    )
    if floor_outcomes.count("imported") != args.items:
        failures.append(f"the reference imported {floor_outcomes.count('imported')} of {args.items}")
    if outcomes.get("imported") != args.items:
        failures.append(f"{outcomes.get('imported', 0)} of {args.items} items imported")
    if articles != args.items or incoming != args.items:
        failures.append(f"{articles} articles, {incoming} incoming; expected {args.items} each")
    if len(imports) != args.items:
        failures.append(f"{len(imports)} succeeded import job lines in the worker's log, expected {args.items}")
    if failures:
        print(log_path.read_text()[-3000:])
        print("FAIL: " + "; ".join(failures))
        return 1
    log_path.unlink(missing_ok=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
