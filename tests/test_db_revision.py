"""`factcheck db revision`: a contributor's schema change becomes the next numbered migration."""

from __future__ import annotations

import shutil

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from factcheck import migrate
from factcheck.db import sqlalchemy_url
from factcheck.paths import MIGRATIONS_DIR

from .test_cli import run


def _next_number() -> str:
    """The number the next migration gets: one past the head of the project's migrations."""
    return f"{int(migrate.head_revision()) + 1:04d}"


def test_nothing_to_generate_when_models_and_database_agree(fresh_db_url, tmp_path, monkeypatch):
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    following = _next_number()
    result = run(["db", "revision", "-m", "Nothing"], fresh_db_url)
    assert result.exit_code != 0 and "nothing to generate" in result.output
    assert sorted(p.name for p in (copy / "versions").glob(f"{following}*")) == []

    empty = run(["db", "revision", "-m", "A trigger by hand", "--empty"], fresh_db_url)
    assert empty.exit_code == 0, empty.output
    assert (copy / "versions" / f"{following}_a_trigger_by_hand.py").exists()


def test_a_difference_becomes_the_next_numbered_migration(fresh_db_url, tmp_path, monkeypatch):
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    engine = create_engine(sqlalchemy_url(fresh_db_url), poolclass=NullPool)
    with engine.begin() as conn:  # as if a contributor had added this index to the models
        conn.execute(text("DROP INDEX ix_claims_search_vector"))
    engine.dispose()

    following = _next_number()
    result = run(["db", "revision", "-m", "Index claims for search"], fresh_db_url)
    assert result.exit_code == 0, result.output
    written = copy / "versions" / f"{following}_index_claims_for_search.py"
    assert f"Wrote {written}" in result.output
    source = written.read_text()
    head = int(migrate.head_revision())
    assert f"revision = '{head:04d}'" in source or f'revision = "{head:04d}"' in source
    assert "ix_claims_search_vector" in source and "create_index" in source
