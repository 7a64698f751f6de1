"""Shared set-up for bench/load.py and bench/faults.py: throwaway databases, the
factcheck CLI, a private PostgreSQL instance, HTML scraping and the consistency
checks run on a database after a test.

Everything talks to 127.0.0.1 only; every wait has a deadline.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SYSTEM_PG_BIN = Path(os.environ.get("BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))


def private_pg_bin() -> tuple[Path, str | None]:
    """(programs, OS user to run them as) for a private PostgreSQL: the machine's PostgreSQL 15
    when installed, otherwise the embedded server's package (as its own unprivileged user)."""
    if (SYSTEM_PG_BIN / "pg_ctl").exists():
        return SYSTEM_PG_BIN, "postgres" if os.geteuid() == 0 else None
    from factcheck.embedded import _run_as, bin_dir

    return bin_dir(), _run_as()

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" type="hidden" value="(\d+)"')
FLASH_ERROR = re.compile(r'<p class="flash flash--error">([^<]*)</p>')


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "load average: " + Path("/proc/loadavg").read_text().strip()


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs, for a utilisation figure over an interval."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def cpu_busy_percent(before: tuple[int, int], after: tuple[int, int]) -> float:
    busy, total = after[0] - before[0], after[1] - before[1]
    return 100.0 * busy / total if total else float("nan")


def proc_cpu_seconds(pids) -> float:
    """User + system CPU seconds used so far by these processes (those still alive)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def backend_pids(url: str) -> list[int]:
    """PostgreSQL backend pids connected to this URL's database."""
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            return [r[0] for r in cur.fetchall()]
    finally:
        conn.close()


def with_db(url: str, dbname: str) -> str:
    """The same server, another database (also for socket URLs: postgresql://u@/db?host=/dir)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))


def connect(url: str):
    return psycopg2.connect(url, connect_timeout=5, application_name="factcheck-bench")


@contextmanager
def throwaway_database(prefix: str, admin_url: str = ADMIN_URL, keep: bool = False):
    """CREATE DATABASE <prefix>_<pid>_<random> on the admin URL's server; dropped at the end."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    conn = connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    try:
        yield with_db(admin_url, name)
    finally:
        if keep:
            print(f"(kept database {name})")
        else:
            drop_database(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    conn = connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


SOURCE_PARTS = ("factcheck", "templates", "static", "migrations", "seeds")


def snapshot_source(dest: Path) -> str:
    """Copy the app's code (factcheck/, templates/, static/, migrations/, seeds/) from the
    working tree, so that edits other people make while a test runs cannot mix two
    versions in one server. Run with PYTHONPATH=dest and the working directory dest
    (for `python -m`, the working directory comes first on sys.path). Returns a description."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in SOURCE_PARTS:
        shutil.copytree(REPO / part, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", *SOURCE_PARTS],
                               capture_output=True, text=True, timeout=30).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        head, dirty = "?", []
    return f"snapshot of the working tree at {time.strftime('%H:%M:%S')}: commit {head} + {len(dirty)} uncommitted file(s)"


def use_snapshot(dest: Path) -> None:
    """Make this process's children (CLI, gunicorn) import the snapshot, not the working tree."""
    os.environ["PYTHONPATH"] = str(dest) + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    os.chdir(dest)


def cli_env(database_url: str, instance: str | Path, fast_argon2: bool = False) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "FACTCHECK_INSTANCE": str(instance)}
    env.pop("FACTCHECK_ARGON2_FAST", None)
    if fast_argon2:
        env["FACTCHECK_ARGON2_FAST"] = "1"
    return env


