"""The gunicorn configuration, shared by `factcheck serve` and a plain gunicorn:

    gunicorn -c python:factcheck.gunicorn_conf 'factcheck:create_app()'

Environment (all optional):

  FACTCHECK_BIND      address:port to listen on (default 127.0.0.1:8000;
                      `factcheck serve --host/--port` sets it)
  FACTCHECK_WORKERS   worker processes (default 2 x cores + 1, at most 8)
  FACTCHECK_THREADS   threads per worker (default 4)
  FACTCHECK_WORKER_TIMEOUT  seconds a worker's main loop may stay silent (default 30)
  FACTCHECK_FORWARDED_ALLOW_IPS  addresses of the reverse proxy whose
                      X-Forwarded-For/-Proto gunicorn believes (default 127.0.0.1,::1)
  PROMETHEUS_MULTIPROC_DIR  where workers keep their metrics (default: a new
                      temporary folder); emptied at every start
  FACTCHECK_LOG_LEVEL logging level of the JSON lines on stderr

Choices:

* Workers are ``gthread`` (threads in each process), not ``sync``. A sync
  worker is killed by the master when one request runs longer than
  ``timeout`` (30 s), and the CSV export of a million claims streams for longer.
  A gthread worker's main loop keeps telling the master it is alive while its
  threads serve, so ``timeout`` only catches a worker that is stuck as a whole;
  a single query is bounded by FACTCHECK_STATEMENT_TIMEOUT (10 s) instead.
  Each worker has a database pool of FACTCHECK_POOL_SIZE (5) plus
  FACTCHECK_POOL_OVERFLOW (5) connections, enough for its threads; mind
  PostgreSQL's max_connections: workers x (pool + overflow).
* ``graceful_timeout`` 30 s: on SIGTERM/SIGHUP a worker finishes what it is
  serving (a download in progress) for up to that long.
* No access log: the app writes one JSON line per request itself (with the
  request id, user, endpoint and database time), so gunicorn's own line would
  only repeat it. gunicorn's error log (start, stop, worker deaths) goes to
  stderr as JSON lines too (logger ``gunicorn.error``).
* No preload: each worker builds its app, engine and pool after the fork.
* Behind a reverse proxy (TLS ends there): FACTCHECK_PROXY_COUNT (read by the
  app, Werkzeug's ProxyFix) makes request.remote_addr, which log-in throttling
  counts by, and the scheme come from the proxies' X-Forwarded-For /
  X-Forwarded-Proto; gunicorn itself does not rewrite the client address.
  FACTCHECK_FORWARDED_ALLOW_IPS is gunicorn's list of peers whose
  X-Forwarded-Proto it believes. Never ``*``, and no proxy count, while
  clients can reach gunicorn directly: they could pick their own address.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path


def default_workers() -> int:
    return min(2 * multiprocessing.cpu_count() + 1, 8)


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SystemExit(f"{name}={raw!r}: give a whole number of at least 1")
    return value


def _log_level() -> str:
    from factcheck.config import ConfigurationError, log_level

    try:
        return log_level()
    except ConfigurationError as exc:
        raise SystemExit(str(exc)) from None


_LEVEL = _log_level()

bind = [os.environ.get("FACTCHECK_BIND") or "127.0.0.1:8000"]
workers = _positive_int("FACTCHECK_WORKERS", default_workers())
worker_class = "gthread"
threads = _positive_int("FACTCHECK_THREADS", 4)
timeout = _positive_int("FACTCHECK_WORKER_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
preload_app = False
accesslog = None
errorlog = "-"
loglevel = _LEVEL.lower()
# gunicorn's own messages (start, stop, worker deaths and timeouts) as the same JSON
# lines as the app's, so that stderr holds one format. The workers' root logger is
# set up again in post_fork.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "factcheck.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"level": _LEVEL, "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": _LEVEL, "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}
# gunicorn's largest bounded request line (default 4,094): search queries travel in the URL.
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FACTCHECK_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
proc_name = "factcheck"
# gunicorn 25+ opens a control socket at one fixed path per user ($HOME/.gunicorn/gunicorn.ctl):
# several servers on one machine would take it from each other, and nothing here uses it.
control_socket_disable = True

# prometheus_client reads this when it is first imported, which happens in the
# workers (factcheck/metrics.py imports it lazily), after the fork.
_OWN_METRICS_DIR = None
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _OWN_METRICS_DIR = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="factcheck-metrics-")
raw_env = [f"PROMETHEUS_MULTIPROC_DIR={os.environ['PROMETHEUS_MULTIPROC_DIR']}"]


def on_starting(server) -> None:
    """Empty the metrics folder: counts of an earlier run must not add to this one's.

    Only prometheus_client's own files (*.db) are removed, whatever else the folder holds.
    """
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for entry in folder.glob("*.db"):
        if entry.is_file():
            entry.unlink()


def post_fork(server, worker) -> None:
    """JSON lines at FACTCHECK_LOG_LEVEL in every worker, however gunicorn was started."""
    from factcheck.logs import configure

    configure(_LEVEL, json_lines=True)


def child_exit(server, worker) -> None:
    """A dead worker's live gauges (pool use) no longer count."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    """Remove the metrics folder if this configuration made it."""
    if _OWN_METRICS_DIR:
        shutil.rmtree(_OWN_METRICS_DIR, ignore_errors=True)
