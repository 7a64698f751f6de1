"""The queue, the claim page, and every action on a claim.

Each POST route: validate the form -> call one workflow service -> flash ->
redirect. Refusals come back from the service as exceptions: a permission
refusal is a 403 page, an illegal transition a flashed message, a stale
version the 409 conflict page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, time, timedelta, timezone
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from ...models import Category, ClaimStatus, Verdict
from ...services import bulk as bulk_service
from ...services import claims as claim_service
from ...services import export as export_service
from ...services import users as user_service
from ...services import history as history_service
from ...services import workflow
from ...services.errors import InvalidTransition, NotFound, StaleClaim, ValidationFailed
from ...services.permissions import Permission
from ...services.validation import archive_save_url
from .. import db_session
from ..filters import absolute_url, url_with
from ..forms import apply_errors, choices, id_number, page_number
from .claim_html import history_rows
from .queue_html import people_options, queue_rows, select_options
from .forms import (
    ASSIGNEE_FIXED,
    ApproveForm,
    AssignForm,
    BulkQueueForm,
    ButtonForm,
    ClaimEditForm,
    CommentForm,
    DeleteForm,
    EditorClaimEditForm,
    EvidenceForm,
    ProposeForm,
    QueueFilterForm,
    ReleaseForm,
    ReopenForm,
    SendBackForm,
    TakeForm,
)

bp = Blueprint("claims", __name__)


@bp.get("/")
def home():
    return redirect(url_for("claims.index"))


def _enum_or_none(enum_class, value):
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


# Filter forms by the values of their fields, most recently used last. Reading
# fifteen fields through WTForms cost more than the queue's SQL, and the same few
# filter sets (none, "My queue", one status) are read all day, so a form is read
# once per set of values and then only read from: nothing writes to a form after
# its validation (the page renders it, queue_query_from reads it). The key is the
# fields' values only (the cursor is not one), so paging reuses the form.
_FILTER_FORMS: OrderedDict[tuple, QueueFilterForm] = OrderedDict()
_FILTER_FORMS_KEPT = 256
_FILTER_NAMES: list[tuple[str, ...]] = []
_FILTER_FORMS_LOCK = threading.Lock()


def _filter_form(args) -> QueueFilterForm:
    key = tuple(tuple(args.getlist(name)) for name in _FILTER_NAMES[0]) if _FILTER_NAMES else None
    with _FILTER_FORMS_LOCK:  # threaded servers (flask run) share the dict
        form = _FILTER_FORMS.get(key) if key is not None else None
        if form is not None:
            _FILTER_FORMS.move_to_end(key)
            return form
    form = QueueFilterForm(args)
    form.validate()  # the assignee is read as given; the queue lists the people to choose from
    if not _FILTER_NAMES:
        _FILTER_NAMES.append(tuple(field.name for field in form))
        key = tuple(tuple(args.getlist(name)) for name in _FILTER_NAMES[0])
    with _FILTER_FORMS_LOCK:
        _FILTER_FORMS[key] = form
        if len(_FILTER_FORMS) > _FILTER_FORMS_KEPT:
            _FILTER_FORMS.popitem(last=False)
    return form


def queue_query_from(args) -> tuple[QueueFilterForm, claim_service.ClaimQuery]:
    """The claim list's filters from a query string: the queue and search share them."""
    form = _filter_form(args)
    assignee = form.assignee.data or ""

    def day(field, plus: int = 0):
        """A date field as the start of that day (UTC), or None when empty or invalid."""
        if field.errors or not field.data:
            return None
        return datetime.combine(field.data + timedelta(days=plus), time.min, timezone.utc)

    query = claim_service.ClaimQuery(
        status=_enum_or_none(ClaimStatus, form.status.data),
        open_only=form.status.data == "open",
        created_from=day(form.created_from),
        created_to=day(form.created_to, plus=1),
        verified_from=day(form.verified_from),
        verified_to=day(form.verified_to, plus=1),
        proposed_by_id=None if form.proposed_by.errors else form.proposed_by.data,
        proposed_from=day(form.proposed_from),
        proposed_to=day(form.proposed_to, plus=1),
        approved_by_id=None if form.approved_by.errors else form.approved_by.data,
        verdict=_enum_or_none(Verdict, form.verdict.data),
        category=_enum_or_none(Category, form.category.data),
        article_id=None if form.article.errors else form.article.data,
        assignee_id=current_user.id if assignee == "mine" else id_number(assignee),
        unassigned=assignee == "unassigned",
        hedged={"yes": True, "no": False}.get(form.hedged.data or ""),
        sort=form.sort.data if form.sort.data in claim_service.SORTS else claim_service.DEFAULT_SORT,
        cursor=args.get("cursor"),
        per_page=current_app.config["PER_PAGE"],
    )
    return form, query


