"""The seed catalogue (seeds/claims.toml): the two source articles and their claims."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import QUALIFIERS, Category, Claim
from ..paths import SEEDS_DIR
from . import articles as article_service
from .articles import ArticleDraft, locate_quote
from .errors import ArticleFormatError, QuoteNotFound, SeedError
from .candidates import propose_candidates
from .unit import use_case
from .workflow import insert_claim

_ARTICLE_KEYS = {"file", "title", "outlet", "byline", "url", "date", "claims"}
_CLAIM_KEYS = {
    "quote",
    "occurrence",
    "statement",
    "category",
    "claimant",
    "quantity",
    "hedged",
    "hedge_note",
}
_QUANTITY_KEYS = {"value", "unit", "qualifier"}


@dataclass(frozen=True)
class SeedClaim:
    quote: str
    span_start: int
    span_end: int
    statement: str
    category: Category
    claimant: str | None
    quantity_value: Decimal | None
    quantity_unit: str | None
    quantity_qualifier: str | None
    hedged: bool
    hedge_note: str | None


@dataclass(frozen=True)
class SeedArticle:
    file: str
    draft: ArticleDraft
    claims: list[SeedClaim]


def load_catalogue(seeds_dir: Path = SEEDS_DIR) -> list[SeedArticle]:
    """Read and check the whole catalogue; SeedError naming the first bad entry."""
    catalogue_path = seeds_dir / "claims.toml"
    try:
        data = tomllib.loads(catalogue_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SeedError(f"{catalogue_path}: not found.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{catalogue_path}: {exc}") from exc

    result = []
    for a_index, entry in enumerate(data.get("articles", []), start=1):
        where = f"{catalogue_path.name}: article {a_index}"
        unknown = set(entry) - _ARTICLE_KEYS
        if unknown:
            raise SeedError(f"{where}: unknown keys {sorted(unknown)}")
        if "file" not in entry:
            raise SeedError(f"{where}: no file")
        where = f"{catalogue_path.name}: article {entry['file']}"
        path = seeds_dir / "articles" / entry["file"]
        try:
            parsed = article_service.read_article_file(path.read_bytes(), str(path.name))
        except FileNotFoundError as exc:
            raise SeedError(f"{where}: {path} not found") from exc
        except ArticleFormatError as exc:
            raise SeedError(f"{where}: {exc.message}") from exc
        draft = ArticleDraft(
            title=entry.get("title") or parsed.title,
            body=parsed.body,
            outlet=entry.get("outlet"),
            byline=entry.get("byline"),
            url=entry.get("url"),
            published_on=entry.get("date"),
            source=entry["file"],
        )
        claims = [
            _read_claim(draft.body, claim, f"{where}, claim {c_index}")
            for c_index, claim in enumerate(entry.get("claims", []), start=1)
        ]
        result.append(SeedArticle(entry["file"], draft, claims))
    if not result:
        raise SeedError(f"{catalogue_path}: no [[articles]]")
    return result


def _read_claim(body: str, entry: dict, where: str) -> SeedClaim:
    where = f"{where} ({str(entry.get('quote', ''))[:50]!r})"
    unknown = set(entry) - _CLAIM_KEYS
    if unknown:
        raise SeedError(f"{where}: unknown keys {sorted(unknown)}")
    for required in ("quote", "statement", "category"):
        if not str(entry.get(required, "")).strip():
            raise SeedError(f"{where}: {required} is missing")
    try:
        placed = locate_quote(body, entry["quote"], entry.get("occurrence"))
    except QuoteNotFound as exc:
        raise SeedError(f"{where}: {exc.message}") from exc
    try:
        category = Category(entry["category"])
    except ValueError as exc:
        raise SeedError(
            f"{where}: category {entry['category']!r} is not one of {[c.value for c in Category]}"
        ) from exc
    quantity = entry.get("quantity") or {}
    if set(quantity) - _QUANTITY_KEYS:
        raise SeedError(f"{where}: unknown quantity keys {sorted(set(quantity) - _QUANTITY_KEYS)}")
    value = None
    if quantity:
        try:
            value = Decimal(str(quantity["value"]))
        except (KeyError, InvalidOperation) as exc:
            raise SeedError(f"{where}: quantity needs a numeric value") from exc
        if quantity.get("qualifier") and quantity["qualifier"] not in QUALIFIERS:
            raise SeedError(f"{where}: qualifier {quantity['qualifier']!r} is not one of {sorted(QUALIFIERS)}")
    hedged = entry.get("hedged", False)
    if not isinstance(hedged, bool):
        raise SeedError(f"{where}: hedged must be true or false")
    return SeedClaim(
        quote=entry["quote"],
        span_start=placed[0],
        span_end=placed[1],
        statement=entry["statement"].strip(),
        category=category,
        claimant=(entry.get("claimant") or None),
        quantity_value=value,
        quantity_unit=quantity.get("unit") if quantity else None,
        quantity_qualifier=quantity.get("qualifier") if quantity else None,
        hedged=hedged,
        hedge_note=entry.get("hedge_note") or None,
    )


@dataclass(frozen=True)
class SeedReport:
    articles_added: int
    articles_present: int
    claims_added: int
    claims_present: int
    alias_groups_added: int = 0


@use_case
def seed(session: Session, seeds_dir: Path = SEEDS_DIR) -> SeedReport:
    """Load the catalogue; idempotent: an article or claim already present is left alone.

    An article is the same when its body hash matches; a claim when it has the
    same article and span. Everything, aliases included, is written in one transaction.
    """
    from .aliases import seed_aliases

    catalogue = load_catalogue(seeds_dir)
    articles_added = articles_present = claims_added = claims_present = 0
    for seed_article in catalogue:
        article = article_service.find_by_body(session, seed_article.draft.body)
        if article is None:
            article = article_service.add_article(session, seed_article.draft, imported_by_id=None)
            articles_added += 1
        else:
            articles_present += 1
        existing_spans = {
            (start, end)
            for start, end in session.execute(
                select(Claim.span_start, Claim.span_end).where(Claim.article_id == article.id)
            )
        }
        for sc in seed_article.claims:
            if (sc.span_start, sc.span_end) in existing_spans:
                claims_present += 1
                continue
            insert_claim(
                session,
                article,
                (sc.span_start, sc.span_end),
                {
                    "statement": sc.statement,
                    "category": sc.category,
                    "claimant": sc.claimant,
                    "quantity_value": sc.quantity_value,
                    "quantity_unit": sc.quantity_unit,
                    "quantity_qualifier": sc.quantity_qualifier,
                    "hedged": sc.hedged,
                    "hedge_note": sc.hedge_note,
                },
                actor_id=None,
                source=f"seed:{seed_article.file}",
            )
            existing_spans.add((sc.span_start, sc.span_end))
            claims_added += 1
        # What the extractor finds beyond the curated claims, to accept or dismiss.
        propose_candidates(session, article)
    aliases_added = seed_aliases(session, seeds_dir)
    return SeedReport(articles_added, articles_present, claims_added, claims_present, aliases_added)
