"""Replay hostile input against `factcheck serve` (gunicorn) and check that no request can take the desk down.

For every case it prints the time, the HTTP status and the gunicorn workers'
peak memory (VmHWM), and it fails (exit 1) when a request takes over
--limit seconds (2 by default), answers 500, or a worker is killed or
restarted (a changed worker pid, or WORKER TIMEOUT in the server log).

    python bench/hostile.py --quick                 # a small throwaway database (CI runs this)
    python bench/hostile.py --template fc_keyset_1m # a clone of a database with 1M claims
    python bench/hostile.py --claims 1000000        # build the 1M-claim database first (~5 min)

The cases: extractor worst cases posted as articles (runs of number words,
digit-comma runs, a megabyte without punctuation, unclosed quotes), an article
whose page compared every segment with every span, a 1 MB article through
the form and its page, searches with a repeated word and with many terms, deep
and last pages of the queue, hostile query strings, huge form fields,
log-in floods, and date ranges at the calendar's edges. Everything talks to
127.0.0.1 only; every request has a deadline.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import ADMIN_URL, cli_env, connect, new_password, prepare_database, run_cli, temp_instance, throwaway_database  # noqa: E402
from common import Client, children, link_labelled, rss_kib, server  # noqa: E402

REQUEST_DEADLINE = 60  # seconds before the client gives up on one request
# A 1 MB article is honest input: it must import "in seconds", extraction and
# thousands of suggestions included, not within the 2 s that hostile input gets.
HONEST_LARGE_LIMIT = 10.0


def realistic_article(size: int, seed: int = 7) -> str:
    """Newsy paragraphs with figures, sources and hedges, repeated with variations up to ``size`` characters."""
    rng = random.Random(seed)
    places = ["Deir Ezzor", "Aleppo", "Mosul", "Kherson", "Khan Younis", "Goma", "Sanaa", "Tigray"]
    sources = ["the ministry said", "according to Reuters", "officials said", "the monitor reported", "a spokesman said"]
    parts, total, n = [], 0, 0
    while total < size:
        n += 1
        place, source = rng.choice(places), rng.choice(sources)
        paragraph = (
            f"Paragraph {n}. At least {rng.randint(2, 900)} people were killed and {rng.randint(1, 2000)} wounded "
            f"in {place} on Monday, {source}. The convoy of {rng.randint(3, 60)} trucks travelled "
            f"{rng.randint(10, 800)} kilometres carrying {rng.randint(1, 50):,},000 tonnes of aid. "
            f"The figure could not be independently verified. Some {rng.randint(100, 9000):,} troops remain in the area, "
            f"up from about {rng.randint(100, 900)} in {rng.randint(1990, 2025)}.\n\n"
        )
        parts.append(paragraph)
        total += len(paragraph)
    return "".join(parts)[:size]


class Run:
    def __init__(self, base: str, proc, log_path: Path | None, limit: float):
        self.base, self.proc, self.log_path, self.limit = base, proc, log_path, limit
        self.workers = sorted(children(proc.pid))
        self.log_offset = self._log_size()
        self.rows: list[tuple[str, str, int, float, int, str]] = []
        self.failures: list[str] = []

    def _log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path and self.log_path.exists() else 0

    def _new_log(self) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as handle:
            handle.seek(self.log_offset)
            text = handle.read().decode("utf-8", "replace")
        self.log_offset = self._log_size()
        return text

    def case(
        self, name: str, client: Client, method: str, path: str, data: dict | None = None, expect=None,
        limit: float | None = None,
    ) -> tuple[int, bytes]:
        """One request; ``limit`` overrides the run's limit (honest large input gets "seconds")."""
        limit = self.limit if limit is None else limit
        start = time.monotonic()
        try:
            if method == "GET":
                status, body = client.get(path)
            else:
                status, body = client.post(path, data or {})
        except Exception as exc:  # noqa: BLE001 - a dropped connection is a finding, not a crash of the bench
            status, body = 0, str(exc).encode()
        elapsed = time.monotonic() - start
        peak = max((rss_kib(pid, "VmHWM") for pid in children(self.proc.pid)), default=0)
        log = self._new_log()
        workers = sorted(children(self.proc.pid))
        problems = []
        if elapsed > limit:
            problems.append(f"took {elapsed:.2f} s")
        if status >= 500 and status != 503 or status == 0:
            problems.append(f"status {status}")
        if expect is not None and status not in expect:
            problems.append(f"status {status}, expected {sorted(expect)}")
        if "WORKER TIMEOUT" in log or "was sent SIGKILL" in log or "Traceback" in log:
            problems.append("worker killed or traceback in the server log")
        if workers != self.workers:
            problems.append(f"workers changed {self.workers} -> {workers}")
            self.workers = workers
        verdict = "ok" if not problems else "FAIL: " + "; ".join(problems)
        self.rows.append((name, method, status, elapsed, peak, verdict))
        print(f"{name:<58} {method:<4} {status:>3} {elapsed * 1000:9.0f} ms {peak / 1024:8.0f} MB  {verdict}", flush=True)
        if problems:
            self.failures.append(f"{name}: {verdict}")
        return status, body


