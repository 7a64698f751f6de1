"""Large articles: importing a 1 MB article, and rendering its page.

Run from the repository root (needs a PostgreSQL it may create databases on):

    python bench/import_large.py [--admin-url postgresql://postgres@127.0.0.1:5432/postgres] [--runs 5]

In a throwaway database it prints:

* `factcheck import` of a realistic 1,000,000-character article (newsy
  paragraphs from tests/fixtures/extraction/, figures varied): wall time of the
  command (Python start-up included) and the suggested claims stored;
* the same through the "Add an article" form: a POST to /articles/new on
  `factcheck serve` (gunicorn, 2 workers), wall time until the redirect;
* GET /articles/<id> for both, for a 570 KB hostile body ("5 troops
  died\\n" * 5000 + "x\\n" * 250000: a quarter of a million lines, 5,000
  suggestions), and for the first 1 MB article again once every third of its
  suggestions is made a claim (by SQL, in one statement): median wall time of
  --runs requests and the page's size.

Only 127.0.0.1 is contacted; every wait has a deadline.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import cli_env, connect, new_password, run_cli, throwaway_database  # noqa: E402
from common import REPO, Client, server  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "extraction"
SIZE = 1_000_000
HOSTILE = "5 troops died\n" * 5000 + "x\n" * 250000


def realistic_body(seed: int, size: int = SIZE) -> str:
    """Paragraphs of the fixture articles in random order, every figure replaced, cut to ``size`` characters."""
    rng = random.Random(seed)
    paragraphs = []
    for path in sorted(FIXTURES.glob("*.txt")):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    out, length = [], 0
    while length < size:
        paragraph = re.sub(r"\d+", lambda m: str(rng.randint(2, 900)), rng.choice(paragraphs))
        out.append(paragraph)
        length += len(paragraph) + 2
    body = "\n\n".join(out)[:size].rstrip()
    return body + "." * (size - len(body))  # exactly ``size`` characters, no trailing space to strip


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def candidates_of(url: str, article_id: int) -> int:
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM claim_candidates WHERE article_id = %s", (article_id,))
            return cur.fetchone()[0]
    finally:
        conn.close()


def article_id_by_title(url: str, title: str) -> int:
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM articles WHERE title = %s", (title,))
            return cur.fetchone()[0]
    finally:
        conn.close()


def accept_every_third(url: str, article_id: int) -> int:
    """Make every third pending suggestion of the article a claim (one statement each way); the number made."""
    conn = connect(url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO claims (article_id, quote, span_start, span_end, statement, category, claimant, hedged) "
                "SELECT article_id, quote, span_start, span_end, quote, category, claimant, hedged FROM claim_candidates "
                "WHERE article_id = %s AND status = 'pending' AND id %% 3 = 0",
                (article_id,),
            )
            made = cur.rowcount
            cur.execute(
                "UPDATE claim_candidates c SET status = 'accepted', claim_id = cl.id FROM claims cl "
                "WHERE c.article_id = %s AND cl.article_id = c.article_id "
                "AND (cl.span_start, cl.span_end) = (c.span_start, c.span_end)",
                (article_id,),
            )
        return made
    finally:
        conn.close()


def pending_of(url: str, article_id: int) -> int:
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM claim_candidates WHERE article_id = %s AND status = 'pending'", (article_id,))
            return cur.fetchone()[0]
    finally:
        conn.close()


def render(client: Client, article_id: int, runs: int) -> tuple[float, float, int]:
    """(median, max) seconds of GET /articles/<id> over ``runs`` requests, and the page's bytes."""
    times, size = [], 0
    for _ in range(runs):
        seconds, (status, payload) = timed(lambda: client.get(f"/articles/{article_id}"))
        if status != 200:
            raise RuntimeError(f"GET /articles/{article_id} answered {status}")
        times.append(seconds)
        size = len(payload)
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL") or os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    with throwaway_database("bench_import_large", args.admin_url, keep=args.keep) as url, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = cli_env(url, tmp / "instance")
        run_cli(env, "db", "upgrade")
        password = new_password()
        run_cli(env, "user", "add", "bench-editor", "--role", "editor", "--password-stdin", stdin=password + "\n")

        cli_body = realistic_body(seed=1)
        path = tmp / "large.md"
        path.write_text(f"---\ntitle: Large article (command line)\n---\n{cli_body}\n", encoding="utf-8")
        cli_seconds, _ = timed(lambda: run_cli(env, "import", str(path)))
        cli_id = article_id_by_title(url, "Large article (command line)")

        hostile_path = tmp / "hostile.txt"
        hostile_path.write_text("Hostile article\n\n" + HOSTILE, encoding="utf-8")
        hostile_seconds, _ = timed(lambda: run_cli(env, "import", str(hostile_path)))
        hostile_id = article_id_by_title(url, "Hostile article")

        with server(url, workers=2, extra_env={"FACTCHECK_INSTANCE": str(tmp / "instance")}) as (base, _proc):
            client = Client(base)
            client.login("bench-editor", password)
            client.get("/articles/new")
            form_body = realistic_body(seed=2)
            web_seconds, (status, _) = timed(
                lambda: client.post("/articles/new", {"title": "Large article (form)", "body": form_body})
            )
            if status != 303:
                raise RuntimeError(f"POST /articles/new answered {status}")
            web_id = article_id_by_title(url, "Large article (form)")
            web_suggested = candidates_of(url, web_id)
            pages = {
                "1 MB article (command line)": (cli_id, render(client, cli_id, args.runs)),
                "1 MB article (form)": (web_id, render(client, web_id, args.runs)),
                "570 KB hostile article": (hostile_id, render(client, hostile_id, args.runs)),
            }
            claims = accept_every_third(url, cli_id)
            pages[f"1 MB article with {claims:,} claims"] = (cli_id, render(client, cli_id, args.runs))

        print(f"factcheck import, {len(cli_body):,}-character article: {cli_seconds:.2f} s wall "
              f"(Python start-up included), {candidates_of(url, cli_id):,} suggested claims stored")
        print(f"factcheck import, {len(HOSTILE):,}-character hostile article: {hostile_seconds:.2f} s wall, "
              f"{candidates_of(url, hostile_id):,} suggested claims stored")
        print(f"POST /articles/new, {len(form_body):,}-character article: {web_seconds:.2f} s wall "
              f"(gunicorn, 2 workers), {web_suggested:,} suggested claims stored")
        print(f"(article {cli_id} then has {pending_of(url, cli_id):,} suggestions still pending)")
        for name, (article_id, (median, worst, size)) in pages.items():
            print(f"GET /articles/{article_id} ({name}): "
                  f"median {median * 1000:.0f} ms, max {worst * 1000:.0f} ms over {args.runs} requests, {size / 1e6:.1f} MB of HTML")


if __name__ == "__main__":
    main()
