"""Full-text search over claims, evidence and articles (PostgreSQL tsvector + GIN).

Figures match however their digits are grouped: the database function
search_figures() (migration 0011) writes "1,500", "1 500" (thin or no-break
space) and "1.500.000" as "1500" and "1500000" in the indexed text, and every
query goes through the same function, so "1500" finds "over 1,500 pounds" and
"1,500" finds "1500". Decimals ("1.5", "3,14") are left as written.

Any input is safe: it is passed as a bound parameter to websearch_to_tsquery,
which accepts free text and never raises on syntax; control characters are
removed and overly long input is cut (and the user is told).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import ARRAY, Text, bindparam, func, select, true
from sqlalchemy.orm import Session

from ..models import Article, Claim, ClaimStatus, Evidence
from .aliases import AliasIndex, load_index
from .claims import ClaimQuery, apply_filters

MAX_QUERY = 2_000
# What the search boxes accept. A query travels in the URL (GET, so results
# can be linked), and 500 characters stay under the web server's request-line
# limit (8,190 bytes) even when every character takes 12 bytes percent-encoded.
# Longer queries sent by hand are cut to MAX_QUERY, and the page says so.
SEARCH_BOX_MAXLENGTH = 500
# Ranking tens of thousands of matches to show ten costs seconds. So each
# search first looks at the newest PROBE rows (a primary-key range, cheap):
# if RANK_WINDOW of them match, the words are common ("broad") and those
# newest matches are ranked, the page saying so. Otherwise the GIN index
# gives up to COUNT_CAP matches, all of which are ranked and counted.
COUNT_CAP = 300
RANK_WINDOW = {"claims": 100, "evidence": 100, "articles": 30}
PROBE = {"claims": 3_000, "evidence": 3_000, "articles": 300}
KINDS = ("claims", "evidence", "articles")
# Private-use characters mark matches in ts_headline's output; they are
# removed from the text first, so they cannot come from the data.
_START, _STOP = "\ue000", "\ue001"
_HEADLINE_OPTIONS = f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
# A query's cost in PostgreSQL grows with its terms (matching, ranking and
# headlines each walk them), so a query keeps at most MAX_TERMS distinct words
# or quoted phrases, a phrase at most MAX_PHRASE_WORDS words, and a word said
# twice counts once. No honest search needs more; the page says when it cut.
MAX_TERMS = 12
MAX_PHRASE_WORDS = 12
MAX_QUERY_WORDS = 24  # words in all, counted inside phrases and "a,b,c" runs too
_UNIT = re.compile(r'-?"[^"]*"?|\S+')
_WORD = re.compile(r"\w+")
# Headlines are drawn from a bounded excerpt, never a whole article body: the
# excerpt starts a little before the first place a query word occurs.
HEADLINE_SOURCE = 4_000
_HEADLINE_LEAD = 300


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    snippet: Markup
    rank: float
    claim_id: int | None = None
    article_id: int | None = None
    status: ClaimStatus | None = None
    extra: str | None = None


@dataclass
class Section:
    kind: str
    hits: list[Hit]
    total: int
    capped: bool
    page: int
    per_page: int
    window: int = 0  # how many recent matches were ranked, when there were more

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class SearchResults:
    query: str
    truncated: bool
    variants: list[str]
    sections: dict[str, Section] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(s.hits for s in self.sections.values())


def clean_query(raw: str | None) -> tuple[str, bool]:
    """The query as searched, and whether it was shortened (too long, repeated or too many terms)."""
    text_ = _CONTROL.sub(" ", raw or "").strip()
    truncated = len(text_) > MAX_QUERY
    if truncated:  # cut at a space, not inside a word
        text_ = text_[: MAX_QUERY + 1].rsplit(None, 1)[0] if " " in text_[:MAX_QUERY] else text_[:MAX_QUERY]
    units: list[str] = []
    seen: set[str] = set()
    budget = MAX_QUERY_WORDS
    for unit in _UNIT.findall(text_):
        key = unit.casefold()
        if key == "or":  # an operator, not a term; one between two terms is enough
            if units and units[-1].casefold() != "or":
                units.append(unit)
            continue
        # PostgreSQL reads "a,b,c" (no spaces) as a phrase of three words, as it does "a b c"
        # in quotes: count words inside a unit too, and cut a unit after its last allowed one.
        words = list(_WORD.finditer(unit))
        allowed = min(MAX_PHRASE_WORDS, budget)
        if len(words) > allowed:
            truncated = True
            if allowed == 0:
                break
            unit = unit[: words[allowed - 1].end()] + ('"' if unit.startswith(('"', '-"')) else "")
            key = unit.casefold()
        if key in seen:
            truncated = True
            continue
        if len(seen) == MAX_TERMS:
            truncated = True
            break
        seen.add(key)
        units.append(unit)
        budget -= min(len(words), allowed)
    if units and units[-1].casefold() == "or":
        units.pop()
    return " ".join(units), truncated


# normalise_figures is the Python twin of the SQL function search_figures
# (migration 0011), used only to find and mark figures in text; what matches is
# decided in SQL, by the function the index uses. A test checks the two agree.
# The same passes, in the same order, as the SQL (no lookbehind there: see 0011).
_FIGURE_PASSES = (
    (re.compile(r"([0-9])[,\u2007\u2009\u202f\u00a0](?=[0-9]{3}(?![0-9]))"), r"\1"),
    (re.compile(r"(^|[^0-9.])([0-9]{1,3})\.([0-9]{3})\.([0-9]{3})\.([0-9]{3})(?![0-9]|\.[0-9])"), r"\1\2\3\4\5"),
    (re.compile(r"(^|[^0-9.])([0-9]{1,3})\.([0-9]{3})\.([0-9]{3})(?![0-9]|\.[0-9])"), r"\1\2\3\4"),
    (re.compile(r"([0-9])-(?=[0-9])"), "\\1\u2013"),
)
_LONG_FIGURE = re.compile(r"(?<![0-9.,])[1-9][0-9]{3,}")


def normalise_figures(text_: str) -> str:
    """Figures as the search index holds them: "1,500" -> "1500", "1.500.000" -> "1500000", "1-2" -> "1–2"."""
    for pattern, replacement in _FIGURE_PASSES:
        text_ = pattern.sub(replacement, text_)
    return text_


def grouped_figures(text_: str) -> str:
    """Whole numbers of four digits or more written with commas ("1500" -> "1,500"), for highlighting."""
    return _LONG_FIGURE.sub(lambda m: f"{int(m.group()):,}", normalise_figures(text_))


def _or_all(parts):
    query = parts[0]
    for part in parts[1:]:
        query = query.op("||")(part)
    return query


def _tsquery(variants: list[str]):
    """websearch_to_tsquery of every variant, OR-ed together (each a bound parameter), figures
    normalised by the same SQL function as the indexed text."""
    return _or_all(
        [
            func.websearch_to_tsquery("english", func.search_figures(bindparam(f"v{i}", v)))
            for i, v in enumerate(variants)
        ]
    )


def _headline_tsquery(variants: list[str], tsq):
    """What ts_headline marks: the search's own query, and each figure also as it is usually
    written ("1,500"), since headlines are drawn from the text as written, not as indexed."""
    extra = []
    for i, variant in enumerate(variants):
        grouped = grouped_figures(variant)
        if grouped != normalise_figures(variant):
            extra.append(func.websearch_to_tsquery("english", bindparam(f"g{i}", grouped)))
    return _or_all([tsq, *extra]) if extra else tsq


def _safe_headline(value: str) -> Markup:
    escaped = html.escape(value, quote=False)
    return Markup(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _strip_markers(column):
    return func.translate(column, _START + _STOP, "")


def search(
    session: Session,
    raw_query: str | None,
    *,
    kinds: tuple[str, ...] = KINDS,
    claim_filters: ClaimQuery | None = None,
    page: int = 1,
    per_page: int = 10,
    aliases: AliasIndex | None = None,
) -> SearchResults:
    query, truncated = clean_query(raw_query)
    results = SearchResults(query=query, truncated=truncated, variants=[])
    if not query:
        return results
    aliases = aliases or load_index(session)
    results.variants = aliases.expand(query)
    tsq = _tsquery(results.variants)
    marks = _headline_tsquery(results.variants, tsq)
    page = max(page, 1)
    for kind in kinds:
        results.sections[kind] = _SEARCHERS[kind](session, tsq, marks, claim_filters, page, per_page, results.variants)
    return results


MAX_POSITION_WORDS = 8
_POSITION_WORD = re.compile(r"\w+|[0-9]{1,3}(?:,[0-9]{3})+")


def _position_words(session: Session, variants: list[str]) -> list[str]:
    """Lower-case words to look for in a body: the query's own words and their stems
    ("economy" and "economi"; a stem alone is not always in the text), at most
    MAX_POSITION_WORDS, word characters only (a figure also with its commas, "1,500")."""
    normalised = [normalise_figures(v) for v in variants]
    stems = session.execute(
        select(func.tsvector_to_array(func.to_tsvector("english", bindparam("words", " ".join(normalised)))))
    ).scalar_one() or []
    # A figure is looked for as typed without separators and with commas ("1500", "1,500").
    figures = [f for v in normalised for f in _LONG_FIGURE.findall(v)]
    candidates = [f"{int(f):,}" for f in figures] + [w.lower() for v in normalised for w in _WORD.findall(v)] + list(stems)
    words: list[str] = []
    for word in candidates:
        if word != "or" and _POSITION_WORD.fullmatch(word) and word not in words:
            words.append(word)
    return words[:MAX_POSITION_WORDS]


def _article_headline(session: Session, variants: list[str], marks) -> tuple:
    """(headline column, LATERAL to join) for article hits.

    ts_headline parses all of the text it is given, so it gets at most
    HEADLINE_SOURCE characters of the body, starting just before the first
    place a query word occurs: the body is lowered once per hit (the LATERAL,
    correlated to the hit's row) and searched once per word with strpos.
    """
    words = _position_words(session, variants)
    if not words:
        return func.ts_headline("english", _strip_markers(func.left(Article.body, HEADLINE_SOURCE)), marks, _HEADLINE_OPTIONS), None
    lowered = select(func.lower(Article.body).label("v")).correlate(Article).lateral("lowered")
    word = func.unnest(bindparam("position_words", words, type_=ARRAY(Text))).table_valued("w").render_derived()
    first = select(func.min(func.nullif(func.strpos(lowered.c.v, word.c.w), 0))).select_from(word).scalar_subquery()
    start = func.greatest(func.coalesce(first, 1) - _HEADLINE_LEAD, 1)
    excerpt = func.substr(Article.body, start, HEADLINE_SOURCE)
    return func.ts_headline("english", _strip_markers(excerpt), marks, _HEADLINE_OPTIONS), lowered


def newest_matches(session, model, condition, kind: str, restrict=None, *, probe=None, window=None) -> list[int]:
    """Ids of up to ``window`` matching rows among the newest ``probe`` rows (defaults per kind)."""
    top = session.execute(select(func.max(model.id))).scalar_one() or 0
    stmt = select(model.id).where(condition, model.id > top - (probe or PROBE[kind]))
    if restrict is not None:
        stmt = restrict(stmt)
    return list(session.execute(stmt.order_by(model.id.desc()).limit(window or RANK_WINDOW[kind])).scalars())


def _gather(session, model, tsq, kind, restrict) -> tuple[list[int] | None, int, bool]:
    """(ids to rank or None for "every match", how many matches, whether there are more)."""
    matches = model.search_vector.op("@@")(tsq)
    newest = newest_matches(session, model, matches, kind, restrict)
    if len(newest) >= RANK_WINDOW[kind]:
        return newest, len(newest), True  # broad: rank the newest matches only
    stmt = select(model.id).where(matches)
    if restrict is not None:
        stmt = restrict(stmt)
    ids = list(session.execute(stmt.limit(COUNT_CAP + 1)).scalars())
    capped = len(ids) > COUNT_CAP
    return ids[:COUNT_CAP], min(len(ids), COUNT_CAP), capped


def _ranked_ids(session, model, tsq, ids: list[int], page: int, per_page: int):
    """(id, rank) for one page of results, best first, among ``ids``."""
    candidates = (
        select(model.id.label("id"), model.search_vector.label("vector")).where(model.id.in_(ids or [0])).subquery()
    )
    rank = func.ts_rank_cd(candidates.c.vector, tsq, 1)
    return (
        select(candidates.c.id.label("id"), rank.label("rank"))
        .order_by(rank.desc(), candidates.c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )


def _section(kind, hits, total, capped, page, per_page) -> Section:
    return Section(kind, hits, total, capped, page, per_page, total if capped else 0)


def _claims(session, tsq, marks, filters, page, per_page, variants) -> Section:
    restrict = (lambda stmt: apply_filters(stmt, filters)) if filters is not None else None
    ids, total, capped = _gather(session, Claim, tsq, "claims", restrict)
    ranked = _ranked_ids(session, Claim, tsq, ids, page, per_page)
    rows = session.execute(
        select(
            Claim.id,
            ranked.c.rank,
            Claim.statement,
            Claim.status,
            Claim.article_id,
            Claim.claimant,
            func.ts_headline(
                "english",
                _strip_markers(func.left(func.concat_ws(" — ", Claim.quote, Claim.rationale), HEADLINE_SOURCE)),
                marks,
                _HEADLINE_OPTIONS,
            ),
        )
        .join(ranked, ranked.c.id == Claim.id)
        .order_by(ranked.c.rank.desc(), Claim.id.desc())
    ).all()
    hits = [
        Hit("claims", r[0], r[2], _safe_headline(r[6]), r[1], claim_id=r[0], article_id=r[4], status=r[3], extra=r[5])
        for r in rows
    ]
    return _section("claims", hits, total, capped, page, per_page)


def _evidence(session, tsq, marks, filters, page, per_page, variants) -> Section:
    restrict = None
    if filters is not None:
        restrict = lambda stmt: apply_filters(stmt.join(Claim, Claim.id == Evidence.claim_id), filters)  # noqa: E731
    ids, total, capped = _gather(session, Evidence, tsq, "evidence", restrict)
    ranked = _ranked_ids(session, Evidence, tsq, ids, page, per_page)
    rows = session.execute(
        select(
            Evidence.id,
            ranked.c.rank,
            Evidence.title,
            Evidence.claim_id,
            Evidence.url,
            func.ts_headline(
                "english",
                _strip_markers(func.left(func.concat_ws(" — ", Evidence.title, Evidence.publisher, Evidence.note), HEADLINE_SOURCE)),
                marks,
                _HEADLINE_OPTIONS,
            ),
        )
        .join(ranked, ranked.c.id == Evidence.id)
        .order_by(ranked.c.rank.desc(), Evidence.id.desc())
    ).all()
    hits = [Hit("evidence", r[0], r[2], _safe_headline(r[5]), r[1], claim_id=r[3], extra=r[4]) for r in rows]
    return _section("evidence", hits, total, capped, page, per_page)


def _articles(session, tsq, marks, filters, page, per_page, variants) -> Section:
    restrict = None
    if filters is not None and filters.article_id is not None:
        restrict = lambda stmt: stmt.where(Article.id == filters.article_id)  # noqa: E731
    ids, total, capped = _gather(session, Article, tsq, "articles", restrict)
    ranked = _ranked_ids(session, Article, tsq, ids, page, per_page)
    headline, lowered = _article_headline(session, variants, marks)
    stmt = (
        select(Article.id, ranked.c.rank, Article.title, Article.outlet, headline)
        .join(ranked, ranked.c.id == Article.id)
        .order_by(ranked.c.rank.desc(), Article.id.desc())
    )
    if lowered is not None:
        stmt = stmt.join(lowered, true())
    rows = session.execute(stmt).all()
    hits = [Hit("articles", r[0], r[2], _safe_headline(r[4]), r[1], article_id=r[0], extra=r[3]) for r in rows]
    return _section("articles", hits, total, capped, page, per_page)


_SEARCHERS = {"claims": _claims, "evidence": _evidence, "articles": _articles}
