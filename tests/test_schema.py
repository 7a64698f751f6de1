"""The schema comes from the migrations, and the migrations match the models."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect, text
from sqlalchemy.pool import NullPool

from factcheck import migrate
from factcheck.db import make_engine
from factcheck.models import Base


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        differences = migrate.schema_differences(conn)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_the_comparison_notices_a_model_change(engine, monkeypatch):
    """A control: the check above would fail if a model gained a column without a migration."""
    copy = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(copy)
    Table("articles", copy, Column("unmigrated", Integer), extend_existing=True)
    monkeypatch.setattr(Base, "metadata", copy)
    with engine.connect() as conn:
        differences = migrate.schema_differences(conn)
    assert any(d[0] == "add_column" and d[3].name == "unmigrated" for d in differences)


def test_only_the_job_queue_library_tables_are_left_out_of_the_comparison(engine):
    """procrastinate's tables (migration 0016) have no models and are not reported; any
    other table the models lack still is, even one whose name merely contains the prefix."""
    with engine.connect() as conn:
        with conn.begin():
            queue_tables = conn.execute(
                text("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'procrastinate%'")
            ).scalar_one()
            conn.execute(text("CREATE TABLE unmodelled_procrastinate_notes (id int)"))
            differences = migrate.schema_differences(conn)
            conn.rollback()
    assert queue_tables >= 4
    removed = [d[1].name for d in differences if d[0] == "remove_table"]
    assert removed == ["unmodelled_procrastinate_notes"]


def test_upgrade_downgrade_upgrade(databases):
    name = databases.create("updown")
    eng = make_engine(databases.url(name), poolclass=NullPool)
    try:
        migrate.upgrade(eng)
        migrate.downgrade(eng, "base")
        with eng.connect() as conn:
            tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
            types = conn.execute(text("SELECT typname FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid")).all()
            functions = conn.execute(
                text("SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE nspname = 'public'")
            ).all()
        assert tables == set()
        assert types == []
        assert functions == []
        migrate.upgrade(eng)
        with eng.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            assert migrate.schema_differences(conn) == []
    finally:
        eng.dispose()


@pytest.mark.parametrize(
    "column",
    [
        ("users", "created_at"),
        ("articles", "imported_at"),
        ("claims", "verified_at"),
        ("evidence", "created_at"),
        ("claim_events", "created_at"),
    ],
)
def test_timestamps_are_timezone_aware(engine, column):
    table, name = column
    with engine.connect() as conn:
        data_type = conn.execute(
            text("SELECT data_type FROM information_schema.columns WHERE table_name = :t AND column_name = :c"),
            {"t": table, "c": name},
        ).scalar_one()
    assert data_type == "timestamp with time zone"


def test_generated_search_vectors_match_the_models(session, seeded):
    """Autogenerate cannot compare generated expressions; compare what they compute instead."""
    from factcheck.models.article import ARTICLE_SEARCH_SQL
    from factcheck.models.claim import CLAIM_SEARCH_SQL
    from factcheck.models.evidence import EVIDENCE_SEARCH_SQL

    session.execute(
        text(
            "INSERT INTO evidence (claim_id, url, title, publisher, stance, note) "
            "SELECT min(id), 'https://e.example', 'Ministry casualty report', 'IRNA', 'supports', 'Lists 29 dead' FROM claims"
        )
    )
    for table, expression in (("claims", CLAIM_SEARCH_SQL), ("articles", ARTICLE_SEARCH_SQL), ("evidence", EVIDENCE_SEARCH_SQL)):
        differing = session.execute(
            text(f"SELECT count(*) FROM {table} WHERE search_vector IS DISTINCT FROM ({expression})")
        ).scalar_one()
        rows = session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        assert rows > 0 and differing == 0, table
