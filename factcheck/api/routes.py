"""The /api/v1 views. Each is thin: read the input (through the web's own form, so
its rules live once), call one service as the token's user, answer JSON.

Writes on a claim name the version the client saw in If-Match (the claim's
ETag); evidence and suggestions, which the web does not version either, do not.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import current_app, jsonify, request, url_for

from ..extraction import extract_claims
from ..models import Article, Claim, ClaimEvent, Evidence
from ..services import articles as article_service
from ..services import candidates as candidate_service
from ..services import link_imports as link_import_service
from ..services import claims as claim_service
from ..services import publishing
from ..services import related as related_service
from ..services import search as search_service
from ..services import workflow
from ..services.errors import ArticleFormatError, DuplicateArticle
from ..services.export import Publisher
from ..web import db_session
from ..web.reads import replica_reads
from ..web.articles.forms import (
    AcceptCandidateForm,
    ArticleForm,
    ArticleFromUrlForm,
    EditorAcceptCandidateForm,
    LinkImportSaveForm,
)
from ..web.articles.routes import article_draft_from
from ..web.claims.forms import (
    ApproveForm,
    AssignForm,
    CommentForm,
    ClaimEditForm,
    EditorClaimEditForm,
    EditorNewClaimForm,
    EvidenceForm,
    NewClaimForm,
    ProposeForm,
    ReleaseForm,
    ReopenForm,
    SendBackForm,
    TakeForm,
)
from ..web.claims.routes import (
    claim_fields_form_data,
    claim_fields_from,
    claim_form_data,
    evidence_fields_from,
    evidence_form_data,
    queue_query_from,
)
from ..web.public.forms import PublishForm, UnpublishForm
from ..services.permissions import Permission, can
from . import ApiProblem, bp, identity
from .io import (
    check_cursor,
    day,
    etag,
    if_match,
    iso,
    json_body,
    known_args,
    limit_arg,
    number,
    page_doc,
    public_url,
    url_id,
    validated,
)
from .openapi import document

MAX_EXTRACT_CHARS = 200_000


def _actor() -> int:
    return identity().user_id


def _can_set_priority() -> bool:
    return can(identity().user, Permission.SET_PRIORITY)


# --- representations ---------------------------------------------------------------------


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "display_name": user.display_name}


def _quantity(value, unit, qualifier) -> dict | None:
    if value is None:
        return None
    return {"value": number(value), "unit": unit, "qualifier": qualifier}


def claim_summary(row) -> dict[str, Any]:
    """A queue row (services.claims.ClaimRow)."""
    return {
        "id": row.id,
        "article_id": row.article_id,
        "article_title": row.article_title,
        "quote": row.quote,
        "statement": row.statement,
        "category": row.category.value,
        "claimant": row.claimant,
        "quantity": _quantity(row.quantity_value, row.quantity_unit, row.quantity_qualifier),
        "hedged": row.hedged,
        "status": row.status.value,
        "verdict": row.verdict.value if row.verdict else None,
        "priority": row.priority,
        "assignee": None if row.assignee_id is None else {"id": row.assignee_id, "display_name": row.assignee_name},
        "created_at": iso(row.created_at),
        "version": row.version,
    }


def claim_doc(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "article_id": claim.article_id,
        "quote": claim.quote,
        "span": {"start": claim.span_start, "end": claim.span_end},
        "statement": claim.statement,
        "category": claim.category.value,
        "claimant": claim.claimant,
        "quantity": _quantity(claim.quantity_value, claim.quantity_unit, claim.quantity_qualifier),
        "hedged": claim.hedged,
        "hedge_note": claim.hedge_note,
        "status": claim.status.value,
        "verdict": claim.verdict.value if claim.verdict else None,
        "rationale": claim.rationale,
        "priority": claim.priority,
        "assignee": _person(claim.assignee),
        "proposed_by": _person(claim.proposed_by),
        "approved_by": _person(claim.approved_by),
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "proposed_at": iso(claim.proposed_at),
        "verified_at": iso(claim.verified_at),
        "version": claim.version,
    }


def evidence_doc(item: Evidence) -> dict[str, Any]:
    return {
        "id": item.id,
        "claim_id": item.claim_id,
        "url": item.url,
        "title": item.title,
        "publisher": item.publisher,
        "stance": item.stance.value,
        "archive_url": item.archive_url,
        "accessed_on": day(item.accessed_on),
        "published_on": day(item.published_on),
        "note": item.note,
        # Blank details are filled in from the page by a job: "pending" until it ran,
        # then "filled" or "failed" (with details_error saying why); null when none were asked.
        "details_status": item.details_status,
        "details_error": item.details_error,
        "added_by_id": item.added_by_id,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
    }


def event_doc(event: ClaimEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "action": event.action,
        "actor": _person(event.actor),
        "from_status": event.from_status.value if event.from_status else None,
        "to_status": event.to_status.value if event.to_status else None,
        "comment": event.comment,
        "details": event.details or {},
        "claim_version": event.claim_version,
        "created_at": iso(event.created_at),
    }


def suggestion_doc(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "quote": row.quote,
        "span": {"start": row.span_start, "end": row.span_end},
        "category": row.category.value,
        "claimant": row.claimant,
        "quantity": _quantity(row.quantity_value, row.quantity_unit, row.quantity_qualifier),
        "hedged": row.hedged,
        "score": round(row.score, 3),
    }


def article_summary(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "outlet": row.outlet,
        "published_on": day(row.published_on),
        "claim_count": row.claim_count,
        "verified_count": row.verified_count,
    }


def article_doc(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "byline": article.byline,
        "url": article.url,
        "published_on": day(article.published_on),
        "imported_at": iso(article.imported_at),
        "canonical_url": article.canonical_url,
        "fetched_from": article.fetched_from,
        "fetched_at": iso(article.fetched_at) if article.fetched_at else None,
        "language": article.language,
        "body": article.body,
    }


def _claim_response(claim: Claim, status: int = 200):
    response = jsonify(claim_doc(claim))
    response.status_code = status
    response.headers["ETag"] = etag(claim.version)
    if status == 201:
        response.headers["Location"] = url_for("api.get_claim", claim_id=claim.id)
    return response


def _created_article(article: Article):
    """201 with the new article and the claims the extractor suggests in it."""
    doc = article_doc(article)
    doc["suggestions"] = [suggestion_doc(r) for r in candidate_service.pending_for_page(db_session(), article.id)]
    response = jsonify(doc)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_article", article_id=article.id)
    return response


def _page_response(rows, nav, doc, **extra):
    """One page of a list: each row through ``doc``, with the cursors (a stale cursor is a 400)."""
    check_cursor(nav)
    return jsonify(page_doc([doc(row) for row in rows], nav, **extra))


def _publisher() -> Publisher:
    return Publisher(current_app.config["ORG_NAME"], current_app.config["ORG_URL"])


def fact_check_doc(publication) -> dict[str, Any]:
    url = public_url("public.fact_check", claim_id=publication.claim_id, slug=publication.slug)
    return {
        "claim_id": publication.claim_id,
        "url": url,
        "statement": publication.statement,
        "verdict": publication.verdict.value,
        "rationale": publication.rationale,
        "evidence": publication.evidence,
        "published_at": iso(publication.published_at),
        "updated_at": iso(publication.updated_at),
        "version": publication.version,
        "claim_review": publishing.publication_review(publication, url, _publisher()),
    }


# --- the document ------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


# --- reading -----------------------------------------------------------------------------


@bp.get("/articles")
@replica_reads
def list_articles():
    known_args("cursor", "limit")
    page = article_service.list_articles(db_session(), cursor=request.args.get("cursor"), per_page=limit_arg())
    return _page_response(page.rows, page.nav, article_summary, total=page.total)


@bp.get("/articles/<int:article_id>")
@replica_reads
def get_article(article_id: int):
    session = db_session()
    article = article_service.get_article(session, url_id(article_id))
    doc = article_doc(article)
    doc["claims"] = [claim_doc(c) for c in article_service.article_claims(session, article_id)]
    doc["suggestions"] = [suggestion_doc(r) for r in candidate_service.pending_for_page(session, article_id)]
    return jsonify(doc)


_CLAIM_FILTERS = (
    "status", "verdict", "category", "assignee", "hedged", "article", "created_from", "created_to",
    "verified_from", "verified_to", "proposed_by", "proposed_from", "proposed_to", "approved_by", "sort",
)


@bp.get("/claims")
@replica_reads
def list_claims():
    known_args(*_CLAIM_FILTERS, "cursor", "limit")
    limit = limit_arg()
    form, query = queue_query_from(request.args)  # the web queue's filters, read by the same form
    errors = {name: list(messages) for name, messages in form.errors.items() if messages}
    for name in ("status", "verdict", "category", "hedged", "sort"):
        value = request.args.get(name)
        if value and value not in {choice.value for choice in form[name].choices}:
            errors[name] = ["Not one of the values this filter takes (see the OpenAPI document)."]
    assignee = request.args.get("assignee")
    if assignee and assignee not in ("mine", "unassigned") and query.assignee_id is None:
        errors["assignee"] = ["Give mine, unassigned or a user id."]
    if errors:
        raise ApiProblem(422, "Invalid query parameter.", kind="validation", errors=errors)
    page = claim_service.list_claims(db_session(), replace(query, per_page=limit))
    return _page_response(page.rows, page.nav, claim_summary, total=page.total)


@bp.get("/claims/<int:claim_id>")
@replica_reads
def get_claim(claim_id: int):
    session = db_session()
    claim = claim_service.get_claim(session, url_id(claim_id))
    doc = claim_doc(claim)
    doc["evidence"] = [evidence_doc(e) for e in claim_service.claim_evidence(session, claim_id)]
    doc["links"] = [
        {"id": link.id, "kind": link.kind.value, "note": link.note, "claim": {"id": other.id, "statement": other.statement, "status": other.status.value}}
        for link, other in related_service.claim_links(session, claim_id)
    ]
    history = claim_service.claim_history(session, claim_id)
    doc["history"] = [event_doc(e) for e in history.events]
    doc["history_complete"] = not history.nav.has_prev  # the latest HISTORY_PER_PAGE events
    doc["history_prev_cursor"] = history.nav.prev  # earlier events: GET /claims/{id}/history?cursor=
    publication = publishing.publication_of(session, claim_id)
    doc["publication"] = (
        None if publication is None else {"public": publication.is_public, "version": publication.version, "published_at": iso(publication.published_at)}
    )
    response = jsonify(doc)
    response.headers["ETag"] = etag(claim.version)
    return response


@bp.get("/claims/<int:claim_id>/history")
@replica_reads
def claim_history(claim_id: int):
    """The claim's history, oldest first; without a cursor its latest page (prev_cursor goes back)."""
    known_args("cursor", "limit")
    session = db_session()
    claim_service.get_claim(session, url_id(claim_id))
    history = claim_service.claim_history(session, claim_id, request.args.get("cursor"), per_page=limit_arg())
    return _page_response(history.events, history.nav, event_doc)


