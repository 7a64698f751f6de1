from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...services import articles as article_service
from ...services import candidates as candidate_service
from ...services import link_imports as link_import_service
from ...services import workflow
from ...services.errors import ArticleFormatError, DuplicateArticle, InvalidTransition, NotFound, ValidationFailed
from ...services.permissions import Permission
from .. import db_session
from ..claims.forms import EditorNewClaimForm, NewClaimForm
from ..claims.routes import claim_fields_form_data, claim_fields_from
from ..forms import apply_errors
from .forms import (
    AcceptCandidateForm,
    ArticleForm,
    DismissForm,
    EditorAcceptCandidateForm,
    ImportLinkForm,
    ImportReviewForm,
    RestoreForm,
    TriageForm,
)
from .highlight import body_html
from .suggestions import BANDS, SHOWN_FROM, band, by_check_worthiness, suggestion_rows_html

bp = Blueprint("articles", __name__, url_prefix="/articles")


@bp.get("")
def index():
    """Articles, newest first, paged by cursor (?cursor=...)."""
    args = request.args
    if any(name in args for name in ("page", "after", "before", "last")):  # links from before cursor paging
        flash("Pages are found differently now, so that link opens the newest articles. Use Older and Oldest to move on.", "warning")
        return redirect(url_for("articles.index"))
    page = article_service.list_articles(db_session(), cursor=args.get("cursor"), per_page=current_app.config["PER_PAGE"])
    return render_template("articles/index.html", page=page)


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
    claims_by_id = {c.id: c for c in claims}
    context = dict(
        article=article,
        claims=claims,
        claims_by_id=claims_by_id,
        spans=[(c.id, c.span_start, c.span_end) for c in claims],
        suggestion_spans=[],
        new_claim_form=extra.pop("new_claim_form", None) or _new_claim_form_class()(formdata=None),
    )
    for fn in _article_page_extensions:
        context.update(fn(article, context))
    paragraphs = article_service.iter_paragraphs(article.body, context["spans"], context["suggestion_spans"])
    context["body_html"] = body_html(paragraphs, claims_by_id)
    context.update(extra)
    return render_template("articles/detail.html", **context), status


@article_page_extension
def _candidates(article, context) -> dict:
    session = db_session()
    pending = candidate_service.pending_for_page(session, article.id)  # in text order, for the marks
    shown, more = by_check_worthiness(pending)
    dismissed, dismissed_total = candidate_service.dismissed_for_page(session, article.id)
    return {
        "candidates": pending,
        "suggestions_shown": shown,
        "suggestions_more": more,
        "score_bands": BANDS,
        # ?more=1 (where dismissing a lower-scored one leads) opens "Show N more suggestions".
        "more_open": request.args.get("more") == "1",
        "suggestion_spans": [(f"c{c.id}", c.span_start, c.span_end) for c in pending],
        "dismiss_form": DismissForm(formdata=None),
        "triage_form": TriageForm(formdata=None),
        "restore_form": RestoreForm(formdata=None),
        "dismissed": dismissed,
        "dismissed_total": dismissed_total,
        "suggestions_html": suggestion_rows_html,
    }


@bp.get("/<int:article_id>")
def detail(article_id: int):
    return render_article_page(article_id)


