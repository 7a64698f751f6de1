from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ...services import articles as article_service
from ...services.errors import NotFound
from .. import db_session

bp = Blueprint("articles", __name__, url_prefix="/articles")


@bp.get("")
def index():
    page = request.args.get("page", 1, type=int) or 1
    per_page = current_app.config["PER_PAGE"]
    rows, total = article_service.list_articles(db_session(), page=page, per_page=per_page)
    return render_template(
        "articles/index.html", rows=rows, total=total, page=page, per_page=per_page
    )


@bp.get("/<int:article_id>")
def detail(article_id: int):
    session = db_session()
    try:
        article = article_service.get_article(session, article_id)
    except NotFound as exc:
        abort(404, exc.message)
    claims = article_service.article_claims(session, article_id)
    paragraphs = article_service.highlight_segments(
        article.body, [(c.id, c.span_start, c.span_end) for c in claims]
    )
    return render_template(
        "articles/detail.html",
        article=article,
        claims=claims,
        claims_by_id={c.id: c for c in claims},
        paragraphs=paragraphs,
    )
