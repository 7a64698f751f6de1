"""gunicorn, started from `factcheck serve` in the same process.

The settings are those of factcheck/gunicorn_conf.py (the same module a plain
``gunicorn -c python:factcheck.gunicorn_conf 'factcheck:create_app()'`` reads);
`factcheck serve` only overrides the address and the worker count it was given.

The master process owns the embedded PostgreSQL (if any); workers are forked
after it started and connect through the URL in the environment. Each worker
builds its own app, engine and pool after the fork (no preload).
"""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from .gunicorn_conf import default_workers  # noqa: F401 - kept importable from here


def config_options() -> dict:
    """The settings of factcheck/gunicorn_conf.py, as gunicorn reads them from a config module."""
    from . import gunicorn_conf

    return {name: getattr(gunicorn_conf, name) for name in dir(gunicorn_conf) if not name.startswith("_")}


class _FactcheckServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        from . import create_app

        return create_app()


def run_gunicorn(host: str, port: int, workers: int | None = None, **extra) -> None:
    options = config_options()
    options["bind"] = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    if workers:
        options["workers"] = workers
    options.update(extra)
    _FactcheckServer(options).run()
