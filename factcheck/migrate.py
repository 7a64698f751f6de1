"""Alembic, driven from code: the only way the schema is created or changed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from .paths import MIGRATIONS_DIR


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        # ConfigParser treats % specially; escape it for URLs with encoded characters.
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


class NothingToGenerate(RuntimeError):
    """The models and the database agree: autogenerate would write an empty migration."""


def new_revision(engine: Engine, message: str, *, autogenerate: bool = True) -> Path:
    """Write the next migration (``0011_<slug>.py`` after ``0010``) and return its path.

    With ``autogenerate`` it holds what the models changed compared with the
    database, which must be at the head revision; without, it is empty, to be
    written by hand (computed columns, triggers and functions, which
    autogenerate does not see).
    """
    head = head_revision()
    rev_id = f"{int(head) + 1:04d}" if head.isdigit() else None
    with engine.connect() as conn:
        if autogenerate and not schema_differences(conn):
            raise NothingToGenerate(message)
        cfg = alembic_config(conn)
        cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        script = command.revision(cfg, message=message, autogenerate=autogenerate, rev_id=rev_id)
    return Path(script.path)


# Tables that belong to a library, created by a migration from the library's own SQL
# (0016: procrastinate's job queue), and never described by our models.
LIBRARY_TABLE_PREFIXES = ("procrastinate_",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Objects autogenerate compares: everything, except a library's tables found in the
    database with no model of ours (any model named like one would still be compared)."""
    if type_ == "table" and reflected and compare_to is None and name.startswith(LIBRARY_TABLE_PREFIXES):
        return False
    return True


def schema_differences(conn: Connection) -> list:
    """What autogenerate would change to make the database match the models (empty = in sync)."""
    from .models import Base

    context = MigrationContext.configure(
        conn, opts={"compare_type": True, "include_object": include_object}
    )
    return compare_metadata(context, Base.metadata)
