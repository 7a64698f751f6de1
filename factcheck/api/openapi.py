"""The OpenAPI 3.1 document of /api/v1, kept beside the views it describes.

tests/test_api_openapi.py validates it with openapi-spec-validator and checks
that every URL rule under /api/v1 is documented here and every operation here
has a rule: a route added without its entry (or the reverse) fails the suite.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..models import Category, ClaimStatus, Stance, Verdict
from ..services.search import KINDS

ERRORS = ("400", "401", "403", "404", "405", "409", "412", "413", "415", "422", "428", "429")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _string(**more) -> dict:
    return {"type": "string", **more}


TIME = _string(format="date-time", description="ISO 8601, UTC, with a Z")
NTIME = _nullable(TIME)
DAY = _nullable(_string(format="date"))
NSTRING = _nullable(_string())

PERSON = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "username": _string(), "display_name": _string()},
    "required": ["id", "display_name"],
}
QUANTITY = _nullable(
    {
        "type": "object",
        "properties": {
            "value": {"type": "number"},
            "value_max": _nullable({"type": "number"}),
            "unit": NSTRING,
            "qualifier": NSTRING,
        },
        "required": ["value"],
    }
)
SPAN = {"type": "object", "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}}, "required": ["start", "end"]}

CLAIM_FIELDS = {
    "statement": _string(maxLength=10_000),
    "category": _string(enum=[c.value for c in Category]),
    "claimant": NSTRING,
    "quantity_value": _nullable({"type": ["string", "number"]}),
    "quantity_unit": NSTRING,
    "quantity_qualifier": NSTRING,
    "hedged": {"type": "boolean"},
    "hedge_note": NSTRING,
    "priority": {"type": ["string", "integer"], "description": "editors only"},
}

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details (application/problem+json)",
        "properties": {
            "type": _string(format="uri"),
            "title": _string(),
            "status": {"type": "integer"},
            "detail": _string(),
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": _string()},
                "description": "validation problems by field ('_' for the request as a whole)",
            },
            "request_id": _string(),
        },
        "required": ["type", "title", "status"],
    },
    "ClaimSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "article_id": {"type": "integer"},
            "article_title": _string(),
            "quote": _string(),
            "statement": _string(),
            "category": _string(),
            "claimant": NSTRING,
            "quantity": QUANTITY,
            "hedged": {"type": "boolean"},
            "status": _string(enum=[s.value for s in ClaimStatus]),
            "verdict": _nullable(_string(enum=[v.value for v in Verdict])),
            "priority": {"type": "integer"},
            "assignee": _nullable(PERSON),
            "created_at": TIME,
            "version": {"type": "integer"},
        },
        "required": ["id", "status", "version"],
    },
    "Claim": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "article_id": {"type": "integer"},
            "quote": _string(),
            "span": SPAN,
            "statement": _string(),
            "category": _string(enum=[c.value for c in Category]),
            "claimant": NSTRING,
            "quantity": QUANTITY,
            "hedged": {"type": "boolean"},
            "hedge_note": NSTRING,
            "status": _string(enum=[s.value for s in ClaimStatus]),
            "verdict": _nullable(_string(enum=[v.value for v in Verdict])),
            "rationale": NSTRING,
            "priority": {"type": "integer"},
            "assignee": _nullable(PERSON),
            "proposed_by": _nullable(PERSON),
            "approved_by": _nullable(PERSON),
            "created_at": TIME,
            "updated_at": TIME,
            "proposed_at": NTIME,
            "verified_at": NTIME,
            "version": {"type": "integer", "description": "also the ETag; send it back in If-Match"},
        },
        "required": ["id", "article_id", "quote", "statement", "status", "version"],
    },
    "ClaimDetail": {
        "allOf": [
            _ref("Claim"),
            {
                "type": "object",
                "properties": {
                    "evidence": {"type": "array", "items": _ref("Evidence")},
                    "links": {"type": "array", "items": {"type": "object"}},
                    "history": {"type": "array", "items": _ref("Event")},
                    "history_complete": {"type": "boolean"},
                    "history_prev_cursor": NSTRING,
                    "publication": _nullable({"type": "object"}),
                },
            },
        ]
    },
    "Evidence": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "claim_id": {"type": "integer"},
            "url": _string(format="uri"),
            "title": _string(),
            "publisher": NSTRING,
            "stance": _string(enum=[s.value for s in Stance]),
            "archive_url": NSTRING,
            "accessed_on": DAY,
            "published_on": DAY,
            "note": NSTRING,
            "details_status": _nullable(_string(enum=["pending", "filled", "failed"])),
            "details_error": NSTRING,
            "added_by_id": _nullable({"type": "integer"}),
            "created_at": TIME,
            "updated_at": TIME,
        },
        "required": ["id", "claim_id", "url", "title", "stance"],
    },
    "Event": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "action": _string(),
            "actor": _nullable(PERSON),
            "from_status": NSTRING,
            "to_status": NSTRING,
            "comment": NSTRING,
            "details": {"type": "object"},
            "claim_version": _nullable({"type": "integer"}),
            "created_at": TIME,
        },
    },
    "Suggestion": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "quote": _string(),
            "span": SPAN,
            "category": _string(),
            "claimant": NSTRING,
            "quantity": QUANTITY,
            "hedged": {"type": "boolean"},
            "score": {"type": "number"},
        },
    },
    "ArticleSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": _string(),
            "outlet": NSTRING,
            "published_on": DAY,
            "claim_count": {"type": "integer"},
            "verified_count": {"type": "integer"},
        },
    },
    "Article": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": _string(),
            "outlet": NSTRING,
            "byline": NSTRING,
            "url": NSTRING,
            "published_on": DAY,
            "imported_at": TIME,
            "canonical_url": NSTRING,
            "fetched_from": NSTRING,
            "fetched_at": _nullable(TIME),
            "language": NSTRING,
            "body": _string(),
            "warnings": {"type": "array", "items": _string()},
            "claims": {"type": "array", "items": _ref("Claim")},
            "suggestions": {"type": "array", "items": _ref("Suggestion")},
        },
    },
    "LinkImport": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "url": _string(format="uri"),
            "status": _string(enum=["pending", "ready", "failed"]),
            "error": NSTRING,
            "created_at": TIME,
            "finished_at": NTIME,
            "article_id": _nullable({"type": "integer"}),
            "draft": _nullable(
                {
                    "type": "object",
                    "description": "what was extracted, once ready; body exactly as it will be stored",
                    "properties": {
                        "title": NSTRING, "outlet": NSTRING, "byline": NSTRING, "published_on": DAY,
                        "fetched_from": NSTRING, "canonical_url": NSTRING, "language": NSTRING,
                        "fetched_at": NTIME, "body": _string(), "warnings": {"type": "array", "items": _string()},
                    },
                }
            ),
        },
    },
    "FactCheck": {
        "type": "object",
        "properties": {
            "claim_id": {"type": "integer"},
            "url": _string(format="uri"),
            "statement": _string(),
            "verdict": _string(enum=[v.value for v in Verdict]),
            "rationale": _string(),
            "evidence": {"type": "array", "items": {"type": "object"}},
            "published_at": TIME,
            "updated_at": NTIME,
            "version": {"type": "integer"},
            "claim_review": {"type": "object", "description": "schema.org ClaimReview (JSON-LD)"},
        },
    },
}


def _page_of(item: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": _ref(item)},
            "next_cursor": NSTRING,
            "prev_cursor": NSTRING,
            "total": {"type": "integer"},
        },
        "required": ["data", "next_cursor", "prev_cursor"],
    }


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _body(properties: dict, required: list[str] | None = None, optional_body: bool = False) -> dict:
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return {"required": not optional_body, "content": _json(schema)}


def _param(name: str, where: str = "query", schema: dict | None = None, description: str = "", required: bool = False) -> dict:
    out = {"name": name, "in": where, "required": required or where == "path", "schema": schema or _string()}
    if description:
        out["description"] = description
    return out


CURSOR = _param("cursor", description="opaque; from next_cursor / prev_cursor of the previous page")
LIMIT = _param("limit", schema={"type": "integer", "minimum": 1, "maximum": 100, "default": 50})
IF_MATCH = _param("If-Match", "header", description='the claim\'s ETag as read, e.g. "3"; 428 without it, 412 when stale', required=True)


def _op(
    summary: str,
    ok: str,
    schema: dict | None = None,
    *,
    params: list | None = None,
    body: dict | None = None,
    tag: str,
    write: bool = False,
    etag: bool = False,
    description: str | None = None,
) -> dict:
    success: dict[str, Any] = {"description": summary}
    if schema is not None:
        success["content"] = _json(schema)
    if etag:
        success["headers"] = {"ETag": {"schema": _string(), "description": "the claim's version"}}
    responses = {ok: success}
    for code in ERRORS:
        responses[code] = {"$ref": f"#/components/responses/Problem{code}"}
    op: dict[str, Any] = {"summary": summary, "tags": [tag], "responses": responses}
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = body
    if write:
        op["description"] = "Needs a write token (a read token gets 403)."
    if description:
        op["description"] = description
    return op


def _id(name: str) -> dict:
    return _param(name, "path", {"type": "integer", "minimum": 1})


def _claim_action(summary: str, properties: dict | None = None, required: list[str] | None = None) -> dict:
    return {
        "post": _op(
            summary, "200", _ref("Claim"), tag="workflow", write=True, etag=True,
            params=[_id("claim_id"), IF_MATCH],
            body=_body(properties or {}, required, optional_body=not required),
        )
    }


EVIDENCE_FIELDS = {
    "url": _string(format="uri"),
    "title": _nullable(_string(maxLength=300)),  # blank: filled in from the page (details_status); the link until then
    "publisher": NSTRING,
    "stance": _string(enum=[s.value for s in Stance]),
    "archive_url": NSTRING,
    "accessed_on": DAY,
    "published_on": DAY,
    "note": NSTRING,
}

PATHS: dict[str, Any] = {
    "/openapi.json": {"get": {**_op("This document (no token needed)", "200", {"type": "object"}, tag="meta"), "security": []}},
    "/articles": {
        "get": _op("Articles, newest first", "200", _page_of("ArticleSummary"), params=[CURSOR, LIMIT], tag="articles"),
        "post": _op(
            "Import an article from text (suggestions are extracted and stored)", "201", _ref("Article"), tag="articles",
            write=True,
            body=_body(
                {
                    "title": _string(), "body": _string(), "outlet": NSTRING, "byline": NSTRING,
                    "url": NSTRING, "published_on": DAY,
                },
                ["title", "body"],
            ),
        ),
    },
    "/articles/from-url": {
        "post": _op(
            "Import an article from a link: the worker fetches the page (no private addresses unless allowed) and "
            "extracts its main text and metadata; poll the import (Location) until it is ready, then save it",
            "202", _ref("LinkImport"), tag="articles", write=True,
            body=_body({"url": _string(format="uri")}, ["url"]),
        ),
    },
    "/link-imports/{import_id}": {
        "get": _op(
            "An import from a link (yours, or any for editors): pending, ready with its extracted draft, or failed with why",
            "200", _ref("LinkImport"), params=[_id("import_id")], tag="articles",
        )
    },
    "/link-imports/{import_id}/article": {
        "post": _op(
            "Save a ready import as an article, from the text the worker stored (the page is not fetched again); "
            "title, outlet, byline and published_on correct the extracted ones; 409 with existing_article_id for a duplicate",
            "201", _ref("Article"), tag="articles", write=True, params=[_id("import_id")],
            body=_body({"title": NSTRING, "outlet": NSTRING, "byline": NSTRING, "published_on": DAY}, optional_body=True),
        )
    },
    "/articles/{article_id}": {
        "get": _op("An article with its claims and pending suggestions", "200", _ref("Article"), params=[_id("article_id")], tag="articles")
    },
    "/articles/{article_id}/claims": {
        "post": _op(
            "Create a claim from the article's exact words", "201", _ref("Claim"), tag="claims", write=True, etag=True,
            params=[_id("article_id")],
            body=_body({**CLAIM_FIELDS, "quote": _string(), "occurrence": _nullable({"type": ["integer", "string"]})}, ["quote", "statement", "category"]),
        )
    },
    "/claims": {
        "get": _op(
            "Claims, with the queue's filters", "200", _page_of("ClaimSummary"), tag="claims",
            params=[
                _param("status", schema=_string(enum=[s.value for s in ClaimStatus] + ["open"])),
                _param("verdict", schema=_string(enum=[v.value for v in Verdict])),
                _param("category", schema=_string(enum=[c.value for c in Category])),
                _param("assignee", description="mine, unassigned, or a user id"),
                _param("hedged", schema=_string(enum=["yes", "no"])),
                _param("article", schema={"type": "integer"}),
                *[_param(name, schema=_string(format="date")) for name in (
                    "created_from", "created_to", "verified_from", "verified_to", "proposed_from", "proposed_to",
                )],
                _param("proposed_by", schema={"type": "integer"}),
                _param("approved_by", schema={"type": "integer"}),
                _param("sort", schema=_string(enum=["priority", "oldest", "newest"])),
                CURSOR,
                LIMIT,
            ],
        )
    },
    "/claims/{claim_id}": {
        "get": _op("A claim with its evidence, links and latest history", "200", _ref("ClaimDetail"), params=[_id("claim_id")], tag="claims", etag=True),
        "patch": _op(
            "Edit a claim's fields (only those sent change)", "200", _ref("Claim"), tag="claims", write=True, etag=True,
            params=[_id("claim_id"), IF_MATCH], body=_body(CLAIM_FIELDS),
        ),
    },
    "/claims/{claim_id}/history": {
        "get": _op(
            "The claim's history, oldest first; without a cursor the latest page (prev_cursor goes back)", "200",
            _page_of("Event"), params=[_id("claim_id"), CURSOR, LIMIT], tag="claims",
        )
    },
    "/claims/{claim_id}/take": _claim_action("Take the claim (it becomes yours, in review)"),
    "/claims/{claim_id}/release": _claim_action("Give the claim back to the queue"),
    "/claims/{claim_id}/propose": _claim_action(
        "Propose a verdict", {"verdict": _string(enum=[v.value for v in Verdict]), "rationale": _string()}, ["verdict", "rationale"]
    ),
    "/claims/{claim_id}/approve": _claim_action("Approve the proposed verdict (editors; not your own proposal)"),
    "/claims/{claim_id}/send-back": _claim_action("Send the verdict back to review (editors)", {"comment": _string()}, ["comment"]),
    "/claims/{claim_id}/reopen": _claim_action("Reopen a verified claim (editors)", {"comment": _string()}, ["comment"]),
    "/claims/{claim_id}/assign": _claim_action(
        "Assign the claim to a user (editors)", {"assignee": {"type": ["integer", "string"], "description": "a user id"}}, ["assignee"]
    ),
    "/claims/{claim_id}/comments": {
        "post": _op(
            "Comment on the claim (goes into its history)", "201", _ref("Event"), tag="workflow", write=True,
            params=[_id("claim_id")], body=_body({"comment": _string(maxLength=10_000)}, ["comment"]),
        )
    },
    "/claims/{claim_id}/unpublish": {
        "post": _op(
            "Take the claim's fact check off the public pages (editors)", "200",
            {"type": "object", "properties": {"claim_id": {"type": "integer"}, "public": {"type": "boolean"},
                                              "unpublished_at": TIME, "reason": _string()}},
            tag="workflow", write=True, etag=True, params=[_id("claim_id"), IF_MATCH],
            body=_body({"reason": _string()}, ["reason"]),
        )
    },
    "/claims/{claim_id}/publish": {
        "post": _op(
            "Publish the claim's fact check (editors)", "200", _ref("FactCheck"), tag="workflow", write=True, etag=True,
            params=[_id("claim_id"), IF_MATCH], body=_body({"update_note": NSTRING}, optional_body=True),
        )
    },
    "/claims/{claim_id}/evidence": {
        "post": _op(
            "Add evidence", "201", _ref("Evidence"), tag="evidence", write=True, params=[_id("claim_id")],
            body=_body(EVIDENCE_FIELDS, ["url"]),
        )
    },
    "/evidence/{evidence_id}": {
        "patch": _op(
            "Edit evidence (only the fields sent change)", "200", _ref("Evidence"), tag="evidence", write=True,
            params=[_id("evidence_id")], body=_body(EVIDENCE_FIELDS),
        ),
        "delete": _op("Remove evidence (the history keeps it; the web can restore it)", "204", tag="evidence", write=True, params=[_id("evidence_id")]),
    },
    "/suggestions/{suggestion_id}/accept": {
        "post": _op(
            "Make a suggestion a claim (fields sent replace the suggestion's)", "201", _ref("Claim"), tag="suggestions",
            write=True, etag=True, params=[_id("suggestion_id")], body=_body(CLAIM_FIELDS, optional_body=True),
        )
    },
    "/suggestions/{suggestion_id}/dismiss": {
        "post": _op(
            "Dismiss a suggestion", "200",
            {"type": "object", "properties": {"id": {"type": "integer"}, "article_id": {"type": "integer"}, "status": _string()}},
            tag="suggestions", write=True, params=[_id("suggestion_id")],
        )
    },
    "/fact-checks": {
        "get": _op("Published fact checks, newest first", "200", _page_of("FactCheck"), params=[CURSOR, LIMIT], tag="fact checks")
    },
    "/fact-checks/{claim_id}": {
        "get": _op("One published fact check", "200", _ref("FactCheck"), params=[_id("claim_id")], tag="fact checks")
    },
    "/search": {
        "get": _op(
            "Search claims, evidence and articles (ranked; numbered pages)", "200", {"type": "object"}, tag="search",
            params=[
                _param("q", required=True),
                _param("kind", schema=_string(enum=list(KINDS))),
                _param("page", schema={"type": "integer", "minimum": 1, "maximum": 100}),
                _param("limit", schema={"type": "integer", "minimum": 1, "maximum": 50}),
            ],
        )
    },
    "/extract": {
        "post": _op(
            "Suggest claims in a text (nothing is stored)", "200",
            {"type": "object", "properties": {"suggestions": {"type": "array", "items": {"type": "object"}}}},
            tag="extraction", body=_body({"text": _string(maxLength=200_000)}, ["text"]),
            description="A read token may call it: it stores nothing.",
        )
    },
}

_PROBLEMS = {
    "400": "Malformed request (body not JSON, bad cursor, bad If-Match)",
    "401": "No token, or a token that is unknown, revoked or expired",
    "403": "The token's user may not do this, or the token is read-only",
    "404": "No such resource or path",
    "405": "Method not allowed on this path",
    "409": "Not possible in the current state",
    "412": "If-Match names an older version of the claim",
    "413": "Request too large",
    "415": "The body is not application/json",
    "422": "Invalid fields (see errors)",
    "428": "If-Match is required",
    "429": "Rate limit reached (see Retry-After)",
}


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Claim Tracker API",
            "version": "1",
            "description": (
                "The fact-check desk's JSON API. Authenticate with a personal access token "
                "(account page, or `factcheck token create`): Authorization: Bearer fct_…. "
                "Errors are application/problem+json (RFC 9457). Lists page by opaque cursor."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "a personal access token, fct_…"}},
            "schemas": SCHEMAS,
            "responses": {
                f"Problem{code}": {
                    "description": text,
                    "content": {"application/problem+json": {"schema": _ref("Problem")}},
                }
                for code, text in _PROBLEMS.items()
            },
        },
    }
