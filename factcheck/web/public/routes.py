"""The public fact-check pages, robots.txt and sitemap.xml: no log-in, no session, no cookie.

Every page here reads only the publication snapshots (services/publishing.py),
so nothing internal can reach it. The request's session is replaced by a null
session before the view runs: nothing is read from or written to the session
cookie and no Set-Cookie is sent, even to a logged-in user, so a CDN or proxy
can cache the answers (Cache-Control: public, with an ETag and 304s).
Absolute URLs come from PUBLIC_URL (filters.absolute_url), never the Host header.
"""

from __future__ import annotations

from datetime import datetime, timezone
from xml.sax.saxutils import escape as xml_escape

import hashlib
import json
from contextlib import contextmanager

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, stream_with_context, url_for
from flask.globals import request_ctx
from sqlalchemy.exc import DBAPIError
from werkzeug.http import parse_date, parse_etags

from ...models import Category, Verdict
from ... import db
from ...services import publishing, rate_limit
from ...services.errors import NotFound
from ...services.unit import unit_of_work
from ...services.export import Publisher
from .. import db_session, observe, public_session
from ..filters import absolute_url
from ..forms import id_number
from . import page
from .page_cache import PageCache
from ..reads import replica_reads, router

bp = Blueprint("public", __name__)

MAX_ID = 2**31 - 1  # ids are PostgreSQL integers
MAX_AGE = 300  # seconds a browser or a shared cache may keep a public answer without asking again


@bp.before_request
def _no_session():
    # A null session: nothing reads or writes the cookie, and Flask saves nothing
    # (it skips saving a null session). Flask 3.1 offers no public setter for it.
    request_ctx._session = current_app.session_interface.make_null_session(current_app)
    limit = current_app.config.get("PUBLIC_RATE_LIMIT") or 0
    if request.endpoint == "public.fact_check" and router() is None:
        # The fact-check page, read from this same database, opens no session: it
        # counts the request in the statement that reads its head (fact_check).
        g.public_limit = limit
        return None
    session = public_session()  # the page's statements each commit on their own (web.public_session)
    if limit > 0:
        decision = rate_limit.hit(session, request.remote_addr, limit)
        if not decision.allowed:
            return _too_many(decision)
    return None


def _too_many(decision: rate_limit.Decision):
    body = render_template("public/too_many.html", org_name=current_app.config["ORG_NAME"])
    return body, 429, {"Retry-After": str(decision.retry_after), "Cache-Control": "no-store"}


