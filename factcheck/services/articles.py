"""Articles: reading article files, importing them, and showing them with their claims."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import ALL_CATEGORIES, Article, ArticleClaimCount, Claim, EventType
from .errors import ArticleFormatError, DuplicateArticle, NotFound, QuoteNotFound
from .paging import Keyset, Page, SortKey, fetch_page
from .unit import use_case

MAX_ARTICLE_CHARS = 1_000_000  # the same in the form and on the command line, in any script
MAX_ARTICLE_BYTES = 4 * MAX_ARTICLE_CHARS  # UTF-8 takes at most 4 bytes a character
MAX_TITLE_LENGTH = 500
FRONT_MATTER_KEYS = {"title", "outlet", "byline", "url", "date"}


@dataclass(frozen=True)
class ArticleDraft:
    """An article read from a file or a form, not yet stored."""

    title: str
    body: str
    outlet: str | None = None
    byline: str | None = None
    url: str | None = None
    published_on: date | None = None
    source: str = "<text>"
    # From a link (factcheck/fetching/articles.py); None for pasted text and files.
    canonical_url: str | None = None
    fetched_from: str | None = None
    fetched_at: datetime | None = None
    language: str | None = None
    raw_html: bytes | None = None  # UTF-8, zlib-compressed

    @property
    def body_sha256(self) -> str:
        return body_hash(self.body)


def body_hash(body: str) -> str:
    """The same value the database's generated column holds for this body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def decode_article_bytes(data: bytes, source: str) -> str:
    """Text of an article file; ArticleFormatError for empty, binary or non-UTF-8 data."""
    if not data.strip():
        raise ArticleFormatError(source, "the file is empty.")
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleFormatError(source, f"the file is {len(data):,} bytes; articles are limited to {MAX_ARTICLE_BYTES:,}.")
    if b"\x00" in data:
        raise ArticleFormatError(source, "this looks like a binary file, not article text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(
            source,
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start});"
            " save the file as UTF-8 and try again.",
        ) from exc
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleFormatError(source, f"the text is {len(text):,} characters; articles are limited to {MAX_ARTICLE_CHARS:,}.")
    return text


_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*)$")


def parse_article_text(text: str, source: str = "<text>") -> ArticleDraft:
    """Read an article: an optional front-matter block, then the title and body.

    ---
    title: ...
    outlet: ...
    byline: ...
    url: https://...
    date: 2018-10-01
    ---
    Body text...

    Without front matter, the first non-empty line is the title (a Markdown
    "# " is dropped) and what follows is the body.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    meta: dict[str, str] = {}
    rest = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end == -1:
            raise ArticleFormatError(source, "the front matter starting with '---' is never closed.")
        block = text[4:end]
        after = text.find("\n", end + 4)
        rest = "" if after == -1 else text[after + 1 :]
        for number, line in enumerate(block.split("\n"), start=2):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            match = _FRONT_MATTER_LINE.match(line.strip())
            if not match:
                raise ArticleFormatError(source, f"front matter line {number} is not 'key: value': {line.strip()[:60]!r}")
            key, value = match.group(1).lower(), match.group(2).strip().strip('"').strip()
            if key not in FRONT_MATTER_KEYS:
                raise ArticleFormatError(
                    source,
                    f"unknown front matter key {key!r}"
                    f" (allowed: {', '.join(sorted(FRONT_MATTER_KEYS))}).",
                )
            meta[key] = value

    title = meta.get("title", "").strip()
    if not title:
        lines = rest.lstrip("\n").split("\n", 1)
        title = lines[0].strip()
        if title.startswith("#"):
            title = title.lstrip("#").strip()
        rest = lines[1] if len(lines) > 1 else ""
    body = rest.strip()
    if not title:
        raise ArticleFormatError(source, "the article has no title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise ArticleFormatError(source, f"the title is longer than {MAX_TITLE_LENGTH} characters.")
    if not body:
        raise ArticleFormatError(source, "the article has a title but no body text.")

    url = meta.get("url") or None
    if url and not re.match(r"^https?://[^\s/@]+", url, re.IGNORECASE):
        raise ArticleFormatError(source, f"url must start with http:// or https://, got {url[:80]!r}.")
    published_on = None
    if meta.get("date"):
        try:
            published_on = date.fromisoformat(meta["date"])
        except ValueError as exc:
            raise ArticleFormatError(source, f"date must be YYYY-MM-DD, got {meta['date'][:40]!r}.") from exc
    return ArticleDraft(
        title=title,
        body=body,
        outlet=meta.get("outlet") or None,
        byline=meta.get("byline") or None,
        url=url,
        published_on=published_on,
        source=source,
    )


def article_draft_from_page(
    page,
    *,
    title: str | None = None,
    outlet: str | None = None,
    byline: str | None = None,
    published_on: date | None = None,
    source: str | None = None,
) -> ArticleDraft:
    """The draft of an article fetched from a link (a fetching.articles.ExtractedArticle).

    The reviewer's corrections replace the extracted title and metadata; the
    body is the extracted text, unchanged, whatever else is given.
    """
    chosen_title = " ".join((title or page.title or "").split())
    if not chosen_title:
        raise ArticleFormatError(source or page.requested_url, "the page has no title; give one.")
    if len(chosen_title) > MAX_TITLE_LENGTH:
        raise ArticleFormatError(source or page.requested_url, f"the title is longer than {MAX_TITLE_LENGTH} characters.")
    return ArticleDraft(
        title=chosen_title,
        body=page.body,
        outlet=(outlet if outlet is not None else page.outlet) or None,
        byline=(byline if byline is not None else page.byline) or None,
        url=page.url,
        published_on=published_on if published_on is not None else page.published_on,
        source=source or page.requested_url,
        canonical_url=page.canonical_url,
        fetched_from=page.fetched_from,
        fetched_at=page.fetched_at,
        language=page.language,
        raw_html=page.raw_html,
    )


def front_matter_free_text(*, title: str, body: str) -> str:
    """The body of an article pasted into a form, checked as a file's body would be."""
    draft = parse_article_text(f"{title.strip()}\n\n{body}", "the form")
    return draft.body


