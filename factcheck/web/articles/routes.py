from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...services import articles as article_service
from ...services import workflow
from ...services.errors import NotFound, ValidationFailed
from ...services.permissions import Permission
from .. import db_session
from ..claims.forms import EditorNewClaimForm, NewClaimForm
from ..claims.routes import claim_fields_from
from ..forms import apply_errors

bp = Blueprint("articles", __name__, url_prefix="/articles")


@bp.get("")
def index():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    per_page = current_app.config["PER_PAGE"]
    rows, total = article_service.list_articles(db_session(), page=page, per_page=per_page)
    return render_template("articles/index.html", rows=rows, total=total, page=page, per_page=per_page)


def _new_claim_form_class():
    return EditorNewClaimForm if current_user.can(Permission.SET_PRIORITY) else NewClaimForm


# Other areas (extraction candidates) add to the article page through this hook.
_article_page_extensions = []


def article_page_extension(fn):
    _article_page_extensions.append(fn)
    return fn


def render_article_page(article_id: int, status: int = 200, **extra):
    session = db_session()
    try:
        article = article_service.get_article(session, article_id)
    except NotFound as exc:
        abort(404, exc.message)
    claims = article_service.article_claims(session, article_id)
    context = dict(
        article=article,
        claims=claims,
        claims_by_id={c.id: c for c in claims},
        spans=[(c.id, c.span_start, c.span_end) for c in claims],
        new_claim_form=extra.pop("new_claim_form", None) or _new_claim_form_class()(formdata=None),
    )
    for fn in _article_page_extensions:
        context.update(fn(article, context))
    context["paragraphs"] = article_service.highlight_segments(article.body, context["spans"])
    context.update(extra)
    return render_template("articles/detail.html", **context), status


@bp.get("/<int:article_id>")
def detail(article_id: int):
    return render_article_page(article_id)


@bp.post("/<int:article_id>/claims")
def create_claim(article_id: int):
    form = _new_claim_form_class()()
    if form.validate_on_submit():
        try:
            claim = workflow.create_claim(
                db_session(),
                current_user.id,
                article_id,
                form.quote.data,
                claim_fields_from(form),
                occurrence=form.occurrence.data,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except NotFound as exc:
            abort(404, exc.message)
        else:
            flash(f"Claim #{claim.id} created.", "success")
            return redirect(url_for("claims.detail", claim_id=claim.id), code=303)
    return render_article_page(article_id, 422, new_claim_form=form)
