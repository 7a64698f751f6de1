"""Articles: reading article files, importing them, and showing them with their claims."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Article, Claim
from .errors import ArticleFormatError, DuplicateArticle, NotFound

MAX_ARTICLE_BYTES = 2_000_000
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

    @property
    def body_sha256(self) -> str:
        return body_hash(self.body)


def body_hash(body: str) -> str:
    """The same value the database's generated column holds for this body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def decode_article_bytes(data: bytes, source: str) -> str:
    """Text of an article file; ArticleFormatError for empty, binary or non-UTF-8 data."""
    if not data.strip():
        raise ArticleFormatError(f"{source}: the file is empty.")
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleFormatError(
            f"{source}: the file is {len(data):,} bytes; articles are limited to {MAX_ARTICLE_BYTES:,}."
        )
    if b"\x00" in data:
        raise ArticleFormatError(f"{source}: this looks like a binary file, not article text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(
            f"{source}: not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start});"
            " save the file as UTF-8 and try again."
        ) from exc
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
            raise ArticleFormatError(f"{source}: the front matter starting with '---' is never closed.")
        block = text[4:end]
        after = text.find("\n", end + 4)
        rest = "" if after == -1 else text[after + 1 :]
        for number, line in enumerate(block.split("\n"), start=2):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            match = _FRONT_MATTER_LINE.match(line.strip())
            if not match:
                raise ArticleFormatError(
                    f"{source}: front matter line {number} is not 'key: value': {line.strip()[:60]!r}"
                )
            key, value = match.group(1).lower(), match.group(2).strip().strip('"').strip()
            if key not in FRONT_MATTER_KEYS:
                raise ArticleFormatError(
                    f"{source}: unknown front matter key {key!r}"
                    f" (allowed: {', '.join(sorted(FRONT_MATTER_KEYS))})."
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
        raise ArticleFormatError(f"{source}: the article has no title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise ArticleFormatError(f"{source}: the title is longer than {MAX_TITLE_LENGTH} characters.")
    if not body:
        raise ArticleFormatError(f"{source}: the article has a title but no body text.")

    url = meta.get("url") or None
    if url and not re.match(r"^https?://[^\s/@]+", url, re.IGNORECASE):
        raise ArticleFormatError(f"{source}: url must start with http:// or https://, got {url[:80]!r}.")
    published_on = None
    if meta.get("date"):
        try:
            published_on = date.fromisoformat(meta["date"])
        except ValueError as exc:
            raise ArticleFormatError(
                f"{source}: date must be YYYY-MM-DD, got {meta['date'][:40]!r}."
            ) from exc
    return ArticleDraft(
        title=title,
        body=body,
        outlet=meta.get("outlet") or None,
        byline=meta.get("byline") or None,
        url=url,
        published_on=published_on,
        source=source,
    )


def front_matter_free_text(*, title: str, body: str) -> str:
    """The body of an article pasted into a form, checked as a file's body would be."""
    draft = parse_article_text(f"{title.strip()}\n\n{body}", "the form")
    return draft.body


def read_article_file(data: bytes, source: str) -> ArticleDraft:
    return parse_article_text(decode_article_bytes(data, source), source)


def locate_quote(body: str, quote: str, occurrence: int | None) -> tuple[int, int] | str:
    """(start, end) of the quote in the body, or why it cannot be placed."""
    if not quote:
        return "the quote is empty"
    starts = []
    pos = body.find(quote)
    while pos != -1:
        starts.append(pos)
        pos = body.find(quote, pos + 1)
    if not starts:
        return "the quote is not in the article body (check curly quotes and apostrophes)"
    if occurrence is None:
        if len(starts) > 1:
            return f"the quote occurs {len(starts)} times; add occurrence = 1..{len(starts)}"
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        return f"occurrence = {occurrence}, but the quote occurs {len(starts)} time(s)"
    start = starts[occurrence - 1]
    return start, start + len(quote)


def find_by_body(session: Session, body: str) -> Article | None:
    return session.execute(
        select(Article).where(Article.body_sha256 == body_hash(body))
    ).scalar_one_or_none()


def add_article(session: Session, draft: ArticleDraft, imported_by_id: int | None) -> Article:
    """Stage one article in the session (no commit); DuplicateArticle if its body exists."""
    existing = find_by_body(session, draft.body)
    if existing is not None:
        raise DuplicateArticle(
            f"{draft.source}: this article is already imported as #{existing.id} ({existing.title!r}).",
            existing.id,
        )
    article = Article(
        title=draft.title,
        body=draft.body,
        outlet=draft.outlet,
        byline=draft.byline,
        url=draft.url,
        published_on=draft.published_on,
        imported_by_id=imported_by_id,
    )
    session.add(article)
    session.flush()
    return article


def import_articles(
    session: Session, drafts: Sequence[ArticleDraft], imported_by_id: int | None
) -> list[Article]:
    """Import a batch all-or-nothing: any duplicate (in the database or in the batch) imports none.

    ``imported_by_id`` is the acting user (None for the command line, which
    runs with the machine's authority).
    """
    if imported_by_id is not None:
        from .permissions import Permission, require
        from .users import active_user

        require(active_user(session, imported_by_id), Permission.IMPORT_ARTICLES)
    seen: dict[str, str] = {}
    for draft in drafts:
        if draft.body_sha256 in seen:
            raise DuplicateArticle(
                f"{draft.source}: same text as {seen[draft.body_sha256]} in this batch.", 0
            )
        seen[draft.body_sha256] = draft.source
    from .candidates import propose_candidates

    try:
        articles = [add_article(session, draft, imported_by_id) for draft in drafts]
        for article in articles:
            propose_candidates(session, article)
        session.commit()
    except Exception:
        session.rollback()
        raise
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


def list_articles(session: Session, *, page: int = 1, per_page: int = 50) -> tuple[list[ArticleRow], int]:
    claim_counts = (
        select(
            Claim.article_id,
            func.count().label("claims"),
            func.count().filter(Claim.status == "verified").label("verified"),
        )
        .group_by(Claim.article_id)
        .subquery()
    )
    total = session.execute(select(func.count()).select_from(Article)).scalar_one()
    rows = session.execute(
        select(
            Article.id,
            Article.title,
            Article.outlet,
            Article.published_on,
            func.coalesce(claim_counts.c.claims, 0),
            func.coalesce(claim_counts.c.verified, 0),
        )
        .outerjoin(claim_counts, claim_counts.c.article_id == Article.id)
        .order_by(Article.imported_at.desc(), Article.id.desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return [ArticleRow(*row) for row in rows], total


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


@dataclass
class Segment:
    """A run of body text and what covers it (claim ids, or other keys such as
    candidates'); paragraphs split segments."""

    text: str
    claim_ids: list = field(default_factory=list)
    start: int = 0


def highlight_segments(body: str, spans: Iterable[tuple[object, int, int]]) -> list[list[Segment]]:
    """Split the body into paragraphs of segments, each marked with what covers it.

    ``spans`` is (key, start, end): a claim id, or another key. Overlapping claims are handled by
    cutting at every boundary, so the page needs no client-side work.
    """
    spans = [s for s in spans if 0 <= s[1] < s[2] <= len(body)]
    cuts = {0, len(body)}
    for _, start, end in spans:
        cuts.update((start, end))
    pos = 0
    while True:
        nl = body.find("\n", pos)
        if nl == -1:
            break
        cuts.update((nl, nl + 1))
        pos = nl + 1
    points = sorted(cuts)
    paragraphs: list[list[Segment]] = [[]]
    for start, end in zip(points, points[1:]):
        chunk = body[start:end]
        if chunk == "\n":
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        covering = [cid for cid, s, e in spans if s <= start and end <= e]
        paragraphs[-1].append(Segment(chunk, covering, start))
    return [p for p in paragraphs if p]