def _age(moment: datetime, now: datetime) -> str:
    """How old a claim is, in the largest whole unit: "3 days", "1 hour", "under a minute"."""
    seconds = (now - moment).total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
    return "under a minute"


@bp.get("/claims")
def index():
    if page_number(request.args) > 1:
        return _first_page_instead()
    form, query = queue_query_from(request.args)
    session = db_session()
    result = claim_service.list_claims(session, query)
    if result.nav.notice:
        flash(result.nav.notice, "error")
    people = user_service.assignable_users(session)
    mine = form.assignee.data == "mine"
    now = datetime.now(timezone.utc)
    can_take, can_assign = current_user.can(Permission.TAKE), current_user.can(Permission.ASSIGN)
    claims_path, articles_path = url_for("claims.index"), url_for("articles.index")
    row_html = queue_rows(
        result.rows, claims_path=claims_path, articles_path=articles_path, can_take=can_take, can_assign=can_assign,
        returned=result.returned, age=lambda moment: _age(moment, now),
    )
    filter_people, bulk_people = people_options(people, ASSIGNEE_FIXED, form.assignee.data or "")
    return render_template(
        "claims/index.html",
        row_html=row_html,
        filter_people=filter_people,
        bulk_people=bulk_people,
        select_options=select_options,
        result=result,
        query=query,
        form=form,
        heading="My queue" if mine else "Claims",
        claims_path=claims_path,
        articles_path=articles_path,
        can_take=can_take,
        can_assign=can_assign,
        token=generate_csrf(),
        back=request.query_string.decode("utf-8", "replace"),
    )


def _queue_url(back: str | None) -> str:
    """The queue with the query string it was shown with (only ever the queue)."""
    pairs = parse_qsl(back or "", keep_blank_values=False)
    query = urlencode([(k, v) for k, v in pairs if k != "page"])
    return url_for("claims.index") + (f"?{query}" if query else "")


@bp.post("/claims/bulk")
def bulk():
    """The queue's ticked claims: take them all, or assign them all to one person."""
    form = BulkQueueForm()
    back = _queue_url(form.back.data if not form.back.errors else None)
    if not form.validate_on_submit():
        flash(" ".join(message for messages in form.errors.values() for message in messages), "error")
        return redirect(back, code=303)
    picked = [bulk_service.Picked(claim_id, version) for claim_id, version in form.claim.data]
    try:
        if form.action.data == "assign":
            done = bulk_service.assign_claims(db_session(), current_user.id, picked, form.assignee.data)
        else:
            done = bulk_service.take_claims(db_session(), current_user.id, picked)
    except (bulk_service.SelectionChanged, bulk_service.BulkRefused) as exc:
        flash(exc.message, "error")
        return redirect(back, code=303)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(back, code=303)
    count = len(done.claim_ids)
    claims = f"{count} claim" if count == 1 else f"{count} claims"
    ids = ", ".join(f"#{i}" for i in done.claim_ids)
    if done.assignee:
        flash(f"Assigned {claims} to {done.assignee}: {ids}.", "success")
    else:
        flash(f"You took {claims}: {ids}. They are in your queue.", "success")
    return redirect(back, code=303)


def _claim_or_404(claim_id: int):
    try:
        return claim_service.get_claim(db_session(), claim_id)
    except NotFound as exc:
        abort(404, exc.message)


