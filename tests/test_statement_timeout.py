"""Every web query has a ceiling; a request that hits it, or loses its database mid-way, gets a page, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from factcheck import create_app
from factcheck.models import Role
from factcheck.services import claims as claim_service
from factcheck.services import users as user_service
from factcheck.web import db_session

from .conftest import PASSWORD
from .helpers import WebClient


@pytest.fixture
def real_app(fresh_db_url):
    """An app on a database of its own, with real commits, as `factcheck serve` builds it."""
    app = create_app(
        {"DATABASE_URL": fresh_db_url, "SECRET_KEY": "x", "PUBLIC_URL": "http://127.0.0.1:5000", "STATEMENT_TIMEOUT": 0.3}
    )
    database = app.extensions["factcheck.db"]
    with database.session() as session:
        user_service.create_user(session, username="rita", password=PASSWORD, role=Role.REVIEWER, display_name="Rita")
    yield app
    database.dispose()


def _logged_in(app) -> WebClient:
    client = WebClient(app.test_client())
    client.get("/login")
    assert client.post("/login", {"username": "rita", "password": PASSWORD}).status_code == 302
    client.forget_token()
    return client


def test_the_web_engine_caps_every_statement_with_the_configured_timeout(fresh_db_url, monkeypatch):
    monkeypatch.setenv("FACTCHECK_STATEMENT_TIMEOUT", "2.5")
    app = create_app({"DATABASE_URL": fresh_db_url, "SECRET_KEY": "x", "PUBLIC_URL": "http://127.0.0.1:5000"})
    engine = app.extensions["factcheck.db"].engine
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "2500ms"
    finally:
        engine.dispose()


def test_an_unusable_timeout_setting_is_refused_with_its_name(monkeypatch):
    from factcheck.config import ConfigurationError, load_settings

    with pytest.raises(ConfigurationError, match="FACTCHECK_STATEMENT_TIMEOUT"):
        load_settings({"FACTCHECK_STATEMENT_TIMEOUT": "soon", "SECRET_KEY": "x"})


def test_a_query_past_the_timeout_gets_a_clear_503_and_the_next_request_works(real_app, monkeypatch):
    client = _logged_in(real_app)
    real_list_claims = claim_service.list_claims

    def slow(session, *args, **kwargs):
        session.execute(text("SELECT pg_sleep(3)"))
        return real_list_claims(session, *args, **kwargs)

    monkeypatch.setattr(claim_service, "list_claims", slow)
    response = client.get("/claims")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Request took too long" in page and "nothing was changed" in page
    assert response.headers["Retry-After"] == "5"

    monkeypatch.setattr(claim_service, "list_claims", real_list_claims)
    assert client.get("/claims").status_code == 200


def test_a_session_that_cannot_close_does_not_replace_the_finished_page(real_app, monkeypatch):
    """PostgreSQL stopping just after a page was drawn: closing the session raises in teardown."""
    client = _logged_in(real_app)
    database = real_app.extensions["factcheck.db"]

    class DroppedAtClose(Session):
        def close(self):
            super().close()
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(database.session_factory, "class_", DroppedAtClose)
    response = client.get("/claims")
    assert response.status_code == 200
    assert "Claims" in response.get_data(as_text=True)


def test_a_timeout_under_a_millisecond_is_one_millisecond_not_none(fresh_db_url):
    """PostgreSQL reads statement_timeout=0 as no limit at all: a tiny setting must still stop a query."""
    import psycopg2
    from sqlalchemy import event
    from sqlalchemy.pool import NullPool

    from factcheck.db import make_engine

    engine = make_engine(fresh_db_url, statement_timeout=0.0005, poolclass=NullPool, pool_pre_ping=False)
    given: dict = {}
    event.listen(engine, "do_connect", lambda dialect, record, cargs, cparams: given.update(cparams))
    try:
        # SQLAlchemy's own first queries on a new connection may already run into
        # 1 ms on a busy machine; what matters is what the connection was given.
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(0.3)"))
    except OperationalError as exc:
        assert "statement timeout" in str(exc)
    else:
        pytest.fail("a 0.5 ms statement timeout let a 300 ms query run")
    finally:
        engine.dispose()
    assert given["options"] == "-c statement_timeout=1"
    raw = psycopg2.connect(**given)  # the same connection, without SQLAlchemy's first queries
    try:
        with raw.cursor() as cursor, pytest.raises(psycopg2.errors.QueryCanceled):
            cursor.execute("SELECT pg_sleep(0.3)")
    finally:
        raw.close()
