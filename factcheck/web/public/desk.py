"""Publish and Unpublish on the claim page (logged-in editors; the rules are in services/publishing.py)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from ...services import publishing
from ...services.permissions import Permission
from .. import db_session
from ..claims.routes import _run_action, claim_page_extension
from ..filters import absolute_url
from ..reads import FRESH_ARG, fresh_token
from .forms import PublishForm, UnpublishForm

bp = Blueprint("publishing", __name__)


@claim_page_extension
def _publish_section(claim) -> dict:
    """The claim page's publishing panel: state for everyone, forms for editors."""
    publication = publishing.publication_of(db_session(), claim.id)
    context: dict = {
        "claim_aside_partials": ["public/_claim_publish.html"],
        "publication": publication,
        "publication_url": (
            absolute_url("public.fact_check", claim_id=claim.id, slug=publication.slug, **_fresh())
            if publication is not None and publication.is_public
            else None
        ),
    }
    if current_user.can(Permission.PUBLISH):
        version = {"version": claim.version}
        can_publish = publishing.publish_problem(claim, publication) is None
        context["publish_form"] = PublishForm(formdata=None, data=version) if can_publish else None
        context["unpublish_form"] = (
            UnpublishForm(formdata=None, data=version) if publication is not None and publication.is_public else None
        )
    return context


def _fresh() -> dict:
    """Right after this editor's write, the public link reads from the primary (web/reads.py)."""
    token = fresh_token()
    return {FRESH_ARG: token} if token else {}


@bp.post("/claims/<int:claim_id>/publish")
def publish(claim_id: int):
    form = PublishForm()
    return _run_action(
        claim_id,
        form,
        "publish_form",
        lambda: publishing.publish_claim(
            db_session(), current_user.id, claim_id, form.update_note.data, form.version.data
        ),
        lambda publication: (
            "Published: the fact check is on its public page."
            if publication.version == 1
            else "Published again: the public page shows this version and your note."
        ),
        anchor="publishing",
    )


@bp.post("/claims/<int:claim_id>/unpublish")
def unpublish(claim_id: int):
    form = UnpublishForm()
    return _run_action(
        claim_id,
        form,
        "unpublish_form",
        lambda: publishing.unpublish_claim(db_session(), current_user.id, claim_id, form.reason.data, form.version.data),
        "Unpublished: the public page is gone; the reason is in the history.",
        anchor="publishing",
    )