@bp.get("/fact-checks")
@replica_reads
def list_fact_checks():
    known_args("cursor", "limit")
    page = publishing.public_page(db_session(), publishing.PublicFilters(), request.args.get("cursor"), limit_arg())
    return _page_response(page.rows, page, lambda row: fact_check_doc(row[0]))


@bp.get("/fact-checks/<int:claim_id>")
@replica_reads
def get_fact_check(claim_id: int):
    return jsonify(fact_check_doc(publishing.public_publication(db_session(), url_id(claim_id))))


@bp.get("/search")
@replica_reads
def search():
    known_args("q", "kind", "page", "limit")
    query = request.args.get("q") or ""
    kind = request.args.get("kind")
    errors: dict[str, list[str]] = {}
    if not query.strip():
        errors["q"] = ["Give the words to search for."]
    if kind is not None and kind not in search_service.KINDS:
        errors["kind"] = [f"One of {', '.join(search_service.KINDS)}."]
    raw_page = request.args.get("page", "1")
    if not (raw_page.isascii() and raw_page.isdigit() and 1 <= int(raw_page[:4] or 0) <= 100 and len(raw_page) <= 3):
        errors["page"] = ["Give a page number from 1 to 100 (search results are ranked, not a keyset list)."]
    limit = request.args.get("limit", "20")
    if not (limit.isascii() and limit.isdigit() and len(limit) <= 2 and 1 <= int(limit) <= 50):
        errors["limit"] = ["Give a number from 1 to 50."]
    if errors:
        raise ApiProblem(422, "Invalid query parameter.", kind="validation", errors=errors)
    kinds = (kind,) if kind else search_service.KINDS
    results = search_service.search(db_session(), query, kinds=kinds, page=int(raw_page), per_page=int(limit))
    return jsonify(
        {
            "query": results.query,
            "truncated": results.truncated,
            "sections": {
                name: {
                    "total": section.total,
                    "capped": section.capped,
                    "page": section.page,
                    "pages": section.pages,
                    "hits": [
                        {
                            "kind": hit.kind,
                            "id": hit.id,
                            "title": hit.title,
                            "snippet_html": str(hit.snippet),
                            "claim_id": hit.claim_id,
                            "article_id": hit.article_id,
                            "status": hit.status.value if hit.status else None,
                        }
                        for hit in section.hits
                    ],
                }
                for name, section in results.sections.items()
            },
        }
    )


