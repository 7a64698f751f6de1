"""`factcheck backup` and `factcheck restore`: a worked-on database survives the round trip, table by table."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from factcheck.db import Database, sqlalchemy_url
from factcheck.models import Role
from factcheck.services import related, seeding, workflow
from factcheck.services import users as user_service
from factcheck.services.workflow import EvidenceFields

from .conftest import PASSWORD
from .test_cli import run


def _fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Every public table's row count and a digest of all its rows."""
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).scalars().all()
        prints = {
            table: tuple(conn.execute(text(
                f'SELECT count(*), coalesce(md5(string_agg(t::text, chr(10) ORDER BY t::text)), \'\') FROM "{table}" t'
            )).one())
            for table in tables
        }
    engine.dispose()
    return prints


def _work_on(url: str) -> None:
    database = Database.from_url(url, poolclass=NullPool)
    with database.session() as session:
        seeding.seed(session)
        rita = user_service.create_user(session, username="rita", password=PASSWORD, role=Role.REVIEWER).id
        claim_ids = session.execute(text("SELECT id FROM claims ORDER BY id LIMIT 2")).scalars().all()
        workflow.take_claim(session, rita, claim_ids[0])
        workflow.add_evidence(session, rita, claim_ids[0], EvidenceFields("https://e.example/a", "A source", "supports"))
        workflow.propose_verdict(session, rita, claim_ids[0], "unproven", "Nobody else reports it.")
        related.link_claims(session, rita, claim_ids[0], claim_ids[1], "related")
    database.dispose()


def test_a_worked_on_database_survives_backup_and_restore(fresh_db_url, databases, tmp_path):
    _work_on(fresh_db_url)
    dump = tmp_path / "desk.dump"
    saved = run(["backup", str(dump)], fresh_db_url)
    assert saved.exit_code == 0, saved.output
    assert dump.stat().st_size > 0 and "Saved" in saved.output

    target = databases.url(databases.create("restored"))
    restored = run(["restore", str(dump)], target)
    assert restored.exit_code == 0, restored.output
    before, after = _fingerprints(fresh_db_url), _fingerprints(target)
    assert before.keys() == after.keys() and len(before) > 10
    assert after == before
    assert after["claim_events"][0] > 59 and after["evidence"][0] == 1


def test_restore_refuses_a_database_with_tables_unless_told_to_replace(fresh_db_url, tmp_path):
    _work_on(fresh_db_url)
    dump = tmp_path / "desk.dump"
    assert run(["backup", str(dump)], fresh_db_url).exit_code == 0
    before = _fingerprints(fresh_db_url)

    refused = run(["restore", str(dump)], fresh_db_url)
    assert refused.exit_code != 0 and "--replace" in refused.output
    replaced = run(["restore", "--replace", str(dump)], fresh_db_url)
    assert replaced.exit_code == 0, replaced.output
    assert _fingerprints(fresh_db_url) == before


def test_a_file_that_is_not_a_backup_changes_nothing(fresh_db_url, tmp_path):
    before = _fingerprints(fresh_db_url)
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"PGDMP but not really")
    result = run(["restore", "--replace", str(junk)], fresh_db_url)
    assert result.exit_code != 0 and "not a whole backup" in result.output
    assert _fingerprints(fresh_db_url) == before


def test_a_truncated_backup_is_refused_and_the_database_kept(fresh_db_url, tmp_path):
    """A backup cut short (a full disk, a partial copy) must not drop the tables it would replace."""
    _work_on(fresh_db_url)
    dump = tmp_path / "desk.dump"
    assert run(["backup", str(dump)], fresh_db_url).exit_code == 0
    assert oct(dump.stat().st_mode & 0o777) == "0o600", "the dump holds password hashes"
    before = _fingerprints(fresh_db_url)
    whole = dump.read_bytes()
    for keep in (len(whole) * 2 // 3, len(whole) - 300):  # cut in the data, and near the end
        cut = tmp_path / f"cut-{keep}.dump"
        cut.write_bytes(whole[:keep])
        result = run(["restore", "--replace", str(cut)], fresh_db_url)
        assert result.exit_code != 0 and "nothing changed" in result.output, result.output
        assert _fingerprints(fresh_db_url) == before
