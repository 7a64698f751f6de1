"""gunicorn, started from `factcheck serve` in the same process.

The master process owns the embedded PostgreSQL (if any); workers are forked
after it started and connect through the URL in the environment. Each worker
builds its own app, engine and pool after the fork (no preload).
"""

from __future__ import annotations

import multiprocessing

from gunicorn.app.base import BaseApplication


class _FactcheckServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        return create_app()


def default_workers() -> int:
    return min(2 * multiprocessing.cpu_count() + 1, 8)


def run_gunicorn(host: str, port: int, workers: int | None = None, **extra) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "sync",
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "preload_app": False,
        # gunicorn's largest bounded request line (default 4,094): search queries travel in the URL.
        "limit_request_line": 8190,
    }
    options.update(extra)
    _FactcheckServer(options).run()
