"""`factcheck serve --production`: the configuration of factcheck/gunicorn_conf.py, started for real."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

from .helpers import free_port, with_time_left_in_the_minute

SECRET = "s" * 40
TOKEN = "production-test-metrics-token"



@pytest.mark.parametrize(
    "env, complaint",
    [
        ({"FACTCHECK_PUBLIC_URL": "", "SECRET_KEY": SECRET}, "FACTCHECK_PUBLIC_URL"),
        ({"FACTCHECK_PUBLIC_URL": "factcheck.example.org", "SECRET_KEY": SECRET}, "http:// or https://"),
        ({"FACTCHECK_PUBLIC_URL": "https://factcheck.example.org", "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"FACTCHECK_PUBLIC_URL": "https://factcheck.example.org", "SECRET_KEY": "short"}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_its_settings(env, complaint):
    result = CliRunner().invoke(main, ["serve", "--production"], env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/x", **env})
    assert result.exit_code != 0
    assert complaint in result.output


def test_production_rejects_dev():
    result = CliRunner().invoke(
        main,
        ["serve", "--production", "--dev"],
        env={"FACTCHECK_PUBLIC_URL": "https://factcheck.example.org", "SECRET_KEY": SECRET},
    )
    assert result.exit_code != 0 and "exclude" in result.output


def _get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _log_lines(path: Path) -> list[dict]:
    lines = []
    for raw in path.read_text(errors="replace").splitlines():
        raw = raw.strip()
        if raw.startswith("{"):
            lines.append(json.loads(raw))
    return lines


@contextmanager
def _running(argv: list[str], env: dict, log_path: Path, probe: str, *, cwd=None, wait: float = 30, headers=None):
    """A server process started from ``argv``, its stderr in ``log_path``; yields (process,
    the first answer to ``probe`` as (status, headers, body)); stops it (SIGTERM, then KILL)."""
    with open(log_path, "w") as stderr:
        proc = subprocess.Popen(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True, cwd=cwd
        )
    try:
        deadline = time.monotonic() + wait
        while True:
            assert proc.poll() is None, log_path.read_text()
            try:
                first = _get(probe, headers)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
        yield proc, first
    finally:
        # A server that already exited has no process group left: its own failure (above) is the news.
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()



def test_the_production_configuration_serves(fresh_db_url, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_12345.db").write_bytes(b"left over from an earlier run")
    (metrics_dir / "notes.txt").write_text("not ours")
    env = {
        **os.environ,
        "DATABASE_URL": fresh_db_url,
        "FACTCHECK_PUBLIC_URL": "https://factcheck.example.org",
        "SECRET_KEY": SECRET,
        "FACTCHECK_METRICS_TOKEN": TOKEN,
        "FACTCHECK_INSTANCE": str(tmp_path / "instance"),
        "FACTCHECK_LOG_LEVEL": "INFO",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    env.pop("FACTCHECK_SECURE_COOKIES", None)
    stderr_path = tmp_path / "server.log"
    argv = [sys.executable, "-m", "factcheck.cli", "serve", "--production", "--port", str(port), "--workers", "2"]
    with _running(argv, env, stderr_path, base + "/healthz", headers={"X-Request-Id": "probe-0001"}) as (proc, first):
        status, headers, body = first
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert headers["X-Request-Id"] == "probe-0001"

        # Requests until both workers have answered some (the kernel picks the worker).
        ids = []
        for _ in range(10):
            for _ in range(10):
                status, headers, _ = _get(base + "/healthz")
                assert status == 200
                ids.append(headers["X-Request-Id"])
            time.sleep(0.3)  # a line is written once its response is sent
            pids = {line["pid"] for line in _log_lines(stderr_path) if line.get("logger") == "factcheck.request"}
            if len(pids) >= 2:
                break
        assert len(pids) == 2, pids
        status, headers, body = _get(base + "/no-such-page")
        assert status == 404 and headers["X-Request-Id"].encode() in body

        # The public address is https: the session cookie is Secure.
        status, headers, _ = _get(base + "/login")
        assert status == 200
        assert "Secure" in headers.get("Set-Cookie", ""), headers

        status, _, _ = _get(base + "/metrics")
        assert status == 401
        status, _, body = _get(base + "/metrics", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200
        text = body.decode()
        healthz = [
            line for line in text.splitlines()
            if line.startswith("factcheck_http_request_duration_seconds_count{")
            and 'endpoint="health.healthz"' in line
        ]
        assert healthz and float(healthz[0].rsplit(" ", 1)[1]) == len(ids) + 1, text  # every worker's requests, added up
        assert not (metrics_dir / "counter_12345.db").exists()  # emptied at start
        assert (metrics_dir / "notes.txt").exists()  # of its own files only
        # Two workers, each with a pool of 5 and the public pages' autocommit pool of 5; nothing held between requests.
        assert "\nfactcheck_db_pool_size 20.0\n" in text, text
        assert "\nfactcheck_db_pool_checked_out 0.0\n" in text, text

        time.sleep(0.5)  # the line is written after the response is sent
        lines = _log_lines(stderr_path)
        requests = [line for line in lines if line.get("logger") == "factcheck.request"]
        probe = [line for line in requests if line["request_id"] == "probe-0001"]
        assert len(probe) == 1, requests
        assert probe[0]["endpoint"] == "health.healthz" and probe[0]["status"] == 200 and probe[0]["path"] == "/healthz"
        assert probe[0]["db_queries"] >= 1
        assert {line["request_id"] for line in requests} >= set(ids)
        # gunicorn's own access log is off: no other line per request; and its messages are JSON too.
        assert not any('"GET /healthz' in line for line in stderr_path.read_text().splitlines())
        assert any(line.get("logger") == "gunicorn.error" and "Booting worker" in line["msg"] for line in lines)
        not_json = [l for l in stderr_path.read_text().splitlines() if l.strip() and not l.startswith(("{", "Note: "))]
        assert not not_json, not_json
    assert proc.returncode == 0, stderr_path.read_text()[-2000:]


def test_plain_gunicorn_reads_the_same_configuration(fresh_db_url, tmp_path):
    """`gunicorn -c python:factcheck.gunicorn_conf 'factcheck:create_app()'`: gthread, JSON lines, no access log."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": fresh_db_url,
        "FACTCHECK_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "FACTCHECK_BIND": f"127.0.0.1:{port}",
        "FACTCHECK_WORKERS": "1",
        "FACTCHECK_INSTANCE": str(tmp_path / "instance"),
        "FACTCHECK_LOG_LEVEL": "INFO",
    }
    env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "metrics")  # made by the configuration
    gunicorn = Path(sys.executable).with_name("gunicorn")
    stderr_path = tmp_path / "server.log"
    argv = [str(gunicorn), "-c", "python:factcheck.gunicorn_conf", "factcheck:create_app()"]
    with _running(argv, env, stderr_path, f"http://127.0.0.1:{port}/healthz", cwd=tmp_path) as (_proc, first):
        status, headers, _ = first
        assert status == 200
        time.sleep(0.3)
        log = stderr_path.read_text()
        assert "Using worker: gthread" in log
        lines = [line for line in _log_lines(stderr_path) if line.get("logger") == "factcheck.request"]
        assert [line["request_id"] for line in lines] == [headers["X-Request-Id"]]
        assert '"GET /healthz' not in log


