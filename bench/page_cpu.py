#!/usr/bin/env python3
"""CPU per request of the dashboard and the claim page, in this process (no server, no network).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_dash_100k BENCH_PASSWORD=... \\
        python bench/page_cpu.py [--requests 20] [--repeats 5] [--profile dashboard|claim]

The app is made here and driven through Flask's test client, logged in through
the real log-in form (the only write: the log-in itself). Each page is warmed
up, then requested ``--requests`` times per repetition; the figure is the
minimum over ``--repeats`` repetitions of time.process_time() per request,
which leaves out waiting on PostgreSQL and is the steadiest figure on a busy
machine. It is this process's CPU (Flask, SQLAlchemy, WTForms, Jinja, the
driver), not the server's: bench/queue_page.py measures against the floor.

The dashboard is read as --editor, the claim page as --reviewer; the claim is
the one with the latest evidence unless --claim is given. ``--profile`` runs
cProfile over one repetition of that page and prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time


def log_in(app, username: str, password: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token.group(1) if token else ""}
    )
    if response.status_code != 302:
        raise SystemExit(f"log-in as {username} answered {response.status_code}")
    return client


def cpu_per_request(client, path: str, requests: int, repeats: int) -> float:
    for _ in range(3):  # warm-up: templates compiled, statements cached, pool filled
        check(client, path)
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(requests):
            client.get(path)
        best = min(best, (time.process_time() - start) / requests)
    return best


def check(client, path: str) -> int:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}")
    return len(response.get_data())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--editor", default="demo-editor-1")
    parser.add_argument("--reviewer", default="demo-reviewer-1")
    parser.add_argument("--claim", type=int, help="the claim page to read (default: the claim with the latest evidence)")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", choices=["dashboard", "claim"])
    parser.add_argument("--only", choices=["dashboard", "claim"])
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ or "BENCH_PASSWORD" not in os.environ:
        raise SystemExit("set DATABASE_URL and BENCH_PASSWORD")
    password = os.environ["BENCH_PASSWORD"]

    from sqlalchemy import text

    from factcheck import create_app

    app = create_app({"PUBLIC_URL": "http://127.0.0.1", "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
    claim_id = args.claim
    if claim_id is None:
        from sqlalchemy import create_engine

        engine = create_engine(os.environ["DATABASE_URL"])
        with engine.connect() as conn:
            claim_id = conn.execute(text("SELECT claim_id FROM evidence ORDER BY id DESC LIMIT 1")).scalar_one()
        engine.dispose()

    pages = {
        "dashboard": (args.editor, "/dashboard"),
        "claim": (args.reviewer, f"/claims/{claim_id}"),
    }
    for name, (user, path) in pages.items():
        if args.only and name != args.only:
            continue
        client = log_in(app, user, password)
        size = check(client, path)
        if args.profile == name:
            profile = cProfile.Profile(time.process_time)  # CPU only: waits on PostgreSQL left out
            profile.enable()
            for _ in range(args.requests):
                client.get(path)
            profile.disable()
            stats = pstats.Stats(profile, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
            continue
        cpu = cpu_per_request(client, path, args.requests, args.repeats)
        print(f"{name:9s} GET {path:22s} as {user:16s} {size / 1024:6.1f} KB  {cpu * 1000:6.2f} ms CPU/request "
              f"(min of {args.repeats} x {args.requests})", flush=True)


if __name__ == "__main__":
    main()
