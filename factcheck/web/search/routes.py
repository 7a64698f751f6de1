"""Search, the alias table, and links between claims."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from ...services import aliases as alias_service
from ...services import related as related_service
from ...services import search as search_service
from ...services.errors import InvalidTransition, NotFound, ValidationFailed
from ...services.permissions import Permission, require
from ...services.users import active_user
from .. import db_session
from ..claims.routes import claim_page_extension, queue_query_from, render_claim_page
from ..forms import apply_errors, page_number
from ..reads import replica_reads
from . import related_html
from .forms import AliasGroupForm, ButtonForm, DeleteAliasGroupForm, LinkForm

bp = Blueprint("search", __name__)


@bp.get("/search")
@replica_reads
def search():
    session = db_session()
    form, claim_query = queue_query_from(request.args)
    kind = request.args.get("kind")
    kinds = (kind,) if kind in search_service.KINDS else search_service.KINDS
    page = page_number(request.args) if len(kinds) == 1 else 1
    results = search_service.search(
        session,
        request.args.get("q"),
        kinds=kinds,
        claim_filters=claim_query,
        page=page,
        per_page=20 if len(kinds) == 1 else 5,
    )
    return render_template(
        "search/results.html",
        results=results,
        form=form,
        kind=kind if len(kinds) == 1 else None,
        max_terms=search_service.MAX_TERMS,
        max_query=search_service.MAX_QUERY,
    )


# --- aliases ------------------------------------------------------------------


def _aliases_page(form: AliasGroupForm, status: int = 200, editing=None):
    session = db_session()
    require(active_user(session, current_user.id), Permission.EDIT_ALIASES)
    return (
        render_template(
            "aliases/index.html",
            groups=alias_service.list_groups(session),
            form=form,
            editing=editing,
            delete_form=DeleteAliasGroupForm(formdata=None),
        ),
        status,
    )


@bp.get("/aliases")
def aliases():
    return _aliases_page(AliasGroupForm(formdata=None))


@bp.post("/aliases")
def create_alias_group():
    form = AliasGroupForm()
    if form.validate_on_submit():
        try:
            group = alias_service.save_group(
                db_session(), current_user.id, None, form.name.data, form.term_list(), form.note.data
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            flash(f"Alias group “{group.name}” saved.", "success")
            return redirect(url_for("search.aliases"))
    return _aliases_page(form, 422)


@bp.route("/aliases/<int:group_id>/edit", methods=["GET", "POST"])
def edit_alias_group(group_id: int):
    session = db_session()
    group = next((g for g in alias_service.list_groups(session) if g.id == group_id), None)
    if group is None:
        abort(404, f"No alias group #{group_id}.")
    if request.method == "GET":
        form = AliasGroupForm(
            formdata=None,
            data={"name": group.name, "terms": "\n".join(a.term for a in group.aliases if a.term != group.name), "note": group.note},
        )
        return _aliases_page(form, editing=group)
    form = AliasGroupForm()
    if form.validate_on_submit():
        try:
            alias_service.save_group(session, current_user.id, group_id, form.name.data, form.term_list(), form.note.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            flash("Alias group saved.", "success")
            return redirect(url_for("search.aliases"))
    return _aliases_page(form, 422, editing=group)


@bp.post("/aliases/<int:group_id>/delete")
def delete_alias_group(group_id: int):
    if not DeleteAliasGroupForm().validate_on_submit():
        abort(400)
    alias_service.delete_group(db_session(), current_user.id, group_id)
    flash("Alias group deleted.", "success")
    return redirect(url_for("search.aliases"))


# --- links between claims ------------------------------------------------------------


@claim_page_extension
def _related_section(claim) -> dict:
    session = db_session()
    # The account this request loaded (active, this session's version) is the actor,
    # as for the rest of the claim page: not read again.
    actor = current_user._get_current_object()
    links = related_service.page_links(session, claim.id)
    # The claim and its links as the page read them, not read again.
    suggestions = related_service.related_claims(
        session, claim.id, links=links, claim=claim, aliases=related_service.page_alias_index(session)
    )
    # The rows are written in Python (related_html.py): their one-button forms through
    # WTForms cost more than the rest of the section.
    paths = {"claims_path": str(escape(url_for("claims.index"))), "links_path": str(escape(url_for("search.link", claim_id=claim.id)))}
    can_link, token = current_user.can(Permission.LINK_CLAIMS), generate_csrf()
    return {
        "claim_partials": ["search/_related.html"],
        "links": links,
        "links_html": related_html.link_rows(
            links,
            claim=claim,
            article_title=claim.article.title,
            reuse_prefix=str(escape(url_for("search.reuse", claim_id=claim.id, source_id=0).removesuffix("0"))),
            conflicts={other.id for _, other in links if related_service.figures_conflict(claim, other)},
            can_reuse=lambda link, other: related_service.can_reuse(actor, claim, other, link),
            can_link=can_link,
            figure=related_service.figure,
            token=token,
            **paths,
        ),
        "suggestions": suggestions,
        "suggestions_html": related_html.suggestion_rows(suggestions, can_link=can_link, token=token, **paths),
        # The blank link form is written in Python too; a form redisplayed with the
        # user's input and errors (render_claim_page's link_form) goes through the template.
        "link_form": None,
        "link_panel_html": related_html.link_panel(token=token, links_path=paths["links_path"]) if can_link else "",
    }


@bp.post("/claims/<int:claim_id>/links")
def link(claim_id: int):
    form = LinkForm()
    if not form.validate_on_submit():
        return render_claim_page(claim_id, 422, link_form=form)
    try:
        related_service.link_claims(
            db_session(), current_user.id, claim_id, form.other.data, form.kind.data, form.note.data
        )
    except ValidationFailed as exc:
        apply_errors(form, exc)
        return render_claim_page(claim_id, 422, link_form=form)
    except NotFound as exc:
        form.other.errors = [exc.message]
        return render_claim_page(claim_id, 422, link_form=form)
    except InvalidTransition as exc:
        flash(exc.message, "error")
    else:
        flash(f"Linked with claim #{form.other.data}.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id, _anchor="related"), code=303)


@bp.post("/claims/<int:claim_id>/links/<int:link_id>/delete")
def unlink(claim_id: int, link_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    related_service.unlink_claims(db_session(), current_user.id, claim_id, link_id)
    flash("Link removed.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id, _anchor="related"), code=303)


@bp.post("/claims/<int:claim_id>/reuse/<int:source_id>")
def reuse(claim_id: int, source_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        related_service.reuse_verdict(db_session(), current_user.id, claim_id, source_id)
    except (InvalidTransition, ValidationFailed) as exc:
        flash(exc.message, "error")
    else:
        flash(f"Claim #{source_id}'s verdict, rationale and evidence are proposed here; an editor must approve.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id), code=303)
