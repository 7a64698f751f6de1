"""The `factcheck` command, run as a user would, against a database of its own."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from factcheck.cli import main
from factcheck.db import sqlalchemy_url
from factcheck.models import Article, Claim, Role, User

SUBCOMMANDS = [
    [],
    ["serve"],
    ["db"],
    ["db", "upgrade"],
    ["db", "downgrade"],
    ["db", "current"],
    ["seed"],
    ["user"],
    ["user", "add"],
    ["import"],
    ["worker"],
    ["webhook"],
    ["webhook", "add"],
    ["feed"],
    ["feed", "add"],
    ["feed", "list"],
    ["feed", "remove"],
    ["feed", "poll"],
]


def run(args, url=None, input=None):
    env = {"DATABASE_URL": url} if url else {}
    return CliRunner().invoke(main, args, env=env, input=input, catch_exceptions=False)


def count(url, model):
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    with Session(engine) as session:
        n = session.execute(select(func.count()).select_from(model)).scalar_one()
    engine.dispose()
    return n


@pytest.mark.parametrize("args", SUBCOMMANDS, ids=lambda a: " ".join(a) or "factcheck")
def test_every_subcommand_has_help(args):
    result = run(args + ["--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_db_upgrade_builds_an_empty_database(databases):
    url = databases.url(databases.create("cli_upgrade"))
    result = run(["db", "upgrade"], url)
    assert result.exit_code == 0, result.output
    assert "Database schema at revision" in result.output
    assert count(url, Article) == 0
    again = run(["db", "upgrade"], url)
    assert again.exit_code == 0


def test_commands_refuse_an_unmigrated_database(databases):
    url = databases.url(databases.create("cli_empty"))
    result = run(["seed"], url)
    assert result.exit_code == 1
    assert "run `factcheck db upgrade` first" in result.stderr


def test_unreachable_database_is_one_clear_line():
    result = run(["seed"], "postgresql://postgres@127.0.0.1:1/nowhere")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "cannot reach PostgreSQL at postgresql://postgres@127.0.0.1:1/nowhere" in result.stderr
    assert "Traceback" not in result.stderr


def test_seed_twice(fresh_db_url):
    first = run(["seed"], fresh_db_url)
    assert first.exit_code == 0
    assert "2 added" in first.output
    claims = count(fresh_db_url, Claim)
    second = run(["seed"], fresh_db_url)
    assert "0 added, 2 already present" in second.output
    assert count(fresh_db_url, Claim) == claims >= 25


def test_user_add_reads_the_password_from_stdin(fresh_db_url):
    result = run(
        ["user", "add", "alice", "--role", "reviewer", "--password-stdin"],
        fresh_db_url,
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    engine = create_engine(sqlalchemy_url(fresh_db_url), poolclass=NullPool)
    with Session(engine) as session:
        user = session.execute(select(User)).scalar_one()
        assert (user.username, user.role) == ("alice", Role.REVIEWER)
        assert user.password_hash.startswith("$argon2id$")
    engine.dispose()


def test_user_add_prompts_when_no_stdin_flag(fresh_db_url):
    result = run(
        ["user", "add", "bob", "--role", "editor"],
        fresh_db_url,
        input="another long passphrase\nanother long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "another long passphrase" not in result.output


def test_user_add_refuses_a_weak_password_and_creates_nothing(fresh_db_url):
    result = run(["user", "add", "carol", "--role", "admin", "--password-stdin"], fresh_db_url, input="short\n")
    assert result.exit_code == 1
    assert "password: Use at least 12 characters." in result.stderr
    assert count(fresh_db_url, User) == 0


def test_password_cannot_be_given_on_the_command_line():
    result = run(["user", "add", "dave", "--role", "admin", "--password", "secret secret"])
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_import_good_files(fresh_db_url, tmp_path):
    a = tmp_path / "a.md"
    a.write_text("---\ntitle: A story\nurl: https://example.org/a\n---\nSix missiles were fired.\n")
    b = tmp_path / "b.txt"
    b.write_text("B story\n\nTwenty-nine people were killed.\n")
    result = run(["import", str(a), str(b)], fresh_db_url)
    assert result.exit_code == 0, result.stderr
    assert "Imported #" in result.output and "A story" in result.output
    assert count(fresh_db_url, Article) == 2


@pytest.mark.parametrize(
    "bad_content, reason",
    [(b"", "empty"), (b"\x00\x01\x02binary", "binary"), ("T\n\ncaf\xe9".encode("latin-1"), "not UTF-8")],
)
def test_import_bad_batch_imports_nothing(fresh_db_url, tmp_path, bad_content, reason):
    good = tmp_path / "good.txt"
    good.write_text("Good story\n\nFour systems were withdrawn.\n")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bad_content)
    result = run(["import", str(good), str(bad)], fresh_db_url)
    assert result.exit_code == 1
    assert "nothing imported" in result.stderr and reason in result.stderr and "bad.txt" in result.stderr
    assert count(fresh_db_url, Article) == 0


def test_import_missing_file_is_a_usage_error(fresh_db_url, tmp_path):
    result = run(["import", str(tmp_path / "nope.txt")], fresh_db_url)
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_unknown_revision_is_one_line(fresh_db_url):
    result = run(["db", "downgrade", "no-such-revision"], fresh_db_url)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Can't locate revision identified by 'no-such-revision'")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("level", ["WARNING", "debug", "ERROR"])
def test_factcheck_log_level_sets_the_level_of_every_command(fresh_db_url, level):
    import logging

    root = logging.getLogger()
    before = root.level
    try:
        result = CliRunner().invoke(main, ["db", "current"], env={"DATABASE_URL": fresh_db_url, "FACTCHECK_LOG_LEVEL": level})
        assert result.exit_code == 0, result.output
        assert root.level == logging.getLevelName(level.upper())
    finally:
        root.setLevel(before)


def test_an_unknown_log_level_is_refused_with_its_name():
    result = CliRunner().invoke(main, ["db", "current"], env={"FACTCHECK_LOG_LEVEL": "loud"})
    assert result.exit_code != 0 and "FACTCHECK_LOG_LEVEL='loud'" in result.output