def read_article_file(data: bytes, source: str) -> ArticleDraft:
    return parse_article_text(decode_article_bytes(data, source), source)


def locate_quote(body: str, quote: str, occurrence: int | None) -> tuple[int, int]:
    """(start, end) of the quote in the body; QuoteNotFound says why it cannot be placed."""
    if not quote:
        raise QuoteNotFound(QuoteNotFound.EMPTY)
    starts = []
    pos = body.find(quote)
    while pos != -1:
        starts.append(pos)
        pos = body.find(quote, pos + 1)
    if not starts:
        raise QuoteNotFound(QuoteNotFound.MISSING)
    if occurrence is None:
        if len(starts) > 1:
            raise QuoteNotFound(QuoteNotFound.AMBIGUOUS, occurrences=len(starts))
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise QuoteNotFound(QuoteNotFound.NO_SUCH_OCCURRENCE, occurrences=len(starts), occurrence=occurrence)
    start = starts[occurrence - 1]
    return start, start + len(quote)


def find_by_body(session: Session, body: str) -> Article | None:
    return session.execute(
        select(Article).where(Article.body_sha256 == body_hash(body))
    ).scalar_one_or_none()


@dataclass(frozen=True)
class Duplicate:
    id: int
    title: str
    same: str  # "text" (the same body) or "address" (the same canonical URL)


def find_duplicate(session: Session, body: str, canonical_url: str | None) -> Duplicate | None:
    """The article already on the desk with this body, else the first filed under this
    canonical address (ix_articles_canonical_url); only its id and title are read."""
    found = session.execute(
        select(Article.id, Article.title).where(Article.body_sha256 == body_hash(body))
    ).first()
    if found is not None:
        return Duplicate(found.id, found.title, "text")
    if canonical_url:
        found = session.execute(
            select(Article.id, Article.title).where(Article.canonical_url == canonical_url).order_by(Article.id).limit(1)
        ).first()
        if found is not None:
            return Duplicate(found.id, found.title, "address")
    return None


