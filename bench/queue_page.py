#!/usr/bin/env python3
"""The claim queue's throughput and latency under gunicorn, next to a bare Flask route served the same way.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fc_bench BENCH_PASSWORD=... \\
        python bench/queue_page.py [--seconds 20] [--connections 8] [--workers 5]

Uses wrk (Debian package) against 127.0.0.1 only, with a session cookie from
a real log-in for the queue. Both servers get the same gunicorn settings.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import backend_pids, proc_cpu_seconds  # noqa: E402
from common import REPO, Client, children, free_port, server  # noqa: E402

LUA = Path(__file__).resolve().parent / "_wrk_report.lua"


def wrk(url: str, seconds: int, connections: int, cookie: str | None = None) -> dict[str, float]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    line = next(l for l in output.splitlines() if l.startswith("RESULT "))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def bare_server(workers: int):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "sync", "--chdir", str(REPO / "bench"), "_bare_app:app"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1).read()
            return base, proc
        except OSError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("the bare server did not start")


def line(name: str, r: dict[str, float]) -> str:
    return (
        f"  {name:34} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms  "
        f"p99 {r['p99_ms']:6.1f} ms  non-2xx {int(r['non2xx'])}  errors {int(r['connect_errors'] + r['timeouts'])}"
    )


def cpu_by_pid(server_pid: int, url: str) -> dict[str, dict[int, float]]:
    """CPU seconds used so far by each gunicorn worker and each backend of the database."""
    workers = [pid for child in children(server_pid) for pid in [child, *children(child)]]
    return {
        "app": {pid: proc_cpu_seconds([pid]) for pid in workers},
        "postgres": {pid: proc_cpu_seconds([pid]) for pid in backend_pids(url)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers for both servers")
    parser.add_argument("--user", default="demo-reviewer-1")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    url, password = os.environ["DATABASE_URL"], os.environ["BENCH_PASSWORD"]
    print(f"wrk: 1 thread, {args.connections} connections, {args.seconds} s per run; "
          f"gunicorn: {args.workers} sync workers on {os.cpu_count()} cores.\n")
    results = {}
    cpu_ms: dict[tuple[str, str], float] = {}
    with server(url, workers=args.workers) as (base, _proc):
        client = Client(base)
        client.login(args.user, password)
        cookie = "; ".join(f"{c.name}={c.value}" for c in client.jar)
        for path in ("/claims", "/claims?assignee=unassigned", "/claims?status=in_review&category=casualties"):
            client.get(path)  # warm
            before = cpu_by_pid(_proc.pid, url)
            results[path] = wrk(base + path, args.seconds, args.connections, cookie)
            after = cpu_by_pid(_proc.pid, url)
            print(line(f"GET {path}", results[path]))
            requests = results[path]["rps"] * args.seconds
            for side in ("app", "postgres"):
                used = sum(v - before[side].get(pid, 0.0) for pid, v in after[side].items())
                cpu_ms[path, side] = 1000 * used / requests if requests else float("nan")
            print(f"  CPU per request: gunicorn workers {cpu_ms[path, 'app']:.1f} ms, "
                  f"PostgreSQL backends {cpu_ms[path, 'postgres']:.1f} ms")
    base, proc = bare_server(args.workers)
    try:
        results["bare"] = wrk(base + "/", args.seconds, args.connections)
        print(line("GET / (bare Flask route)", results["bare"]))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    queue, bare = results["/claims"], results["bare"]
    print(f"\nQueue page: p95 {queue['p95_ms']:.1f} ms (target <= 50), "
          f"{queue['rps'] / bare['rps']:.0%} of the bare route's requests per second (target >= 40%).")


if __name__ == "__main__":
    main()
