"""The outbox (issue 15): each change that matters writes an event, and queues its
delivery job, in the transaction of the change; a rolled-back change leaves neither."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from factcheck.db import Database, sqlalchemy_url
from factcheck.models import CandidateStatus, ClaimCandidate, Event, Role
from factcheck.services import articles, candidates, publishing, seeding, workflow
from factcheck.services import users as user_service
from factcheck.services.articles import ArticleDraft
from factcheck.services.unit import unit_of_work
from factcheck.services.workflow import EvidenceFields

from .conftest import PASSWORD


class Boom(RuntimeError):
    pass


def _types(session) -> list[str]:
    return list(session.execute(select(Event.type).order_by(Event.created_at)).scalars())


def _jobs(session) -> list[dict]:
    return [
        dict(row._mapping)
        for row in session.execute(text("SELECT task_name, args, status FROM procrastinate_jobs ORDER BY id"))
    ]


def _first_claim_id(session) -> int:
    return session.execute(text("SELECT min(id) FROM claims")).scalar_one()


def test_every_listed_change_writes_its_event_and_queues_one_job_for_it(session, seeded, users):
    rita, ron, eddie, erin = (users[n].id for n in ("rita", "ron", "eddie", "erin"))
    claim_id = _first_claim_id(session)
    workflow.take_claim(session, rita, claim_id)
    workflow.assign_claim(session, eddie, claim_id, ron)
    workflow.add_evidence(session, ron, claim_id, EvidenceFields("https://e.example/a", "A report", "supports"))
    workflow.add_comment(session, ron, claim_id, "Looking into it")  # not an event
    workflow.propose_verdict(session, ron, claim_id, "mostly_true", "Confirmed.")
    workflow.send_back(session, eddie, claim_id, "Say where the figure comes from.")
    workflow.propose_verdict(session, ron, claim_id, "mostly_true", "Confirmed by the ministry.")
    workflow.approve_verdict(session, eddie, claim_id)
    publishing.publish_claim(session, erin, claim_id)
    publishing.unpublish_claim(session, erin, claim_id, "Under review again.")
    workflow.reopen_claim(session, eddie, claim_id, "New figures came out.")
    imported = articles.import_articles(
        session, [ArticleDraft(title="Port strike", body="Officials said 12 people were killed in the strike.")], rita
    )[0]
    suggestion = session.execute(
        select(ClaimCandidate).where(ClaimCandidate.article_id == imported.id, ClaimCandidate.status == CandidateStatus.PENDING)
    ).scalars().first()
    assert suggestion is not None
    candidates.accept_candidate(session, rita, suggestion.id, candidates.fields_from_candidate(suggestion))

    assert _types(session) == [
        "claim.taken",
        "claim.assigned",
        "claim.proposed",
        "claim.sent_back",
        "claim.proposed",
        "claim.approved",
        "claim.published",
        "claim.unpublished",
        "claim.reopened",
        "article.imported",
        "suggestion.accepted",
    ]
    events = list(session.execute(select(Event).order_by(Event.created_at)).scalars())
    jobs = _jobs(session)
    assert [j["task_name"] for j in jobs] == ["factcheck:dispatch_event"] * len(events)
    assert sorted(j["args"]["event_id"] for j in jobs) == sorted(str(e.id) for e in events)
    taken = events[0]
    assert (taken.claim_id, taken.actor_id) == (claim_id, rita)
    assert taken.payload["claim"]["status"] == "in_review" and taken.payload["to_status"] == "in_review"
    assert events[-2].article_id == imported.id and events[-2].payload["article"]["title"] == "Port strike"


@pytest.fixture
def committed(fresh_db_url):
    """A database of its own with seeds and two users, for real commits and rollbacks."""
    database = Database.from_url(fresh_db_url)
    with database.session() as session:
        seeding.seed(session)
        rita = user_service.create_user(session, username="rita", password=PASSWORD, role=Role.REVIEWER)
        eddie = user_service.create_user(session, username="eddie", password=PASSWORD, role=Role.EDITOR)
        ids = {"rita": rita.id, "eddie": eddie.id, "claim": _first_claim_id(session)}
    yield database, ids, fresh_db_url
    database.dispose()


def _counts(url: str) -> tuple[int, int, str]:
    """What another connection sees: events, queued jobs, and the claim's status."""
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT count(*) FROM events")).scalar_one(),
                conn.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar_one(),
                conn.execute(text("SELECT status::text FROM claims WHERE id = (SELECT min(id) FROM claims)")).scalar_one(),
            )
    finally:
        engine.dispose()


def test_a_rolled_back_use_case_leaves_no_event_and_no_job(committed):
    database, ids, url = committed
    with database.session() as session:
        with pytest.raises(Boom):
            with unit_of_work(session):
                workflow.take_claim(session, ids["rita"], ids["claim"])
                # the event and its job were written through this transaction's connection...
                assert session.scalar(select(func.count()).select_from(Event)) == 1
                assert len(_jobs(session)) == 1
                raise Boom("a later step of the use case failed")
    assert _counts(url) == (0, 0, "unverified")  # ...and went with it

    with database.session() as session:  # the control: the same change, committed
        workflow.take_claim(session, ids["rita"], ids["claim"])
    assert _counts(url) == (1, 1, "in_review")


def test_a_refused_change_writes_no_event(committed):
    database, ids, url = committed
    with database.session() as session:
        with pytest.raises(Exception, match="Only editors"):
            workflow.approve_verdict(session, ids["rita"], ids["claim"])
    assert _counts(url) == (0, 0, "unverified")


def _worker_env(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "FACTCHECK_LOG_LEVEL": "INFO"}


def test_factcheck_worker_runs_the_queued_jobs_and_writes_one_json_line_per_job(committed):
    database, ids, url = committed
    with database.session() as session:
        workflow.take_claim(session, ids["rita"], ids["claim"])
    result = subprocess.run(
        [sys.executable, "-m", "factcheck.cli", "worker", "--once", "--concurrency", "1"],
        env=_worker_env(url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    jobs = [line for line in lines if line["logger"] == "factcheck.job"]
    assert len(jobs) == 1, result.stderr[-2000:]
    (job,) = jobs
    assert job["msg"] == "job" and job["task"] == "factcheck:dispatch_event"
    assert job["status"] == "succeeded" and job["attempt"] == 1 and job["duration_ms"] >= 0
    assert job["deliveries"] == 0  # no webhook registered
    # A job that succeeded is removed from the queue; the event stays.
    assert _counts(url)[:2] == (1, 0)


def test_factcheck_worker_refuses_a_database_behind_the_code(databases):
    name = databases.create("unmigrated")
    result = subprocess.run(
        [sys.executable, "-m", "factcheck.cli", "worker", "--once"],
        env=_worker_env(databases.url(name)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "factcheck db upgrade" in result.stderr
