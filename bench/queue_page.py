#!/usr/bin/env python3
"""A page against its floor: the app's queue, claim page and dashboard next to a minimal Flask app
that runs the same SQL, and a bare route, all under the same gunicorn settings, in interleaved rounds.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_keyset_1m BENCH_PASSWORD=... \\
        python bench/queue_page.py [--page queue --page claim --page dashboard] [--rounds 5] [--seconds 6]
        python bench/queue_page.py --quick      # one short round of the queue: a smoke test

The floor (bench/_floor_app.py) is built from the page itself: one request to
each page is made in this process through the app's test client with the
benchmark's session cookie, and every statement the app sends to PostgreSQL
(SQLAlchemy's before_cursor_execute) is recorded with its parameters. The
floor replays those statements per request on a pool made like the app's
(one transaction, rolled back), loads the user named by the session cookie
with the app's own statement, and renders every fetched row in a plain Jinja
loop. So the floor costs what this stack must spend on the page's data, and
the gap to it is what the app's own layers add.

Each round runs wrk against the real page, its floor and the bare route
(bench/_bare_app.py) one after the other, so all three see the same machine
load. Printed per page: requests per second and p50/p95 (the median over the
rounds of each run's percentile), CPU milliseconds per request in the
gunicorn workers and in the PostgreSQL backends serving them (backends are
matched to a server by their client ports), and the real/floor ratios against
the issue's targets. CPU per request is the figure to trust on a busy
machine; throughput moves with whatever else runs.

The user (--user, a reviewer) must exist with the password in BENCH_PASSWORD;
the dashboard is read as --editor. Needs wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import connect, proc_cpu_seconds  # noqa: E402
from common import REPO, Client, children, free_port, server  # noqa: E402

LUA = Path(__file__).resolve().parent / "_wrk_report.lua"
BENCH_DIR = Path(__file__).resolve().parent

# Targets from issue 12: real/floor throughput, and the queue's p95 against the floor's.
TARGETS = {"queue": 0.8, "claim": 0.7, "dashboard": 0.7}
P95_TARGET = {"queue": 1.3}

# The settings of factcheck/gunicorn_conf.py (what `factcheck serve` runs), for the floor and
# bare apps. The app writes one JSON line per request instead of gunicorn's access log; the
# floor keeps the access log to stand in for that line's cost.
GUNICORN_OPTIONS = [
    "--worker-class", "gthread", "--threads", "4", "--timeout", "30", "--graceful-timeout", "30",
    "--keep-alive", "5", "--access-logfile", "-", "--error-logfile", "-", "--limit-request-line", "8190",
]


def wrk(url: str, seconds: int, connections: int, cookie: str | None = None, headers=()) -> dict[str, float]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    line = next(l for l in output.splitlines() if l.startswith("RESULT "))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


@contextmanager
def gunicorn_app(module: str, workers: int, env: dict, probe: str, log_path: Path):
    """A module:app of bench/ under gunicorn with the app's settings; yields (base URL, Popen)."""
    port = free_port()
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         *GUNICORN_OPTIONS, "--chdir", str(BENCH_DIR), module],
        env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + probe, timeout=1).read()
                break
            except urllib.error.HTTPError:
                break  # it answers (the floor says 403 without a cookie)
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"{module} did not start; see {log_path}")
                time.sleep(0.1)
        yield base, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


# --- recording the page's SQL -------------------------------------------------