SLOW_APP = '''
import time

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    def body():
        for _ in range(5):
            time.sleep(1.0)
            yield b"row\\n"
    return body()
'''


def test_a_response_streaming_past_the_worker_timeout_is_not_cut(tmp_path):
    """The reason for gthread: a sync worker is killed when one response outlasts `timeout`
    (a 1M-row CSV export); here a 5 s stream against a 3 s timeout arrives whole (a gthread
    worker reports every second at most, so the timeout must stay above that)."""
    (tmp_path / "slowapp.py").write_text(SLOW_APP)
    port = free_port()
    env = {
        **os.environ,
        "FACTCHECK_BIND": f"127.0.0.1:{port}",
        "FACTCHECK_WORKERS": "1",
        "FACTCHECK_WORKER_TIMEOUT": "3",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_path = tmp_path / "server.log"
    argv = [str(gunicorn), "-c", "python:factcheck.gunicorn_conf", "slowapp:app"]
    with _running(argv, env, log_path, f"http://127.0.0.1:{port}/", cwd=tmp_path, wait=20) as (_proc, first):
        status, _, body = first
        assert status == 200 and body == b"row\n" * 5
        assert "WORKER TIMEOUT" not in log_path.read_text()


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, "203.0.113.7", "10.0.0.9"),  # no proxy declared: the header is a client's claim, ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # a client-prepended entry is not believed
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
    ],
)
def test_the_client_address_behind_declared_proxies(database, monkeypatch, proxies, forwarded_for, expected):
    """Log-in throttling counts by request.remote_addr: behind a proxy it must be the client's, not the proxy's."""
    from flask import request

    from factcheck import create_app
    from factcheck.web.auth import session as auth_session

    monkeypatch.setattr(auth_session, "PUBLIC_ENDPOINTS", auth_session.PUBLIC_ENDPOINTS | {"whoami"})
    app = create_app({"TESTING": True, "DATABASE": database, "SECRET_KEY": "k", "PROXY_COUNT": proxies})

    @app.get("/whoami")
    def whoami():
        return f"{request.remote_addr} {request.scheme}"

    response = app.test_client().get(
        "/whoami",
        # Each proxy appends its entry: two proxies send two schemes.
        headers={"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": ", ".join(["https"] * max(proxies, 1))},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert response.get_data(as_text=True) == f"{expected} {'https' if proxies else 'http'}"


@pytest.mark.parametrize("raw", ["-1", "6", "two", "²"])
def test_a_wrong_proxy_count_is_refused(raw):
    from factcheck.config import ConfigurationError, load_settings

    with pytest.raises(ConfigurationError, match="FACTCHECK_PROXY_COUNT"):
        load_settings({"FACTCHECK_PROXY_COUNT": raw, "SECRET_KEY": "k"})


def test_the_public_rate_limit_counts_every_worker_request_in_the_database(fresh_db_url, tmp_path):
    """Served for real (sessions on the engine, not a test transaction), a public request counts
    itself in autocommit: the count is in the table the moment the answer comes, every worker's
    requests add up, and the client is refused past the limit."""
    import psycopg2

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": fresh_db_url,
        "FACTCHECK_PUBLIC_URL": "https://factcheck.example.org",
        "SECRET_KEY": SECRET,
        "FACTCHECK_INSTANCE": str(tmp_path / "instance"),
        "FACTCHECK_PUBLIC_RATE_LIMIT": "6",
    }
    argv = [sys.executable, "-m", "factcheck.cli", "serve", "--production", "--port", str(port), "--workers", "2"]
    with _running(argv, env, tmp_path / "server.log", base + "/healthz"):
        conn = psycopg2.connect(fresh_db_url)
        conn.autocommit = True
        try:
            with_time_left_in_the_minute()  # the counts are per minute: all of this in one
            counted = []
            # The index counts in a statement of its own; a fact-check page (none is
            # published here: 404) in the statement that reads its head, on a pooled
            # connection in autocommit with no session around it.
            for path, expected in [("/fact-checks/", 200), ("/fact-checks/1-x", 404)] * 3:
                status, headers, _ = _get(base + path)
                assert status == expected and "Set-Cookie" not in headers
                with conn.cursor() as cur:
                    cur.execute("SELECT coalesce(sum(hits), 0) FROM public_rate_limits")
                    counted.append(cur.fetchone()[0])
            assert counted == [1, 2, 3, 4, 5, 6]  # committed before the answer, whichever worker served it
            for path in ("/fact-checks/", "/fact-checks/1-x"):
                status, headers, _ = _get(base + path)
                assert status == 429 and int(headers["Retry-After"]) >= 1
            # A refused client refuses nothing else: the desk's pages still answer.
            status, _, _ = _get(base + "/login")
            assert status == 200
        finally:
            conn.close()
