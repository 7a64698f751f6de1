from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from ...models import Category, ClaimStatus
from ...services import claims as claim_service
from ...services.errors import NotFound
from .. import db_session

bp = Blueprint("claims", __name__)


@bp.get("/")
def home():
    return redirect(url_for("claims.index"))


def _enum_arg(enum_class, name):
    raw = request.args.get(name) or None
    try:
        return enum_class(raw) if raw else None
    except ValueError:
        return None


@bp.get("/claims")
def index():
    query = claim_service.ClaimQuery(
        status=_enum_arg(ClaimStatus, "status"),
        category=_enum_arg(Category, "category"),
        article_id=request.args.get("article", type=int),
        page=request.args.get("page", 1, type=int) or 1,
        per_page=current_app.config["PER_PAGE"],
    )
    result = claim_service.list_claims(db_session(), query)
    return render_template("claims/index.html", result=result, query=query)


@bp.get("/claims/<int:claim_id>")
def detail(claim_id: int):
    session = db_session()
    try:
        claim = claim_service.get_claim(session, claim_id)
    except NotFound as exc:
        abort(404, exc.message)
    return render_template(
        "claims/detail.html",
        claim=claim,
        evidence=claim_service.claim_evidence(session, claim_id),
        history=claim_service.claim_history(session, claim_id),
    )