def render_claim_page(claim_id: int, status: int = 200, **forms):
    """The claim page; ``forms`` replaces a blank form with one carrying input and errors."""
    session = db_session()
    claim = _claim_or_404(claim_id)
    # The account loaded for this request (active, this session's version) is the
    # actor: the rules need only its id, role and whether it is active.
    actions = workflow.available_actions(current_user._get_current_object(), claim)
    evidence = claim_service.claim_evidence(session, claim_id)
    history = claim_service.claim_history(session, claim_id, request.args.get("history"))
    version = {"version": claim.version}
    shown = {a.value for a in actions}
    may_change_evidence = "add_evidence" in shown

    def form(key: str, action: str, make):
        """The redisplayed form with the user's input, else a blank one, made only
        when the page shows it (a form costs more to build than most queries)."""
        given = forms.pop(key, None)
        return given if given is not None else (make() if action in shown else None)

    assign_form = form("assign_form", "assign", lambda: AssignForm(formdata=None, data=version))
    if assign_form is not None:
        assign_form.assignee.choices = choices(
            [("", "Choose a person…")]
            + [(u.id, f"{u.display_name} ({u.role.value})") for u in user_service.assignable_users(session)]
        )
    context = dict(
        claim=claim,
        article=claim.article,
        context=claim_service.quote_context(claim.article.body, claim.span_start, claim.span_end),
        evidence=evidence,
        history=history,
        actions=shown,
        can_change_evidence=lambda item: (
            may_change_evidence and (item.added_by_id == current_user.id or current_user.can(Permission.ASSIGN))
        ),
        restorable=_restorable_removals(history.events, evidence) if may_change_evidence else {},
        undo=_undo_offer(request.args.get("undo"), claim_id, evidence) if may_change_evidence else None,
        event_phrase=history_service.event_phrase,
        ago=history_service.ago,
        clock=history_service.clock,
        archive_save_url=archive_save_url,
        take_form=form("take_form", "take", lambda: TakeForm(formdata=None, data=version)),
        release_form=form("release_form", "release", lambda: ReleaseForm(formdata=None, data=version)),
        approve_form=form("approve_form", "approve", lambda: ApproveForm(formdata=None, data=version)),
        assign_form=assign_form,
        propose_form=form(
            "propose_form",
            "propose",
            lambda: ProposeForm(
                formdata=None,
                data={**version, "verdict": claim.verdict.value if claim.verdict else None, "rationale": claim.rationale},
            ),
        ),
        send_back_form=form("send_back_form", "send_back", lambda: SendBackForm(formdata=None, data=version)),
        reopen_form=form("reopen_form", "reopen", lambda: ReopenForm(formdata=None, data=version)),
        comment_form=form("comment_form", "comment", lambda: CommentForm(formdata=None)),
        evidence_form=form("evidence_form", "add_evidence", lambda: EvidenceForm(formdata=None)),
        row_form=ButtonForm(formdata=None) if may_change_evidence else None,  # Remove, Undo, Restore
    )
    # The history's rows are written in Python (claim_html.py), as the queue's are.
    context["history_html"] = history_rows(
        history.events,
        claims_path=str(escape(url_for("claims.index"))),
        restore_prefix=str(escape(url_for("claims.restore_evidence", claim_id=claim.id, event_id=0).removesuffix("0"))),
        restorable=context["restorable"],
        token=generate_csrf(),
        now=datetime.now(timezone.utc),
    )
    publisher = export_service.Publisher(current_app.config["ORG_NAME"], current_app.config["ORG_URL"])
    context["claim_review"] = export_service.claim_review_for_claim(
        claim, absolute_url("claims.detail", claim_id=claim.id), publisher
    )
    context.update(extra_claim_context(claim))
    context.update(forms)  # a form redisplayed with the user's input and its errors
    return render_template("claims/detail.html", **context), status


def _may_restore(record: dict) -> bool:
    return record.get("added_by_id") == current_user.id or current_user.can(Permission.ASSIGN)


def _restorable_removals(events, evidence) -> dict[int, str]:
    """Removal events on this history page whose evidence the user may bring back:
    the latest removal of each item that is not back already (event id -> title)."""
    present = {item.id for item in evidence}
    offers: dict[int, str] = {}
    seen: set[int] = set()
    for event in reversed(events):  # latest first: an older removal of the same item is superseded
        if event.action != "evidence_removed":
            continue
        evidence_id = (event.details or {}).get("evidence_id")
        if evidence_id in seen:
            continue
        seen.add(evidence_id)
        if workflow.restorable(event, present) and _may_restore(event.details["record"]):
            offers[event.id] = event.details.get("title") or "evidence"
    return offers


