"""`factcheck serve` on the embedded database runs one job worker beside the web server
(issue 15), so a newcomer's webhooks go out without a second command; stopping the
server stops the worker, then the embedded PostgreSQL."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg2

from factcheck.embedded import EmbeddedServer

from .helpers import free_port

ROOT = Path(__file__).resolve().parents[1]



def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_serve_setup_on_the_embedded_database_starts_one_worker_and_stops_it(tmp_path):
    port = free_port()
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FACTCHECK_PUBLIC_URL")}
    env.update(FACTCHECK_INSTANCE=str(instance), FACTCHECK_LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    out_path = tmp_path / "serve.out"
    with open(out_path, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "factcheck.cli", "serve", "--setup", "--port", str(port), "--workers", "1"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
        )
    try:
        deadline = time.monotonic() + 120
        worker_pid = None
        while time.monotonic() < deadline:
            found = re.search(r"Started a job worker \(pid (\d+)\)", out_path.read_text())
            if found:
                worker_pid = int(found.group(1))
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
            assert server.poll() is None, out_path.read_text()[-3000:]
            time.sleep(0.3)
        else:
            raise AssertionError(out_path.read_text()[-3000:])
        assert _alive(worker_pid)
        uri = EmbeddedServer(instance / "pgdata").uri("factcheck")
        deadline = time.monotonic() + 30
        while True:  # the worker registers itself (with a heartbeat) once connected
            with psycopg2.connect(uri) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM procrastinate_workers")
                workers = cur.fetchone()[0]
            conn.close()
            if workers == 1 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert workers == 1, out_path.read_text()[-3000:]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert not _alive(worker_pid), "the worker outlived the server"
    assert not EmbeddedServer(instance / "pgdata").running(), "the embedded PostgreSQL outlived them"