@bp.post("/extract")
def extract():
    if (request.content_length or 0) > MAX_EXTRACT_CHARS * 4 + 1024:
        raise ApiProblem(413, f"Send at most {MAX_EXTRACT_CHARS:,} characters of text.", kind="too-large")
    data = json_body()
    unknown = [name for name in data if name != "text"]
    text = data.get("text")
    errors: dict[str, list[str]] = {name: ["Unknown field."] for name in unknown}
    if not isinstance(text, str) or not text.strip():
        errors["text"] = ["Give the text to read, as a string."]
    if errors:
        raise ApiProblem(422, "The request has invalid fields.", kind="validation", errors=errors)
    if len(text) > MAX_EXTRACT_CHARS:
        raise ApiProblem(413, f"Send at most {MAX_EXTRACT_CHARS:,} characters of text.", kind="too-large")
    found = extract_claims(text)
    return jsonify(
        {
            "suggestions": [
                {
                    "quote": c.quote,
                    "span": {"start": c.span_start, "end": c.span_end},
                    "category": c.category,
                    "claimant": c.claimant,
                    "quantity": None
                    if c.quantity is None
                    else {
                        "value": number(c.quantity.value),
                        "value_max": number(c.quantity.value_max),
                        "unit": c.quantity.unit,
                        "qualifier": c.quantity.qualifier,
                    },
                    "hedged": c.hedged,
                    "hedge_note": c.hedge_note,
                    "score": round(c.score, 3),
                }
                for c in found
            ]
        }
    )


