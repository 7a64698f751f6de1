"""Import from a link, with the fetch in the worker (no web request waits on a site).

1. ``request_link_import`` stores a ``link_imports`` row ("pending") and queues
   ``factcheck:fetch_link_import`` in the same transaction.
2. The job (``run_link_import``) reads the link and ends its transaction, fetches
   and extracts the page through the safe fetcher (fetching/articles.py), then
   stores the result ("ready") or the fetcher's message ("failed").
3. The requester reviews the stored result; ``save_link_import`` builds the
   article from it through the same create use case as pasted text
   (articles.import_articles), in one transaction: the page is not fetched again.

Only the requester, and editors and administrators, see an import.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Article, LinkImport
from ..models.link_import import FAILED, PENDING, READY
from . import jobs
from .errors import InvalidTransition, NotFound
from .unit import unit_of_work, use_case

MAX_ERROR = 1000


def _now() -> datetime:
    return datetime.now(timezone.utc)


@use_case
def request_link_import(session: Session, actor_id: int, url: str) -> LinkImport:
    """Store the request and queue its fetch (one transaction)."""
    from .permissions import Permission, require
    from .users import active_user

    require(active_user(session, actor_id), Permission.IMPORT_ARTICLES)
    link_import = LinkImport(url=url.strip(), requested_by_id=actor_id, status=PENDING)
    session.add(link_import)
    session.flush()
    jobs.defer(session, jobs.FETCH_LINK_IMPORT, link_import_id=link_import.id)
    return link_import


def get_link_import(session: Session, viewer_id: int, import_id: int) -> LinkImport:
    """The import, if the viewer asked for it or is an editor; NotFound otherwise (an
    id in a URL says nothing about others' imports)."""
    from .permissions import Permission, can
    from .users import active_user

    viewer = active_user(session, viewer_id)
    link_import = session.get(LinkImport, import_id)
    if link_import is None or (link_import.requested_by_id != viewer.id and not can(viewer, Permission.MANAGE_FEEDS)):
        raise NotFound("No such import.")
    return link_import


def stored_page(link_import: LinkImport):
    """The stored result as a fetching.articles.ExtractedArticle (what the review shows and saving uses)."""
    from ..fetching.articles import ExtractedArticle

    return ExtractedArticle(
        requested_url=link_import.url,
        fetched_from=link_import.fetched_from or link_import.url,
        canonical_url=link_import.canonical_url,
        title=link_import.title,
        byline=link_import.byline,
        outlet=link_import.outlet,
        published_on=link_import.published_on,
        language=link_import.language,
        body=link_import.body or "",
        raw_html=link_import.raw_html or b"",
        fetched_at=link_import.fetched_at or link_import.created_at,
        warnings=tuple(w for w in (link_import.warnings or "").split("\n") if w),
    )


def run_link_import(session: Session, import_id: int) -> dict[str, Any]:
    """The job: fetch and extract the import's page, store the result or the reason.

    Safe to run twice: an import no longer pending is left alone."""
    from ..fetching.articles import ExtractionFailed, fetch_article
    from ..fetching.fetch import FetchRefused

    link_import = session.get(LinkImport, import_id)
    if link_import is None or link_import.status != PENDING:
        session.rollback()
        return {"link_import_id": import_id, "skipped": "removed" if link_import is None else "not pending"}
    url = link_import.url
    session.rollback()  # no transaction stays open while the site answers

    page = None
    error: str | None = None
    reason: str | None = None
    try:
        page = fetch_article(url)
    except FetchRefused as exc:
        error, reason = str(exc), exc.reason
    except ExtractionFailed as exc:
        error, reason = str(exc), "no-article-text"
    except Exception as exc:  # noqa: BLE001 - a page we cannot read is a message for the requester, not a crash
        error, reason = "The page could not be read.", type(exc).__name__

    with unit_of_work(session):
        link_import = session.execute(
            select(LinkImport).where(LinkImport.id == import_id).with_for_update().execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if link_import is None or link_import.status != PENDING:
            return {"link_import_id": import_id, "skipped": "removed" if link_import is None else "not pending"}
        link_import.finished_at = _now()
        if page is None:
            link_import.status = FAILED
            link_import.error = (error or "")[:MAX_ERROR]
            return {"link_import_id": import_id, "status": FAILED, "reason": reason}
        link_import.status = READY
        link_import.error = None
        link_import.fetched_from = page.fetched_from
        link_import.canonical_url = page.canonical_url
        link_import.title = page.title
        link_import.byline = page.byline
        link_import.outlet = page.outlet
        link_import.published_on = page.published_on
        link_import.language = page.language
        link_import.body = page.body
        link_import.raw_html = page.raw_html
        link_import.fetched_at = page.fetched_at
        link_import.warnings = "\n".join(page.warnings) or None
        return {"link_import_id": import_id, "status": READY, "words": len(page.body.split())}


@use_case
def save_link_import(
    session: Session,
    actor_id: int,
    import_id: int,
    *,
    title: str | None = None,
    outlet: str | None = None,
    byline: str | None = None,
    published_on=None,
) -> Article:
    """The article from the import's stored result, with the reviewer's corrections (one
    transaction); DuplicateArticle names an article with the same text or address."""
    from . import articles as article_service
    from .errors import DuplicateArticle

    get_link_import(session, actor_id, import_id)
    link_import = session.execute(
        select(LinkImport).where(LinkImport.id == import_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    if link_import.article_id is not None:
        raise DuplicateArticle("the page", f"this page is already saved as #{link_import.article_id}.", link_import.article_id)
    if link_import.status != READY:
        raise InvalidTransition(
            "The page has not been fetched yet." if link_import.status == PENDING else "The page could not be fetched; try another link."
        )
    draft = article_service.article_draft_from_page(
        stored_page(link_import), title=title, outlet=outlet, byline=byline, published_on=published_on, source="the page"
    )
    (article,) = article_service.import_articles(session, [draft], imported_by_id=actor_id)
    link_import.article_id = article.id
    return article
