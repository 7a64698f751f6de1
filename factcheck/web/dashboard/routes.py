from __future__ import annotations

import re
import threading
from collections import OrderedDict
from datetime import date, timedelta
from urllib.parse import quote_plus

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    get_template_attribute,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup

from ...models import Category
from ...services import dashboard as dashboard_service
from ...services import export as export_service
from ...services.dashboard import DashboardFilters
from .. import db_session
from ..filters import absolute_url
from ..reads import reads_database, replica_reads
from .dashboard_html import article_rows, columns, conflict_rows, hbars, link_prefix, reviewer_rows, weekly_cells
from .forms import DashboardFilterForm

bp = Blueprint("dashboard", __name__)


def read_filters() -> tuple[DashboardFilterForm, DashboardFilters]:
    """The page's filters; a field that does not parse is reported beside it and ignored."""
    form = DashboardFilterForm(request.args)
    form.validate()
    category = form.category.data or None
    try:
        category = Category(category) if category else None
    except ValueError:
        category = None
    filters = DashboardFilters(
        date_from=None if form.created_from.errors else form.created_from.data,
        date_to=None if form.created_to.errors else form.created_to.data,
        article_id=None if form.article.errors else form.article.data,
        category=category,
    )
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        filters = DashboardFilters(None, None, filters.article_id, filters.category)
    return form, filters


def filter_args(filters: DashboardFilters) -> dict:
    """The filters as query arguments, understood alike by the claim list, the dashboard and the exports."""
    args = {}
    if filters.date_from:
        args["created_from"] = filters.date_from.isoformat()
    if filters.date_to:
        args["created_to"] = filters.date_to.isoformat()
    if filters.article_id:
        args["article"] = filters.article_id
    if filters.category:
        args["category"] = filters.category.value
    return args


_PLAIN = re.compile(r"[A-Za-z0-9_.-]*")


def query_string(args: dict) -> str:
    """urlencode for the page's hundreds of links, whose values are nearly all ids, dates and
    enum values that need no quoting: quote_plus only the others (urlencode took a fifth of
    the page's CPU)."""
    parts = []
    for key, value in args.items():
        text = str(value)
        parts.append(f"{key}={text if _PLAIN.fullmatch(text) else quote_plus(text)}")
    return "&".join(parts)


# The filter panel by the values of its four fields, most recently used last. Its four
# fields through WTForms and the forms macro were an eighth of the page's CPU, and the
# same few filter sets (none, one article, one category) are read all day; the panel
# depends on those values only (no CSRF token, no user), so it is written once per set.
_FILTER_ARGS = ("created_from", "created_to", "article", "category")
_PANELS: OrderedDict[tuple, tuple[DashboardFilters, Markup]] = OrderedDict()
_PANELS_KEPT = 256
_PANELS_LOCK = threading.Lock()


def _filters_and_panel() -> tuple[DashboardFilters, Markup]:
    """The page's filters and the filter panel's fields, as read_filters and _forms.html's field() make them."""
    key = tuple(tuple(request.args.getlist(name)) for name in _FILTER_ARGS)
    with _PANELS_LOCK:  # threaded servers share the dict
        found = _PANELS.get(key)
        if found is not None:
            _PANELS.move_to_end(key)
            return found
    form, filters = read_filters()
    field = get_template_attribute("_forms.html", "field")
    panel = Markup("\n  ").join(
        [
            field(form.created_from, type="date"),
            field(form.created_to, type="date"),
            field(form.article, type="number", min="1"),
            field(form.category),
        ]
    )
    with _PANELS_LOCK:
        _PANELS[key] = (filters, panel)
        if len(_PANELS) > _PANELS_KEPT:
            _PANELS.popitem(last=False)
    return filters, panel