def article_id_from(client: Client, title: str) -> int | None:
    status, page = client.get("/search?" + urllib.parse.urlencode({"q": f'"{title}"', "kind": "articles"}))
    match = re.search(r'href="/articles/(\d+)"', page.decode("utf-8", "replace"))
    return int(match.group(1)) if match else None


def post_article(run: Run, client: Client, name: str, title: str, body: str, limit: float | None = None) -> int | None:
    status, _ = run.case(name, client, "POST", "/articles/new", {"title": title, "outlet": "Hostile Wire", "body": body},
                         expect={302, 303, 422}, limit=limit)
    if status in (302, 303):
        return article_id_from(client, title)
    return None


def replay(run: Run, reviewer: Client, editor: Client, stranger: Client, victim: str, url: str | None = None) -> None:
    tag = str(int(time.time()))
    # 1. The extractor's worst cases, as article bodies (each is extracted on import).
    for name, body in [
        ('"one " * 20,000 (80 KB of number words)', "one " * 20_000),
        ('"one hundred and " * 6,000 (96 KB)', "one hundred and " * 6_000),
        ('"1,1,1,..." digit-comma run, 200 KB', "1," * 100_000),
        ("1 MB of words without punctuation", " ".join(random.Random(1).choice(["troops", "fired", "killed", "six", "at", "least", "the", "Iran"]) for _ in range(160_000))[:999_000]),
        ('unclosed quotes and brackets, 300 KB', ('"(' + "missiles fired " * 3) * 4_000),
    ]:
        post_article(run, reviewer, f"import: {name}", f"Hostile {tag} {len(run.rows)}", body)

    # 2. An article whose page compared every segment with every span, then its page.
    body = "5 troops died\n" * 5_000 + "x\n" * 250_000
    article = post_article(run, reviewer, "import: 570 KB, 5,000 figure lines + 250,000 lines", f"Hostile {tag} many", body)
    if article:
        run.case("article page of that 570 KB article", reviewer, "GET", f"/articles/{article}", expect={200})

    # 3. Honest but large: a 1 MB article through the form, then its page.
    big = post_article(run, editor, "import: 1 MB realistic article through the form (limit 10 s)", f"Hostile {tag} large",
                       realistic_article(999_000), limit=HONEST_LARGE_LIMIT)
    if big:
        run.case("article page of the 1 MB article", editor, "GET", f"/articles/{big}", expect={200})

    # 3b. A claim with a very long history (a reviewer commenting for weeks), then its page.
    if url:
        conn = connect(url)
        with conn, conn.cursor() as cur:
            cur.execute("SELECT id FROM claims ORDER BY id LIMIT 1")
            claim_id = cur.fetchone()[0]
            cur.execute(
                "INSERT INTO claim_events (claim_id, action, comment, details) "
                "SELECT %s, 'commented', 'note ' || g, '{}'::jsonb FROM generate_series(1, 20000) g",
                (claim_id,),
            )
        conn.close()
        run.case("claim page with 20,000 history events", reviewer, "GET", f"/claims/{claim_id}", expect={200})

    # 4. Search: a repeated word, many distinct terms, a common word over large bodies.
    run.case('search "iran" x 399 (2,000 characters)', reviewer, "GET", "/search?" + urllib.parse.urlencode({"q": "iran " * 399}), expect={200})
    run.case('search "troops" x 40 in articles', reviewer, "GET", "/search?" + urllib.parse.urlencode({"q": "troops " * 40, "kind": "articles"}), expect={200})
    many = " ".join(f"word{i}" for i in range(300))
    run.case("search with 300 distinct terms", reviewer, "GET", "/search?" + urllib.parse.urlencode({"q": many}), expect={200})
    run.case('search "killed OR wounded OR troops" in articles', reviewer, "GET", "/search?" + urllib.parse.urlencode({"q": "killed OR wounded OR troops", "kind": "articles"}), expect={200})
    run.case("search 2,000 quote marks", reviewer, "GET", "/search?" + urllib.parse.urlencode({"q": '"' * 2000}), expect={200})

    # 5. Deep and last pages of every list.
    status, first = run.case("queue: first page", reviewer, "GET", "/claims", expect={200})
    run.case("queue: ?page=5000 (an old deep link)", reviewer, "GET", "/claims?page=5000", expect={200, 302, 303})
    last = link_labelled(first, "Last")
    if last:
        status, last_page = run.case("queue: last page", reviewer, "GET", last, expect={200})
        previous = link_labelled(last_page, "Prev")
        if previous:
            run.case("queue: the page before the last", reviewer, "GET", previous, expect={200})
    else:
        run.failures.append("queue: no 'Last' link on the first page")
    for sort in ("newest", "oldest", "priority"):
        status, page = reviewer.get(f"/claims?sort={sort}")
        last = link_labelled(page, "Last")
        if last:
            run.case(f"queue sorted {sort}: last page", reviewer, "GET", last, expect={200})
    status, first = run.case("activity: first page", editor, "GET", "/activity", expect={200})
    last = link_labelled(first, "Last")
    if last:
        run.case("activity: last page", editor, "GET", last, expect={200})
    status, first = run.case("articles: first page", reviewer, "GET", "/articles", expect={200})
    last = link_labelled(first, "Last") or link_labelled(first, "Oldest")
    if last:
        run.case("articles: last page", reviewer, "GET", last, expect={200})

    # 6. Hostile query strings and filters.
    for name, query in [
        ("queue: garbage cursor", {"after": "A" * 3000}),
        ("queue: every filter, odd values", {"status": "<script>", "category": "x" * 500, "verdict": "'; DROP TABLE claims; --", "page": "-1", "per_page": "10000000", "sort": "../../etc", "assignee": "999999999999999999999"}),
        ("queue: calendar-edge dates", {"created_from": "0001-01-01", "created_to": "9999-12-31"}),
        ("queue: 200 repeated keys", [("status", "open")] * 200),
    ]:
        run.case(name, reviewer, "GET", "/claims?" + urllib.parse.urlencode(query), expect={200, 302, 303, 400, 422})
    run.case("dashboard: created 1900-01-01 .. 2100-12-31", editor, "GET", "/dashboard?" + urllib.parse.urlencode({"created_from": "1900-01-01", "created_to": "2100-12-31"}), expect={200, 400, 422})
    run.case("export: CSV of an empty date range", editor, "GET", "/export/verified.csv?" + urllib.parse.urlencode({"created_from": "2099-01-01", "created_to": "2099-01-02"}), expect={200, 400, 422})

    # 6b. The public fact-check page's addresses, which its fast path reads before Flask
    # (web/public/fast.py): odd ids and slugs are a 404 or a redirect, never a 500.
    for name, path in [
        ("public page: id 0", "/fact-checks/0-a"),
        ("public page: id past the integer range", "/fact-checks/99999999999999999999-a"),
        ("public page: 10,000-character slug", "/fact-checks/1-" + "a" * 10_000),
        ("public page: slug of hyphens and digits", "/fact-checks/1-" + "-1" * 400),
        ("public page: escaped bytes in the slug", "/fact-checks/1-%00%ff%c3%28" + "%2e%2e%2f" * 50),
        ("public page: id with a sign", "/fact-checks/-1-a"),
    ]:
        run.case(name, stranger, "GET", path, expect={301, 404, 414, 429})

    # 7. Huge form fields: refused with a message or cut, never a crash.
    run.case("article form: 3.9 MB body", reviewer, "POST", "/articles/new", {"title": "Too big", "body": "a" * 3_900_000}, expect={413, 422})
    run.case("article form: 6 MB body (over the request limit)", reviewer, "POST", "/articles/new", {"title": "Too big", "body": "a" * 6_000_000}, expect={413})
    run.case("search: 100,000-character query", reviewer, "GET", "/search?q=" + "a" * 100_000, expect={200, 400, 414})

    # 8. Log-in floods: a stranger hammers a real account; answers stay quick, and no 500.
    slowest = 0.0
    for attempt in range(30):
        start = time.monotonic()
        stranger.get("/login")
        stranger.post("/login", {"username": victim, "password": f"wrong-{attempt}"})
        slowest = max(slowest, time.monotonic() - start)
    run.case("log-in: 31st wrong password for a real account", stranger, "POST", "/login", {"username": victim, "password": "wrong"}, expect={200, 401, 422, 429})
    print(f"{'  (slowest of the 30 before it: ' + format(slowest * 1000, '.0f') + ' ms)':<58}")
    for attempt in range(30):
        stranger.post("/login", {"username": f"nobody-{attempt}-{tag}", "password": "x"})
    run.case("log-in: after 30 random usernames from one address", stranger, "POST", "/login", {"username": "nobody", "password": "x"}, expect={200, 401, 422, 429})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a throwaway database with 2,000 demo claims")
    parser.add_argument("--template", help="clone this database (e.g. one with 1M claims) and replay against the clone")
    parser.add_argument("--claims", type=int, default=0, help="build a throwaway database with this many demo claims")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=float, default=2.0, help="seconds a request may take")
    args = parser.parse_args()
    claims = 2_000 if args.quick else args.claims
    if not args.template and not claims:
        parser.error("give --quick, --claims N or --template DB")

    password = new_password()
    with temp_instance() as instance, throwaway_database("fc_hostile") as url:
        env = cli_env(url, instance)
        t0 = time.monotonic()
        if args.template:
            name = url.rsplit("/", 1)[1]
            conn = connect(ADMIN_URL)
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE "{name}"')
                cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{args.template}"')
            conn.close()
            run_cli(env, "db", "upgrade")
            for username, role in [("hostile-reviewer", "reviewer"), ("hostile-editor", "editor"), ("hostile-admin", "admin")]:
                run_cli(env, "user", "add", username, "--role", role, "--password-stdin", stdin=password + "\n")
        else:
            prepare_database(env, articles=max(claims // 40, 10), claims=claims, password=password,
                             extra_users=[("hostile-reviewer", "reviewer"), ("hostile-editor", "editor"), ("hostile-admin", "admin")])
        conn = connect(url)
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM claims")
            n_claims = cur.fetchone()[0]
        conn.close()
        print(f"database: {n_claims:,} claims, ready in {time.monotonic() - t0:.0f} s; gunicorn: {args.workers} sync workers; "
              f"limit {args.limit} s per request\n")
        extra = {"FACTCHECK_INSTANCE": str(instance)}
        log_path = Path(instance) / "server.log"
        with server(url, workers=args.workers, extra_env=extra, log_path=log_path) as (base, proc):
            run = Run(base, proc, log_path, args.limit)
            reviewer, editor, stranger = Client(base), Client(base), Client(base)
            reviewer.login("hostile-reviewer", password)
            editor.login("hostile-editor", password)
            print(f"{'case':<58} {'':<4} {'st':>3} {'time':>12} {'peak RSS':>11}")
            replay(run, reviewer, editor, stranger, victim="hostile-admin", url=url)
            # The stranger flooded the admin's account from 127.0.0.1; the admin, from their
            # own address, still gets in with no unlock.
            admin = Client(base, source="127.0.0.2")
            admin.get("/login")
            status, _ = run.case("log-in: the flooded admin, from their own address", admin, "POST", "/login",
                                 {"username": "hostile-admin", "password": password}, expect={302})
    print(f"\n{len(run.rows)} cases, {len(run.failures)} failed")
    for failure in run.failures:
        print("  FAIL", failure)
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