def add_article(session: Session, draft: ArticleDraft, imported_by_id: int | None) -> Article:
    """Stage one article in the session (no commit); DuplicateArticle if its body or its
    canonical address exists."""
    existing = find_duplicate(session, draft.body, draft.canonical_url)
    if existing is not None:
        where = "this article is" if existing.same == "text" else "an article from the same address is"
        raise DuplicateArticle(
            draft.source, f"{where} already imported as #{existing.id} ({existing.title!r}).", existing.id
        )
    article = Article(
        title=draft.title,
        body=draft.body,
        outlet=draft.outlet,
        byline=draft.byline,
        url=draft.url,
        published_on=draft.published_on,
        imported_by_id=imported_by_id,
        canonical_url=draft.canonical_url,
        fetched_from=draft.fetched_from,
        fetched_at=draft.fetched_at,
        language=draft.language,
        raw_html=draft.raw_html,
    )
    try:
        with session.begin_nested():  # two imports of the same text at once: the second loses here
            session.add(article)
            session.flush()
    except IntegrityError as exc:
        if find_by_body(session, draft.body) is None:
            raise
        raise DuplicateArticle(draft.source, "this article was imported by someone else a moment ago.", 0) from exc
    return article


@dataclass(frozen=True)
class PagePreview:
    """What importing a fetched page would do, shown before it is saved."""

    existing_id: int | None  # an article already imported with the same text or address
    existing_title: str | None
    same: str | None  # "text" or "address"
    suggestions: list  # the extractor's candidates, most check-worthy first


def preview_page_import(session: Session, page) -> PagePreview:
    """Duplicates and suggested claims of a fetching.articles.ExtractedArticle, nothing stored."""
    from ..extraction import extract_claims

    existing = find_duplicate(session, page.body, page.canonical_url)
    suggestions = sorted(extract_claims(page.body), key=lambda c: (-c.score, c.span_start))
    return PagePreview(
        existing_id=existing.id if existing else None,
        existing_title=existing.title if existing else None,
        same=existing.same if existing else None,
        suggestions=suggestions,
    )


@use_case
def import_articles(
    session: Session, drafts: Sequence[ArticleDraft], imported_by_id: int | None
) -> list[Article]:
    """Import a batch with the claims the extractor suggests, as one transaction.

    All or nothing: a duplicate (in the database or in the batch), or any
    failure while storing an article or one of its suggestions, imports none
    of the batch. ``imported_by_id`` is the acting user (None for the command
    line, which runs with the machine's authority).
    """
    if imported_by_id is not None:
        from .permissions import Permission, require
        from .users import active_user

        require(active_user(session, imported_by_id), Permission.IMPORT_ARTICLES)
    seen: dict[str, str] = {}
    for draft in drafts:
        if draft.body_sha256 in seen:
            raise DuplicateArticle(draft.source, f"same text as {seen[draft.body_sha256]} in this batch.", 0)
        seen[draft.body_sha256] = draft.source
    from .candidates import propose_candidates

    from .events import emit

    articles = [add_article(session, draft, imported_by_id) for draft in drafts]
    for article in articles:
        suggestions = propose_candidates(session, article)
        emit(
            session,
            EventType.ARTICLE_IMPORTED,
            article_id=article.id,
            actor_id=imported_by_id,
            payload={
                "article": {
                    "id": article.id,
                    "title": article.title,
                    "outlet": article.outlet,
                    "url": article.url,
                    "published_on": article.published_on.isoformat() if article.published_on else None,
                },
                "suggestions": suggestions,
            },
        )
    return articles


# --- reading ---------------------------------------------------------------


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    outlet: str | None
    published_on: date | None
    claim_count: int
    verified_count: int


@dataclass(frozen=True)
class ArticlePage:
    """One page of the article list; ``nav`` has the cursors of the pages around it."""

    rows: list[ArticleRow]
    total: int
    nav: Page


# Newest first, by import time then id: index ix_articles_imported_at_id, read backwards.
ARTICLE_ORDER = Keyset(
    "articles", SortKey(Article.imported_at, datetime, descending=True), SortKey(Article.id, int, descending=True)
)


def list_articles(session: Session, *, cursor: str | None = None, per_page: int = 50) -> ArticlePage:
    """A page of articles, newest first, paged by cursor (services/paging.py): the same
    cost at any depth, plus the total, a count of the table, the same on every page."""
    counts = ArticleClaimCount
    stmt = select(
        Article.id,
        Article.title,
        Article.outlet,
        Article.published_on,
        func.coalesce(counts.claims, 0),
        func.coalesce(counts.verified, 0),
    ).outerjoin(counts, (counts.article_id == Article.id) & (counts.category_key == ALL_CATEGORIES))
    nav = fetch_page(session, stmt, ARTICLE_ORDER, cursor, per_page)
    total = session.execute(select(func.count()).select_from(Article)).scalar_one()
    return ArticlePage([ArticleRow(*row) for row in nav.rows], total, nav)


