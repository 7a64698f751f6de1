"""Backups of the tracker's database with pg_dump / pg_restore (custom format).

The programs come with the embedded PostgreSQL's package (factcheck/embedded.py),
so a backup works on a machine with no PostgreSQL client installed, against the
embedded server or any server of version 9.2 or later. Progress goes to a
callback, one line per table.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, make_url, text

Progress = Callable[[str], None]


class BackupError(RuntimeError):
    """pg_dump or pg_restore failed, or the target is not as expected; the message says why."""


def _program(name: str) -> str:
    from .embedded import bin_dir

    return str(bin_dir() / name)


def _libpq(url) -> tuple[str, dict]:
    """A libpq URL without the password, and an environment carrying it (never on a command line)."""
    parsed = make_url(str(url)) if not hasattr(url, "drivername") else url
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    plain = parsed.set(drivername="postgresql", password=None)
    if parsed.password == "":
        plain = plain._replace(password=None)
    return plain.render_as_string(hide_password=False), env


def _tables(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars()
        )


def _run(command: list[str], env: dict, progress: Progress, pattern: re.Pattern, total: int, verb: str) -> None:
    done = 0
    tail: list[str] = []
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        for line in proc.stderr:
            tail = (tail + [line.rstrip()])[-5:]
            match = pattern.search(line)
            if match:
                done += 1
                progress(f"{verb} {match.group(1)} ({done}/{total})")
        code = proc.wait()
    if code != 0:
        errors = [line for line in tail if "error" in line.lower()] or tail
        raise BackupError(f"{Path(command[0]).name} failed: {' | '.join(errors)}")


def backup(engine: Engine, path: Path, progress: Progress = lambda _line: None) -> int:
    """Write the whole database to ``path`` (pg_dump custom format); returns the number of tables."""
    url, env = _libpq(engine.url)
    tables = _tables(engine)
    partial = path.with_name(path.name + ".partial")
    # The dump holds password hashes: only its owner may read it (pg_dump keeps the mode).
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(partial, 0o600)
    command = [_program("pg_dump"), "--format=custom", "--verbose", "--no-owner", "--no-privileges",
               f"--file={partial}", f"--dbname={url}"]
    try:
        _run(command, env, progress, re.compile(r'dumping contents of table "?(?:public"?\.)?"?([\w]+)'), len(tables), "saved")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)  # a backup file is whole or absent
    return len(tables)


def restore(engine: Engine, path: Path, *, replace: bool = False, progress: Progress = lambda _line: None) -> int:
    """Load ``path`` into the database, in one transaction; returns the number of tables restored.

    An empty database is restored into; one that has tables is refused unless
    ``replace`` (then its objects are dropped first, in the same transaction).
    pg_restore writes the SQL and psql runs it as one transaction: the script
    passes through here so that a setting newer than the server
    (``transaction_timeout`` before PostgreSQL 17) can be left out.
    """
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    existing = _tables(engine)
    if existing and not replace:
        raise BackupError(
            f"the database already has {len(existing)} tables; restoring would replace them: "
            "give --replace to do so, or restore into an empty database"
        )
    listing = subprocess.run([_program("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BackupError(
            f"{path} is not a whole backup made by `factcheck backup`, nothing changed: {listing.stderr.strip()[:300]}"
        )
    total = sum(1 for line in listing.stdout.splitlines() if " TABLE DATA " in line)
    with engine.connect() as conn:
        server_version = int(conn.execute(text("SHOW server_version_num")).scalar())
    url, env = _libpq(engine.url)
    with tempfile.TemporaryDirectory(prefix="factcheck-restore-") as folder:
        # pg_restore writes the whole script first: psql only starts when it is complete,
        # so a backup that breaks half-way (a truncated file) never reaches the database.
        script = Path(folder) / "restore.sql"
        command = [_program("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(path)]
        if replace:
            command[1:1] = ["--clean", "--if-exists"]
        made = subprocess.run(command, capture_output=True, text=True)
        if made.returncode != 0:
            raise BackupError(f"pg_restore could not read {path}, nothing changed: {made.stderr.strip()[-500:]}")
        runner = [_program("psql"), "--quiet", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1",
                  "--output=/dev/null", f"--dbname={url}"]
        copy = re.compile(r"^COPY (?:public\.)?\"?(\w+)")
        done = 0
        errors = open(Path(folder) / "psql.err", "w+b")  # a file: a pipe could fill and stall psql
        with errors, open(script, "rb") as lines, subprocess.Popen(
            runner, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
        ) as psql:
            try:
                for line in lines:
                    if server_version < 170000 and line.startswith(b"SET transaction_timeout"):
                        continue
                    if line.startswith(b"COPY "):
                        match = copy.match(line.decode("utf-8", "replace"))
                        if match:
                            done += 1
                            progress(f"loading {match.group(1)} ({done}/{total})")
                    psql.stdin.write(line)
                psql.stdin.close()
            except BrokenPipeError:
                pass  # psql stopped at an error and rolled back; its message is read below
            code = psql.wait()
            errors.seek(0)
            error = errors.read().decode("utf-8", "replace").strip()
            if code != 0:
                raise BackupError(f"the restore was rolled back, nothing changed: {error[-500:]}")
    return total