def article_draft_from(form: ArticleForm, source: str = "the form") -> article_service.ArticleDraft:
    """The service's input from a validated article form (the page and the API share it)."""
    title = " ".join(form.title.data.split())  # one line, whatever was pasted
    text = article_service.front_matter_free_text(title=title, body=form.body.data)
    return article_service.ArticleDraft(
        title=title,
        body=text,
        outlet=(form.outlet.data or "").strip() or None,
        byline=(form.byline.data or "").strip() or None,
        url=(form.url.data or "").strip() or None,
        published_on=form.published_on.data,
        source=source,
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ArticleForm()
    if form.validate_on_submit():
        try:
            draft = article_draft_from(form)
            (article,) = article_service.import_articles(db_session(), [draft], imported_by_id=current_user.id)
        except (DuplicateArticle, ArticleFormatError) as exc:
            form.body.errors = [exc.problem[:1].upper() + exc.problem[1:]]  # not capitalize(): it lower-cases the headline
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            count = candidate_service.pending_count(db_session(), article.id)
            flash(f"Article added; the tracker suggests {count} claim{'s' if count != 1 else ''} to check.", "success")
            return redirect(url_for("articles.detail", article_id=article.id), code=303)
    status = 422 if form.errors else 200
    return render_template("articles/new.html", form=form, link_form=ImportLinkForm(formdata=None)), status


def _render_review(link_import, form: ImportReviewForm, status: int = 200, note: str | None = None):
    page = link_import_service.stored_page(link_import)
    preview = article_service.preview_page_import(db_session(), page)
    shown, more = preview.suggestions[:SUGGESTIONS_PREVIEWED], len(preview.suggestions) - SUGGESTIONS_PREVIEWED
    return render_template(
        "articles/review.html",
        link_import=link_import,
        page=page,
        form=form,
        preview=preview,
        suggestions=shown,
        more_suggestions=max(more, 0),
        note=note,
        band=band,
    ), status


SUGGESTIONS_PREVIEWED = 10


def _review_form(link_import) -> ImportReviewForm:
    return ImportReviewForm(
        formdata=None,
        data={
            "title": link_import.title or "",
            "outlet": link_import.outlet or "",
            "byline": link_import.byline or "",
            "published_on": link_import.published_on,
        },
    )


@bp.post("/from-link")
def from_link():
    """Store the link and queue its fetch for the worker; the import's page shows the result."""
    link_form = ImportLinkForm()
    if link_form.validate_on_submit():
        link_import = link_import_service.request_link_import(db_session(), current_user.id, link_form.link.data)
        return redirect(url_for("articles.link_import", import_id=link_import.id), code=303)
    return render_template("articles/new.html", form=ArticleForm(formdata=None), link_form=link_form), 422


def _own_import(import_id: int):
    try:
        return link_import_service.get_link_import(db_session(), current_user.id, import_id)
    except NotFound:
        abort(404)


# The pending page asks again by itself (static/js/import_wait.js: it changes when the
# import does, never reloads on a timer, which WCAG 2.2.1 forbids) for a minute at most
# (a fetch takes 20 s at most); after that it says the worker may not be running and
# leaves checking to the "Check again" link.
REFRESH_FOR_SECONDS = 60


@bp.get("/imports/<int:import_id>")
def link_import(import_id: int):
    """An import from a link: waiting for the worker, ready for review, or why it failed."""
    link_import = _own_import(import_id)
    if link_import.article_id is not None:
        return redirect(url_for("articles.detail", article_id=link_import.article_id), code=303)
    if link_import.status == "pending":
        waited = (datetime.now(timezone.utc) - link_import.created_at).total_seconds()
        return render_template("articles/import_pending.html", link_import=link_import, refresh=waited < REFRESH_FOR_SECONDS)
    if link_import.status == "failed":
        return _link_failed(link_import.url, link_import.error or "The page could not be fetched.", 200)
    return _render_review(link_import, _review_form(link_import))


@bp.post("/imports/<int:import_id>")
def save_link_import(import_id: int):
    """Save a reviewed import from its stored text (the page is not fetched again)."""
    link_import = _own_import(import_id)
    if link_import.status != "ready" or link_import.article_id is not None:
        return redirect(url_for("articles.link_import", import_id=import_id), code=303)
    form = ImportReviewForm()
    if not form.validate_on_submit():
        return _render_review(link_import, form, 422)
    try:
        article = link_import_service.save_link_import(
            db_session(),
            current_user.id,
            import_id,
            title=form.title.data,
            outlet=(form.outlet.data or "").strip(),
            byline=(form.byline.data or "").strip(),
            published_on=form.published_on.data,
        )
    except DuplicateArticle:  # the review page names the article it duplicates
        return _render_review(_own_import(import_id), form, 409)
    except ArticleFormatError as exc:
        form.title.errors = [exc.problem[:1].upper() + exc.problem[1:]]
        return _render_review(_own_import(import_id), form, 422)
    except ValidationFailed as exc:
        apply_errors(form, exc)
        return _render_review(_own_import(import_id), form, 422)
    count = candidate_service.pending_count(db_session(), article.id)
    flash(f"Article added from its link; the tracker suggests {count} claim{'s' if count != 1 else ''} to check.", "success")
    return redirect(url_for("articles.detail", article_id=article.id), code=303)


def _link_failed(link: str, problem: str, status: int = 422):
    link_form = ImportLinkForm(formdata=None, data={"link": link})
    link_form.link.errors = [problem]
    return render_template("articles/new.html", form=ArticleForm(formdata=None), link_form=link_form), status


def _accept_form_class():
    return EditorAcceptCandidateForm if current_user.can(Permission.SET_PRIORITY) else AcceptCandidateForm


@bp.route("/<int:article_id>/candidates/<int:candidate_id>/accept", methods=["GET", "POST"])
def accept_candidate(article_id: int, candidate_id: int):
    session = db_session()
    try:
        candidate = candidate_service.get_candidate(session, candidate_id, article_id)
    except NotFound as exc:
        abort(404, exc.message)
    form_class = _accept_form_class()
    if request.method == "GET":
        start = candidate_service.fields_from_candidate(candidate)
        form = form_class(formdata=None, data=claim_fields_form_data(start))
        return render_template("candidates/accept.html", candidate=candidate, form=form)
    form = form_class()
    if form.validate_on_submit():
        try:
            claim = candidate_service.accept_candidate(
                session, current_user.id, candidate_id, claim_fields_from(form), article_id=article_id
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except NotFound as exc:
            abort(404, exc.message)
        except InvalidTransition as exc:
            flash(exc.message, "error")
            return redirect(url_for("articles.detail", article_id=article_id), code=303)
        else:
            flash(f"Claim #{claim.id} created from the suggestion.", "success")
            return redirect(url_for("claims.detail", claim_id=claim.id), code=303)
    return render_template("candidates/accept.html", candidate=candidate, form=form), 422


@bp.post("/<int:article_id>/candidates/<int:candidate_id>/dismiss")
def dismiss_candidate(article_id: int, candidate_id: int):
    if not DismissForm().validate_on_submit():
        abort(400)
    try:
        candidate = candidate_service.dismiss_candidate(db_session(), current_user.id, candidate_id, article_id=article_id)
    except NotFound as exc:
        abort(404, exc.message)
    except InvalidTransition as exc:
        flash(exc.message, "error")
        return redirect(url_for("articles.detail", article_id=article_id), code=303)
    flash("Suggestion dismissed. It is listed under “Dismissed suggestions” if you want it back.", "success")
    if candidate.score < SHOWN_FROM:  # back to the lower-scored ones, still open, to go on with them
        return redirect(url_for("articles.detail", article_id=article_id, more=1, _anchor="more-suggestions"), code=303)
    return redirect(url_for("articles.detail", article_id=article_id, _anchor="suggested-heading"), code=303)


def _suggestions(article_id: int):
    return redirect(url_for("articles.detail", article_id=article_id, _anchor="suggested-heading"), code=303)


@bp.post("/<int:article_id>/candidates/dismiss")
def dismiss_candidates(article_id: int):
    """Dismiss every ticked suggestion, or none (one use case)."""
    form = TriageForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        flash(" ".join(form.candidate.errors), "error")
        return _suggestions(article_id)
    try:
        count = candidate_service.dismiss_candidates(db_session(), current_user.id, article_id, form.candidate.data)
    except NotFound as exc:
        abort(404, exc.message)
    except (InvalidTransition, ValidationFailed) as exc:
        flash(exc.message, "error")
        return _suggestions(article_id)
    noun = "suggestion" if count == 1 else "suggestions"
    flash(f"Dismissed {count:,} {noun}. They are listed under “Dismissed suggestions” if you want any back.", "success")
    return _suggestions(article_id)


@bp.post("/<int:article_id>/candidates/<int:candidate_id>/restore")
def restore_candidate(article_id: int, candidate_id: int):
    if not RestoreForm().validate_on_submit():
        abort(400)
    try:
        candidate = candidate_service.restore_candidate(db_session(), current_user.id, candidate_id, article_id=article_id)
    except NotFound as exc:
        abort(404, exc.message)
    except InvalidTransition as exc:
        flash(exc.message, "error")
        return _suggestions(article_id)
    flash("Suggestion restored: it is back among the suggested claims.", "success")
    more = {"more": 1} if candidate.score < SHOWN_FROM else {}  # its row is behind "Show N more": open it
    return redirect(url_for("articles.detail", article_id=article_id, _anchor=f"c{candidate_id}", **more), code=303)


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