def _undo_offer(raw: str | None, claim_id: int, evidence):
    """The removal just made (?undo=<event id>), if it can still be undone by this user."""
    event_id = id_number(raw)
    if event_id is None:
        return None
    try:
        event = workflow.removal_event(db_session(), claim_id, event_id)
    except NotFound:
        return None
    present = {item.id for item in evidence}
    if not (workflow.restorable(event, present) and _may_restore(event.details["record"])):
        return None
    return event


# Other areas (extraction, related claims) add to the claim page through this hook.
_claim_page_extensions = []


def claim_page_extension(fn):
    _claim_page_extensions.append(fn)
    return fn


def extra_claim_context(claim) -> dict:
    extra: dict = {}
    for fn in _claim_page_extensions:
        extra.update(fn(claim))
    return extra


@bp.get("/claims/<int:claim_id>")
def detail(claim_id: int):
    return render_claim_page(claim_id)


def _back(claim_id: int, anchor: str | None = None):
    return redirect(url_for("claims.detail", claim_id=claim_id, _anchor=anchor), code=303)


def _run_action(claim_id: int, form, form_key: str, call, success, anchor: str | None = None):
    """Validate, call the service, then flash and redirect, or redisplay with the errors.

    ``success`` is the message, or a function of the service's result giving it.
    """
    if not form.validate_on_submit():
        if "version" in form.errors:
            abort(400, "The form was incomplete; reload the claim and try again.")
        return render_claim_page(claim_id, 422, **{form_key: form})
    try:
        result = call()
    except StaleClaim as exc:
        # The action is not replayed (the claim moved on), but text the user
        # typed for it (a comment, a rationale) is shown to copy, not lost.
        typed = [(f.label.text, f.data) for f in form if f.type == "TextAreaField" and (f.data or "").strip()]
        return render_conflict(claim_id, exc, typed=typed)
    except InvalidTransition as exc:
        flash(exc.message, "error")
        return _back(claim_id)
    except ValidationFailed as exc:
        apply_errors(form, exc)
        return render_claim_page(claim_id, 422, **{form_key: form})
    flash(success(result) if callable(success) else success, "success")
    return _back(claim_id, anchor)


def render_conflict(
    claim_id: int, exc: StaleClaim, form=None, template_form: str | None = None, typed: list | None = None
):
    session = db_session()
    claim = _claim_or_404(claim_id)
    events = (exc.changes or {}).get("events") or []
    return (
        render_template(
            "claims/conflict.html",
            claim=claim,
            message=exc.message,
            events=events,
            form=form,
            form_template=template_form,
            typed=typed or [],
            more_events=(exc.changes or {}).get("more", False),
            evidence=claim_service.claim_evidence(session, claim_id),
            event_phrase=history_service.event_phrase,
            ago=history_service.ago,
            clock=history_service.clock,
        ),
        409,
    )


@bp.post("/claims/<int:claim_id>/take")
def take(claim_id: int):
    form = TakeForm()
    return _run_action(
        claim_id,
        form,
        "take_form",
        lambda: workflow.take_claim(db_session(), current_user.id, claim_id, form.version.data),
        "The claim is yours: it is now in review.",
    )


@bp.post("/claims/<int:claim_id>/release")
def release(claim_id: int):
    form = ReleaseForm()
    return _run_action(
        claim_id,
        form,
        "release_form",
        lambda: workflow.release_claim(db_session(), current_user.id, claim_id, form.version.data),
        "Released: the claim is back in the queue for anyone to take.",
    )


@bp.post("/claims/<int:claim_id>/assign")
def assign(claim_id: int):
    form = AssignForm()
    form.assignee.choices = choices((u.id, u.display_name) for u in user_service.assignable_users(db_session()))

    return _run_action(
        claim_id,
        form,
        "assign_form",
        lambda: workflow.assign_claim(db_session(), current_user.id, claim_id, form.assignee.data, form.version.data),
        lambda claim: f"Assigned to {claim.assignee.display_name}; the claim is in review.",
    )


@bp.post("/claims/<int:claim_id>/propose")
def propose(claim_id: int):
    form = ProposeForm()
    return _run_action(
        claim_id,
        form,
        "propose_form",
        lambda: workflow.propose_verdict(
            db_session(), current_user.id, claim_id, form.verdict.data, form.rationale.data, form.version.data
        ),
        "Verdict proposed: it now waits for an editor's approval.",
    )


