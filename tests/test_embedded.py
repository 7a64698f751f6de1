"""The embedded PostgreSQL (factcheck/embedded.py): shared, crash-proof, never opens a foreign folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest

from factcheck.db import DatabaseUnavailable, start_embedded
from factcheck.embedded import EmbeddedServer, _pid_alive


def _wait_gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def _holder(data_dir: Path) -> subprocess.Popen:
    """Another process that starts (or joins) the server and keeps it, as `factcheck serve` does."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "factcheck.embedded", str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().startswith("postgresql://")
    return proc


def _answers(server: EmbeddedServer) -> bool:
    with psycopg2.connect(server.uri("postgres")) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1")
        return cur.fetchone() == (1,)


def test_after_kill_9_of_its_owner_the_next_start_works_and_a_clean_stop_leaves_no_server(tmp_path):
    data_dir = tmp_path / "pgdata"
    owner = _holder(data_dir)
    postmaster = EmbeddedServer(data_dir).postmaster_pid()
    assert postmaster and _pid_alive(postmaster)

    owner.send_signal(signal.SIGKILL)
    owner.wait()
    assert _pid_alive(postmaster), "the orphaned server outlives its killed owner"

    server = EmbeddedServer(data_dir).start()
    try:
        assert _answers(server)
    finally:
        stopped = server.stop()
    assert stopped, "the dead owner's handle must not keep the server alive"
    assert _wait_gone(postmaster)


def test_the_server_stops_only_when_the_last_living_holder_leaves(tmp_path):
    data_dir = tmp_path / "pgdata"
    other = _holder(data_dir)
    try:
        server = EmbeddedServer(data_dir).start()
        assert server.stop() is False
        assert server.running(), "another process still holds it"
        again = EmbeddedServer(data_dir).start()
        assert _answers(again)
    finally:
        other.send_signal(signal.SIGKILL)
        other.wait()
    postmaster = again.postmaster_pid()
    assert again.stop() is True
    assert _wait_gone(postmaster)


def test_a_data_folder_of_another_postgresql_version_is_refused_and_left_untouched(tmp_path):
    data_dir = tmp_path / "pgdata"
    data_dir.mkdir()
    (data_dir / "PG_VERSION").write_text("16\n")
    (data_dir / "base").mkdir()
    before = sorted(p.name for p in data_dir.iterdir())

    with pytest.raises(DatabaseUnavailable) as refused:
        start_embedded(tmp_path)

    message = str(refused.value)
    assert "PostgreSQL 16" in message and "left untouched" in message and "DATABASE_URL" in message
    assert sorted(p.name for p in data_dir.iterdir()) == before
    assert (data_dir / "PG_VERSION").read_text() == "16\n"


def test_a_forked_child_does_not_stop_the_server_it_inherited(tmp_path):
    server = EmbeddedServer(tmp_path / "pgdata").start()
    try:
        pid = os.fork()
        if pid == 0:  # a gunicorn worker exiting runs the same atexit hooks
            os._exit(0 if server.stop() is False else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert _answers(server)
    finally:
        assert server.stop() is True


def test_a_long_data_path_puts_the_socket_in_a_private_folder(tmp_path):
    long_dir = tmp_path / ("a-rather-long-folder-name-for-an-instance-" * 2) / "pgdata"
    long_dir.parent.mkdir(parents=True)
    server = EmbeddedServer(long_dir)
    assert server.socket_dir != server.data_dir, "the socket path would be over the kernel's limit"
    try:
        server.start()
        assert _answers(server)
        assert os.stat(server.socket_dir).st_mode & 0o077 == 0, "nobody else may reach the socket"
    finally:
        server.stop()


def test_a_socket_folder_someone_else_left_open_is_refused(tmp_path):
    import shutil

    from factcheck.embedded import EmbeddedError

    long_dir = tmp_path / ("another-rather-long-folder-name-for-instances-" * 2) / "pgdata"
    long_dir.parent.mkdir(parents=True)
    server = EmbeddedServer(long_dir)
    server.socket_dir.mkdir(mode=0o777)
    server.socket_dir.chmod(0o777)
    try:
        with pytest.raises(EmbeddedError, match="socket folder"):
            server.start()
    finally:
        shutil.rmtree(server.socket_dir, ignore_errors=True)