def run_cli(env: dict, *args: str, stdin: str | None = None, timeout: float = 900) -> str:
    """`factcheck ARGS` with this interpreter; raises with its output if it fails."""
    proc = subprocess.run(
        [sys.executable, "-m", "factcheck.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"factcheck {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout.strip()


def prepare_database(
    env: dict,
    *,
    articles: int,
    claims: int,
    password: str,
    extra_users: list[tuple[str, str]] = (),
) -> list[str]:
    """Migrate, seed, load demo data (users demo-reviewer-1..40, demo-editor-1..8) and add extra
    users [(username, role)] with the same password; returns the CLI's messages."""
    out = [run_cli(env, "db", "upgrade"), run_cli(env, "seed")]
    if claims:
        out.append(
            run_cli(env, "demo-data", "--articles", str(articles), "--claims", str(claims), "--password-stdin",
                    stdin=password + "\n")
        )
    for username, role in extra_users:
        out.append(
            run_cli(env, "user", "add", username, "--role", role, "--display-name", username.replace("-", " ").title(),
                    "--password-stdin", stdin=password + "\n")
        )
    return out


def new_password() -> str:
    return "Bench-" + secrets.token_urlsafe(15)


@contextmanager
def temp_instance(prefix: str = "factcheck-bench-"):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def server_log_problems(log_path: Path) -> dict:
    """Count 5xx requests and Python tracebacks/worker timeouts in the server's log.

    A request is the app's JSON line ("status": 503, factcheck/web/observe.py) or, from a
    server of before those lines, gunicorn's access-log line ('" 503 ')."""
    result = {"5xx": 0, "500": 0, "tracebacks": 0, "worker_timeouts": 0, "examples": []}
    if not log_path.exists():
        return result
    access_5xx = re.compile(r'(?:" |"status": )(5\d\d)\b')
    for line in log_path.read_text(errors="replace").splitlines():
        m = access_5xx.search(line)
        if m:
            result["5xx"] += 1
            if m.group(1) == "500":
                result["500"] += 1
                if len(result["examples"]) < 5:
                    result["examples"].append(line.strip())
        if line.startswith("Traceback") or '"exc": "Traceback' in line:  # JSON lines carry it in "exc"
            result["tracebacks"] += 1
        if "WORKER TIMEOUT" in line:
            result["worker_timeouts"] += 1
    return result


# --- a private PostgreSQL 15 ------------------------------------------------------


class PrivatePostgres:
    """initdb + pg_ctl in a temporary folder, on its own port and socket folder,
    run as the 'postgres' OS user when we are root (initdb refuses root)."""

    def __init__(self, root: Path, port: int):
        self.root = root
        self.data = root / "data"
        self.sockets = root / "sockets"
        self.log = root / "postgres.log"
        self.port = port
        self.bin, self.as_user = private_pg_bin()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/")

    def init(self) -> None:
        self.sockets.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.root, self.as_user)
            shutil.chown(self.sockets, self.as_user)
        proc = self._run(["initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                          "--no-sync", "--locale=C.UTF-8"])
        if proc.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{proc.stdout}\n{proc.stderr}")

    def start(self) -> float:
        """Start and wait until it accepts connections; returns the seconds it took."""
        started = time.monotonic()
        opts = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c max_connections=100 "
                "-c fsync=on -c shared_buffers=128MB")
        proc = self._run(["pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "-t", "60", "start"])
        if proc.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed:\n{proc.stdout}\n{proc.stderr}\n{self.log_tail()}")
        return time.monotonic() - started

    def stop(self, mode: str = "fast") -> float:
        started = time.monotonic()
        proc = self._run(["pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"])
        if proc.returncode != 0:
            raise RuntimeError(f"pg_ctl stop failed:\n{proc.stdout}\n{proc.stderr}")
        return time.monotonic() - started

    def running(self) -> bool:
        return self._run(["pg_ctl", "-D", str(self.data), "status"], timeout=30).returncode == 0

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# --- consistency checks --------------------------------------------------------------

# Events that do not change the claim row (so do not bump its version).
NON_BUMPING_ACTIONS = ("commented", "linked", "unlinked")
ROLLUP_TABLES = ("claim_daily_counts", "article_claim_counts", "assignee_open_counts", "reviewer_daily_counts",
                 "claim_totals", "article_daily_counts", "assignee_daily_counts", "verified_daily_counts",
                 "verified_duration_counts", "articles_with_claims", "claim_weekly_counts", "article_weekly_counts")
REFRESH_FUNCTIONS = ("refresh_claim_rollups", "refresh_claim_totals", "refresh_claim_day_rollups",
                     "refresh_articles_with_claims")  # last: it counts article_claim_counts


def _existing(cur, kind: str, names) -> list[str]:
    if kind == "table":
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)", (list(names),))
    else:
        cur.execute("SELECT proname FROM pg_proc WHERE proname = ANY(%s)", (list(names),))
    found = {r[0] for r in cur.fetchall()}
    return [n for n in names if n in found]


def _snapshot(cur, tables: list[str]) -> dict[str, set]:
    """Each table's rows, leaving out rows whose counters are all zero (the triggers
    may leave such rows; the refresh does not write them)."""
    snap = {}
    for table in tables:
        cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
            (table,),
        )
        cols = cur.fetchall()
        counters = [c for c, t in cols if t in ("integer", "bigint", "smallint")
                    and c not in ("article_id", "assignee_id", "user_id")]
        cur.execute(f"SELECT * FROM {table}")
        names = [c for c, _ in cols]
        rows = set()
        for row in cur.fetchall():
            record = dict(zip(names, row))
            if counters and all(record[c] == 0 for c in counters):
                continue
            rows.add(tuple(row))
        snap[table] = rows
    return snap


def consistency_report(url: str) -> tuple[bool, list[str]]:
    """Versions match history, rollups match a rebuild, statuses match fields and history."""
    lines: list[str] = []
    ok = True
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                """
                SELECT c.id, c.version, count(e.id) FILTER (WHERE e.action <> ALL(%s)), max(e.claim_version)
                  FROM claims c LEFT JOIN claim_events e ON e.claim_id = c.id
                 GROUP BY c.id
                HAVING c.version <> count(e.id) FILTER (WHERE e.action <> ALL(%s))
                    OR c.version <> coalesce(max(e.claim_version), -1)
                 ORDER BY c.id
                """,
                (list(NON_BUMPING_ACTIONS), list(NON_BUMPING_ACTIONS)),
            )
            bad = cur.fetchall()
            cur.execute("SELECT count(*) FROM claims")
            total = cur.fetchone()[0]
            if bad:
                ok = False
                lines.append(f"FAIL version vs history: {len(bad)} of {total} claims differ, e.g. "
                             + ", ".join(f"#{r[0]} version {r[1]} / {r[2]} bumping events / max event version {r[3]}"
                                         for r in bad[:5]))
            else:
                lines.append(f"ok   version = number of version-bumping events = latest event's version, all {total} claims")

            # Status against fields (beyond the table's CHECK constraints) and against the history.
            cur.execute(
                """
                SELECT id, status, assignee_id, verdict, approved_by_id, verified_at FROM claims
                 WHERE (status = 'in_review' AND assignee_id IS NULL)
                    OR (status = 'unverified' AND assignee_id IS NOT NULL)
                    OR (status IN ('pending_approval', 'verified') AND (verdict IS NULL OR rationale IS NULL
                        OR proposed_by_id IS NULL OR proposed_at IS NULL))
                    OR (status = 'verified' AND (approved_by_id IS NULL OR verified_at IS NULL))
                    OR (status <> 'verified' AND (approved_by_id IS NOT NULL OR verified_at IS NOT NULL))
                 ORDER BY id
                """
            )
            bad = cur.fetchall()
            if bad:
                ok = False
                lines.append(f"FAIL status vs fields: {len(bad)} claims, e.g. {bad[:5]}")
            else:
                lines.append("ok   every claim's status agrees with its assignee/verdict/approval fields")
            cur.execute(
                """
                SELECT c.id, c.status, last.to_status FROM claims c
                  JOIN LATERAL (SELECT to_status FROM claim_events e
                                 WHERE e.claim_id = c.id AND e.to_status IS NOT NULL
                                 ORDER BY e.claim_version DESC NULLS LAST, e.id DESC LIMIT 1) last ON true
                 WHERE last.to_status IS DISTINCT FROM c.status ORDER BY c.id
                """
            )
            bad = cur.fetchall()
            if bad:
                ok = False
                lines.append(f"FAIL status vs history: {len(bad)} claims whose last status event disagrees, e.g. {bad[:5]}")
            else:
                lines.append("ok   every claim's status = the to_status of its latest status-changing event")

            tables = _existing(cur, "table", ROLLUP_TABLES)
            functions = _existing(cur, "function", REFRESH_FUNCTIONS)
            before = _snapshot(cur, tables)
            for fn in functions:
                cur.execute(f"SELECT {fn}()")
            after = _snapshot(cur, tables)
            conn.commit()
            diffs = {t: (len(before[t] - after[t]), len(after[t] - before[t])) for t in tables if before[t] != after[t]}
            if diffs:
                ok = False
                lines.append("FAIL rollups changed by " + " + ".join(f"{f}()" for f in functions) + ": "
                             + "; ".join(f"{t}: {a} rows only before, {b} only after" for t, (a, b) in diffs.items()))
            else:
                lines.append("ok   " + " + ".join(f"{f}()" for f in functions) + " left "
                             + ", ".join(f"{t} ({len(before[t])} rows)" for t in tables) + " unchanged")
    finally:
        conn.close()
    return ok, lines