@bp.post("/claims/<int:claim_id>/approve")
def approve(claim_id: int):
    form = ApproveForm()
    return _run_action(
        claim_id,
        form,
        "approve_form",
        lambda: workflow.approve_verdict(db_session(), current_user.id, claim_id, form.version.data),
        "Verdict approved: the claim is verified.",
    )


@bp.post("/claims/<int:claim_id>/send-back")
def send_back(claim_id: int):
    form = SendBackForm()
    return _run_action(
        claim_id,
        form,
        "send_back_form",
        lambda: workflow.send_back(db_session(), current_user.id, claim_id, form.comment.data, form.version.data),
        "Sent back to review with your comment.",
    )


@bp.post("/claims/<int:claim_id>/reopen")
def reopen(claim_id: int):
    form = ReopenForm()
    return _run_action(
        claim_id,
        form,
        "reopen_form",
        lambda: workflow.reopen_claim(db_session(), current_user.id, claim_id, form.comment.data, form.version.data),
        "Reopened: the claim is back in review.",
    )


@bp.post("/claims/<int:claim_id>/comments")
def comment(claim_id: int):
    form = CommentForm()
    return _run_action(
        claim_id,
        form,
        "comment_form",
        lambda: workflow.add_comment(db_session(), current_user.id, claim_id, form.comment.data),
        "Comment added.",
        anchor="history",
    )


# --- editing ------------------------------------------------------------------


def _edit_form_class():
    return EditorClaimEditForm if current_user.can(Permission.SET_PRIORITY) else ClaimEditForm


def claim_fields_form_data(fields) -> dict:
    """A claim's editable fields (a Claim, or ClaimFields with an enum category)
    as ClaimFieldsForm data: the form's own value for every field.

    Built field by field rather than with obj=: WTForms prefers obj over data,
    and an enum member's str() matches no option of a select.
    """
    return {
        "statement": fields.statement,
        "category": fields.category.value,
        "claimant": fields.claimant,
        "quantity_value": "" if fields.quantity_value is None else f"{fields.quantity_value.normalize():f}",
        "quantity_unit": fields.quantity_unit,
        "quantity_qualifier": fields.quantity_qualifier or "",
        "hedged": fields.hedged,
        "hedge_note": fields.hedge_note,
    }


def claim_form_data(claim) -> dict:
    """A claim as its edit form's data: its fields, priority and version."""
    return {**claim_fields_form_data(claim), "priority": str(claim.priority), "version": claim.version}


def evidence_form_data(item) -> dict:
    """An evidence item as its edit form's data (see claim_form_data for why not obj=)."""
    return {
        "url": item.url,
        "title": item.title,
        "publisher": item.publisher,
        "stance": item.stance.value,
        "archive_url": item.archive_url,
        "accessed_on": item.accessed_on,
        "published_on": item.published_on,
        "note": item.note,
    }


def claim_fields_from(form) -> workflow.ClaimFields:
    """The service's input from a claim form. A form without a priority field
    (a reviewer's) leaves the priority alone: it cannot be set by adding one."""
    priority_field = form._fields.get("priority")
    return workflow.ClaimFields(
        statement=form.statement.data,
        category=form.category.data,
        claimant=form.claimant.data,
        quantity_value=form.quantity_value.data,
        quantity_unit=form.quantity_unit.data,
        quantity_qualifier=form.quantity_qualifier.data,
        hedged=form.hedged.data,
        hedge_note=form.hedge_note.data,
        priority=int(priority_field.data) if priority_field is not None and priority_field.data else None,
    )


@bp.route("/claims/<int:claim_id>/edit", methods=["GET", "POST"])
def edit(claim_id: int):
    try:
        claim = workflow.check_allowed(db_session(), current_user.id, claim_id, workflow.ClaimAction.EDIT)
    except NotFound as exc:
        abort(404, exc.message)
    except InvalidTransition as exc:
        flash(exc.message, "error")
        return _back(claim_id)
    form_class = _edit_form_class()
    if request.method == "GET":
        form = form_class(formdata=None, data=claim_form_data(claim))
        return render_template("claims/edit.html", claim=claim, form=form)
    form = form_class()
    if form.validate_on_submit():
        try:
            workflow.edit_claim(db_session(), current_user.id, claim_id, claim_fields_from(form), form.version.data)
        except StaleClaim as exc:
            # Keep the user's input; the form now carries the current version,
            # so saving again is a deliberate overwrite of what they have seen.
            if exc.current is not None:
                form.version.data = exc.current.version
                form.version.raw_data = [str(exc.current.version)]  # what the hidden input renders
            return render_conflict(claim_id, exc, form=form, template_form="claims/_edit_form.html")
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except InvalidTransition as exc:
            flash(exc.message, "error")
            return _back(claim_id)
        else:
            flash("Claim saved.", "success")
            return _back(claim_id)
    return render_template("claims/edit.html", claim=claim, form=form), 422