@bp.get("/dashboard")
@replica_reads
def index():
    filters, filter_panel = _filters_and_panel()
    data = dashboard_service.build_dashboard(db_session(), current_user.id, filters)
    base = filter_args(filters)
    # Every figure is a link (hundreds per page); url_for for each would cost
    # more than all the page's queries, so the path is built once.
    list_path = url_for("claims.index")

    def claims_url(**args) -> str:
        merged = {**base, **{k: v for k, v in args.items() if v is not None}}
        return f"{list_path}?{query_string(merged)}" if merged else list_path

    # The reviewers' work windows are not narrowed by the claims' creation dates.
    undated = {k: v for k, v in base.items() if k not in ("created_from", "created_to")}

    # The long tables are written in Python (dashboard_html.py): a link's shared start once per page.
    claims_prefix = link_prefix(list_path, query_string(base))
    days = {"d7": data.days_back(7).isoformat(), "d30": data.days_back(30).isoformat(), "last": data.last_day.isoformat()}
    week_head, week_cells = weekly_cells(data.weekly, claims_prefix=claims_prefix)
    tables = {
        "reviewers": reviewer_rows(
            data.reviewers, claims_prefix=claims_prefix, work_prefix=link_prefix(list_path, query_string(undated)), **days
        ),
        "articles": article_rows(data.articles, article_prefix=_article_prefix(), claims_url=claims_url),
        "week_head": week_head,
        "week_cells": week_cells,
    }
    charts = {
        "status": [(s.label, n, s.value) for s, n in data.by_status.items()],
        "verdict": [(v.label, n, v.value) for v, n in data.by_verdict.items()],
        "category": [(c.label, n, "category") for c, n in data.by_category.items()],
        "weekly": [(w.week_start.strftime("%d %b"), w.verified) for w in data.weekly],
    }
    conflicts, conflicts_total = dashboard_service.linked_conflicts(db_session(), filters)
    tables["conflicts"] = conflict_rows(conflicts, claims_path=list_path)
    return render_template(
        "dashboard/index.html",
        filter_panel=filter_panel,
        tables=tables,
        conflicts=conflicts,
        conflicts_total=conflicts_total,
        data=data,
        charts=charts,
        hbars=hbars,  # the SVG charts, written in Python (dashboard_html.py)
        columns=columns,
        claims_url=claims_url,
        duration=human_duration,
        median_days=dashboard_service.MEDIAN_DAYS,
        median_precision=f"{dashboard_service.MEDIAN_PRECISION:.1%}",  # "5.1%": a bucket's width, not rounded down
        export_args=base,
    )


def _article_prefix() -> str:
    """An article's path without its id (the route is the same for every article)."""
    return url_for("articles.detail", article_id=0).removesuffix("0")


def human_duration(delta: timedelta | None) -> str:
    if delta is None:
        return ""
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{hours:.1f} hours"
    return f"{hours / 24:.1f} days"


@bp.get("/export/verified.csv")
@replica_reads
def export_csv():
    """Verified claims as CSV: for people by default, the original columns with ``format=data``."""
    _form, filters = read_filters()
    export_service.authorize_export(db_session(), current_user.id)
    try:
        fmt = export_service.CsvFormat(request.args.get("format") or "people")
    except ValueError:
        abort(400, "Unknown CSV format: leave format out for the readable export, or use format=data.")
    bom = request.args.get("bom") in ("1", "true", "yes")
    # Each claim's link, from PUBLIC_URL: ".../claims/" then the id (added by PostgreSQL).
    claim_url_prefix = absolute_url("claims.detail", claim_id=0).removesuffix("0")
    stream = export_service.stream_verified_claims_csv(
        reads_database().session(),
        filters,
        fmt=fmt,
        claim_url_prefix=claim_url_prefix,
        bom=bom,
        as_bytes=True,
    )
    kind = "verified-claims-data" if fmt is export_service.CsvFormat.DATA else "verified-claims"
    filename = f"{kind}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(stream),
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        content_type="text/csv; charset=utf-8",
    )


@bp.get("/export/claimreview.json")
@replica_reads
def export_claimreview():
    _form, filters = read_filters()
    export_service.authorize_export(db_session(), current_user.id)
    publisher = export_service.Publisher(current_app.config["ORG_NAME"], current_app.config["ORG_URL"])
    stream = export_service.stream_claimreview_json(
        reads_database().session(),
        filters,
        lambda claim_id: absolute_url("claims.detail", claim_id=claim_id),
        publisher,
    )
    filename = f"claimreview-{date.today().isoformat()}.json"
    return Response(
        stream_with_context(stream),
        content_type="application/ld+json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
