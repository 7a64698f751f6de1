"""Read replicas: whether a read that tolerates a little lag may go to the streaming standby.

With DATABASE_REPLICA_URL set, the views marked ``@replica_reads``
(factcheck/web/reads.py: dashboard, exports, search, public pages, and the
API's reads) read from the standby, unless

* the user wrote within the last ``window`` seconds (read-your-writes: the
  web layer keeps a signed time of their last write, see below), or
* the standby is down, not a standby, or lagging more than
  FACTCHECK_REPLICA_MAX_LAG seconds (default 5).

Then the read goes to the primary. Every statement on either engine has the
statement timeout of factcheck/db.py. A change of the standby's state (usable
-> not, and back) writes one JSON log line (logger ``factcheck.replica``), not
one per request.

Lag. Measured at most every ``CHECK_INTERVAL`` seconds per process (cached in
the process; each process measures its own, nothing is shared): the primary's
``pg_current_wal_insert_lsn()`` is read first (the insert position, not the
write one: with asynchronous commit a commit is visible before it is written),
then the standby's replayed LSN. If the standby has replayed that far it holds
every commit made before the check: lag 0. Otherwise the lag is the standby's ``now() - pg_last_xact_replay_timestamp()``.
(After a long idle spell that over-states the lag of the first write's
moment, so a read may go to the primary for up to a second it need not: the
error is on the safe side.) A standby that does not answer is asked again
after ``RETRY_DOWN`` seconds, so a dead host does not cost every request a
connection attempt.

Why ``window`` = max lag + check interval + 1 s is enough for read-your-writes:
while the standby is used, its measured lag was at most max lag no more than
the check interval ago, so it holds every commit older than their sum.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import text

from .db import Database

log = logging.getLogger("factcheck.replica")

CHECK_INTERVAL = 1.0  # seconds a measurement of the standby is trusted
RETRY_DOWN = 5.0  # seconds before a standby that failed is asked again
DEFAULT_MAX_LAG = 5.0

_PRIMARY_LSN = text("SELECT pg_current_wal_insert_lsn()::text")
_STANDBY = text(
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
)


def lsn_number(lsn: str | None) -> int | None:
    """'16/B374D848' -> a comparable integer."""
    if not lsn:
        return None
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


@dataclass(frozen=True)
class ReplicaState:
    usable: bool
    reason: str  # "ok", "lag", "down", "not_standby", "error"
    lag: float | None  # seconds, when measured
    checked_at: float  # time.monotonic()


class ReplicaRouter:
    """Decides, per read, between the primary and one streaming standby."""

    def __init__(
        self,
        primary: Database,
        replica: Database,
        max_lag: float = DEFAULT_MAX_LAG,
        check_interval: float = CHECK_INTERVAL,
        retry_down: float = RETRY_DOWN,
    ):
        self.primary = primary
        self.replica = replica
        self.max_lag = max_lag
        self.check_interval = check_interval
        self.retry_down = retry_down
        self._state: ReplicaState | None = None
        self._lock = threading.Lock()

    @property
    def window(self) -> float:
        """Seconds after a write during which its writer reads from the primary."""
        return self.max_lag + self.check_interval + 1.0

    def state(self) -> ReplicaState:
        """The standby's state, measured again when the last measurement is too old."""
        state = self._state
        now = time.monotonic()
        if state is not None and now - state.checked_at < self._trusted_for(state):
            return state
        # One thread measures; the others go on with the last state meanwhile.
        if not self._lock.acquire(blocking=state is None):
            return state  # type: ignore[return-value]
        try:
            if self._state is not state:  # another thread measured while we waited
                return self._state  # type: ignore[return-value]
            return self._measure()
        finally:
            self._lock.release()

    def _trusted_for(self, state: ReplicaState) -> float:
        # A standby that answered (usable or lagging) is measured again soon; one that
        # failed is left alone a while, so a dead host does not cost each request a connect.
        return self.retry_down if state.reason in ("down", "error") else self.check_interval

    def mark_failed(self, exc: BaseException) -> None:
        """A read on the standby failed: use the primary until the next check (RETRY_DOWN)."""
        with self._lock:
            self._set(ReplicaState(False, "error", None, time.monotonic()), _first_line(exc))

    def _measure(self) -> ReplicaState:
        state, detail = self._measure_with_detail()
        self._set(state, detail)
        return state

    def _measure_with_detail(self) -> tuple[ReplicaState, str | None]:
        now = time.monotonic()
        try:
            with self.primary.engine.connect() as conn:
                primary_lsn = lsn_number(conn.execute(_PRIMARY_LSN).scalar_one())
        except Exception as exc:  # noqa: BLE001 - the primary's own trouble shows on the page itself
            # Without the primary's position the lag is unknown: read from the primary,
            # which answers or fails on its own terms.
            return ReplicaState(False, "error", None, now), "primary: " + _first_line(exc)
        try:
            with self.replica.engine.connect() as conn:
                in_recovery, replay_lsn, behind = conn.execute(_STANDBY).one()
        except Exception as exc:  # noqa: BLE001 - a dead standby is what this is for
            return ReplicaState(False, "down", None, now), _first_line(exc)
        if not in_recovery:
            # Promoted (or a plain server): no longer a copy of our primary.
            return ReplicaState(False, "not_standby", None, now), None
        replayed = lsn_number(replay_lsn)
        if replayed is not None and primary_lsn is not None and replayed >= primary_lsn:
            lag = 0.0
        elif behind is None:
            return ReplicaState(False, "lag", None, now), "nothing replayed yet"
        else:
            lag = max(0.0, float(behind))
        if lag > self.max_lag:
            return ReplicaState(False, "lag", lag, now), None
        return ReplicaState(True, "ok", lag, now), None

    def _set(self, new: ReplicaState, detail: str | None = None) -> None:
        old = self._state
        self._state = new
        if old is not None and old.usable == new.usable and (new.usable or old.reason == new.reason):
            return
        fields = {
            "replica_usable": new.usable,
            "reason": new.reason,
            "lag_seconds": None if new.lag is None else round(new.lag, 3),
            "max_lag_seconds": self.max_lag,
        }
        if detail:
            fields["detail"] = detail
        if not new.usable:
            log.warning(f"replica not used ({new.reason}): lag-tolerant reads go to the primary", extra={"fields": fields})
        elif old is not None:
            log.info("replica usable again: lag-tolerant reads go to the replica", extra={"fields": fields})

    def dispose(self) -> None:
        self.replica.dispose()


def _first_line(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    return (text_.splitlines()[0] if text_ else type(exc).__name__)[:300]