def record_statements(database_url: str, base: str, path: str, cookie: tuple[str, str] | None = None,
                      config: dict | None = None, prepared: set[int] | None = None) -> list[tuple[str, dict]]:
    """Every statement (with parameters) one request for ``path`` sends, made in this process
    through the app's test client (the second of two requests, as a warm worker serves it).
    ``prepared``, when given, receives the indexes of those sent prepared (db.fetch_prepared)."""
    from sqlalchemy import Connection, event

    from factcheck import create_app
    from factcheck import db as factcheck_db

    os.environ["DATABASE_URL"] = database_url
    app = create_app({"PUBLIC_URL": base, **(config or {})})
    seen: list[tuple[str, dict]] = []
    prepared: set[int] = set() if prepared is None else prepared  # indexes in seen of statements sent prepared

    def record(_conn, _cursor, statement, parameters, _context, executemany):
        if executemany:
            raise RuntimeError(f"{path} sends an executemany; the floor cannot replay it")
        seen.append((statement, dict(parameters or {})))

    engines = app.extensions["factcheck.db"].engines()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    # A statement sent on a driver connection (db.fetch_one, db.fetch_prepared: the public page's)
    # passes no engine event. A prepared one is recorded as its SQL, and the floor prepares it too.
    real_fetch_one, real_fetch_prepared = factcheck_db.fetch_one, factcheck_db.fetch_prepared
    preparing = []

    def fetch_one(connection, sql, parameters):
        if not isinstance(connection, Connection) and not preparing:
            record(None, None, sql, parameters, None, False)
        return real_fetch_one(connection, sql, parameters)

    def fetch_prepared(connection, sql, parameters):
        if isinstance(connection, Connection):
            return real_fetch_prepared(connection, sql, parameters)
        prepared.add(len(seen))
        record(None, None, sql, parameters, None, False)
        preparing.append(1)
        try:
            return real_fetch_prepared(connection, sql, parameters)
        finally:
            preparing.pop()

    factcheck_db.fetch_one, factcheck_db.fetch_prepared = fetch_one, fetch_prepared
    try:
        client = app.test_client()
        if cookie:
            client.set_cookie(*cookie)
        for _ in range(2):
            seen.clear()
            prepared.clear()
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code} in the capture")
            if not cookie and response.headers.get("Set-Cookie"):
                raise RuntimeError(f"GET {path} set a cookie")
    finally:
        factcheck_db.fetch_one, factcheck_db.fetch_prepared = real_fetch_one, real_fetch_prepared
        for engine in engines:
            engine.dispose()
    return seen


def capture(database_url: str, base: str, cookie_name: str, cookie_value: str, path: str) -> dict:
    """The floor's plan for a logged-in page: its statements, and which one loads the user."""
    from factcheck import create_app

    os.environ["DATABASE_URL"] = database_url
    app = create_app({"PUBLIC_URL": base})
    user_id = int(str(app.session_interface.get_signing_serializer(app).loads(cookie_value)["_user_id"]).split(":")[0])
    seen = record_statements(database_url, base, path, (cookie_name, cookie_value))
    for index, (statement, parameters) in enumerate(seen):
        keys = [k for k, v in parameters.items() if v == user_id]
        if re.search(r"\bFROM users\b", statement) and keys:
            break
    else:
        raise RuntimeError(f"GET {path}: no statement loads the logged-in user")
    return {"statements": seen, "user_statement": index, "user_parameter": keys[0]}


def secret_key(database_url: str) -> str:
    from factcheck.config import load_settings

    os.environ["DATABASE_URL"] = database_url
    return load_settings().secret_key


# --- CPU per request ------------------------------------------------------------


def _socket_inodes(pids: list[int]) -> set[str]:
    inodes = set()
    for pid in pids:
        try:
            fds = list(Path(f"/proc/{pid}/fd").iterdir())
        except (FileNotFoundError, PermissionError):
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    return inodes


def client_ports(pids: list[int], db_port: int) -> set[int]:
    """Local ports of these processes' TCP connections to PostgreSQL."""
    inodes, ports = _socket_inodes(pids), set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            if fields[9] in inodes and int(fields[2].rsplit(":", 1)[1], 16) == db_port:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


class CpuMeter:
    """CPU seconds of one server's workers and of the PostgreSQL backends serving them."""

    def __init__(self, server_pid: int, database_url: str):
        self.server_pid = server_pid
        self.database_url = database_url
        self.db_port = urllib.parse.urlsplit(database_url).port or 5432

    def workers(self) -> list[int]:
        return [pid for child in children(self.server_pid) for pid in [child, *children(child)]]

    def backends(self, workers: list[int]) -> list[int]:
        ports = client_ports(workers, self.db_port)
        if not ports:
            return []
        conn = connect(self.database_url)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pid FROM pg_stat_activity WHERE client_port = ANY(%s)", (sorted(ports),))
                return [r[0] for r in cur.fetchall()]
        finally:
            conn.close()

    def snapshot(self) -> dict[str, dict[int, float]]:
        workers = self.workers()
        return {
            "app": {pid: proc_cpu_seconds([pid]) for pid in workers},
            "postgres": {pid: proc_cpu_seconds([pid]) for pid in self.backends(workers)},
        }

    @staticmethod
    def used(before: dict, after: dict, side: str) -> float:
        return sum(max(0.0, v - before[side].get(pid, 0.0)) for pid, v in after[side].items())


