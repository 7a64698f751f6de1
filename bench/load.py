#!/usr/bin/env python3
"""Load test (Locust) and concurrent-update test against gunicorn + PostgreSQL.

    . .venv/bin/activate && pip install locust
    python bench/load.py                       # both parts, defaults below
    python bench/load.py --mode load           # only the Locust run
    python bench/load.py --mode concurrency    # only the concurrent edits

It creates its own database on 127.0.0.1:5432 (BENCH_ADMIN_URL to change),
migrates, seeds, loads `demo-data --articles 50 --claims 5000` (users
demo-reviewer-1..40, demo-editor-1..8, plus bench-reviewer-N for more users),
starts `factcheck serve` (gunicorn, sync workers) on 127.0.0.1 and:

1. load: `locust --headless -u 50 -r 10 -t 60s` with bench/locustfile.py: each
   virtual user logs in once through the form, then works the queue (filters,
   pages, claim pages, take, evidence, comment, propose, search; editors approve
   and open the dashboard). Prints p50/p95/p99, requests per second, per-endpoint
   counts, expected conflicts and errors.
2. concurrency: ATTEMPTS threads, each its own logged-in session (USERS distinct
   reviewers), POST /claims/<id>/edit at the same moment from the same version;
   exactly one must win (303), all others get 409, the claim must hold the
   winner's input at version+1 with exactly one new 'edited' event. ROUNDS rounds.

Exits non-zero on any error or failed check. The server is stopped and the
database dropped at the end. Everything goes to 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import sys
from pathlib import Path


import argparse
import json
import os
import resource
import subprocess
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor


from _setup import (  # noqa: E402
    REPO,
    VERSION_INPUT,
    backend_pids,
    cli_env,
    connect,
    consistency_report,
    cpu_busy_percent,
    cpu_times,
    new_password,
    prepare_database,
    proc_cpu_seconds,
    snapshot_source,
    use_snapshot,
    server_log_problems,
    temp_instance,
    throwaway_database,
    uptime,
)
from common import Client, children, free_port, percentile, server  # noqa: E402

DEMO_REVIEWERS = 40
DEMO_EDITORS = 8


# --- 1. Locust ------------------------------------------------------------------


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_locust(base: str, url: str, server_pid: int, args, password: str, reviewers: list[str], editors: list[str],
               out_dir: Path) -> int:
    records = out_dir / "requests.jsonl"
    env = {
        **os.environ,
        "LOAD_PASSWORD": password,
        "LOAD_REVIEWERS": ",".join(reviewers),
        "LOAD_EDITORS": ",".join(editors),
        "LOAD_REVIEWER_COUNT": str(len(reviewers)),
        "LOAD_EDITOR_COUNT": str(len(editors)),
        "LOAD_RECORDS": str(records),
        "LOAD_WAIT": f"{args.wait_min},{args.wait_max}",
    }
    cmd = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
        "--host", base, "--stop-timeout", "15", "--only-summary", "--csv", str(out_dir / "locust"),
        "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]
    print("$ " + " ".join(cmd[2:]))
    gunicorn = [server_pid, *children(server_pid)]
    before_cpu, started = cpu_times(), time.monotonic()
    app_cpu0, locust_cpu0 = proc_cpu_seconds(gunicorn), _children_cpu()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=args.duration + 180)
    wall = time.monotonic() - started
    busy = cpu_busy_percent(before_cpu, cpu_times())
    app_cpu, locust_cpu = proc_cpu_seconds(gunicorn) - app_cpu0, _children_cpu() - locust_cpu0
    pg_cpu = proc_cpu_seconds(backend_pids(url))
    print(f"  CPU used during the run ({wall:.0f} s wall = {2 * wall:.0f} core-seconds on 2 cores): gunicorn {app_cpu:.0f} s, "
          f"PostgreSQL backends of this database {pg_cpu:.0f} s (whole life), locust {locust_cpu:.0f} s; "
          f"the machine was {busy:.0f}% busy, the rest was other sessions' processes")
    (out_dir / "locust.out").write_text(proc.stdout + "\n" + proc.stderr)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:])
        print(f"locust exited {proc.returncode}")
    if not records.exists():
        print("FAIL: locust wrote no request records")
        return 1
    rows = [json.loads(line) for line in records.read_text().splitlines()]
    return report_load(rows, args, wall, busy)


def report_load(rows: list[list], args, wall: float, busy: float) -> int:
    # row: [epoch start, endpoint, status, ms, outcome, note, username]
    logins = [r for r in rows if r[1] == "POST /login"]
    work = [r for r in rows if r[1] not in ("GET /login", "POST /login")]
    t_first = min(r[0] for r in rows)
    t_last = max(r[0] + r[3] / 1000 for r in rows)
    span = t_last - t_first
    lat = [r[3] for r in rows]
    print(f"\nLoad: {args.users} users ({len(set(r[6] for r in logins))} distinct accounts logged in once each), "
          f"spawn {args.spawn_rate}/s, {args.duration} s, think time {args.wait_min}-{args.wait_max} s between actions")
    print(f"  requests: {len(rows):,} in {span:.1f} s = {len(rows) / span:.1f} req/s "
          f"(after log-in: {len(work):,} = {len(work) / span:.1f} req/s); locust wall {wall:.0f} s; "
          f"machine CPU busy {busy:.0f}% of 2 cores during the run")
    print(f"  latency, all requests:  p50 {percentile(lat, 50):7.1f} ms  p95 {percentile(lat, 95):7.1f} ms  "
          f"p99 {percentile(lat, 99):7.1f} ms  max {max(lat):7.1f} ms")
    login_ms = [r[3] for r in logins]
    if login_ms:
        print(f"  log-in POSTs (argon2):  p50 {percentile(login_ms, 50):7.1f} ms  p95 {percentile(login_ms, 95):7.1f} ms  "
              f"max {max(login_ms):7.1f} ms  (n={len(login_ms)})")
    # steady state: after the last log-in finished (the argon2 burst of the ramp-up is over)
    steady_from = max([r[0] + r[3] / 1000 for r in logins] or [t_first + args.users / args.spawn_rate]) + 1
    steady = [r for r in rows if r[0] >= steady_from]
    if steady:
        s_lat = [r[3] for r in steady]
        s_span = max(r[0] + r[3] / 1000 for r in steady) - steady_from
        print(f"  steady state (from +{steady_from - t_first:.0f} s, after the last log-in, {s_span:.0f} s): "
              f"{len(steady) / s_span:.1f} req/s, "
              f"p50 {percentile(s_lat, 50):.1f} ms  p95 {percentile(s_lat, 95):.1f} ms  p99 {percentile(s_lat, 99):.1f} ms")

    by_name: dict[str, list] = defaultdict(list)
    for r in rows:
        by_name[r[1]].append(r)
    print(f"\n  {'endpoint':38} {'count':>6} {'ok':>6} {'confl':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name in sorted(by_name):
        group = by_name[name]
        ms = [r[3] for r in group]
        c = Counter(r[4] for r in group)
        print(f"  {name:38} {len(group):6} {c['ok']:6} {c['conflict']:6} {c['error']:6} {percentile(ms, 50):8.1f} "
              f"{percentile(ms, 95):8.1f} {percentile(ms, 99):8.1f} {max(ms):8.1f}")
    statuses = Counter(r[2] for r in rows)
    print("  status codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    conflicts = Counter((r[1], r[5]) for r in rows if r[4] == "conflict")
    total_conflicts = sum(conflicts.values())
    print(f"  expected conflicts (lost races, not errors): {total_conflicts}")
    for (name, note), n in conflicts.most_common(8):
        print(f"    {n:5} x {name}: {note}")
    errors = [r for r in rows if r[4] == "error"]
    print(f"  ERRORS: {len(errors)}")
    for (name, note), n in Counter((r[1], r[5]) for r in errors).most_common(10):
        print(f"    {n:5} x {name}: {note}")
    print("  slowest requests after log-in: " + "; ".join(
        f"{r[3]:.0f} ms {r[1].split()[0]} {r[7] if len(r) > 7 else r[1]} at +{r[0] - t_first:.0f}s"
        for r in sorted(work, key=lambda r: -r[3])[:6]))
    done = Counter(r[1] for r in rows if r[4] == "ok" and r[1].startswith("POST /claims"))
    print("  completed actions: " + ", ".join(f"{k.split('/')[-1]} {v}" for k, v in sorted(done.items())))
    return 1 if errors else 0


# --- 2. concurrent edits ------------------------------------------------------------


def run_concurrency(base: str, url: str, args, password: str, reviewers: list[str]) -> int:
    users = reviewers[: args.conc_users]
    sessions = [(users[i % len(users)], i) for i in range(args.attempts)]
    print(f"\nConcurrent edits: {args.attempts} sessions ({len(users)} distinct reviewers), {args.rounds} rounds")
    clients: list[Client] = [Client(base) for _ in sessions]
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda pair: pair[0].login(pair[1][0], password), zip(clients, sessions)))
    print(f"  logged in {len(clients)} sessions in {time.monotonic() - t0:.1f} s")

    conn = connect(url)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT id, username FROM users WHERE username = ANY(%s)", (users,))
    user_ids = {name: uid for uid, name in cur.fetchall()}
    cur.execute("SELECT id FROM claims WHERE status = 'unverified' AND assignee_id IS NULL ORDER BY id DESC LIMIT 1")
    claim_id = cur.fetchone()[0]
    failures = 0
    for rnd in range(1, args.rounds + 1):
        cur.execute(
            "SELECT version, statement, category, claimant, quantity_value, quantity_unit, quantity_qualifier, hedged, "
            "hedge_note FROM claims WHERE id = %s", (claim_id,))
        version, statement, category, claimant, qv, qu, qq, hedged, hedge_note = cur.fetchone()
        cur.execute("SELECT count(*) FROM claim_events WHERE claim_id = %s AND action = 'edited'", (claim_id,))
        edited_before = cur.fetchone()[0]
        base_statement = statement.split(" [round ")[0]
        # Every session loads the edit form first (the version it will send).
        seen = Counter()
        loaded: list[int | None] = [None] * len(clients)

        def load(i: int) -> None:
            status, body = clients[i].get(f"/claims/{claim_id}/edit")
            m = VERSION_INPUT.search(body.decode("utf-8", "replace")) if status == 200 else None
            loaded[i] = int(m.group(1)) if m else None
            seen[(status, loaded[i])] += 1

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(load, range(len(clients))))
        if any(v != version for v in loaded):
            print(f"  round {rnd}: FAIL the edit form did not show version {version} to every session: {dict(seen)}")
            failures += 1
            break

        inputs = []
        for i, (username, _) in enumerate(sessions):
            inputs.append({
                "version": str(version),
                "statement": f"{base_statement} [round {rnd} attempt {i} by {username}]",
                "category": category.value if hasattr(category, "value") else category,
                "claimant": f"Concurrency tester {i}",
                "quantity_value": "" if qv is None else f"{qv.normalize():f}",
                "quantity_unit": qu or "",
                "quantity_qualifier": qq or "",
                **({"hedged": "y"} if (i % 2 == 0) else {}),
                "hedge_note": f"note {rnd}-{i}",
            })
        barrier = threading.Barrier(len(clients), timeout=60)
        results: list[tuple[int, float] | None] = [None] * len(clients)

        def attempt(i: int) -> None:
            barrier.wait()
            started = time.perf_counter()
            try:
                status, _ = clients[i].post(f"/claims/{claim_id}/edit", inputs[i])
            except Exception as exc:  # noqa: BLE001 - a connection error is a result too
                status = f"{type(exc).__name__}"
            results[i] = (status, (time.perf_counter() - started) * 1000)

        threads = [threading.Thread(target=attempt, args=(i,), daemon=True) for i in range(len(clients))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        tally = Counter(r[0] if r else "no answer" for r in results)
        winners = [i for i, r in enumerate(results) if r and r[0] == 303]
        ms = [r[1] for r in results if r]
        cur.execute(
            "SELECT version, statement, claimant, hedged, hedge_note FROM claims WHERE id = %s", (claim_id,))
        new_version, new_statement, new_claimant, new_hedged, new_note = cur.fetchone()
        cur.execute(
            "SELECT id, actor_id, claim_version, details FROM claim_events WHERE claim_id = %s AND action = 'edited' "
            "ORDER BY id", (claim_id,))
        edited = cur.fetchall()
        problems = []
        if len(winners) != 1:
            problems.append(f"{len(winners)} winners")
        if tally.get(409, 0) != len(clients) - 1:
            problems.append(f"{tally.get(409, 0)} x 409 instead of {len(clients) - 1}")
        if new_version != version + 1:
            problems.append(f"version {version} -> {new_version}")
        if len(edited) != edited_before + 1:
            problems.append(f"{len(edited) - edited_before} new 'edited' events")
        if len(winners) == 1:
            w = winners[0]
            want = inputs[w]
            if (new_statement, new_claimant, new_hedged, new_note) != (
                want["statement"], want["claimant"], "hedged" in want, want["hedge_note"]):
                problems.append(f"final state {new_statement!r}/{new_claimant!r} is not the winner's input")
            if edited and (edited[-1][1] != user_ids[sessions[w][0]] or edited[-1][2] != version + 1
                           or edited[-1][3].get("changes", {}).get("statement", [None, None])[1] != want["statement"]):
                problems.append(f"the new event {edited[-1][:3]} does not record the winner's edit")
        who = f"session {winners[0]} ({sessions[winners[0]][0]})" if len(winners) == 1 else "-"
        print(f"  round {rnd}: claim #{claim_id} version {version} -> {new_version}; "
              + ", ".join(f"{k} x{v}" for k, v in sorted(tally.items(), key=str))
              + f"; winner {who}; new 'edited' events {len(edited) - edited_before}; "
              f"latency p50 {percentile(ms, 50):.0f} ms max {max(ms):.0f} ms; "
              + ("OK" if not problems else "FAIL: " + "; ".join(problems)))
        failures += bool(problems)
    conn.close()
    return 1 if failures else 0


# --- main -------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["all", "load", "concurrency"], default="all")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--editors", type=int, default=8, help="how many of --users are editors (at most 8 + extras)")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--wait-min", type=float, default=0.5)
    parser.add_argument("--wait-max", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--attempts", type=int, default=100)
    parser.add_argument("--conc-users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fast-argon2", action="store_true", help="FACTCHECK_ARGON2_FAST=1 (not the default)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--live-tree", action="store_true",
                        help="run the working tree itself, not a copy taken at the start (edits during the run then mix in)")
    args = parser.parse_args()
    if args.users > 1000 or args.duration > 1800 or args.attempts > 500 or args.rounds > 50:
        parser.error("keep the run bounded: users <= 1000, duration <= 1800 s, attempts <= 500, rounds <= 50")

    print(f"uptime before: {uptime()}")
    print(f"argon2: {'FAST (FACTCHECK_ARGON2_FAST=1)' if args.fast_argon2 else 'production parameters'}; "
          f"gunicorn: {args.workers} sync workers")
    password = new_password()
    editors_wanted = min(args.editors, args.users)
    reviewers_wanted = max(args.users - editors_wanted, args.conc_users)
    extra = [(f"bench-reviewer-{i}", "reviewer") for i in range(DEMO_REVIEWERS + 1, reviewers_wanted + 1)]
    extra += [(f"bench-editor-{i}", "editor") for i in range(DEMO_EDITORS + 1, editors_wanted + 1)]
    reviewers = [f"demo-reviewer-{i}" for i in range(1, min(DEMO_REVIEWERS, reviewers_wanted) + 1)]
    reviewers += [u for u, r in extra if r == "reviewer"]
    editors = [f"demo-editor-{i}" for i in range(1, min(DEMO_EDITORS, editors_wanted) + 1)]
    editors += [u for u, r in extra if r == "editor"]

    out_dir = REPO / "instance" / "bench-load"
    out_dir.mkdir(parents=True, exist_ok=True)
    rc = 0
    with temp_instance() as instance, throwaway_database("fc_load", keep=args.keep_db) as url:
        if not args.live_tree:
            print("code: " + snapshot_source(instance / "src"))
            use_snapshot(instance / "src")
        env = cli_env(url, instance, args.fast_argon2)
        t0 = time.monotonic()
        for line in prepare_database(env, articles=args.articles, claims=args.claims, password=password,
                                     extra_users=extra):
            print("  " + line.splitlines()[-1] if line else "")
        print(f"  database ready in {time.monotonic() - t0:.0f} s ({url.rsplit('/', 1)[1]})")
        port = free_port()
        extra_env = {"FACTCHECK_INSTANCE": str(instance)}
        if args.fast_argon2:
            extra_env["FACTCHECK_ARGON2_FAST"] = "1"
        saved = os.environ.pop("FACTCHECK_ARGON2_FAST", None)
        try:
            with server(url, workers=args.workers, port=port, extra_env=extra_env) as (base, proc):
                print(f"  server {base} (gunicorn pid {proc.pid})")
                if args.mode in ("all", "load"):
                    rc |= run_locust(base, url, proc.pid, args, password, reviewers[: args.users - len(editors)], editors, out_dir)
                    print(f"uptime after load: {uptime()}")
                if args.mode in ("all", "concurrency"):
                    rc |= run_concurrency(base, url, args, password, reviewers)
                    print(f"uptime after concurrency: {uptime()}")
        finally:
            if saved is not None:
                os.environ["FACTCHECK_ARGON2_FAST"] = saved
        log = REPO / "instance" / f"bench-server-{port}.log"
        problems = server_log_problems(log)
        print(f"\nServer log {log}: {problems['5xx']} responses 5xx ({problems['500']} x 500), "
              f"{problems['tracebacks']} tracebacks, {problems['worker_timeouts']} worker timeouts")
        for line in problems["examples"]:
            print("    " + line)
        if problems["500"] or problems["tracebacks"] or problems["worker_timeouts"]:
            rc = 1
        ok, lines = consistency_report(url)
        print("Database consistency after the run:")
        for line in lines:
            print("  " + line)
        rc |= 0 if ok else 1
    print(f"\n{'PASS' if rc == 0 else 'FAIL'} (raw records in {out_dir})")
    return rc


if __name__ == "__main__":
    sys.exit(main())
