#!/usr/bin/env python3
"""The public fact-check page under a crowd: full render and 304 revalidation, against a floor
app that runs the same SQL with a plain template and against a bare route, in one run.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_dash_1m \\
        python bench/public_page.py [--published 100000] [--rounds 5] [--seconds 6]
        python bench/public_page.py --quick     # one short round: a smoke test

Before measuring, it tops the database up to --published public fact checks by
publishing verified claims through the app's own use case
(services.publishing.publish_claim, as --editor), so the snapshots are what an
editor's publications make. Then it serves:

- the real page, GET /fact-checks/<id>-<slug> of a published claim with
  evidence, by `factcheck serve` (gunicorn gthread, the shipped configuration),
  with no cookie, as a reader or a crawler asks for it: once as shipped (each
  worker keeps the drawn page by its ETag, web/public/page_cache.py, so this is
  a shared check's steady state: count, read the version, send the kept page),
  and once from a second server with FACTCHECK_PUBLIC_PAGE_CACHE=0, which
  draws the page on every request;
- the same URL with `If-None-Match: <its ETag>`: the 304 path, which counts the
  client's request and reads the snapshot's version but draws nothing (this
  answer and the kept page are given before Flask, web/public/fast.py);
- the floor (bench/_floor_app.py): every statement the real page sends (recorded
  from one request through the app's test client), replayed with the same
  parameters on a pool made like the app's, in autocommit as the app's public
  pages run (the statement the app prepares, db.fetch_prepared, prepared
  too), and every fetched row rendered in one plain Jinja loop; twice: the
  statements of the page as shipped (a warm worker's second request: the head
  of the publication, counted in the same statement) and those of a page drawn
  every time (page cache off: the whole snapshot read too), each the floor of
  the real answer that sends them;
- a bare Flask route ("ok") under the same gunicorn settings.

The per-client rate limit stays on, at FACTCHECK_PUBLIC_RATE_LIMIT=1000000 a
minute, so every request pays for counting itself (its SQL is in the floor's
plan too) without one wrk client being refused. Targets (issue 14): full
render >= 0.8x the floor's throughput; the 304 path >= 30 % of the bare
route's. Rounds are interleaved; figures are medians of the runs'
percentiles, with CPU per request of the servers' workers and of the
PostgreSQL backends serving them (the figure to trust on a busy machine).
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import connect  # noqa: E402
from common import REPO, server  # noqa: E402
from queue_page import CpuMeter, Tally, gunicorn_app, record_statements, secret_key, wrk  # noqa: E402

FULL_TARGET = 0.8  # real/floor throughput, full render
REVALIDATE_TARGET = 0.3  # 304 path / bare route throughput
RATE_LIMIT = "1000000"  # requests a minute: counted, never refused


def top_up(database_url: str, wanted: int, editor: str) -> int:
    """Publish verified claims through the app's use case until ``wanted`` are public; returns how many are."""
    from sqlalchemy import text

    from factcheck import create_app
    from factcheck.services import publishing
    from factcheck.web import db_session

    os.environ["DATABASE_URL"] = database_url
    app = create_app({"PUBLIC_URL": "http://127.0.0.1:5000"})
    with app.app_context():
        session = db_session()
        public = session.execute(text("SELECT count(*) FROM publications WHERE unpublished_at IS NULL")).scalar_one()
        editor_id = session.execute(text("SELECT id FROM users WHERE username = :u"), {"u": editor}).scalar_one_or_none()
        if editor_id is None:
            sys.exit(f"no user {editor!r}: make the data with `factcheck demo-data`")
        missing = wanted - public
        if missing <= 0:
            return public
        ids = session.execute(
            text(
                "SELECT c.id FROM claims c WHERE c.status = 'verified' AND NOT EXISTS "
                "(SELECT 1 FROM publications p WHERE p.claim_id = c.id) ORDER BY c.id LIMIT :n"
            ),
            {"n": missing},
        ).scalars().all()
        session.rollback()
        print(f"publishing {len(ids):,} verified claims as {editor} (there were {public:,} public)", flush=True)
        started = time.monotonic()
        for done, claim_id in enumerate(ids, 1):
            publishing.publish_claim(session, editor_id, claim_id)
            if done % 10_000 == 0:
                print(f"  {done:,} published, {time.monotonic() - started:.0f} s", flush=True)
        session.execute(text("ANALYZE publications"))
        session.commit()
        print(f"  {len(ids):,} published in {time.monotonic() - started:.0f} s", flush=True)
        return public + len(ids)