# --- the run -------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.requests = 0.0
        self.seconds = 0.0
        self.p50: list[float] = []
        self.p95: list[float] = []
        self.cpu = {"app": 0.0, "postgres": 0.0}
        self.bad = 0

    def add(self, r: dict, seconds: float, cpu: dict[str, float]) -> None:
        self.requests += r["requests"]
        self.seconds += seconds
        self.p50.append(r["p50_ms"])
        self.p95.append(r["p95_ms"])
        self.bad += int(r["non2xx"] + r["connect_errors"] + r["timeouts"])
        for side in cpu:
            self.cpu[side] += cpu[side]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else float("nan")

    def cpu_ms(self, side: str) -> float:
        return 1000 * self.cpu[side] / self.requests if self.requests else float("nan")

    def line(self, name: str) -> str:
        return (
            f"  {name:30} {self.rps:8.1f} req/s  p50 {statistics.median(self.p50):6.1f} ms  "
            f"p95 {statistics.median(self.p95):6.1f} ms  CPU/request: workers {self.cpu_ms('app'):5.2f} ms, "
            f"PostgreSQL {self.cpu_ms('postgres'):5.2f} ms{'  NON-2XX/ERRORS ' + str(self.bad) if self.bad else ''}"
        )


def default_claim(database_url: str) -> int:
    """A claim with evidence and history: the one whose evidence was added last."""
    conn = connect(database_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT claim_id FROM evidence ORDER BY id DESC LIMIT 1")
            row = cur.fetchone()
            if row is None:
                cur.execute("SELECT id FROM claims ORDER BY id DESC LIMIT 1")
                row = cur.fetchone()
            return row[0]
    finally:
        conn.close()


def login_cookie(base: str, user: str, password: str, cookie_name: str) -> str:
    client = Client(base)
    client.login(user, password)
    for c in client.jar:
        if c.name == cookie_name:
            return c.value
    raise RuntimeError(f"log-in as {user} set no {cookie_name} cookie")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", action="append", choices=sorted(TARGETS), help="repeat for several (default: all)")
    parser.add_argument("--queue-path", default="/claims")
    parser.add_argument("--claim", type=int, help="claim id for the claim page (default: the last with evidence)")
    parser.add_argument("--dashboard-path", default="/dashboard")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=6, help="per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers for every server (gthread, 4 threads each: factcheck/gunicorn_conf.py)")
    parser.add_argument("--user", default="demo-reviewer-1", help="reviewer for the queue and claim page")
    parser.add_argument("--editor", default="demo-editor-1", help="editor for the dashboard")
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s, 2 workers, 2 connections, queue only")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.workers, args.connections = 1, 2, 2, 2
        args.page = args.page or ["queue"]
    pages = args.page or ["queue", "claim", "dashboard"]
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    url, password = os.environ["DATABASE_URL"], os.environ["BENCH_PASSWORD"]
    instance = os.environ.setdefault("FACTCHECK_INSTANCE", str(REPO / "instance" / "bench"))
    cookie_name = "factcheck_session"
    claim_id = args.claim or default_claim(url)
    paths = {"queue": args.queue_path, "claim": f"/claims/{claim_id}", "dashboard": args.dashboard_path}

    print(f"wrk: 1 thread, {args.connections} connections, {args.seconds:g} s per run, {args.rounds} rounds, "
          f"interleaved; gunicorn: {args.workers} gthread workers (4 threads) per server on {os.cpu_count()} cores.")
    print(f"load before: {Path('/proc/loadavg').read_text().split()[:3]}\n")
    with tempfile.TemporaryDirectory(prefix="floor-") as tmp, server(
        url, workers=args.workers, log_path=Path(tmp, "app.log")
    ) as (base, app_proc):
        cookies = {}
        for page in pages:
            user = args.editor if page == "dashboard" else args.user
            if user not in cookies:
                cookies[user] = login_cookie(base, user, password, cookie_name)
        users = {page: args.editor if page == "dashboard" else args.user for page in pages}
        plan = {"cookie_name": cookie_name, "pages": {}}
        for page in pages:
            plan["pages"][page] = capture(url, base, cookie_name, cookies[users[page]], paths[page])
        plan_file = Path(tmp, "plan.pickle")
        plan_file.write_bytes(pickle.dumps(plan))
        env = {"FLOOR_PLAN": str(plan_file), "DATABASE_URL": url, "SECRET_KEY": secret_key(url),
               "FACTCHECK_INSTANCE": instance}
        with gunicorn_app("_floor_app:app", args.workers, env, "/floor/none", Path(tmp, "floor.log")) as (
            floor_base, floor_proc
        ), gunicorn_app("_bare_app:app", args.workers, {}, "/", Path(tmp, "bare.log")) as (bare_base, bare_proc):
            meters = {
                "real": CpuMeter(app_proc.pid, url),
                "floor": CpuMeter(floor_proc.pid, url),
                "bare": CpuMeter(bare_proc.pid, url),
            }
            targets = {}
            for page in pages:
                cookie = f"{cookie_name}={cookies[users[page]]}"
                targets[(page, "real")] = (base + paths[page], cookie)
                targets[(page, "floor")] = (floor_base + f"/floor/{page}", cookie)
            targets[("-", "bare")] = (bare_base + "/", None)
            for page in pages:
                target, cookie = targets[(page, "floor")]
                request = urllib.request.Request(target, headers={"Cookie": cookie})
                with urllib.request.urlopen(request, timeout=30) as response:
                    rows = response.read().decode().count("<tr><td>")
                print(f"{page}: the floor renders {rows} rows from {len(plan['pages'][page]['statements'])} statements")
            for (page, kind), (target, cookie) in targets.items():  # warm every worker's pool and caches
                wrk(target, 1, args.connections, cookie)
            tallies = {key: Tally() for key in targets}
            print()
            for round_no in range(1, args.rounds + 1):
                for key, (target, cookie) in targets.items():
                    meter = meters[key[1]]
                    before = meter.snapshot()
                    result = wrk(target, args.seconds, args.connections, cookie)
                    after = meter.snapshot()
                    tallies[key].add(result, args.seconds, {s: CpuMeter.used(before, after, s) for s in ("app", "postgres")})
                print(f"round {round_no}/{args.rounds} done")

    print()
    for page in pages:
        print(f"{page}: GET {paths[page]}")
        print(tallies[(page, "real")].line("real page"))
        print(tallies[(page, "floor")].line("floor (same SQL, plain loop)"))
    print(tallies[("-", "bare")].line("bare Flask route"))
    print()
    for page in pages:
        real, floor = tallies[(page, "real")], tallies[(page, "floor")]
        ratio = real.rps / floor.rps
        cpu_ratio = (real.cpu_ms("app") + real.cpu_ms("postgres")) / (floor.cpu_ms("app") + floor.cpu_ms("postgres"))
        p95 = statistics.median(real.p95) / statistics.median(floor.p95)
        verdict = "met" if ratio >= TARGETS[page] else "NOT met"
        text = f"{page}: real/floor throughput {ratio:.2f} (target >= {TARGETS[page]}: {verdict}); "
        if page in P95_TARGET:
            text += f"p95 {p95:.2f}x the floor's (target <= {P95_TARGET[page]}: {'met' if p95 <= P95_TARGET[page] else 'NOT met'}); "
        else:
            text += f"p95 {p95:.2f}x the floor's; "
        text += f"CPU per request (workers + PostgreSQL) {cpu_ratio:.2f}x the floor's"
        print(text)
    if any(t.bad for t in tallies.values()):
        sys.exit("some requests failed (non-2xx or errors): see the lines above")


if __name__ == "__main__":
    main()