# --- writing: articles and claims ----------------------------------------------------------


@bp.post("/articles")
def create_article():
    form = validated(ArticleForm, json_body())
    (article,) = article_service.import_articles(
        db_session(), [article_draft_from(form, source="the request")], imported_by_id=_actor()
    )
    return _created_article(article)


def link_import_doc(link_import) -> dict[str, Any]:
    ready = link_import.status == "ready"
    return {
        "id": link_import.id,
        "url": link_import.url,
        "status": link_import.status,
        "error": link_import.error,
        "created_at": iso(link_import.created_at),
        "finished_at": iso(link_import.finished_at) if link_import.finished_at else None,
        "article_id": link_import.article_id,
        "draft": {
            "title": link_import.title,
            "outlet": link_import.outlet,
            "byline": link_import.byline,
            "published_on": day(link_import.published_on),
            "fetched_from": link_import.fetched_from,
            "canonical_url": link_import.canonical_url,
            "language": link_import.language,
            "fetched_at": iso(link_import.fetched_at) if link_import.fetched_at else None,
            "body": link_import.body,
            "warnings": [w for w in (link_import.warnings or "").split("\n") if w],
        }
        if ready
        else None,
    }


@bp.post("/articles/from-url")
def create_article_from_url():
    """Queue the fetch of a page for the worker: 202, and the import to poll."""
    form = validated(ArticleFromUrlForm, json_body())
    link_import = link_import_service.request_link_import(db_session(), _actor(), form.url.data)
    response = jsonify(link_import_doc(link_import))
    response.status_code = 202
    response.headers["Location"] = url_for("api.get_link_import", import_id=link_import.id)
    return response


