"""Synthetic newsroom data for demos and benchmarks, loaded in bulk with COPY.

Articles are built from sentence templates so that every claim's quote is a
real span of its article (the database trigger checks each one). Claims get a
realistic spread of statuses, verdicts, dates and reviewers, with the history
events and evidence that each status implies.
"""

from __future__ import annotations

import csv
import io
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import Engine

from . import passwords

PLACES = [
    "Deir Ezzor", "Al Bukamal", "Kermanshah", "Ahvaz", "Latakia", "Raqqa", "Tanf", "Mosul",
    "Ba'aj", "Hasakah", "Idlib", "Aleppo", "Homs", "Basra", "Erbil", "Kirkuk", "Sanaa", "Hodeidah",
    "Marib", "Taiz", "Benghazi", "Misrata", "Sirte", "Tripoli", "Gao", "Timbuktu", "Mopti", "Kidal",
]
SOURCES = [
    ("the Pentagon", False), ("Reuters", False), ("the health ministry", False), ("local officials", False),
    ("the IRGC", True), ("state media", True), ("a militia spokesman", True), ("the coalition", False),
    ("Iranian media", True), ("the UN agency", False), ("witnesses", True), ("the army", True),
]
STATUS_WEIGHTS = [("unverified", 0.35), ("in_review", 0.15), ("pending_approval", 0.10), ("verified", 0.40)]
DEFAULT_VERIFIED_SHARE = 0.40


def status_weights(verified_share: float) -> list[tuple[str, float]]:
    """The default mix with the verified share changed and the others scaled to fit."""
    others = [(s, w) for s, w in STATUS_WEIGHTS if s != "verified"]
    rest = sum(w for _, w in others)
    return [(s, w / rest * (1 - verified_share)) for s, w in others] + [("verified", verified_share)]
VERDICT_WEIGHTS = [("false", 0.15), ("misleading", 0.15), ("unproven", 0.25), ("mostly_true", 0.2), ("true", 0.25)]
CATEGORIES = ["casualties", "weapons", "forces", "distance", "attribution", "event", "other"]


def _sentence(rng: random.Random) -> tuple[str, dict]:
    """One article sentence and the claim it carries (quote = the sentence without its full stop)."""
    place = rng.choice(PLACES)
    source, party = rng.choice(SOURCES)
    category = rng.choice(CATEGORIES)
    n = rng.choice([3, 6, 12, 15, 29, 40, 70, 120, 355, 1500, 2000, 4000])
    quantity = None
    hedged = False
    hedge = None
    if category == "casualties":
        body = f"The strike near {place} killed {n} people and wounded {n * 2} others, {source} said"
        quantity = (n, "people", None)
    elif category == "weapons":
        body = f"{source.capitalize()} said {n} missiles were fired at targets around {place}"
        quantity = (n, "missiles", None)
    elif category == "distance":
        body = f"The rockets flew {n} miles before striking positions outside {place}"
        quantity = (n, "miles", None)
        source = None
    elif category == "forces":
        body = f"Over {n} troops remain deployed in {place}, according to {source}"
        quantity = (n, "troops", "over")
    elif category == "attribution":
        body = f"{source.capitalize()} blamed fighters from {place} for the attack, but the claim could not be independently verified"
        hedged, hedge = True, "could not be independently verified"
    elif category == "event":
        body = f"On day {n % 28 + 1} of the month, forces carried out strikes on depots in {place}"
        source = None
    else:
        body = f"Analysts said rebuilding {place} would cost at least {n} million dollars"
        quantity = (n * 1_000_000, "dollars", "at least")
        source = "analysts"
    if party and source and not hedged:
        hedged, hedge = True, f"{source} said"
    return body + ".", {
        "category": category,
        "claimant": source,
        "quantity": quantity,
        "hedged": hedged,
        "hedge_note": hedge,
        "place": place,
    }


@dataclass
class DemoReport:
    articles: int
    claims: int
    events: int
    evidence: int
    users: int
    password: str | None


def _copy(raw_conn, table: str, columns: list[str], rows: list[list]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
    buffer.seek(0)
    with raw_conn.cursor() as cur:
        cur.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )


def _weighted(rng: random.Random, weights: list[tuple[str, float]]) -> str:
    return rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]


