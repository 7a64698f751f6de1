"""Evidence from a link: the title, publisher and date a reviewer left blank, from the page.

``workflow.add_evidence(..., fill_from_page=True)`` saves the evidence at once,
as the reviewer typed it, marks it "pending" and queues
``factcheck:fill_evidence_details`` in the same transaction. That job (run by
`factcheck worker`) calls ``fill_evidence_details``, which

1. reads the evidence's link and ends its transaction (no lock and no
   connection is held while a slow site answers);
2. fetches the page through the safe fetcher (factcheck/fetching/fetch.py: no
   private addresses, timeouts, size limit) and reads its title, publisher and
   date from OpenGraph, JSON-LD and ``<title>``;
3. under the claim's lock (the lock every evidence change takes) reads the
   evidence again and fills in only the fields that are still blank, so what a
   reviewer typed or edited meanwhile is never overwritten; it records what it
   filled in the claim's history, or on a refusal the fetcher's message, which
   the claim page shows.

A blank title is stored as the link itself (workflow._clean_evidence), so a
title "still blank" is one still equal to the link.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Claim, EventAction, Evidence
from . import jobs
from .history import record_event
from .unit import unit_of_work

PENDING = "pending"
FILLED = "filled"
FAILED = "failed"

FIELDS = ("title", "publisher", "published_on")

MAX_TITLE = 300  # the column's limits (models/evidence.py)
MAX_PUBLISHER = 200
MAX_ERROR = 500


def blank_details(evidence: Evidence) -> list[str]:
    """The details the page could fill in: those not given (a title equal to the link was not)."""
    blank = []
    if not evidence.title or evidence.title == evidence.url[:MAX_TITLE]:
        blank.append("title")
    if not evidence.publisher:
        blank.append("publisher")
    if evidence.published_on is None:
        blank.append("published_on")
    return blank


def queue_fill(session: Session, evidence: Evidence) -> int:
    """Queue the job that fills in the evidence's blank details, in the caller's transaction."""
    return jobs.defer(session, jobs.FILL_EVIDENCE_DETAILS, evidence_id=evidence.id)


# --- reading a page's details (no database) -----------------------------------------


@dataclass(frozen=True)
class PageDetails:
    title: str | None = None
    publisher: str | None = None
    published_on: date | None = None

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def __bool__(self) -> bool:
        return any(self.get(name) is not None for name in FIELDS)


_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACES.sub(" ", value.replace("\x00", "")).strip()
    if not value:
        return None
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _date(value: Any, today: date) -> date | None:
    """A page's date from an ISO 8601 date or date-time ("2026-12-01T10:00:00Z"); None for
    anything else, and for a date in the future or before 1900 (a page's mistake)."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return found if date(1900, 1, 1) <= found <= today else None


def _json_ld_items(tree) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
                yield item


def _name_of(value: Any) -> Any:
    """schema.org's publisher may be a name, an Organization, or a list of them."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value


def page_details(body: bytes, charset: str | None = None, today: date | None = None) -> PageDetails:
    """The title, publisher and date a page gives about itself, from the first of:
    OpenGraph/article meta tags, JSON-LD (schema.org Article and kin), then
    ``<title>`` (for the title) and the common date meta tags."""
    import lxml.etree
    import lxml.html

    today = today or date.today()
    if not body.strip():
        return PageDetails()
    try:
        parser = lxml.html.HTMLParser(encoding=charset) if charset else None
        tree = lxml.html.fromstring(body, parser=parser)
    except (lxml.etree.ParserError, LookupError, ValueError):
        try:
            tree = lxml.html.fromstring(body)
        except (lxml.etree.ParserError, ValueError):
            return PageDetails()

    meta: dict[str, str] = {}
    for element in tree.xpath("//meta[@content]"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        if key and key not in meta:
            meta[key] = element.get("content") or ""

    ld_title = ld_publisher = ld_date = None
    for item in _json_ld_items(tree):
        ld_title = ld_title or _text(item.get("headline"), MAX_TITLE)
        ld_publisher = ld_publisher or _text(_name_of(item.get("publisher")), MAX_PUBLISHER)
        ld_date = ld_date or _date(item.get("datePublished"), today)

    title_elements = tree.xpath("//title")
    title = (
        _text(meta.get("og:title"), MAX_TITLE)
        or ld_title
        or _text(meta.get("twitter:title"), MAX_TITLE)
        or (_text(title_elements[0].text_content(), MAX_TITLE) if title_elements else None)
    )
    publisher = _text(meta.get("og:site_name"), MAX_PUBLISHER) or ld_publisher
    published_on = _date(meta.get("article:published_time"), today) or ld_date
    for key in ("datepublished", "date", "dc.date", "dc.date.issued", "dcterms.date", "pubdate"):
        published_on = published_on or _date(meta.get(key), today)
    return PageDetails(title=title, publisher=publisher, published_on=published_on)


# --- the job ----------------------------------------------------------------------


def _fetch_details(url: str) -> PageDetails:
    """The page's details through the safe fetcher; FetchRefused says why not."""
    from ..fetching.fetch import HTML_TYPES, fetch

    result = fetch(url, accept=HTML_TYPES)
    return page_details(result.body, result.charset)


def fill_evidence_details(session: Session, evidence_id: int) -> dict[str, Any]:
    """Fill in the evidence's blank details from its page (see the module's docstring).

    Safe to run twice: evidence no longer pending is left alone. Returns what it did, for the job's log line."""
    from ..fetching.fetch import FetchRefused

    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.details_status != PENDING:
        session.rollback()
        return {"evidence_id": evidence_id, "skipped": "removed" if evidence is None else "not pending"}
    url = evidence.url
    session.rollback()  # no transaction stays open while the site answers

    details: PageDetails | None = None
    error: str | None = None
    reason: str | None = None
    try:
        details = _fetch_details(url)
    except FetchRefused as exc:
        error, reason = str(exc), exc.reason
    except Exception as exc:  # noqa: BLE001 - a page we cannot read is a note for the reviewer, not a crash
        error, reason = "The page could not be read.", type(exc).__name__
    if details is not None and not details:
        error, reason = "The page gives no title, publisher or date.", "no-details"

    with unit_of_work(session):
        claim_id = session.execute(select(Evidence.claim_id).where(Evidence.id == evidence_id)).scalar_one_or_none()
        if claim_id is None:
            return {"evidence_id": evidence_id, "skipped": "removed"}
        # The lock every change of a claim's evidence takes (workflow._evidence_for_change).
        claim = session.execute(select(Claim).where(Claim.id == claim_id).with_for_update()).scalar_one()
        evidence = session.execute(
            select(Evidence).where(Evidence.id == evidence_id).execution_options(populate_existing=True)
        ).scalar_one()
        if evidence.details_status != PENDING:
            return {"evidence_id": evidence_id, "skipped": "not pending"}
        if error is not None:
            evidence.details_status = FAILED
            evidence.details_error = error[:MAX_ERROR]
            return {"evidence_id": evidence_id, "details": FAILED, "reason": reason}
        assert details is not None
        changes: dict[str, list[Any]] = {}
        for name in blank_details(evidence):  # blank now, under the lock: a reviewer's value stays
            new = details.get(name)
            if new is not None:
                old = getattr(evidence, name)
                changes[name] = [old.isoformat() if isinstance(old, date) else old,
                                 new.isoformat() if isinstance(new, date) else new]
                setattr(evidence, name, new)
        evidence.details_status = FILLED
        evidence.details_error = None
        if changes:
            from .workflow import utcnow

            evidence.updated_at = utcnow()
            claim.updated_at = utcnow()
            record_event(
                session,
                claim,
                EventAction.EVIDENCE_EDITED,
                actor_id=None,
                details={"evidence_id": evidence.id, "url": evidence.url, "title": evidence.title,
                         "changes": changes, "from_page": True},
            )
        return {"evidence_id": evidence_id, "details": FILLED, "filled": sorted(changes)}
