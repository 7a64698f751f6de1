#!/usr/bin/env python3
"""PostgreSQL restart under load: the app must answer 503 while the database is
down, recover by itself within seconds, and lose or half-write nothing.

    . .venv/bin/activate
    python bench/faults.py [--threads 10] [--duration 45] [--stop-at 15] [--down 10] [--workers 4]

It runs a PRIVATE PostgreSQL 15 (initdb into a temporary folder, its own port
and socket folder, as the 'postgres' OS user when run as root; the shared
server on 5432 is never touched), migrates, seeds, loads a little demo data,
starts gunicorn against it and runs THREADS logged-in sessions (distinct
reviewers) doing reads (queue, claim pages) and writes (comments with unique
texts, claim edits) for DURATION seconds, with a /healthz probe every 0.25 s.
At STOP_AT seconds it runs `pg_ctl stop -m fast`, waits DOWN seconds and
`pg_ctl start`s it again; gunicorn is not restarted.

PASS needs:
  * while PostgreSQL is down: every page answers 503 with the "Database
    unavailable" page, /healthz 503, nothing 500, no connection error, max
    latency < --max-down-latency (10 s);
  * nothing anywhere in the run answers 500 or fails to answer;
  * within --recovery (5 s) of PostgreSQL accepting connections again, requests
    succeed and keep succeeding, and /healthz answers 200;
  * every acknowledged write (303) is in the database exactly once (comment
    texts in claim_events; edits as one 'edited' event each, the claim holding
    its latest edit);
  * no claim is half-written: version = its version-bumping events, status
    agrees with its fields and history, refresh_claim_rollups() changes nothing.

Exits non-zero on FAIL. Stops gunicorn and the private PostgreSQL and removes
the temporary folder at the end. Traffic goes to 127.0.0.1 only; every loop
ends by a deadline.
"""

from __future__ import annotations

import sys


import argparse  # noqa: E402
import random  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from html.parser import HTMLParser  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402


from _setup import (  # noqa: E402
    REPO,
    VERSION_INPUT,
    PrivatePostgres,
    cli_env,
    connect,
    consistency_report,
    new_password,
    prepare_database,
    server_log_problems,
    snapshot_source,
    temp_instance,
    use_snapshot,
    uptime,
    with_db,
)
from common import Client, children, free_port, link_labelled, percentile, server  # noqa: E402

REQUEST_TIMEOUT = 20  # seconds; a request still unanswered by then counts as a hang
DOWN_PAGE = "Database unavailable"


class TimedClient(Client):
    def request(self, path, data=None, timeout: float = REQUEST_TIMEOUT):
        return super().request(path, data, timeout=timeout)


class Recorder:
    def __init__(self, t0: float):
        self.t0 = t0
        self.rows: list[dict] = []
        self.lock = threading.Lock()

    def call(self, client: Client, kind: str, path: str, data: dict | None = None, **extra) -> tuple[int | str, str]:
        started = time.monotonic()
        try:
            if data is None:
                status, body = client.get(path)
            else:
                status, body = client.post(path, data)
            text = body.decode("utf-8", "replace")
        except Exception as exc:  # noqa: BLE001 - timeouts and refused connections are results here
            status, text = f"{type(exc).__name__}: {exc}"[:120], ""
        ended = time.monotonic()
        row = {
            "kind": kind, "path": path, "status": status, "start": started - self.t0, "end": ended - self.t0,
            "ms": (ended - started) * 1000, "bytes": len(text),
            "down_page": DOWN_PAGE in text or '"unavailable"' in text, **extra,
        }
        with self.lock:
            self.rows.append(row)
        return status, text