@bp.get("/link-imports/<int:import_id>")
def get_link_import(import_id: int):
    return jsonify(link_import_doc(link_import_service.get_link_import(db_session(), _actor(), url_id(import_id))))


@bp.post("/link-imports/<int:import_id>/article")
def save_link_import(import_id: int):
    """The article from the import's stored text, with the corrections given (no second fetch)."""
    form = validated(LinkImportSaveForm, json_body(required=False))
    try:
        article = link_import_service.save_link_import(
            db_session(),
            _actor(),
            url_id(import_id),
            title=form.title.data or None,
            outlet=(form.outlet.data or "").strip() or None,
            byline=(form.byline.data or "").strip() or None,
            published_on=form.published_on.data,
        )
    except DuplicateArticle:  # 409 with the existing article's id (api._service_problem), not the 422 below
        raise
    except ArticleFormatError as exc:
        raise ApiProblem(422, exc.problem, kind="validation", errors={"title": [exc.problem]}) from None
    return _created_article(article)


@bp.post("/articles/<int:article_id>/claims")
def create_claim(article_id: int):
    form = validated(EditorNewClaimForm if _can_set_priority() else NewClaimForm, json_body())
    claim = workflow.create_claim(
        db_session(), _actor(), url_id(article_id), form.quote.data, claim_fields_from(form), occurrence=form.occurrence.data
    )
    return _claim_response(claim, 201)


@bp.patch("/claims/<int:claim_id>")
def edit_claim(claim_id: int):
    version = if_match()
    data = json_body()
    claim = claim_service.get_claim(db_session(), url_id(claim_id))
    base = claim_form_data(claim)
    base.pop("version")
    form_class = EditorClaimEditForm if _can_set_priority() else ClaimEditForm
    if "priority" in data and form_class is ClaimEditForm:
        raise ApiProblem(403, "Only editors can change a claim's priority.", kind="forbidden")
    if form_class is ClaimEditForm:
        base.pop("priority", None)
    form = validated(form_class, data, base=base, extra={"version": version})
    claim = workflow.edit_claim(db_session(), _actor(), claim_id, claim_fields_from(form), version)
    return _claim_response(claim)


def _transition(claim_id: int, form_class, call):
    """A claim action: the version from If-Match, the rest of the form from the body."""
    version = if_match()
    form = validated(form_class, json_body(required=False), extra={"version": version})
    claim = call(db_session(), _actor(), url_id(claim_id), form, version)
    return _claim_response(claim)


@bp.post("/claims/<int:claim_id>/take")
def take(claim_id: int):
    return _transition(claim_id, TakeForm, lambda s, a, c, f, v: workflow.take_claim(s, a, c, v))


@bp.post("/claims/<int:claim_id>/release")
def release(claim_id: int):
    return _transition(claim_id, ReleaseForm, lambda s, a, c, f, v: workflow.release_claim(s, a, c, v))


@bp.post("/claims/<int:claim_id>/propose")
def propose(claim_id: int):
    return _transition(
        claim_id, ProposeForm, lambda s, a, c, f, v: workflow.propose_verdict(s, a, c, f.verdict.data, f.rationale.data, v)
    )


@bp.post("/claims/<int:claim_id>/approve")
def approve(claim_id: int):
    return _transition(claim_id, ApproveForm, lambda s, a, c, f, v: workflow.approve_verdict(s, a, c, v))


