"""Short runs of the scripts that guard promises (bench/hostile.py, bench/faults.py), so CI notices when one goes stale.

Each runs the real script against gunicorn as a subprocess and passes when the
script does (it exits non-zero on any failed check and prints why). They take
a minute or two each; `-m "not guard"` leaves them out of a quick local run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.guard


def _run(script: str, args: list[str], server_url: str, timeout: float) -> subprocess.CompletedProcess:
    env = {**os.environ, "BENCH_ADMIN_URL": server_url, "PYTHONUNBUFFERED": "1"}
    env.pop("FACTCHECK_ARGON2_FAST", None)
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout,
    )
    print(proc.stdout[-6000:], proc.stderr[-3000:])
    return proc


@pytest.mark.timeout(900)
def test_hostile_input_replay_passes(server_url):
    """Every hostile class answers within 2 s, never 500, and no gunicorn worker dies."""
    # 8 s, not the full run's 2 s: CI machines are shared and unequal, and a guard must not
    # flake; a regression of the kind this catches (quadratic work) takes minutes, not seconds.
    # On the machine of 2026-12-06's second session (a 10-million-step Python loop: 1.6 s)
    # the slowest case, 5,000 figure lines and 250,000 one-word lines, took 4.1 s alone and
    # 7.0 s beside other work (before the extractor's short pass: 5.5 s of CPU in the extractor).
    proc = _run("hostile.py", ["--quick", "--limit", "8"], server_url, timeout=840)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " 0 failed" in proc.stdout


@pytest.mark.timeout(600)
def test_postgresql_stopping_under_load_gives_503s_and_loses_nothing(server_url):
    """bench/faults.py, short: PostgreSQL stopped for 5 s under 4 sessions; 503 while down, recovery, every write kept."""
    proc = _run(
        "faults.py",
        ["--threads", "4", "--duration", "24", "--stop-at", "8", "--down", "5", "--workers", "2", "--fast-argon2"],
        server_url,
        timeout=540,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


@pytest.mark.timeout(300)
def test_a_worker_killed_mid_batch_loses_no_webhook(server_url):
    """bench/webhook_crash.py, short: SIGKILL the worker after 20 of 60 deliveries; the next worker
    retries the dead one's jobs, and the receiver (de-duplicating by webhook-id) gets every event."""
    proc = _run("webhook_crash.py", ["--events", "60", "--kill-after", "20", "--timeout", "90"], server_url, timeout=280)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "60/60 event ids accepted" in proc.stdout


@pytest.mark.timeout(600)
def test_a_local_feed_is_imported_through_the_worker(server_url):
    """bench/intake_feed.py --quick: a real `factcheck worker` polls a local feed of 10 items and
    imports each page once (fetch, trafilatura, claim extractor), every article incoming."""
    proc = _run("intake_feed.py", ["--quick"], server_url, timeout=500)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "imported 10/10" in proc.stdout and "PASS" in proc.stdout
