"""Read replicas (factcheck/replica.py, factcheck/web/reads.py) on a real primary and a real streaming standby.

The module starts its own two PostgreSQL 15 servers in a temporary folder, on
free ports (initdb, then pg_basebackup -R for the standby), as the postgres
system user when the tests run as root (PostgreSQL refuses root). Stale data
is made by pausing the standby's replay (pg_wal_replay_pause()): a page that
shows the old state was read from the standby; one that shows the new state
was read from the primary. Timings of the set-up and of each test are printed
(run with -s to see them).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from factcheck import create_app, migrate
from factcheck.db import make_engine
from factcheck.logs import JsonFormatter
from factcheck.models import Article, Category, ClaimStatus, Role, Stance, User, Verdict
from factcheck.services import publishing, tokens as token_service, users as user_service, workflow
from factcheck.services.workflow import ClaimFields, EvidenceFields

from .helpers import WebClient, free_port, with_time_left_in_the_minute

PG_BIN = Path(os.environ.get("FACTCHECK_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "correct horse battery"

pytestmark = pytest.mark.skipif(
    not (PG_BIN / "pg_basebackup").exists(), reason=f"no PostgreSQL programs in {PG_BIN} (FACTCHECK_TEST_PG_BIN)"
)



def _timed(label: str, started: float) -> None:
    print(f"\nreplica timing: {label}: {time.perf_counter() - started:.2f} s", flush=True)


class Cluster:
    """A primary and a streaming standby of it, started from this machine's PostgreSQL programs."""

    def __init__(self, root: Path):
        self.root = root
        self.primary_dir = root / "primary"
        self.standby_dir = root / "standby"
        self.primary_port = free_port()
        self.standby_port = free_port()
        self.owner = None
        if os.geteuid() == 0:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                self.owner = pwd.getpwnam("nobody")
            os.chown(root, self.owner.pw_uid, self.owner.pw_gid)

    def run(self, *argv: str) -> None:
        kwargs = {}
        if self.owner is not None:
            kwargs = {"user": self.owner.pw_uid, "group": self.owner.pw_gid, "extra_groups": []}
        result = subprocess.run(
            [str(PG_BIN / argv[0]), *argv[1:]], cwd=self.root, capture_output=True, text=True, timeout=120, **kwargs
        )
        assert result.returncode == 0, f"{argv[0]} failed: {result.stdout}\n{result.stderr}"

    def start(self) -> None:
        self.run("initdb", "-D", str(self.primary_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": self.primary_port,
            "unix_socket_directories": f"'{self.root}'",
            "shared_buffers": "'16MB'",
            "max_connections": 60,
            "fsync": "off",
            "full_page_writes": "off",
            "wal_level": "replica",
            "max_wal_senders": 4,
            "hot_standby": "on",
            "hot_standby_feedback": "on",
        }
        with open(self.primary_dir / "postgresql.conf", "a") as conf:
            conf.write("".join(f"{key} = {value}\n" for key, value in settings.items()))
        self.run("pg_ctl", "-D", str(self.primary_dir), "-l", str(self.root / "primary.log"), "-w", "-t", "60", "start")
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
            "-D", str(self.standby_dir), "-R", "-X", "stream", "-c", "fast", "-N",
        )
        with open(self.standby_dir / "postgresql.conf", "a") as conf:
            conf.write(f"port = {self.standby_port}\n")
        self.start_standby()

    def start_standby(self) -> None:
        self.run("pg_ctl", "-D", str(self.standby_dir), "-l", str(self.root / "standby.log"), "-w", "-t", "60", "start")

    def stop_standby(self) -> None:
        self.run("pg_ctl", "-D", str(self.standby_dir), "-m", "fast", "-w", "stop")

    def stop(self) -> None:
        for data_dir in (self.standby_dir, self.primary_dir):
            if (data_dir / "postmaster.pid").exists():
                try:
                    self.run("pg_ctl", "-D", str(data_dir), "-m", "immediate", "-w", "stop")
                except AssertionError:
                    pass

    def url(self, port: int, database: str = "factcheck") -> str:
        return f"postgresql://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def standby_url(self) -> str:
        return self.url(self.standby_port)