@bp.post("/claims/<int:claim_id>/send-back")
def send_back(claim_id: int):
    return _transition(claim_id, SendBackForm, lambda s, a, c, f, v: workflow.send_back(s, a, c, f.comment.data, v))


@bp.post("/claims/<int:claim_id>/reopen")
def reopen(claim_id: int):
    return _transition(claim_id, ReopenForm, lambda s, a, c, f, v: workflow.reopen_claim(s, a, c, f.comment.data, v))


@bp.post("/claims/<int:claim_id>/assign")
def assign(claim_id: int):
    return _transition(
        claim_id, AssignForm, lambda s, a, c, f, v: workflow.assign_claim(s, a, c, f.assignee.data, v)
    )


@bp.post("/claims/<int:claim_id>/comments")
def comment(claim_id: int):
    form = validated(CommentForm, json_body())
    event = workflow.add_comment(db_session(), _actor(), url_id(claim_id), form.comment.data)
    response = jsonify(event_doc(event))
    response.status_code = 201
    return response


@bp.post("/claims/<int:claim_id>/unpublish")
def unpublish(claim_id: int):
    version = if_match()
    form = validated(UnpublishForm, json_body(), extra={"version": version})
    session = db_session()
    publication = publishing.unpublish_claim(session, _actor(), url_id(claim_id), form.reason.data, version)
    response = jsonify(
        {"claim_id": publication.claim_id, "public": False, "unpublished_at": iso(publication.unpublished_at), "reason": publication.unpublish_reason}
    )
    response.headers["ETag"] = etag(claim_service.get_claim(session, claim_id).version)
    return response


@bp.post("/claims/<int:claim_id>/publish")
def publish(claim_id: int):
    version = if_match()
    form = validated(PublishForm, json_body(required=False), extra={"version": version})
    session = db_session()
    publication = publishing.publish_claim(session, _actor(), url_id(claim_id), form.update_note.data, version)
    response = jsonify(fact_check_doc(publication))
    response.headers["ETag"] = etag(claim_service.get_claim(session, claim_id).version)
    return response


# --- writing: evidence and suggestions ------------------------------------------------------


@bp.post("/claims/<int:claim_id>/evidence")
def add_evidence(claim_id: int):
    form = validated(EvidenceForm, json_body())
    item = workflow.add_evidence(db_session(), _actor(), url_id(claim_id), evidence_fields_from(form), fill_from_page=True)
    response = jsonify(evidence_doc(item))
    response.status_code = 201
    return response


def _evidence(evidence_id: int) -> Evidence:
    return workflow.get_evidence(db_session(), url_id(evidence_id))


@bp.patch("/evidence/<int:evidence_id>")
def edit_evidence(evidence_id: int):
    data = json_body()
    item = _evidence(evidence_id)
    form = validated(EvidenceForm, data, base=evidence_form_data(item))
    item = workflow.update_evidence(db_session(), _actor(), evidence_id, evidence_fields_from(form))
    return jsonify(evidence_doc(item))


@bp.delete("/evidence/<int:evidence_id>")
def remove_evidence(evidence_id: int):
    _evidence(evidence_id)
    workflow.remove_evidence(db_session(), _actor(), evidence_id)
    return "", 204


@bp.post("/suggestions/<int:suggestion_id>/accept")
def accept_suggestion(suggestion_id: int):
    data = json_body(required=False)
    session = db_session()
    candidate = candidate_service.get_candidate(session, url_id(suggestion_id))
    base = claim_fields_form_data(candidate_service.fields_from_candidate(candidate))
    form = validated(EditorAcceptCandidateForm if _can_set_priority() else AcceptCandidateForm, data, base=base)
    claim = candidate_service.accept_candidate(session, _actor(), suggestion_id, claim_fields_from(form))
    return _claim_response(claim, 201)


@bp.post("/suggestions/<int:suggestion_id>/dismiss")
def dismiss_suggestion(suggestion_id: int):
    json_body(required=False)
    candidate = candidate_service.dismiss_candidate(db_session(), _actor(), url_id(suggestion_id))
    return jsonify({"id": candidate.id, "article_id": candidate.article_id, "status": candidate.status.value})