def pick_claim(database_url: str) -> tuple[int, str]:
    """A public check with the most evidence among the latest published (a full page)."""
    conn = connect(database_url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT claim_id, slug FROM (SELECT claim_id, slug, evidence FROM publications "
                "WHERE unpublished_at IS NULL ORDER BY published_at DESC LIMIT 1000) latest "
                "ORDER BY jsonb_array_length(evidence) DESC, claim_id DESC LIMIT 1"
            )
            row = cur.fetchone()
            if row is None:
                sys.exit("no published fact check: run with --published N")
            return row
    finally:
        conn.close()


def capture_public(database_url: str, base: str, path: str, *, drawn: bool = False) -> dict:
    """The floor's plan for a public page: its statements, with no user to load (``drawn``: those
    of a page drawn on every request, with the page cache off)."""
    config = {"PUBLIC_RATE_LIMIT": int(RATE_LIMIT), **({"PUBLIC_PAGE_CACHE": 0} if drawn else {})}
    prepared: set[int] = set()
    seen = record_statements(database_url, base, path, config=config, prepared=prepared)
    if not any(statement.lstrip().upper().startswith(("SELECT", "WITH")) for statement, _ in seen):
        # A floor that reads nothing measures nothing (a pool the recorder did not listen to).
        raise RuntimeError(f"GET {path}: no statement recorded; the floor would read nothing")
    # The app counts the request and reads in autocommit (services/rate_limit.py): so does the floor.
    # The app prepares its busiest statement on each connection (db.fetch_prepared): so does the floor.
    return {"statements": seen, "user_statement": None, "autocommit": True, "prepared": sorted(prepared)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--published", type=int, default=100_000, help="public fact checks to have before measuring")
    parser.add_argument("--claim", type=int, help="claim id of the page (default: a published one with the most evidence)")
    parser.add_argument("--editor", default="demo-editor-1", help="who publishes when topping up")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=6, help="per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers per server (gthread, 4 threads each)")
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s, 2 workers, 2 connections, no top-up")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.workers, args.connections = 1, 2, 2, 2
        args.published = min(args.published, 1)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    url = os.environ["DATABASE_URL"]
    instance = os.environ.setdefault("FACTCHECK_INSTANCE", str(REPO / "instance" / "bench"))
    public = top_up(url, args.published, args.editor)
    if args.claim:
        conn = connect(url)
        with conn.cursor() as cur:
            cur.execute("SELECT claim_id, slug FROM publications WHERE claim_id = %s AND unpublished_at IS NULL", (args.claim,))
            row = cur.fetchone()
        conn.close()
        if row is None:
            sys.exit(f"claim {args.claim} has no public fact check")
        claim_id, slug = row
    else:
        claim_id, slug = pick_claim(url)
    conn = connect(url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM claims")
        claims = cur.fetchone()[0]
    conn.close()
    path = f"/fact-checks/{claim_id}-{slug}"

    print(f"data: {claims:,} claims, {public:,} public fact checks; page {path}")
    print(f"wrk: 1 thread, {args.connections} connections, {args.seconds:g} s per run, {args.rounds} rounds, "
          f"interleaved; gunicorn: {args.workers} gthread workers (4 threads) per server on {os.cpu_count()} cores; "
          f"FACTCHECK_PUBLIC_RATE_LIMIT={RATE_LIMIT}.")
    print(f"load before: {Path('/proc/loadavg').read_text().split()[:3]}\n")
    with tempfile.TemporaryDirectory(prefix="public-") as tmp, server(
        url, workers=args.workers, extra_env={"FACTCHECK_PUBLIC_RATE_LIMIT": RATE_LIMIT}, log_path=Path(tmp, "app.log")
    ) as (base, app_proc), server(
        url, workers=args.workers, log_path=Path(tmp, "drawn.log"),
        extra_env={"FACTCHECK_PUBLIC_RATE_LIMIT": RATE_LIMIT, "FACTCHECK_PUBLIC_PAGE_CACHE": "0"},
    ) as (drawn_base, drawn_proc):
        with urllib.request.urlopen(base + path, timeout=30) as response:
            etag = response.headers["ETag"]
            body = response.read()
            if response.headers.get("Set-Cookie") or not etag:
                sys.exit(f"GET {path}: Set-Cookie {response.headers.get('Set-Cookie')!r}, ETag {etag!r}")
        request = urllib.request.Request(base + path, headers={"If-None-Match": etag})
        try:
            urllib.request.urlopen(request, timeout=30)
            sys.exit(f"GET {path} with If-None-Match did not answer 304")
        except urllib.error.HTTPError as answer:
            if answer.code != 304:
                sys.exit(f"GET {path} with If-None-Match answered {answer.code}")
        plan = {"cookie_name": "factcheck_session", "pages": {
            "public": capture_public(url, base, path), "public_drawn": capture_public(url, base, path, drawn=True)}}
        plan_file = Path(tmp, "plan.pickle")
        plan_file.write_bytes(pickle.dumps(plan))
        env = {"FLOOR_PLAN": str(plan_file), "DATABASE_URL": url, "SECRET_KEY": secret_key(url),
               "FACTCHECK_INSTANCE": instance}
        with gunicorn_app("_floor_app:app", args.workers, env, "/floor/public", Path(tmp, "floor.log")) as (
            floor_base, floor_proc
        ), gunicorn_app("_bare_app:app", args.workers, {}, "/", Path(tmp, "bare.log")) as (bare_base, bare_proc):
            with urllib.request.urlopen(floor_base + "/floor/public", timeout=30) as response:
                rows = response.read().decode().count("<tr><td>")
            print(f"the real page is {len(body):,} bytes; the floor renders {rows} rows from these statements:")
            for name in ("public", "public_drawn"):
                print(f"  {name} ({'page cache off' if name == 'public_drawn' else 'as shipped'}):")
                for statement, _ in plan["pages"][name]["statements"]:
                    print("   ", " ".join(statement.split())[:110])
            targets = {
                "full": (base + path, None, CpuMeter(app_proc.pid, url)),
                "drawn": (drawn_base + path, None, CpuMeter(drawn_proc.pid, url)),
                "304": (base + path, etag, CpuMeter(app_proc.pid, url)),
                "floor": (floor_base + "/floor/public", None, CpuMeter(floor_proc.pid, url)),
                "floor_drawn": (floor_base + "/floor/public_drawn", None, CpuMeter(floor_proc.pid, url)),
                "bare": (bare_base + "/", None, CpuMeter(bare_proc.pid, url)),
            }
            for target, condition, _meter in targets.values():  # warm every worker's pool and caches
                wrk(target, 1, args.connections, headers=_headers(condition))
            tallies = {key: Tally() for key in targets}
            print()
            for round_no in range(1, args.rounds + 1):
                for key, (target, condition, meter) in targets.items():
                    before = meter.snapshot()
                    result = wrk(target, args.seconds, args.connections, headers=_headers(condition))
                    after = meter.snapshot()
                    tallies[key].add(result, args.seconds, {s: CpuMeter.used(before, after, s) for s in ("app", "postgres")})
                print(f"round {round_no}/{args.rounds} done", flush=True)

    print()
    print(f"GET {path}")
    print(tallies["full"].line("real page (kept by ETag)"))
    print(tallies["drawn"].line("real page, drawn every time"))
    print(tallies["floor"].line("floor (same SQL, plain loop)"))
    print(tallies["floor_drawn"].line("floor of the drawn page's SQL"))
    print(tallies["304"].line("real page, 304 (If-None-Match)"))
    print(tallies["bare"].line("bare Flask route"))
    print()
    full, drawn, floor, floor_drawn, revalidate, bare = (
        tallies[k] for k in ("full", "drawn", "floor", "floor_drawn", "304", "bare")
    )
    for name, real, floor in (
        ("full answer, as shipped (page kept by ETag)", full, floor),
        ("full answer, drawn every time (against the floor of its own SQL)", drawn, floor_drawn),
    ):
        ratio = real.rps / floor.rps
        cpu_ratio = (real.cpu_ms("app") + real.cpu_ms("postgres")) / (floor.cpu_ms("app") + floor.cpu_ms("postgres"))
        print(f"{name}: real/floor throughput {ratio:.2f} (target >= {FULL_TARGET}: "
              f"{'met' if ratio >= FULL_TARGET else 'NOT met'}); p95 {statistics.median(real.p95) / statistics.median(floor.p95):.2f}x "
              f"the floor's; CPU per request (workers + PostgreSQL) {cpu_ratio:.2f}x the floor's")
    share = revalidate.rps / bare.rps
    print(f"304 path: {100 * share:.0f} % of the bare route's throughput (target >= {100 * REVALIDATE_TARGET:.0f} %: "
          f"{'met' if share >= REVALIDATE_TARGET else 'NOT met'}); {revalidate.rps / drawn.rps:.2f}x the drawn page's")
    if any(t.bad for t in tallies.values()):
        sys.exit("some requests failed (status >= 400 or errors): see the lines above")


def _headers(condition: str | None) -> list[str]:
    return [f"If-None-Match: {condition}"] if condition else []


if __name__ == "__main__":
    main()
