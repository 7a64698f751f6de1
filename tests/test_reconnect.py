"""Connections the server dropped (a PostgreSQL restart, an idle timeout): the pools ping only
connections that sat idle (db._ping_when_idle), and the public fact-check page sends its one
statement again on a new connection when the one it used had gone."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from factcheck import create_app
from factcheck.db import make_engine
from .test_public_fast_path import publish_one


def _backend(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(url: str, pids) -> None:
    admin = make_engine(url, idle_ping=None, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for pid in pids:
                assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
            # Wait until they are gone, so the next checkout meets a closed session.
            conn.execute(text(
                "DO $$ BEGIN FOR i IN 1..200 LOOP EXIT WHEN NOT EXISTS "
                "(SELECT 1 FROM pg_stat_activity WHERE pid = ANY(:p)); PERFORM pg_sleep(0.01); END LOOP; END $$"
                .replace(":p", "ARRAY[" + ",".join(str(int(p)) for p in pids) + "]")
            ))
    finally:
        admin.dispose()


def test_a_connection_that_sat_idle_is_pinged_and_replaced_when_its_session_has_gone(fresh_db_url):
    engine = make_engine(fresh_db_url, idle_ping=0.0)  # every connection given back counts as idle
    try:
        first = _backend(engine)
        _terminate(fresh_db_url, [first])
        second = _backend(engine)  # the ping found the session gone: a new connection answered
        assert second != first
    finally:
        engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged(fresh_db_url):
    """The other side of the bargain: no round trip before a busy connection's statement, so
    a session dropped within the idle time fails that statement, and the pool reconnects after it."""
    engine = make_engine(fresh_db_url, idle_ping=60.0)
    pings = []
    real_ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda dbapi_connection: pings.append(1) or real_ping(dbapi_connection)
    try:
        first = _backend(engine)
        _backend(engine)
        assert pings == []
        _terminate(fresh_db_url, [first])
        with pytest.raises(DBAPIError) as failed:
            _backend(engine)
        assert failed.value.connection_invalidated
        assert _backend(engine) != first
    finally:
        engine.dispose()


def test_the_public_page_answers_after_the_server_dropped_its_connections(fresh_db_url):
    app = create_app({
        "DATABASE_URL": fresh_db_url, "SECRET_KEY": "x", "PUBLIC_URL": "http://127.0.0.1:5000",
        "PUBLIC_RATE_LIMIT": 100,
    })
    database = app.extensions["factcheck.db"]
    assert database.autocommit_engine is not None  # the page's own pool, as in production
    try:
        url, _claim_id = publish_one(app)
        client = app.test_client()
        client_address = {"REMOTE_ADDR": "198.51.100.7"}
        assert client.get(url, environ_base=client_address).status_code == 200
        pool_pids = [_backend(database.autocommit_engine)]
        _terminate(fresh_db_url, pool_pids)

        again = client.get(url, environ_base=client_address)  # the dropped connection, then a new one
        assert again.status_code == 200 and "Six missiles flew 355 miles." in again.get_data(as_text=True)
        assert client.get(url, environ_base=client_address).status_code == 200
        with database.engine.connect() as conn:
            hits = conn.execute(text("SELECT sum(hits) FROM public_rate_limits")).scalar_one()
        assert hits == 3  # each request counted once (the statement on the dropped connection counted nothing)
    finally:
        database.dispose()


def test_a_prepared_statement_the_session_has_or_lacks_is_prepared_again(fresh_db_url):
    """db.fetch_prepared recovers when its note of prepared names and the server disagree."""
    from factcheck.db import _PREPARED, fetch_prepared

    engine = make_engine(fresh_db_url, isolation_level="AUTOCOMMIT")
    try:
        raw = engine.raw_connection()
        try:
            sql = "SELECT %(a)s::int + %(b)s::int"
            cursor = raw.cursor()
            cursor.execute("PREPARE factcheck_0 AS SELECT 0")  # prepared, but not noted (an interrupted worker)
            cursor.close()
            assert fetch_prepared(raw, sql, {"a": 2, "b": 3}) == (5,)
            raw.info[_PREPARED] = {"SELECT %(a)s::int * 10": "factcheck_9"}  # noted, but never prepared
            assert fetch_prepared(raw, "SELECT %(a)s::int * 10", {"a": 4}) == (40,)
            assert fetch_prepared(raw, sql, {"a": 1, "b": 1}) == (2,)
        finally:
            raw.close()
    finally:
        engine.dispose()
