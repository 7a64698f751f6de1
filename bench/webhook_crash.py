#!/usr/bin/env python3
"""A worker killed in the middle of a batch of webhook deliveries loses nothing.

    . .venv/bin/activate
    python bench/webhook_crash.py [--events 300] [--kill-after 100] [--concurrency 4] [--receiver-delay 0.02]

It creates a throwaway database on BENCH_ADMIN_URL's server (default
127.0.0.1:5432), migrates it, registers one webhook pointing at a real
receiver (http.server on 127.0.0.1, tests/webhook_receiver.py: it checks each
signature and de-duplicates by webhook-id, as receivers are told to), and
writes EVENTS events through the outbox in one transaction. Then:

  1. starts `factcheck worker` (a subprocess, as deployed);
  2. once the receiver has accepted KILL_AFTER events, sends the worker SIGKILL
     (no clean-up of any kind: jobs it was running stay "doing");
  3. starts a new `factcheck worker`, which retries the dead worker's jobs once
     its heartbeat is older than --stalled-after seconds, and runs the rest.

PASS needs every event id accepted by the receiver (none lost), every delivery
row "delivered", no bad signature, and the batch done within --timeout. It
reports how many deliveries were repeated (at-least-once delivery: a job killed
after the receiver answered but before the worker recorded the answer is sent
again, with the same webhook-id, which the receiver drops). Exits non-zero on
FAIL; drops the database at the end.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _setup import ADMIN_URL, throwaway_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--kill-after", type=int, default=100, help="accepted events before the SIGKILL")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--receiver-delay", type=float, default=0.02, help="seconds the receiver takes to answer")
    parser.add_argument("--stalled-after", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if not 0 < args.kill_after < args.events:
        parser.error("--kill-after must be between 0 and --events")

    from factcheck import migrate
    from factcheck.db import Database
    from factcheck.models import EventType
    from factcheck.services import events, webhooks
    from factcheck.services.unit import unit_of_work
    from sqlalchemy import text
    from tests.webhook_receiver import Receiver

    failures: list[str] = []
    with throwaway_database("fc_webhook_crash", ADMIN_URL, keep=args.keep) as url, Receiver(
        delay=args.receiver_delay
    ) as receiver:
        database = Database.from_url(url)
        migrate.upgrade(database.engine)
        with database.session() as session:
            receiver.secret = webhooks.register_endpoint(session, None, receiver.url, ["claim.taken"]).secret
            with unit_of_work(session):
                ids = [
                    str(events.emit(session, EventType.CLAIM_TAKEN, claim_id=n, payload={"n": n}).id)
                    for n in range(args.events)
                ]
        print(f"{args.events} events queued; receiver at {receiver.url}")

        env = {**os.environ, "DATABASE_URL": url, "FACTCHECK_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}
        command = [
            sys.executable, "-m", "factcheck.cli", "worker", "--concurrency", str(args.concurrency),
            "--poll", "0.2", "--stalled-after", str(args.stalled_after),
        ]
        logs = [Path(f"/tmp/webhook_crash_{os.getpid()}_{n}.log") for n in (1, 2)]
        started = time.monotonic()
        with open(logs[0], "w") as log:
            first = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        if not receiver.wait_for(args.kill_after, timeout=args.timeout):
            first.kill()
            print(logs[0].read_text()[-3000:])
            print(f"FAIL: only {len(receiver.accepted)} events arrived before the kill deadline")
            return 1
        first.send_signal(signal.SIGKILL)
        first.wait()
        with database.engine.connect() as conn:
            doing = conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'")).scalar_one()
            left = conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")).scalar_one()
        at_kill = len(receiver.accepted)
        print(f"SIGKILL after {time.monotonic() - started:.1f} s: {at_kill} accepted, {doing} jobs left 'doing', {left} waiting")

        restarted = time.monotonic()
        with open(logs[1], "w") as log:
            second = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        try:
            complete = receiver.wait_for(args.events, timeout=args.timeout)
            finished = time.monotonic() - restarted
            deadline = time.monotonic() + 15
            delivered = 0
            while time.monotonic() < deadline:
                with database.engine.connect() as conn:
                    delivered = conn.execute(
                        text("SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'")
                    ).scalar_one()
                if delivered == args.events:
                    break
                time.sleep(0.2)
        finally:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(timeout=20)
            except subprocess.TimeoutExpired:
                second.kill()
        retried = logs[1].read_text().count("its worker stopped sending heartbeats")
        database.dispose()

    accepted = set(receiver.accepted)
    missing = set(ids) - accepted
    print(
        f"after the restart: {len(accepted)}/{args.events} event ids accepted in {finished:.1f} s; "
        f"{retried} stalled jobs retried; {receiver.duplicates} duplicate deliveries (dropped by the receiver's "
        f"webhook-id check); {sum(receiver.tries.values())} requests in all; {delivered} deliveries recorded delivered"
    )
    if not complete or missing:
        failures.append(f"{len(missing)} events never arrived")
    if accepted - set(ids):
        failures.append("the receiver accepted ids that were never queued")
    if receiver.bad_signatures:
        failures.append(f"{receiver.bad_signatures} requests with a bad signature")
    if delivered != args.events:
        failures.append(f"{args.events - delivered} deliveries not recorded as delivered")
    for log in logs:
        log.unlink(missing_ok=True)
    if failures:
        print("FAIL: " + "; ".join(failures))
        return 1
    print("PASS: every event id arrived (at least once; once after de-duplication)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
