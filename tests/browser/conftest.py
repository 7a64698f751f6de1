"""Fixtures of the browser tests.

* ``live_server``: a database cloned from the migrated template, loaded with
  ``factcheck seed`` and four accounts (reviewer rita, editors eddie and erin,
  admin ada) made with ``factcheck user add --password-stdin``, in a
  subprocess with DATABASE_URL set, as an operator would; ``factcheck serve``
  (gunicorn, two workers) on a free port of 127.0.0.1. One server for the
  session: each test works on claims and articles of its own. Stopped at the
  end by killing its process group, so no worker outlives the session.
* ``browser``: Debian's Chromium (/usr/bin/chromium; Playwright's own browser
  download is not used), headless.
* ``new_context``: a fresh browser context (its own cookies) at 1280 px wide,
  whose pages report console messages, JS errors, dialogs, requests and
  responses to a ``Watch``.

Without /usr/bin/chromium or the playwright package the browser tests are
skipped, unless FACTCHECK_REQUIRE_BROWSER=1, when they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..helpers import free_port
from .support import CHROMIUM, CHROMIUM_ARGS, PASSWORD, REPO, SCREENSHOT_DIR, USERS, VIEWPORT, Watch

REQUIRE = os.environ.get("FACTCHECK_REQUIRE_BROWSER", "").strip() == "1"
CLI_TIMEOUT = 120  # seconds for the seed and the accounts
START_TIMEOUT = 30  # seconds for gunicorn to answer /healthz


def _unavailable(reason: str):
    if REQUIRE:
        pytest.fail(f"FACTCHECK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sync_api():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium); the browser tests need it")
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("the Python package 'playwright' is not installed (pip install playwright)")
    return sync_api


@pytest.fixture(scope="session")
def browser(sync_api):
    manager = sync_api.sync_playwright().start()
    try:
        try:
            chromium = manager.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000
            )
        except Exception as exc:  # a broken install: same rule as a missing one
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield chromium
        chromium.close()
    finally:
        manager.stop()


# --- the server -----------------------------------------------------------------


@dataclass
class LiveServer:
    base_url: str
    host: str
    port: int
    database_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")



# The real `factcheck` commands (the click group, its parsing and checks), run one
# after another in a single subprocess, so that the imports are paid for once.
_CLI_DRIVER = """
import json, sys
from factcheck.cli import main
for args in json.loads(sys.argv[1]):
    main(args, prog_name="factcheck", standalone_mode=False)
"""


def _run_cli(env: dict, commands: list[list[str]], stdin: str) -> str:
    import json

    try:
        done = subprocess.run(
            [sys.executable, "-c", _CLI_DRIVER, json.dumps(commands)],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"the factcheck commands did not finish within {CLI_TIMEOUT} s: {commands}") from None
    if done.returncode != 0:
        raise RuntimeError(f"factcheck commands failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group (master and workers), SIGKILL if it lingers."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)
    # Workers exit with the master; make sure none is left in the group.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def live_server(sync_api, databases, template_name, tmp_path_factory):
    """`factcheck serve` on 127.0.0.1 over a seeded database with one account per role."""
    database_url = databases.url(databases.create("browser", template=template_name))
    instance = Path(tempfile.mkdtemp(prefix="factcheck-browser-instance-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FACTCHECK_INSTANCE": str(instance),
        "FACTCHECK_ARGON2_FAST": "1",
        "PYTHONUNBUFFERED": "1",
        # Importing from a link fetches from the tests' own page server on 127.0.0.1,
        # which the safe fetcher refuses unless it is allowed, as an intranet host would be.
        "FACTCHECK_FETCH_ALLOW_HOSTS": "127.0.0.1",
    }
    # gunicorn starts (imports, forks its workers) while the seed and the accounts are loaded.
    port = free_port()
    log_path = tmp_path_factory.mktemp("browser-server") / "server.log"
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "factcheck.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
        start_new_session=True,  # its own process group, killed as one at the end
    )
    base = f"http://127.0.0.1:{port}"
    server = LiveServer(base, "127.0.0.1", port, database_url, log_path)
    try:
        # `factcheck seed`, then `factcheck user add NAME --role R --display-name D --password-stdin`
        # for each account, every password on its own line of stdin.
        commands = [["seed"]] + [
            ["user", "add", username, "--role", role, "--display-name", display, "--password-stdin"]
            for username, (role, display) in USERS.items()
        ]
        output = _run_cli(env, commands, stdin="".join(PASSWORD + "\n" for _ in USERS))
        assert "Claims: 59 added" in output, output
        for username, (role, _display) in USERS.items():
            assert f"Created {role} '{username}'" in output, output

        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"`factcheck serve` exited ({proc.returncode}):\n{server.log()[-4000:]}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer /healthz within {START_TIMEOUT} s:\n{server.log()[-4000:]}")
            time.sleep(0.1)
        yield server
    finally:
        _stop(proc)
        log.close()
        shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture(autouse=True)
def _server_log_stays_clean(request):
    """A test that made the server log a traceback or answer 5xx fails, whatever the browser saw."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server: LiveServer = request.getfixturevalue("live_server")
    start = len(server.log())
    yield
    added = server.log()[start:]
    assert "Traceback" not in added, f"the server logged an error during the test:\n{added[-4000:]}"
    # One JSON line per request (factcheck/web/observe.py); gunicorn's access-log format too, should it come back.
    errors = [line for line in added.splitlines() if re.search(r'"status": 5\d\d\b|" 5\d\d \d+ "', line)]
    assert errors == [], "the server answered 5xx:\n" + "\n".join(errors)


# --- browser contexts -------------------------------------------------------------


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed and not hasattr(report, "wasxfail")
    return report


@pytest.fixture
def new_context(browser, live_server, request):
    """new_context(**options) -> (context, watch); every page of the context is watched.

    When the test fails, each open page is saved to
    artifacts/screenshots/failures/TEST-N.png for whoever reads the CI log.
    """
    made = []

    def _new(**options):
        options.setdefault("viewport", VIEWPORT)
        options.setdefault("device_scale_factor", 1)
        options.setdefault("accept_downloads", True)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(20_000)
        watch = Watch()
        context.on("page", watch.attach)
        made.append(context)
        return context, watch

    yield _new
    if getattr(request.node, "browser_call_failed", False):
        folder = SCREENSHOT_DIR / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        pages = [page for context in made for page in context.pages]
        for n, page in enumerate(pages):
            try:
                page.screenshot(path=str(folder / f"{request.node.name}-{n}.png"), full_page=True, timeout=5_000)
            except Exception:  # a crashed page must not hide the test's own failure
                pass
    for context in made:
        context.close()