@bp.after_request
def _cacheable(response: Response) -> Response:
    response.headers.pop("Set-Cookie", None)
    if g.get("fresh_read"):
        # Read from the primary for the editor who just wrote (web/reads.py): not for a shared cache.
        response.headers["Cache-Control"] = "no-store"
        return response
    if response.status_code == 200 and request.method in ("GET", "HEAD"):
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        if not response.is_streamed and "ETag" not in response.headers:
            # Pages without an ETag of their own get one from their body (an ETag
            # of a streamed feed would read it all first).
            response.add_etag()
            response.make_conditional(request)
    elif response.status_code == 301:
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    elif response.status_code == 304:
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_filter("long_date")
def long_date(value) -> str:
    """"6 December 2026": a date as readers write it (a time counts by its UTC day)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(timezone.utc).date()
    return f"{value.day} {value.strftime('%B %Y')}"


@bp.errorhandler(404)
def _not_found(exc):
    return render_template("public/not_found.html", org_name=current_app.config["ORG_NAME"]), 404


def _publisher() -> Publisher:
    return Publisher(current_app.config["ORG_NAME"], current_app.config["ORG_URL"])


def _page_url(publication) -> str:
    return absolute_url("public.fact_check", claim_id=publication.claim_id, slug=publication.slug)


def _enum(enum_class, value):
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


def _listing(article_id: int | None):
    """The filters and page of a list, and what the page says about filters it did not understand."""
    args = request.args
    verdict = _enum(Verdict, args.get("verdict"))
    category = _enum(Category, args.get("category"))
    if article_id is None and args.get("article"):
        article_id = id_number(args.get("article"))
    filters = publishing.PublicFilters(verdict=verdict, category=category, article_id=article_id)
    per_page = current_app.config.get("PUBLIC_PER_PAGE", publishing.PER_PAGE)
    page = publishing.public_page(db_session(), filters, args.get("cursor"), per_page)
    return filters, page


def _render(template: str, **context):
    return render_template(
        template,
        org_name=current_app.config["ORG_NAME"],
        org_url=current_app.config["ORG_URL"],
        verdicts=list(Verdict),
        categories=list(Category),
        page_url=lambda p: url_for("public.fact_check", claim_id=p.claim_id, slug=p.slug),
        **context,
    )


@bp.get("/fact-checks/")
@replica_reads
def index():
    filters, page = _listing(None)
    return _render(
        "public/index.html",
        filters=filters,
        page=page,
        canonical=absolute_url("public.index"),
    )


@bp.get("/fact-checks/articles/<int:article_id>")
@replica_reads
def article(article_id: int):
    if article_id > MAX_ID:
        abort(404)
    try:
        latest = publishing.public_article(db_session(), article_id)
    except NotFound:
        abort(404)
    filters, page = _listing(article_id)
    return _render(
        "public/article.html",
        article=latest,
        filters=filters,
        page=page,
        canonical=absolute_url("public.article", article_id=article_id),
    )


@bp.get("/fact-checks/<int:claim_id>")
@bp.get("/fact-checks/<int:claim_id>-<slug>")
@replica_reads
def fact_check(claim_id: int, slug: str | None = None):
    limit = g.pop("public_limit", None)  # None: counted already, and the head is read through db_session()
    lookup = claim_id if claim_id <= MAX_ID else 0  # no claim is 0: an id past the column's range is counted, then 404
    counted = request.environ.pop(COUNTED, None)  # by the fast path (fast.py), which left this answer to the view
    failed = request.environ.pop(FAILED, None)
    if failed is not None:  # the fast path's database error: answered as any other (503), not met twice
        raise failed
    try:
        if limit is None:
            head = publishing.public_head(db_session().connection(), lookup)
        else:
            decision, row = counted or count_and_read(
                current_app.extensions["factcheck.db"], request.remote_addr, limit, lookup
            )[:2]
            # Judged after the connection went back: the count stands whatever the answer.
            if decision is not None and not decision.allowed:
                return _too_many(decision)
            head = publishing.head_from_row(claim_id, row)
    except NotFound:
        abort(404)
    if slug != head.slug:
        # An old or missing slug: the page lives at one address.
        return redirect(url_for("public.fact_check", claim_id=claim_id, slug=head.slug), code=301)
    # The page is a function of the snapshot (its version and dates), the site's
    # settings and the templates: its ETag is known from the head alone, so a
    # revalidation is answered with a 304 without loading or drawing the page.
    etag = page_etag(current_app, head, request.script_root)
    modified = head.modified_at.astimezone(timezone.utc)
    if not_modified(request.environ, etag, modified):
        response = Response(status=304)
    else:
        # The same ETag is the same page: a worker draws a shared check once (page_cache.py).
        body = page_cache(current_app).get(etag)
        if body is None:
            try:
                snapshot = publishing.public_snapshot(public_session().connection(), claim_id)
            except NotFound:  # taken down between the two reads
                abort(404)
            if snapshot.slug != slug:  # re-published under a new slug between the two reads
                return redirect(url_for("public.fact_check", claim_id=claim_id, slug=snapshot.slug), code=301)
            etag, modified, body = draw_and_keep(current_app, snapshot, request.script_root)
        response = Response(body, mimetype="text/html")
    response.set_etag(etag)
    response.last_modified = modified
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def draw_and_keep(app, snapshot: publishing.PublicSnapshot, script_root: str) -> tuple[str, datetime, bytes]:
    """(ETag, Last-Modified, page) of ``snapshot``, the page drawn and kept by its ETag
    (page_cache.py) for the worker's next request; for the view and the fast path, after
    a head read earlier (the snapshot may be newer: its own ETag is the page's)."""
    etag = page_etag(app, snapshot, script_root)
    body = page.draw(app, snapshot, script_root)
    page_cache(app).put(etag, body)
    return etag, snapshot.modified_at.astimezone(timezone.utc), body


COUNTED = "factcheck.public_counted"  # environ: (decision, head row) of a request already counted
FAILED = "factcheck.public_failed"  # environ: the database error the fast path met, for the view to answer


def count_and_read(database, address: str | None, limit: int, lookup: int, then=None):
    """(the rate limit's decision or None without a limit, the head's row or None, what
    ``then`` returned or None): one statement on a connection of ``database``'s
    autocommit pool, and ``then(connection, row)`` on the same connection when a head
    was read and the request is allowed (the fast path reads the snapshot there when
    it must draw the page). Sent again, once, on a new connection when the server had
    dropped the one it went out on before the count was made (a PostgreSQL restart:
    the pool pings only connections that sat idle, db._ping_when_idle); a request
    counted is never counted twice. A database error comes out as SQLAlchemy's
    DBAPIError, which the app's error handlers answer (503 while the database is
    down or slow)."""
    sql, parameters = publishing.head_query(lookup)
    for attempt in (1, 2):
        counted = False
        try:
            with _page_connection(database) as connection:
                if not limit:
                    decision, row = None, db.fetch_one(connection, sql, parameters)
                else:
                    decision, row = rate_limit.hit_and_read(connection, address, limit, sql, parameters)
                counted = True
                more = None
                if then is not None and row is not None and (decision is None or decision.allowed):
                    more = then(connection, row)
                return decision, row, more
        except _ServerDropped as dropped:
            if attempt == 2 or counted:
                raise dropped.error from dropped.error.orig
    raise AssertionError("unreachable")


class _ServerDropped(Exception):
    """The database server closed the page connection's session; ``error`` says how."""

    def __init__(self, error: DBAPIError):
        super().__init__(str(error))
        self.error = error


@contextmanager
def _page_connection(database):
    """A driver connection of the autocommit pool for the fact-check page's one statement,
    returned at once, with no ORM session or SQLAlchemy execution around it (db.fetch_one);
    where there is no such pool (the tests' outer transaction), the request's public
    session's connection, committed as a unit of work.

    The driver's errors come out as SQLAlchemy's (DBAPIError.instance), as they would
    through a Connection. When the server has dropped the connection, every connection
    of the pool is dropped with it (Engine.dispose: they all went with the server) and
    _ServerDropped is raised for the caller to try once more."""
    engine = database.autocommit_engine
    if engine is None:
        session = public_session()
        with unit_of_work(session):
            yield session.connection()
        return
    dbapi_error = engine.dialect.loaded_dbapi.Error
    try:
        raw = engine.raw_connection()
    except dbapi_error as exc:  # the server does not answer
        raise DBAPIError.instance(None, None, exc, dbapi_error, connection_invalidated=True) from exc
    try:
        with observe.database_time():  # no engine event sees a driver connection's statements
            yield raw
    except dbapi_error as exc:
        dropped = engine.dialect.is_disconnect(exc, raw.dbapi_connection, None)
        error = DBAPIError.instance(None, None, exc, dbapi_error, connection_invalidated=dropped)
        if not dropped:
            raise error from exc
        raw.invalidate(exc)
        engine.dispose()
        raise _ServerDropped(error) from exc
    finally:
        raw.close()


def page_cache(app) -> PageCache:
    cache = app.extensions.get("factcheck.public_pages")
    if cache is None:
        cache = app.extensions.setdefault("factcheck.public_pages", PageCache(app.config.get("PUBLIC_PAGE_CACHE", 256)))
    return cache


def not_modified(environ: dict, etag: str, modified) -> bool:
    """Whether the client's copy is current (If-None-Match wins over If-Modified-Since, as in RFC 9110)."""
    if_none_match = parse_etags(environ.get("HTTP_IF_NONE_MATCH"))
    if if_none_match:
        return if_none_match.contains(etag)
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and modified.replace(microsecond=0) <= since


_TEMPLATES_HASH: list[str] = []


def _templates_hash(app) -> str:
    """A digest of the public templates, read once: a deploy that changes them changes every ETag."""
    if not _TEMPLATES_HASH:
        digest = hashlib.sha256()
        env = app.jinja_env
        for name in sorted(n for n in env.list_templates() if n.startswith("public/")):
            source, _filename, _uptodate = env.loader.get_source(env, name)
            digest.update(name.encode() + b"\0" + source.encode())
        _TEMPLATES_HASH.append(digest.hexdigest()[:16])
    return _TEMPLATES_HASH[0]


def page_etag(app, publication, script_root: str) -> str:
    """The ETag of a fact-check page: of everything the page is drawn from (page.draw),
    the app's mount point included, since its links start there."""
    config = app.config
    parts = (
        _templates_hash(app), config.get("ORG_NAME"), config.get("ORG_URL"), config.get("PUBLIC_URL"),
        script_root, publication.claim_id, publication.version, publication.modified_at.isoformat(),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@bp.get("/robots.txt")
def robots():
    body = "\n".join(
        [
            "User-agent: *",
            f"Allow: {url_for('public.index')}",
            f"Allow: {url_for('public.sitemap_block', number=0).rsplit('/', 1)[0]}/",
            "Disallow: /",
            f"Sitemap: {absolute_url('public.sitemap')}",
            "",
        ]
    )
    return Response(body, mimetype="text/plain")


_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _urlset(entries, *, with_index: bool) -> Response:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{_SITEMAP_NS}">']
    if with_index:
        lines.append(f"<url><loc>{xml_escape(absolute_url('public.index'))}</loc></url>")
    for claim_id, slug, modified in entries:
        loc = xml_escape(absolute_url("public.fact_check", claim_id=claim_id, slug=slug))
        lastmod = modified.astimezone(timezone.utc).isoformat(timespec="seconds")
        lines.append(f"<url><loc>{loc}</loc><lastmod>{lastmod}</lastmod></url>")
    lines.append("</urlset>\n")
    return Response("\n".join(lines), mimetype="application/xml")


@bp.get("/sitemap.xml")
@replica_reads
def sitemap():
    """Every public page in one file while they fit (sitemaps.org: 50,000 URLs); past that, an
    index of files: /sitemaps/0.xml for the public index page, /sitemaps/N.xml per block of claim ids."""
    session = db_session()
    if publishing.sitemap_count(session) < publishing.SITEMAP_LIMIT:
        return _urlset(publishing.sitemap_entries(session), with_index=True)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{_SITEMAP_NS}">']
    lines.append(f"<sitemap><loc>{xml_escape(absolute_url('public.sitemap_block', number=0))}</loc></sitemap>")
    for number, modified in publishing.sitemap_blocks(session):
        loc = xml_escape(absolute_url("public.sitemap_block", number=number))
        lastmod = modified.astimezone(timezone.utc).isoformat(timespec="seconds")
        lines.append(f"<sitemap><loc>{loc}</loc><lastmod>{lastmod}</lastmod></sitemap>")
    lines.append("</sitemapindex>\n")
    return Response("\n".join(lines), mimetype="application/xml")


@bp.get("/sitemaps/<int:number>.xml")
@replica_reads
def sitemap_block(number: int):
    """One file of the sitemap index: 0 holds the public index page; N the public checks whose
    claim ids fall in block N."""
    if number == 0:
        return _urlset([], with_index=True)
    if number > 2**31 // publishing.SITEMAP_BLOCK + 1:
        abort(404)
    entries = publishing.sitemap_block_entries(db_session(), number)
    if not entries:
        abort(404)
    return _urlset(entries, with_index=False)


def _atom_time(moment) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


@bp.get("/fact-checks/feed.atom")
@replica_reads
def feed_atom():
    """An Atom feed of the latest published and updated fact checks."""
    entries = publishing.feed_entries(db_session())
    org = xml_escape(current_app.config["ORG_NAME"])
    index_url = xml_escape(absolute_url("public.index"))
    updated = max((p.modified_at for p in entries), default=None)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>Fact checks · {org}</title>",
        f"<id>{index_url}</id>",
        f'<link rel="alternate" type="text/html" href="{index_url}"/>',
        f'<link rel="self" type="application/atom+xml" href="{xml_escape(absolute_url("public.feed_atom"))}"/>',
        f"<updated>{_atom_time(updated) if updated else '1970-01-01T00:00:00+00:00'}</updated>",
        f"<author><name>{org}</name></author>",
    ]
    for p in entries:
        url = xml_escape(_page_url(p))
        notes = publishing.update_notes(p)
        summary = f"{p.verdict.label} (rated {p.verdict.rating} out of 5). {p.rationale}"
        if notes:
            summary = f"Updated on {notes[0][0].isoformat()}: {notes[0][1]} " + summary
        lines += [
            "<entry>",
            f"<title>{xml_escape(p.verdict.label)}: {xml_escape(p.statement)}</title>",
            f"<id>{url}</id>",
            f'<link rel="alternate" type="text/html" href="{url}"/>',
            f"<published>{_atom_time(p.published_at)}</published>",
            f"<updated>{_atom_time(p.modified_at)}</updated>",
            f"<category term=\"{xml_escape(p.category.value)}\" label=\"{xml_escape(p.category.label)}\"/>",
            f"<summary>{xml_escape(summary)}</summary>",
            "</entry>",
        ]
    lines.append("</feed>\n")
    return Response("\n".join(lines), mimetype="application/atom+xml")


@bp.get("/fact-checks.json")
@replica_reads
def feed_json():
    """Every published fact check as a JSON array of ClaimReviews (what aggregators ingest), streamed."""
    publisher = _publisher()
    session = db_session()

    def generate():
        yield "[\n"
        first = True
        for publication in publishing.all_published(session):
            review = publishing.publication_review(publication, _page_url(publication), publisher)
            yield ("" if first else ",\n") + json.dumps(review, ensure_ascii=False)
            first = False
        yield "\n]\n"

    return Response(stream_with_context(generate()), mimetype="application/json")