def worker(rec: Recorder, client: Client, index: int, own_claims: list[int], all_claims: list[int],
           deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    seq = 0
    next_page = None  # the queue pages by cursor: follow its own "Next" link, as a reader does
    while time.monotonic() < deadline:
        seq += 1
        roll = rng.random()
        if roll < 0.30:
            if next_page and rng.random() < 0.6:
                path = next_page
            else:
                path = f"/claims?status={rng.choice(['', 'unverified', 'in_review', 'open'])}"
            status, page = rec.call(client, "GET queue", path)
            next_page = link_labelled(page, "Next") if status == 200 else None
        elif roll < 0.55:
            rec.call(client, "GET claim", f"/claims/{rng.choice(all_claims)}")
        elif roll < 0.80:
            text = f"fault-comment {index}-{seq}-{uuid.uuid4().hex}"
            claim_id = rng.choice(all_claims)
            rec.call(client, "POST comment", f"/claims/{claim_id}/comments", {"comment": text},
                     claim_id=claim_id, text=text)
        else:
            claim_id = rng.choice(own_claims)
            status, page = rec.call(client, "GET edit form", f"/claims/{claim_id}/edit")
            match = VERSION_INPUT.search(page) if status == 200 else None
            fields = _edit_fields(page) if match else None
            if match and fields:
                statement = f"{fields['statement'].split(' [fault edit ')[0]} [fault edit {index}-{seq}]"
                rec.call(client, "POST edit", f"/claims/{claim_id}/edit",
                         {**fields, "statement": statement, "version": match.group(1)},
                         claim_id=claim_id, text=statement)
        time.sleep(rng.uniform(0.05, 0.25))


class _FormFields(HTMLParser):
    """The fields a browser would submit from the first form whose action contains ``action``."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.done = action, False, False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and self.action in (a.get("action") or ""):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.fields[name] = a.get("value") or "y"
            else:
                self.fields[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._first_option.setdefault(self._select, a.get("value") or "")
            if "selected" in a:
                self.fields[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first_option.get(self._select, ""))
            self._select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def _edit_fields(page: str) -> dict | None:
    """The edit form's current values, as a browser would send them back."""
    parser = _FormFields("/edit")
    parser.feed(page)
    fields = parser.fields
    if "statement" not in fields:
        return None
    fields["statement"] = fields["statement"].strip()
    fields.pop("csrf_token", None)
    return fields


def probe(rec: Recorder, base: str, deadline: float) -> None:
    client = TimedClient(base)
    while time.monotonic() < deadline:
        rec.call(client, "GET /healthz", "/healthz")
        time.sleep(0.25)


def analyse(rec: Recorder, marks: dict, args) -> tuple[list[str], list[str]]:
    """Returns (report lines, failures)."""
    rows = sorted(rec.rows, key=lambda r: r["start"])
    out, fails = [], []
    stop_begin, stop_done = marks["stop_begin"], marks["stop_done"]
    start_begin, start_done = marks["start_begin"], marks["start_done"]

    def phase(r) -> str:
        if r["end"] < stop_begin:
            return "1 before"
        if r["start"] < stop_done:
            return "2 stopping"
        if r["end"] <= start_begin:
            return "3 down"
        if r["start"] < start_done:
            return "4 starting"
        return "5 after"

    def good(r) -> bool:
        return r["status"] in (200, 303)

    by_phase: dict[str, list] = defaultdict(list)
    for r in rows:
        by_phase[phase(r)].append(r)
    out.append(f"{'phase':12} {'requests':>8}  statuses                                   max latency")
    for name in sorted(by_phase):
        group = by_phase[name]
        statuses = Counter(str(r["status"]) for r in group)
        out.append(f"{name:12} {len(group):8}  {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items())):42} "
                   f"{max(r['ms'] for r in group) / 1000:6.2f} s")

    hard = [r for r in rows if r["status"] == 500 or not isinstance(r["status"], int)]
    if hard:
        fails.append(f"{len(hard)} requests answered 500 or not at all: "
                     + "; ".join(f"{r['kind']} {r['path']} at {r['start']:.2f}s -> {r['status']} ({r['bytes']} bytes)"
                               for r in hard[:6]))
    before_bad = [r for r in by_phase.get("1 before", []) if not good(r)]
    if before_bad:
        fails.append(f"{len(before_bad)} requests failed BEFORE the stop: "
                     + "; ".join(f"{r['kind']} -> {r['status']}" for r in before_bad[:5]))
    down = by_phase.get("3 down", [])
    if not down:
        fails.append("no request ran while PostgreSQL was down")
    else:
        not_503 = [r for r in down if r["status"] != 503]
        no_message = [r for r in down if r["status"] == 503 and not r["down_page"]]
        max_down = max(r["ms"] for r in down) / 1000
        health = [r for r in down if r["kind"] == "GET /healthz"]
        out.append(f"while down: {len(down)} requests, {sum(r['status'] == 503 for r in down)} x 503 "
                   f"({len(down) - len(no_message) - len(not_503)} with the 'Database unavailable' page or JSON), "
                   f"/healthz {Counter(r['status'] for r in health)}, max latency {max_down:.2f} s, "
                   f"p50 {percentile([r['ms'] for r in down], 50):.0f} ms")
        if not_503:
            fails.append(f"{len(not_503)} requests while down did not answer 503: "
                         + "; ".join(f"{r['kind']} -> {r['status']}" for r in not_503[:5]))
        if no_message:
            fails.append(f"{len(no_message)} 503 answers while down lacked the 'Database unavailable' message")
        if max_down >= args.max_down_latency:
            fails.append(f"max latency while down {max_down:.2f} s >= {args.max_down_latency} s")
        if not health or any(r["status"] != 503 for r in health):
            fails.append("/healthz did not answer 503 throughout the outage")
    transition = by_phase.get("2 stopping", []) + by_phase.get("4 starting", [])
    odd = [r for r in transition if r["status"] not in (200, 303, 409, 503)]
    if odd:
        fails.append(f"{len(odd)} requests around the stop/start answered neither success nor 503: "
                     + "; ".join(f"{r['kind']} -> {r['status']}" for r in odd[:5]))

    after = [r for r in rows if r["start"] >= start_done]
    pages_after = [r for r in after if r["kind"] != "GET /healthz"]
    first_ok = next((r for r in pages_after if good(r)), None)
    failures_after = [r for r in pages_after if not good(r) and r["status"] != 409]
    health_after = [r for r in after if r["kind"] == "GET /healthz"]
    first_health = next((r for r in health_after if r["status"] == 200), None)
    if first_ok is None:
        fails.append("no request succeeded after PostgreSQL came back")
    else:
        settled = max([r["end"] for r in failures_after], default=start_done) - start_done
        out.append(f"after restart: first success {first_ok['end'] - start_done:.2f} s after PostgreSQL accepted "
                   f"connections; last failure {settled:.2f} s after ({len(failures_after)} failed of "
                   f"{len(pages_after)}); /healthz 200 again after "
                   f"{(first_health['end'] - start_done) if first_health else float('nan'):.2f} s")
        if settled > args.recovery or first_ok["end"] - start_done > args.recovery:
            fails.append(f"requests were still failing {settled:.2f} s after PostgreSQL was back (limit {args.recovery} s)")
        if first_health is None or first_health["end"] - start_done > args.recovery:
            fails.append("/healthz did not answer 200 within the recovery limit")
        if health_after and health_after[-1]["status"] != 200:
            fails.append("/healthz was not 200 at the end")
    return out, fails


def timeline(rec: Recorder, marks: dict, seconds: int) -> list[str]:
    lines = []
    per_second: dict[int, list] = defaultdict(list)
    for r in rec.rows:
        per_second[int(r["start"])].append(r)
    events = {int(v): k for k, v in marks.items()}
    for s in range(0, seconds + 1):
        group = per_second.get(s, [])
        if not group and s not in events:
            continue
        c = Counter(str(r["status"]) for r in group)
        mx = max((r["ms"] for r in group), default=0)
        note = " ".join(k for k, v in marks.items() if int(v) == s)
        lines.append(f"  t={s:3d}s {len(group):3d} req  " + ", ".join(f"{k}:{v}" for k, v in sorted(c.items()))
                     + f"  max {mx:6.0f} ms  {note}")
    return lines


def verify_writes(url: str, rec: Recorder) -> tuple[list[str], list[str]]:
    out, fails = [], []
    comments = [r for r in rec.rows if r["kind"] == "POST comment"]
    edits = [r for r in rec.rows if r["kind"] == "POST edit"]
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT comment, count(*) FROM claim_events WHERE action = 'commented' "
                        "AND comment LIKE 'fault-comment %%' GROUP BY comment")
            stored = dict(cur.fetchall())
            cur.execute("SELECT claim_id, details->'changes'->'statement'->>1, count(*) FROM claim_events "
                        "WHERE action = 'edited' GROUP BY 1, 2")
            stored_edits = {(c, s): n for c, s, n in cur.fetchall()}
            acked = [r for r in comments if r["status"] == 303]
            missing = [r for r in acked if stored.get(r["text"], 0) == 0]
            doubled = [r for r in acked if stored.get(r["text"], 0) > 1]
            unacked = [r for r in comments if r["status"] != 303]
            landed = [r for r in unacked if stored.get(r["text"], 0) > 0]
            out.append(f"comments: {len(comments)} sent, {len(acked)} acknowledged (303): {len(acked) - len(missing)} "
                       f"found, {len(missing)} missing, {len(doubled)} stored twice; {len(unacked)} not acknowledged "
                       f"({Counter(str(r['status']) for r in unacked)}), of which {len(landed)} were stored anyway")
            if missing or doubled:
                fails.append(f"acknowledged comments lost ({len(missing)}) or duplicated ({len(doubled)}): "
                             + ", ".join(r["text"] for r in (missing + doubled)[:5]))
            if landed:
                out.append("  NOTE: answered 503 ('Nothing was changed') but stored: "
                           + "; ".join(f"{r['text']} (status {r['status']} at {r['start']:.2f}s)" for r in landed[:5]))
            acked_e = [r for r in edits if r["status"] == 303]
            missing_e = [r for r in acked_e if stored_edits.get((r["claim_id"], r["text"]), 0) == 0]
            doubled_e = [r for r in acked_e if stored_edits.get((r["claim_id"], r["text"]), 0) > 1]
            unacked_e = [r for r in edits if r["status"] != 303]
            landed_e = [r for r in unacked_e if stored_edits.get((r["claim_id"], r["text"]), 0) > 0]
            out.append(f"edits: {len(edits)} sent, {len(acked_e)} acknowledged: {len(acked_e) - len(missing_e)} found "
                       f"as one 'edited' event, {len(missing_e)} missing, {len(doubled_e)} doubled; {len(unacked_e)} not "
                       f"acknowledged ({Counter(str(r['status']) for r in unacked_e)}), of which {len(landed_e)} stored anyway")
            if missing_e or doubled_e:
                fails.append(f"acknowledged edits lost ({len(missing_e)}) or duplicated ({len(doubled_e)})")
            if landed_e:
                out.append("  NOTE: edit answered non-303 but stored: "
                           + "; ".join(f"#{r['claim_id']} {r['status']} at {r['start']:.2f}s" for r in landed_e[:5]))
            # Each edited claim holds its latest edit.
            claims = sorted({r["claim_id"] for r in edits})
            wrong = []
            for claim_id in claims:
                cur.execute("SELECT statement FROM claims WHERE id = %s", (claim_id,))
                current = cur.fetchone()[0]
                cur.execute("SELECT details->'changes'->'statement'->>1 FROM claim_events WHERE claim_id = %s "
                            "AND action = 'edited' ORDER BY claim_version DESC, id DESC LIMIT 1", (claim_id,))
                last = cur.fetchone()
                if last and last[0] != current:
                    wrong.append((claim_id, current, last[0]))
            if wrong:
                fails.append(f"{len(wrong)} claims do not hold their latest edit: {wrong[:3]}")
            else:
                out.append(f"each of the {len(claims)} edited claims holds the statement of its latest 'edited' event")
    finally:
        conn.close()
    return out, fails


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--duration", type=float, default=45)
    parser.add_argument("--stop-at", type=float, default=15)
    parser.add_argument("--down", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-down-latency", type=float, default=10.0)
    parser.add_argument("--recovery", type=float, default=5.0)
    parser.add_argument("--fast-argon2", action="store_true")
    parser.add_argument("--live-tree", action="store_true",
                        help="run the working tree itself, not a copy taken at the start")
    args = parser.parse_args()
    if not (1 <= args.threads <= 40 and args.duration <= 600 and args.stop_at + args.down + 5 < args.duration):
        parser.error("1-40 threads, duration <= 600 s, and the restart must end at least 5 s before the run does")

    print(f"uptime before: {uptime()}")
    print(f"argon2: {'FAST' if args.fast_argon2 else 'production parameters'}; gunicorn {args.workers} sync workers; "
          f"{args.threads} threads for {args.duration:.0f} s; stop PostgreSQL at {args.stop_at:.0f} s for {args.down:.0f} s")
    failures: list[str] = []
    password = new_password()
    with temp_instance("factcheck-faults-") as root:
        root.chmod(0o755)  # the 'postgres' user must reach root/pg
        if not args.live_tree:
            print("code: " + snapshot_source(root / "src"))
            use_snapshot(root / "src")
        pg = PrivatePostgres(root / "pg", free_port())
        (root / "pg").mkdir()
        pg.init()
        pg.start()
        print(f"private PostgreSQL 15 in {pg.data} on 127.0.0.1:{pg.port} (socket dir {pg.sockets})")
        try:
            admin = connect(pg.url)
            admin.autocommit = True
            admin.cursor().execute('CREATE DATABASE "factcheck"')
            admin.close()
            url = with_db(pg.url, "factcheck")
            instance = root / "instance"
            env = cli_env(url, instance, args.fast_argon2)
            for line in prepare_database(env, articles=10, claims=500, password=password):
                print("  " + line.splitlines()[-1])
            conn = connect(url)
            with conn.cursor() as cur:
                cur.execute("SELECT id FROM claims ORDER BY id")
                all_claims = [r[0] for r in cur.fetchall()]
                cur.execute("SELECT id FROM claims WHERE status = 'unverified' ORDER BY id LIMIT %s", (args.threads * 3,))
                open_claims = [r[0] for r in cur.fetchall()]
            conn.close()
            extra_env = {"FACTCHECK_INSTANCE": str(instance)}
            if args.fast_argon2:
                extra_env["FACTCHECK_ARGON2_FAST"] = "1"
            port = free_port()
            with server(url, workers=args.workers, port=port, extra_env=extra_env) as (base, proc):
                for _ in range(100):  # all workers booted (bounded: 10 s)
                    if len(children(proc.pid)) >= args.workers:
                        break
                    time.sleep(0.1)
                workers_before = sorted(children(proc.pid))
                clients = [TimedClient(base) for _ in range(args.threads)]
                with ThreadPoolExecutor(max_workers=4) as pool:
                    list(pool.map(lambda i: clients[i].login(f"demo-reviewer-{i + 1}", password), range(args.threads)))
                print(f"server {base}: gunicorn master {proc.pid}, workers {workers_before}; "
                      f"{args.threads} sessions logged in")
                t0 = time.monotonic()
                deadline = t0 + args.duration
                rec = Recorder(t0)
                threads = [threading.Thread(target=probe, args=(rec, base, deadline), daemon=True)]
                for i, client in enumerate(clients):
                    own = open_claims[i * 3:(i + 1) * 3] or open_claims[:1]
                    threads.append(threading.Thread(
                        target=worker, args=(rec, client, i + 1, own, all_claims, deadline, i), daemon=True))
                for t in threads:
                    t.start()
                marks = {}
                time.sleep(max(0.0, t0 + args.stop_at - time.monotonic()))
                marks["stop_begin"] = time.monotonic() - t0
                pg.stop("fast")
                marks["stop_done"] = time.monotonic() - t0
                time.sleep(max(0.0, t0 + marks["stop_done"] + args.down - time.monotonic()))
                marks["start_begin"] = time.monotonic() - t0
                pg.start()
                marks["start_done"] = time.monotonic() - t0
                for t in threads:
                    t.join(timeout=args.duration + REQUEST_TIMEOUT + 10)
                workers_after = sorted(children(proc.pid))
            print(f"\nTimeline (s since the load started): pg_ctl stop -m fast {marks['stop_begin']:.2f} -> "
                  f"{marks['stop_done']:.2f}; down {marks['start_begin'] - marks['stop_done']:.2f} s; "
                  f"pg_ctl start {marks['start_begin']:.2f} -> accepting connections {marks['start_done']:.2f}")
            for line in timeline(rec, marks, int(args.duration) + 1):
                print(line)
            print(f"\n{len(rec.rows)} requests; gunicorn master stayed pid {proc.pid}; workers before {workers_before}, "
                  f"after {workers_after} ("
                  + ("no worker was restarted" if set(workers_before) <= set(workers_after)
                     else f"RESTARTED: {sorted(set(workers_before) - set(workers_after))} gone") + ")")
            lines, fails = analyse(rec, marks, args)
            for line in lines:
                print("  " + line)
            failures += fails
            print("\nWrites and integrity:")
            lines, fails = verify_writes(url, rec)
            for line in lines:
                print("  " + line)
            failures += fails
            ok, lines = consistency_report(url)
            for line in lines:
                print("  " + line)
            if not ok:
                failures.append("database consistency checks failed (see above)")
            log = REPO / "instance" / f"bench-server-{port}.log"
            problems = server_log_problems(log)
            print(f"  server log {log}: {problems['5xx']} x 5xx ({problems['500']} x 500), "
                  f"{problems['tracebacks']} tracebacks, {problems['worker_timeouts']} worker timeouts")
            for line in problems["examples"]:
                print("    " + line)
            if problems["500"] or problems["worker_timeouts"]:
                failures.append("the server log shows 500s or worker timeouts")
        finally:
            if pg.running():
                pg.stop("fast")
    print(f"\nuptime after: {uptime()}")
    if failures:
        print("\nFAIL")
        for f in failures:
            print("  - " + f)
        return 1
    print("\nPASS: 503 while down, recovered without restarting gunicorn, no acknowledged write lost, nothing half-written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
