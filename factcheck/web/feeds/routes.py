"""Feeds (editors): the desk's subscriptions, and the incoming articles they bring."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...models import IntakeStatus
from ...services import feeds as feed_service
from ...services.errors import ValidationFailed
from .. import db_session
from ..forms import apply_errors
from .forms import BulkTriageForm, FeedActionForm, FeedForm

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


def _page(form: FeedForm, status: int = 200):
    return render_template(
        "feeds/index.html",
        feeds=feed_service.list_feeds(db_session(), current_user.id),
        form=form,
        action_form=FeedActionForm(),
    ), status


@bp.get("")
def index():
    return _page(FeedForm(formdata=None))


@bp.post("")
def subscribe():
    form = FeedForm()
    if form.validate_on_submit():
        try:
            # No fetch here (no web request waits on another site): the worker's first poll
            # reads the feed, names it, or records why it could not, on this page.
            feed = feed_service.subscribe(db_session(), current_user.id, form.url.data, check=False)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            flash(
                f"Subscribed to {feed.url}. A worker reads it in a moment: its title, or why it could not be read, "
                "shows below; new articles show under Incoming.",
                "success",
            )
            return redirect(url_for("feeds.index"), code=303)
    return _page(form, 422)


@bp.post("/<int:feed_id>/remove")
def remove(feed_id: int):
    if not FeedActionForm().validate_on_submit():
        abort(400, "The form was incomplete; reload the page and try again.")
    removed = feed_service.unsubscribe(db_session(), current_user.id, feed_id)
    flash(f"Unsubscribed from {removed.title!r}; the articles it brought stay.", "success")
    return redirect(url_for("feeds.index"), code=303)


@bp.get("/incoming")
def incoming():
    page = feed_service.list_incoming(
        db_session(), current_user.id, cursor=request.args.get("cursor"), per_page=current_app.config["PER_PAGE"]
    )
    return render_template("feeds/incoming.html", page=page, form=BulkTriageForm(formdata=None))


_ACTIONS = {"keep": (IntakeStatus.KEPT, "Kept"), "discard": (IntakeStatus.DISCARDED, "Discarded")}


@bp.post("/incoming/<int:article_id>/<any(keep, discard):action>")
def triage_one(article_id: int, action: str):
    if not FeedActionForm().validate_on_submit():
        abort(400, "The form was incomplete; reload the page and try again.")
    status, verb = _ACTIONS[action]
    changed = feed_service.triage(db_session(), current_user.id, [article_id], status)
    if changed:
        flash(f"{verb} article #{article_id}.", "success")
    else:
        flash(f"Article #{article_id} was not waiting in Incoming (someone may have triaged it already).", "warning")
    return redirect(url_for("feeds.incoming", cursor=request.args.get("cursor")), code=303)


@bp.post("/incoming")
def triage_many():
    form = BulkTriageForm()
    if form.validate_on_submit():
        status, verb = _ACTIONS[form.action.data]
        try:
            changed = feed_service.triage(db_session(), current_user.id, form.article_ids.data, status)
        except ValidationFailed as exc:
            for messages in exc.errors.values():
                for message in messages:
                    flash(message, "error")
        else:
            flash(f"{verb} {changed} article{'s' if changed != 1 else ''}.", "success")
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
    return redirect(url_for("feeds.incoming"), code=303)