def generate(
    engine: Engine,
    *,
    articles: int,
    claims: int,
    reviewers: int = 40,
    editors: int = 8,
    seed: int = 1,
    verified_share: float = DEFAULT_VERIFIED_SHARE,
    password: str | None = None,
    progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
) -> DemoReport:
    """Add ``articles`` articles holding ``claims`` claims in every status.

    Users demo-reviewer-N / demo-editor-N are created (or reused) with one
    password, returned in the report when it was generated here.
    """
    if articles < 1 or claims < 0:
        raise ValueError("need at least one article and a non-negative number of claims")
    if not 0 <= verified_share <= 1:
        raise ValueError("verified_share is a fraction between 0 and 1")
    weights = status_weights(verified_share)
    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    generated_password = None
    if password is None:
        password = generated_password = secrets.token_urlsafe(12)
    password_hash = passwords.hash_password(password)

    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        # --- users (reused when present) ---
        user_ids: dict[str, list[int]] = {"reviewer": [], "editor": []}
        for role, count in (("reviewer", reviewers), ("editor", editors)):
            for i in range(1, count + 1):
                username = f"demo-{role}-{i}"
                cur.execute(
                    "INSERT INTO users (username, display_name, password_hash, role) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT ((lower(username))) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id",
                    (username, f"Demo {role.capitalize()} {i}", password_hash, role),
                )
                user_ids[role].append(cur.fetchone()[0])
        cur.execute("SELECT coalesce(max(id), 0) FROM articles")
        next_article = cur.fetchone()[0] + 1
        cur.execute("SELECT coalesce(max(id), 0) FROM claims")
        next_claim = cur.fetchone()[0] + 1
        cur.execute("SELECT coalesce(max(id), 0) FROM evidence")
        next_evidence = cur.fetchone()[0] + 1
        reviewers_ids, editor_ids = user_ids["reviewer"], user_ids["editor"]
        everyone = reviewers_ids + editor_ids

        per_article = [claims // articles + (1 if i < claims % articles else 0) for i in range(articles)]
        article_rows, claim_rows, event_rows, evidence_rows = [], [], [], []
        made_claims = made_events = made_evidence = 0
        batch_claims = 0
        span_seconds = 365 * 24 * 3600
        token = secrets.token_hex(4)  # keeps bodies of separate runs distinct

        def flush():
            nonlocal article_rows, claim_rows, event_rows, evidence_rows, batch_claims
            _copy(raw, "articles", ["id", "title", "outlet", "url", "published_on", "body", "imported_at"], article_rows)
            _copy(raw, "claims", CLAIM_COLUMNS, claim_rows)
            _copy(raw, "evidence", EVIDENCE_COLUMNS, evidence_rows)
            _copy(raw, "claim_events", EVENT_COLUMNS, event_rows)
            raw.commit()
            if progress:
                progress(batch_claims)
            article_rows, claim_rows, event_rows, evidence_rows, batch_claims = [], [], [], [], 0

        for a_index, count in enumerate(per_article):
            article_id = next_article + a_index
            published = now - timedelta(seconds=rng.randrange(span_seconds))
            sentences, specs, offsets = [], [], []
            position = 0
            lead = f"Dispatch {token}-{article_id}: reports from the region."
            sentences.append(lead)
            position = len(lead) + 1
            for _ in range(max(count, 3)):
                sentence, spec = _sentence(rng)
                offsets.append((position, position + len(sentence) - 1))
                specs.append(spec)
                sentences.append(sentence)
                position += len(sentence) + 1
            body = " ".join(sentences)
            article_rows.append(
                [article_id, f"Strikes reported near {specs[0]['place']} (dispatch {article_id})",
                 rng.choice(["Example Wire", "Desk Monitor", "Regional Times"]),
                 f"https://news.example/{token}/{article_id}", published.date().isoformat(), body,
                 published.isoformat()]
            )
            for (start, end), spec in list(zip(offsets, specs))[:count]:
                claim_id = next_claim + made_claims
                made_claims += 1
                batch_claims += 1
                quote = body[start:end]
                created = published + timedelta(seconds=rng.randrange(3600, 3 * 24 * 3600))
                created = min(created, now - timedelta(minutes=1))
                status = _weighted(rng, weights)
                quantity = spec["quantity"]
                assignee = proposer = approver = verdict = rationale = None
                proposed_at = verified_at = None
                events = [(created, None, "created", None, "unverified", None, 1)]
                version = 1
                if status != "unverified":
                    assignee = rng.choice(everyone)
                    taken = created + timedelta(seconds=rng.randrange(600, 5 * 24 * 3600))
                    version += 1
                    events.append((taken, assignee, "taken", "unverified", "in_review", None, version))
                    t = taken
                    if status in ("pending_approval", "verified"):
                        t = t + timedelta(seconds=rng.randrange(600, 2 * 24 * 3600))
                        evidence_id = next_evidence + made_evidence
                        made_evidence += 1
                        evidence_rows.append(
                            [evidence_id, claim_id, f"https://source.example/{claim_id}", f"Source for claim {claim_id}",
                             "Source Desk", rng.choice(["supports", "refutes", "context"]), assignee, t.isoformat(), t.isoformat()]
                        )
                        version += 1
                        events.append((t, assignee, "evidence_added", None, None, None, version))
                        t = t + timedelta(seconds=rng.randrange(600, 2 * 24 * 3600))
                        verdict = _weighted(rng, VERDICT_WEIGHTS)
                        rationale = "Checked against the cited source and a second independent report."
                        proposer, proposed_at = assignee, t
                        version += 1
                        events.append((t, assignee, "verdict_proposed", "in_review", "pending_approval", rationale, version))
                    if status == "verified":
                        approver = rng.choice([e for e in editor_ids if e != proposer])
                        verified_at = t + timedelta(seconds=rng.randrange(600, 3 * 24 * 3600))
                        version += 1
                        events.append((verified_at, approver, "approved", "pending_approval", "verified", None, version))
                last = max(e[0] for e in events)
                if last > now:  # keep every timestamp in the past
                    shift = last - now + timedelta(minutes=1)
                    events = [(e[0] - shift, *e[1:]) for e in events]
                    created -= shift
                    proposed_at = proposed_at - shift if proposed_at else None
                    verified_at = verified_at - shift if verified_at else None
                claim_rows.append(
                    [claim_id, article_id, quote, start, end, quote, spec["category"], spec["claimant"],
                     quantity[0] if quantity else None, quantity[1] if quantity else None,
                     quantity[2] if quantity else None, "t" if spec["hedged"] else "f", spec["hedge_note"],
                     status, verdict, rationale, assignee, rng.choice([0, 1, 1, 1, 2, 3]), created.isoformat(),
                     max(e[0] for e in events).isoformat(), proposer, proposed_at.isoformat() if proposed_at else None,
                     approver, verified_at.isoformat() if verified_at else None, version]
                )
                for when, actor, action, before, after, comment, claim_version in events:
                    event_rows.append([claim_id, actor, action, before, after, comment, "{}", when.isoformat(), claim_version])
                made_events += len(events)
            if batch_claims >= 20_000:
                flush()
        flush()
        # Identity columns continue after the ids given explicitly above.
        for table in ("articles", "claims", "evidence"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        raw.commit()
        # VACUUM as well as ANALYZE: rows loaded by COPY are not yet marked all-visible, so
        # index-only scans (the queue's pages, the dashboard's median) would read the table
        # for every entry until autovacuum came by; a demo database should behave like a
        # settled one from its first request. VACUUM cannot run inside a transaction.
        driver = raw.driver_connection
        driver.autocommit = True
        try:
            cur.execute("VACUUM (ANALYZE)")
        finally:
            driver.autocommit = False  # as the pool hands connections out
    finally:
        raw.close()
    return DemoReport(articles, made_claims, made_events, made_evidence, len(everyone), generated_password)


CLAIM_COLUMNS = [
    "id", "article_id", "quote", "span_start", "span_end", "statement", "category", "claimant",
    "quantity_value", "quantity_unit", "quantity_qualifier", "hedged", "hedge_note", "status", "verdict",
    "rationale", "assignee_id", "priority", "created_at", "updated_at", "proposed_by_id", "proposed_at",
    "approved_by_id", "verified_at", "version",
]
EVIDENCE_COLUMNS = [
    "id", "claim_id", "url", "title", "publisher", "stance", "added_by_id", "created_at", "updated_at",
]
EVENT_COLUMNS = [
    "claim_id", "actor_id", "action", "from_status", "to_status", "comment", "details", "created_at", "claim_version",
]