# --- evidence -----------------------------------------------------------------


def evidence_fields_from(form: EvidenceForm) -> workflow.EvidenceFields:
    return workflow.EvidenceFields(
        url=form.url.data,
        title=form.title.data,
        stance=form.stance.data,
        publisher=form.publisher.data,
        archive_url=form.archive_url.data,
        accessed_on=form.accessed_on.data,
        note=form.note.data,
        published_on=form.published_on.data,
    )


@bp.post("/claims/<int:claim_id>/evidence")
def add_evidence(claim_id: int):
    form = EvidenceForm()
    return _run_action(
        claim_id,
        form,
        "evidence_form",
        lambda: workflow.add_evidence(
            db_session(), current_user.id, claim_id, evidence_fields_from(form), fill_from_page=True
        ),
        "Evidence added.",
        anchor="evidence",
    )


def _evidence_or_404(evidence_id: int):
    try:
        return workflow.get_evidence(db_session(), evidence_id)
    except NotFound as exc:
        abort(404, exc.message)


@bp.route("/evidence/<int:evidence_id>/edit", methods=["GET", "POST"])
def edit_evidence(evidence_id: int):
    item = _evidence_or_404(evidence_id)
    try:
        workflow.check_evidence_change(db_session(), current_user.id, evidence_id)
    except InvalidTransition as exc:
        flash(exc.message, "error")
        return _back(item.claim_id, "evidence")
    if request.method == "GET":
        form = EvidenceForm(formdata=None, data=evidence_form_data(item))
        return render_template("claims/evidence_edit.html", item=item, form=form)
    form = EvidenceForm()
    if form.validate_on_submit():
        try:
            workflow.update_evidence(db_session(), current_user.id, evidence_id, evidence_fields_from(form))
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except InvalidTransition as exc:
            flash(exc.message, "error")
            return _back(item.claim_id)
        else:
            flash("Evidence saved.", "success")
            return _back(item.claim_id, "evidence")
    return render_template("claims/evidence_edit.html", item=item, form=form), 422


@bp.post("/evidence/<int:evidence_id>/delete")
def delete_evidence(evidence_id: int):
    item = _evidence_or_404(evidence_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        event = workflow.remove_evidence(db_session(), current_user.id, evidence_id)
    except InvalidTransition as exc:
        flash(exc.message, "error")
        return _back(item.claim_id, "evidence")
    # The claim page offers Undo beside the evidence list (and a Restore in its history).
    return redirect(url_for("claims.detail", claim_id=item.claim_id, undo=event.id, _anchor="evidence"), code=303)


@bp.post("/claims/<int:claim_id>/evidence/restore/<int:event_id>")
def restore_evidence(claim_id: int, event_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        restored = workflow.restore_evidence(db_session(), current_user.id, claim_id, event_id)
    except NotFound as exc:
        abort(404, exc.message)
    except InvalidTransition as exc:
        flash(exc.message, "error")
        return _back(claim_id, "evidence")
    flash(f"Evidence “{restored.title}” is back.", "success")
    return _back(claim_id, "evidence")


# --- activity -----------------------------------------------------------------


def _first_page_instead():
    """An old numbered-page link (?page=N): lists now page by cursor, so N cannot be found cheaply."""
    flash("Pages are no longer numbered, so that link now opens the first page. Use Next and Last to move on.", "warning")
    return redirect(url_with(page=None, cursor=None))


@bp.get("/activity")
def activity():
    if page_number(request.args) > 1:
        return _first_page_instead()
    feed = claim_service.recent_activity(db_session(), current_user.id, cursor=request.args.get("cursor"), per_page=50)
    if feed.nav.notice:
        flash(feed.nav.notice, "error")
    return render_template("claims/activity.html", feed=feed)
