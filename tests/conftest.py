"""Test harness.

The suite runs against PostgreSQL only: the server in DATABASE_URL when set
(it needs the right to create databases), otherwise an embedded one started
for the session. The schema is built once through the Alembic migrations into
a template database; then

* ``session`` / ``app`` / ``client`` run each test inside a transaction that
  is rolled back afterwards (services' commits become savepoints), and
* ``fresh_db_url`` clones the template for tests that need real commits seen
  by other connections or processes (CLI, concurrency, gunicorn).

Either way no test sees another's data, so order never matters.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

os.environ.setdefault("FACTCHECK_ARGON2_FAST", "1")
os.environ.setdefault("FACTCHECK_INSTANCE", tempfile.mkdtemp(prefix="factcheck-test-instance-"))

from factcheck import create_app, migrate  # noqa: E402
from factcheck.db import Database, make_engine, sqlalchemy_url  # noqa: E402

from .helpers import WebClient  # noqa: E402


def _admin_engine(server_url: str):
    return create_engine(sqlalchemy_url(server_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _with_database(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    """A URL on the PostgreSQL server the tests may create databases on."""
    given = os.environ.get("DATABASE_URL")
    if given:
        yield given
        return
    from factcheck.embedded import EmbeddedServer

    data_dir = Path(tempfile.mkdtemp(prefix="factcheck-test-pg-")) / "pgdata"
    server = EmbeddedServer(data_dir).start()
    try:
        yield server.uri("postgres")
    finally:
        server.stop()
        shutil.rmtree(data_dir.parent, ignore_errors=True)


class DatabaseFactory:
    """Creates databases on the test server and drops them at the end."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.prefix = f"fctest_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.created: list[str] = []

    def create(self, suffix: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{suffix}"
        assert re.fullmatch(r"[a-z0-9_]+", name)
        engine = _admin_engine(self.server_url)
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            if template:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            else:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.created.append(name)
        return name

    def url(self, name: str) -> str:
        return _with_database(self.server_url, name)

    def drop_all(self) -> None:
        engine = _admin_engine(self.server_url)
        with engine.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def databases(server_url):
    factory = DatabaseFactory(server_url)
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def template_name(databases):
    """A database migrated to head through Alembic; nobody stays connected to it."""
    name = databases.create("template")
    engine = make_engine(databases.url(name), poolclass=NullPool)
    migrate.upgrade(engine)
    engine.dispose()
    return name


@pytest.fixture(scope="session")
def engine(databases, template_name):
    name = databases.create("main", template=template_name)
    eng = make_engine(databases.url(name), pool_size=5, max_overflow=5)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine):
    conn = engine.connect()
    outer = conn.begin()
    try:
        yield conn
    finally:
        outer.rollback()
        conn.close()


@pytest.fixture
def database(connection):
    return Database.bound_to(connection)


@pytest.fixture
def session(database):
    s = database.session()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def fresh_db_url(databases, template_name):
    """A database of its own, cloned from the migrated template, for real commits."""
    name = databases.create(f"t{uuid.uuid4().hex[:10]}", template=template_name)
    return databases.url(name)


@pytest.fixture
def app(database):
    application = create_app(
        {"TESTING": True, "DATABASE": database, "SECRET_KEY": "test-secret-key"}
    )
    return application


@pytest.fixture
def client(app):
    return WebClient(app.test_client())


@pytest.fixture
def seeded(session):
    from factcheck.services import seeding

    return seeding.seed(session)


PASSWORD = "correct horse battery"


@pytest.fixture
def users(session):
    """One account per role, plus a second reviewer and a second editor."""
    from factcheck.models import Role
    from factcheck.services import users as user_service

    made = {}
    for username, role in [
        ("rita", Role.REVIEWER),
        ("ron", Role.REVIEWER),
        ("eddie", Role.EDITOR),
        ("erin", Role.EDITOR),
        ("ada", Role.ADMIN),
    ]:
        made[username] = user_service.create_user(
            session, username=username, password=PASSWORD, role=role, display_name=username.capitalize()
        )
    return made


@pytest.fixture
def login(app, users):
    """login("rita") -> a WebClient logged in through the real form."""

    def _login(username: str, password: str = PASSWORD) -> WebClient:
        client = WebClient(app.test_client())
        page = client.get("/login")
        assert page.status_code == 200
        response = client.post("/login", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        # Log-in starts a new session, so the form token changes; take the new one
        # from the page the browser lands on.
        client.forget_token()
        assert client.get(response.headers["Location"], follow_redirects=True).status_code == 200
        return client

    return _login