def get_article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"No article #{article_id}.")
    return article


def article_claims(session: Session, article_id: int) -> list[Claim]:
    return list(
        session.execute(
            select(Claim)
            .where(Claim.article_id == article_id)
            .order_by(Claim.span_start, Claim.span_end, Claim.id)
        ).scalars()
    )


MAX_LISTED = 8  # covering claims a segment names; more are counted, not listed


@dataclass(slots=True)
class Segment:
    """A run of body text and the claims that cover it; paragraphs split segments.

    ``claim_ids``: the covering claims in the order their spans start (the
    innermost last), at most MAX_LISTED of them, the innermost ones;
    ``claim_count``: how many cover it in all; ``suggestion``: the innermost
    covering suggestion's key, if any.
    """

    text: str
    claim_ids: tuple = ()
    start: int = 0
    claim_count: int = 0
    suggestion: object = None


def highlight_segments(
    body: str,
    spans: Iterable[tuple[object, int, int]],
    suggestions: Iterable[tuple[object, int, int]] = (),
) -> list[list[Segment]]:
    """The paragraphs of ``iter_paragraphs`` as a list."""
    return list(iter_paragraphs(body, spans, suggestions))


def iter_paragraphs(
    body: str,
    spans: Iterable[tuple[object, int, int]],
    suggestions: Iterable[tuple[object, int, int]] = (),
) -> Iterator[list[Segment]]:
    """Split the body into paragraphs (its non-empty lines) of segments, each
    marked with what covers it.

    ``spans`` are claims and ``suggestions`` suggested claims, both (key,
    start, end). The body is cut at every span boundary, so overlaps need no
    client-side work. One sweep over the sorted boundaries: O(body + spans log
    spans), whatever the overlaps (a segment lists at most MAX_LISTED claims).
    A generator, so that a page can render a long article paragraph by
    paragraph without holding every segment at once.
    """
    size = len(body)
    # (position, kind, layer, order, key): kind 0 ends a span, 1 starts one, so
    # that at a boundary the spans that end leave before those that start join.
    events: list[tuple[int, int, int, int, object]] = []
    for layer, items in enumerate((spans, suggestions)):
        for order, (key, start, end) in enumerate(items):
            if 0 <= start < end <= size:
                events.append((start, 1, layer, order, key))
                events.append((end, 0, layer, order, key))
    events.sort(key=lambda e: e[:4])
    claims: dict = {}  # order -> key, in the order the spans started
    suggested: dict = {}
    line: list[Segment] = []
    i, n = 0, len(events)
    pos = 0
    while pos < size:
        while i < n and events[i][0] == pos:
            _, kind, layer, order, key = events[i]
            layer_keys = suggested if layer else claims
            if kind:
                layer_keys[order] = key
            else:
                layer_keys.pop(order, None)
            i += 1
        next_event = events[i][0] if i < n else size
        if not claims and not suggested:  # plain text up to the next boundary: split it in one go
            offset = pos
            for k, part in enumerate(body[pos:next_event].split("\n")):
                if k and line:
                    yield line
                    line = []
                if part:
                    line.append(Segment(part, (), offset))
                offset += len(part) + 1
            pos = next_event
            continue
        newline = body.find("\n", pos, next_event)
        stop = next_event if newline == -1 else newline
        if stop > pos:
            count = len(claims)
            listed = tuple(claims.values()) if count <= MAX_LISTED else _last(claims, MAX_LISTED)
            top = next(reversed(suggested.values())) if suggested else None
            line.append(Segment(body[pos:stop], listed, pos, count, top))
        if newline == -1:
            pos = stop
        else:
            if line:
                yield line
                line = []
            pos = newline + 1
    if line:
        yield line


def _last(keys: dict, count: int) -> tuple:
    values = reversed(keys.values())
    return tuple([next(values) for _ in range(count)][::-1])