@pytest.fixture(scope="module")
def cluster():
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="factcheck-replica-"))
    servers = Cluster(root)
    try:
        servers.start()
        _timed("primary + standby started (initdb, pg_basebackup -R)", started)
        admin = create_engine(servers.url(servers.primary_port, "postgres").replace("postgresql://", "postgresql+psycopg2://"),
                              isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "factcheck"'))
        admin.dispose()
        engine = make_engine(servers.primary_url, poolclass=NullPool)
        migrate.upgrade(engine)
        engine.dispose()
        servers.primary = make_engine(servers.primary_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        servers.standby = make_engine(servers.standby_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with servers.primary.connect() as conn:
            _seed_users(conn)
        catch_up(servers)
        _timed("set-up total (servers, migrations, users, standby caught up)", started)
        yield servers
    finally:
        for name in ("primary", "standby"):
            engine = getattr(servers, name, None)
            if engine is not None:
                engine.dispose()
        servers.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _time_each_test(request):
    started = time.perf_counter()
    yield
    _timed(request.node.name, started)


def _seed_users(conn) -> None:
    from sqlalchemy.orm import Session

    with Session(bind=conn) as session:
        for username, role in [("rita", Role.REVIEWER), ("ron", Role.REVIEWER), ("eddie", Role.EDITOR), ("erin", Role.EDITOR)]:
            user_service.create_user(session, username=username, password=PASSWORD, role=role, display_name=username.capitalize())


def catch_up(cluster, timeout: float = 30) -> None:
    """A commit on the primary (so the standby's last replayed commit is recent), then wait until it is replayed."""
    with cluster.standby.connect() as conn:
        conn.execute(text("SELECT pg_wal_replay_resume()"))
    with cluster.primary.connect() as conn:
        conn.execute(text("SELECT txid_current()"))
        target = conn.execute(text("SELECT pg_current_wal_insert_lsn()")).scalar_one()
    deadline = time.monotonic() + timeout
    with cluster.standby.connect() as conn:
        while not conn.execute(text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)"), {"lsn": target}).scalar_one():
            assert time.monotonic() < deadline, "the standby did not catch up"
            time.sleep(0.02)


def pause_replay(cluster) -> None:
    catch_up(cluster)
    with cluster.standby.connect() as conn:
        conn.execute(text("SELECT pg_wal_replay_pause()"))
        deadline = time.monotonic() + 10
        while conn.execute(text("SELECT pg_get_wal_replay_pause_state()")).scalar_one() != "paused":
            assert time.monotonic() < deadline
            time.sleep(0.01)


@pytest.fixture
def paused(cluster):
    pause_replay(cluster)
    yield cluster
    catch_up(cluster)


@pytest.fixture
def primary_session(cluster):
    from sqlalchemy.orm import Session

    engine = make_engine(cluster.primary_url, poolclass=NullPool)
    session = Session(bind=engine, expire_on_commit=False)
    yield session
    session.close()
    engine.dispose()


_numbers = itertools.count(1)


def make_claim(session, *, verified: bool):
    """A claim on an article of its own (each text unique): unverified, or verified with a verdict."""
    n = next(_numbers)
    word = f"zanzibar{n}x"
    body = f"Officials said {word} missiles flew 355 miles before striking depot {n}."
    article = Article(title=f"Depot strike {n}", body=body, url=f"https://news.example/depot-{n}", outlet="Wire")
    session.add(article)
    session.commit()
    ids = dict(session.execute(select(User.username, User.id)).all())
    claim = workflow.create_claim(
        session, ids["rita"], article.id, f"{word} missiles flew 355 miles",
        ClaimFields(statement=f"The {word} missiles flew 355 miles.", category=Category.DISTANCE, claimant="Officials"),
    )
    if verified:
        workflow.take_claim(session, ids["rita"], claim.id)
        workflow.add_evidence(
            session, ids["rita"], claim.id,
            EvidenceFields(url="https://example.org/range", title="Range table", stance=Stance.REFUTES, publisher="Example"),
        )
        workflow.propose_verdict(session, ids["rita"], claim.id, Verdict.MISLEADING, "The range is 200 miles.")
        workflow.approve_verdict(session, ids["erin"], claim.id)
    return claim, word, ids


def make_app(cluster, *, max_lag: float = 30, check_interval: float = 0.05):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "replica-test-secret",
            "DATABASE_URL": cluster.primary_url,
            "DATABASE_REPLICA_URL": cluster.standby_url,
            "REPLICA_MAX_LAG": max_lag,
            "REPLICA_CHECK_INTERVAL": check_interval,
            "PUBLIC_URL": "http://localhost",
            "PUBLIC_RATE_LIMIT": 0,
        }
    )


@pytest.fixture
def apps():
    made = []

    def _make(cluster, **options):
        app = make_app(cluster, **options)
        made.append(app)
        return app

    yield _make
    for app in made:
        app.extensions["factcheck.db"].dispose()
        app.extensions["factcheck.replica"].dispose()


def login(app, username: str) -> WebClient:
    client = WebClient(app.test_client())
    client.get("/login")
    response = client.post("/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    client.forget_token()
    client.get("/")
    return client


def read(client, path: str):
    """A GET whose body is read to the end (a streamed export runs its queries while it is read)."""
    response = client.get(path)
    response.get_data()
    return response


def search_hit(client, word: str, claim_id: int) -> str:
    """The line of the search results that shows claim ``claim_id`` (with its status)."""
    page = client.get(f"/search?q={word}&kind=claims").get_data(as_text=True)
    lines = [line for line in page.splitlines() if f">#{claim_id} " in line]
    assert len(lines) == 1, page
    return lines[0]


def routed(target: str, reason: str) -> float:
    return REGISTRY.get_sample_value("factcheck_db_routed_reads_total", {"target": target, "reason": reason}) or 0.0


def replica_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "factcheck.replica"]


# --- the tests ---------------------------------------------------------------------


def test_lag_tolerant_pages_read_from_the_standby(cluster, apps, primary_session):
    claim, word, ids = make_claim(primary_session, verified=True)
    catch_up(cluster)
    app = apps(cluster)
    eddie = login(app, "eddie")
    pause_replay(cluster)
    try:
        # Written on the primary while the standby does not replay: only a page read
        # from the primary can show it.
        publication = publishing.publish_claim(primary_session, ids["eddie"], claim.id, None)
        workflow.create_claim(
            primary_session, ids["rita"], claim.article_id, "355 miles",
            ClaimFields(statement=f"A {word} distance of 355 miles.", category=Category.DISTANCE, claimant="Officials"),
        )
        before = routed("replica", "ok")
        public = app.test_client()
        assert public.get(f"/fact-checks/{claim.id}-{publication.slug}").status_code == 404  # not on the standby yet
        assert word not in public.get("/fact-checks/").get_data(as_text=True)
        assert f"/fact-checks/{claim.id}-" not in public.get("/sitemap.xml").get_data(as_text=True)
        search = eddie.get(f"/search?q={word}&kind=claims").get_data(as_text=True)
        assert f"#{claim.id} " in search and "distance of 355 miles" not in search
        assert eddie.get("/dashboard").status_code == 200
        assert read(eddie, "/export/verified.csv").status_code == 200
        assert routed("replica", "ok") - before == 6
        # The claim page is not a lag-tolerant page: it reads the primary.
        assert "published the fact check" in eddie.get(f"/claims/{claim.id}").get_data(as_text=True)
    finally:
        catch_up(cluster)
    assert public.get(f"/fact-checks/{claim.id}-{publication.slug}").status_code == 200
    assert "distance of 355 miles" in eddie.get(f"/search?q={word}&kind=claims").get_data(as_text=True)


def test_a_rate_limited_public_page_counts_on_the_primary_and_reads_the_standby(cluster, apps, primary_session):
    """With a standby, the fact-check page cannot count in the statement that reads it (the
    standby is read-only): the count is a statement of its own on the primary, the page is
    read on the standby, nothing fails over, and the limit still refuses."""
    from factcheck.services import rate_limit

    claim, _word, ids = make_claim(primary_session, verified=True)
    publication = publishing.publish_claim(primary_session, ids["eddie"], claim.id, None)
    catch_up(cluster)
    app = apps(cluster)
    app.config["PUBLIC_RATE_LIMIT"] = 3
    client = app.test_client()
    crowd = {"REMOTE_ADDR": "198.51.100.20"}
    from_standby, failed = routed("replica", "ok"), routed("primary", "error")
    with_time_left_in_the_minute()  # the counts are per minute: all of this in one
    path = f"/fact-checks/{claim.id}-{publication.slug}"
    assert [client.get(path, environ_base=crowd).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert routed("replica", "ok") - from_standby == 3  # the refused fourth never reached the view
    assert routed("primary", "error") == failed
    counted = primary_session.execute(
        text("SELECT sum(hits) FROM public_rate_limits WHERE client_key = :key"),
        {"key": rate_limit.client_key("198.51.100.20")},
    ).scalar_one()
    primary_session.rollback()
    assert counted == 4


def test_a_writer_reads_their_own_writes_while_the_standby_lags(cluster, apps, primary_session):
    claim, word, ids = make_claim(primary_session, verified=False)
    verified, _word2, _ = make_claim(primary_session, verified=True)
    catch_up(cluster)
    app = apps(cluster)
    rita, ron, eddie = login(app, "rita"), login(app, "ron"), login(app, "eddie")
    pause_replay(cluster)
    try:
        # rita takes the claim on the web: her next search shows it in review; ron's does not yet.
        rita.get(f"/claims/{claim.id}")
        assert rita.post(f"/claims/{claim.id}/take", {"version": claim.version}).status_code in (302, 303)
        assert ClaimStatus.IN_REVIEW.label in search_hit(rita, word, claim.id)
        assert ClaimStatus.UNVERIFIED.label in search_hit(ron, word, claim.id)

        # eddie publishes: the claim page links the public page with a signed "fresh" argument,
        # which reads from the primary (no cookie on the public pages) and is kept by no cache.
        eddie.get(f"/claims/{verified.id}")
        assert eddie.post(f"/claims/{verified.id}/publish", {"version": verified.version}).status_code == 303
        page = eddie.get(f"/claims/{verified.id}").get_data(as_text=True)
        link = re.search(r'href="http://localhost(/fact-checks/%d-[^"?]+)\?fresh=([^"]+)"' % verified.id, page)
        assert link, page[-3000:]
        path, token = link.group(1), link.group(2).replace("&amp;", "&")
        public = app.test_client()
        fresh = public.get(f"{path}?fresh={token}")
        assert fresh.status_code == 200 and fresh.headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in fresh.headers
        assert public.get(path).status_code == 404  # everyone else: the standby, which has not replayed it
        assert public.get(f"{path}?fresh=forged.{token[-10:]}").status_code == 404

        # A write through the API (a token, no browser session) is not stamped in a cookie.
        other, _w, _ = make_claim(primary_session, verified=False)
        api_token = token_service.create_token(primary_session, ids["ron"], name="ron-write", scope="write").plain
        taken = app.test_client().post(
            f"/api/v1/claims/{other.id}/take", json={},
            headers={"Authorization": f"Bearer {api_token}", "If-Match": f'"{other.version}"'},
        )
        assert taken.status_code == 200, taken.get_data(as_text=True)
        assert "Set-Cookie" not in taken.headers
    finally:
        catch_up(cluster)
    assert public.get(path).status_code == 200


def test_a_standby_lagging_past_the_setting_is_not_read(cluster, apps, primary_session, caplog):
    claim, _word, ids = make_claim(primary_session, verified=True)
    catch_up(cluster)
    app = apps(cluster, max_lag=1.0, check_interval=0.05)
    public = app.test_client()
    caplog.set_level(logging.INFO, logger="factcheck.replica")
    pause_replay(cluster)
    try:
        publication = publishing.publish_claim(primary_session, ids["eddie"], claim.id, None)
        time.sleep(1.3)  # the standby's last replayed commit is now more than a second old
        before = routed("primary", "lag")
        for _ in range(3):
            assert public.get(f"/fact-checks/{claim.id}-{publication.slug}").status_code == 200  # from the primary
        assert routed("primary", "lag") - before == 3
        lines = replica_lines(caplog)
        assert len(lines) == 1, lines  # one line when the state changes, not one per request
        assert lines[0]["level"] == "WARNING" and lines[0]["reason"] == "lag" and lines[0]["lag_seconds"] > 1.0
        assert lines[0]["max_lag_seconds"] == 1.0 and lines[0]["replica_usable"] is False
    finally:
        catch_up(cluster)
    time.sleep(0.1)
    assert public.get(f"/fact-checks/{claim.id}-{publication.slug}").status_code == 200
    back = replica_lines(caplog)[-1]
    assert back["replica_usable"] is True and back["reason"] == "ok"


def test_reads_fail_over_to_the_primary_when_the_standby_stops(cluster, apps, primary_session, caplog):
    claim, word, ids = make_claim(primary_session, verified=True)
    publication = publishing.publish_claim(primary_session, ids["eddie"], claim.id, None)
    catch_up(cluster)
    caplog.set_level(logging.INFO, logger="factcheck.replica")
    checked = apps(cluster)  # measures the standby every 50 ms
    trusting = apps(cluster, check_interval=3600)  # still believes its last measurement: the read itself fails
    pages = [f"/fact-checks/{claim.id}-{publication.slug}", "/fact-checks/", "/sitemap.xml", "/fact-checks/feed.atom"]
    clients = {name: login(app, "eddie") for name, app in (("checked", checked), ("trusting", trusting))}
    for client in clients.values():
        assert client.get(pages[0]).status_code == 200  # the standby is up and measured usable
    cluster.stop_standby()
    time.sleep(0.1)  # past the 50 ms the first app trusts a measurement: it measures again and finds none
    try:
        for name, client in clients.items():
            for path in pages:
                response = client.get(path)
                assert response.status_code == 200, (name, path)
            assert word in client.get(f"/search?q={word}&kind=claims").get_data(as_text=True)
            assert client.get("/dashboard").status_code == 200
            assert read(client, "/export/verified.csv").status_code == 200
        reasons = {line["reason"] for line in replica_lines(caplog) if not line["replica_usable"]}
        assert reasons == {"down", "error"}, replica_lines(caplog)
    finally:
        cluster.start_standby()
    catch_up(cluster)


def test_both_engines_carry_the_statement_timeout(cluster, apps):
    app = apps(cluster)
    expected = f"{round(app.config['STATEMENT_TIMEOUT'] * 1000)}ms"
    router = app.extensions["factcheck.replica"]
    for engine in (router.primary.engine, router.replica.engine):
        with engine.connect() as conn:
            shown = conn.execute(text("SHOW statement_timeout")).scalar_one()
        assert shown in (expected, f"{round(app.config['STATEMENT_TIMEOUT'])}s"), (engine.url, shown)


def test_api_reads_come_from_the_standby_except_right_after_the_users_own_api_write(cluster, apps, primary_session):
    claim, word, ids = make_claim(primary_session, verified=False)
    ron_token = token_service.create_token(primary_session, ids["ron"], name="ron-write", scope="write").plain
    ron_reader = token_service.create_token(primary_session, ids["ron"], name="ron-read", scope="read").plain
    rita_token = token_service.create_token(primary_session, ids["rita"], name="rita-read", scope="read").plain
    primary_session.execute(text("UPDATE users SET last_write_at = NULL"))  # an earlier test's API write
    primary_session.commit()
    catch_up(cluster)
    app = apps(cluster)
    client = app.test_client()

    def get(token, path):
        response = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    pause_replay(cluster)
    try:
        before = routed("replica", "ok")
        assert get(ron_token, f"/claims/{claim.id}")["status"] == "unverified"
        assert routed("replica", "ok") - before == 1  # no write yet: the standby
        taken = client.post(
            f"/api/v1/claims/{claim.id}/take", json={},
            headers={"Authorization": f"Bearer {ron_token}", "If-Match": f'"{claim.version}"'},
        )
        assert taken.status_code == 200, taken.get_data(as_text=True)
        own = routed("primary", "own_write")
        # ron reads his own write at once, with either of his tokens: from the primary.
        assert get(ron_token, f"/claims/{claim.id}")["status"] == "in_review"
        listed = get(ron_reader, "/claims?status=in_review&limit=100")["data"]
        assert claim.id in [item["id"] for item in listed] and routed("primary", "own_write") - own == 2
        # rita, who wrote nothing, reads the standby, which has not replayed ron's take yet.
        assert get(rita_token, f"/claims/{claim.id}")["status"] == "unverified"
    finally:
        catch_up(cluster)
    assert get(rita_token, f"/claims/{claim.id}")["status"] == "in_review"
