"""Many people saving the same claim at once: one wins per version, the rest are told, nothing is lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from factcheck.db import sqlalchemy_url
from factcheck.models import Article, Category, Claim, ClaimEvent, Role
from factcheck.services import users as user_service
from factcheck.services import workflow
from factcheck.services.errors import StaleClaim
from factcheck.services.workflow import ClaimFields

ATTEMPTS = 100
THREADS = 25  # each with its own connection; PostgreSQL serialises them on the row lock


def _setup(url):
    engine = create_engine(sqlalchemy_url(url), pool_size=THREADS, max_overflow=0)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as s:
        editors = [
            user_service.create_user(s, username=f"ed{i}", password="a long passphrase", role=Role.EDITOR).id
            for i in range(10)
        ]
        article = Article(title="Race", body="Over 2,000 US troops are presently deployed in Syria.")
        s.add(article)
        s.commit()
        claim = workflow.create_claim(
            s, editors[0], article.id, "Over 2,000 US troops are presently deployed",
            ClaimFields("Over 2,000 US troops.", Category.FORCES),
        )
    return engine, factory, editors, claim.id


def test_one_winner_per_version_and_history_matches(fresh_db_url):
    engine, factory, editors, claim_id = _setup(fresh_db_url)
    try:
        for round_ in range(3):
            with factory() as s:
                version = s.get(Claim, claim_id).version
                events_before = s.execute(
                    select(func.count()).select_from(ClaimEvent).where(ClaimEvent.claim_id == claim_id)
                ).scalar_one()
            start = threading.Barrier(THREADS)

            def attempt(i: int):
                if i < THREADS:
                    start.wait(timeout=30)  # the first wave starts together
                with factory() as s:
                    try:
                        workflow.edit_claim(
                            s, editors[i % len(editors)], claim_id,
                            ClaimFields(f"Statement {round_}-{i}", Category.FORCES, claimant=f"attempt {i}"), version,
                        )
                        return ("won", i)
                    except StaleClaim as exc:
                        assert "changed by someone else" in exc.message
                        return ("conflict", i)

            with ThreadPoolExecutor(max_workers=THREADS) as pool:
                outcomes = list(pool.map(attempt, range(ATTEMPTS)))
            winners = [i for kind, i in outcomes if kind == "won"]
            assert len(winners) == 1, outcomes
            assert sum(1 for kind, _ in outcomes if kind == "conflict") == ATTEMPTS - 1
            with factory() as s:
                claim = s.get(Claim, claim_id)
                # The winner's input is what the claim holds: no update lost or mixed.
                assert claim.statement == f"Statement {round_}-{winners[0]}"
                assert claim.claimant == f"attempt {winners[0]}"
                assert claim.version == version + 1
                events = s.execute(
                    select(ClaimEvent).where(ClaimEvent.claim_id == claim_id).order_by(ClaimEvent.id)
                ).scalars().all()
                assert len(events) == events_before + 1
                assert events[-1].action == "edited" and events[-1].claim_version == version + 1
    finally:
        engine.dispose()


def test_concurrent_takes_give_the_claim_to_one_reviewer(fresh_db_url):
    engine, factory, editors, claim_id = _setup(fresh_db_url)
    try:
        start = threading.Barrier(THREADS)

        def take(i: int):
            start.wait(timeout=30)
            with factory() as s:
                try:
                    workflow.take_claim(s, editors[i % len(editors)], claim_id)
                    return editors[i % len(editors)]
                except Exception as exc:  # noqa: BLE001 - the kind of refusal is asserted below
                    return type(exc).__name__

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            outcomes = list(pool.map(take, range(THREADS)))
        winners = [o for o in outcomes if isinstance(o, int)]
        assert len(winners) == 1
        assert set(o for o in outcomes if not isinstance(o, int)) == {"InvalidTransition"}
        with factory() as s:
            assert s.get(Claim, claim_id).assignee_id == winners[0]
            taken = s.execute(
                select(func.count()).select_from(ClaimEvent).where(ClaimEvent.claim_id == claim_id, ClaimEvent.action == "taken")
            ).scalar_one()
            assert taken == 1
    finally:
        engine.dispose()



