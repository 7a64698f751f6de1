"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from urllib.parse import urlencode

from flask import Flask, current_app, request, url_for

from ..models import PRIORITY_LABELS, EventAction, Verdict
from ..services.search import SEARCH_BOX_MAXLENGTH
from .forms import blank_field

_EVENT_LABELS = {
    EventAction.CREATED.value: "created the claim",
    EventAction.EDITED.value: "edited the claim",
    EventAction.TAKEN.value: "took the claim",
    EventAction.ASSIGNED.value: "assigned the claim",
    EventAction.UNASSIGNED.value: "unassigned the claim",
    EventAction.COMMENTED.value: "commented",
    EventAction.EVIDENCE_ADDED.value: "added evidence",
    EventAction.EVIDENCE_EDITED.value: "edited evidence",
    EventAction.EVIDENCE_REMOVED.value: "removed evidence",
    EventAction.VERDICT_PROPOSED.value: "proposed a verdict",
    EventAction.APPROVED.value: "approved the verdict",
    EventAction.SENT_BACK.value: "sent the verdict back",
    EventAction.REOPENED.value: "reopened the claim",
    EventAction.LINKED.value: "linked the claim",
    EventAction.UNLINKED.value: "removed a link",
    EventAction.PUBLISHED.value: "published the fact check",
    EventAction.UNPUBLISHED.value: "unpublished the fact check",
}


def event_label(action: str) -> str:
    return _EVENT_LABELS.get(action, action.replace("_", " "))


def verdict_of(value: str | None) -> Verdict | None:
    try:
        return Verdict(value) if value else None
    except ValueError:
        return None


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def format_quantity(value: Decimal | None, unit: str | None = None, qualifier: str | None = None) -> str:
    if value is None:
        return ""
    number = f"{value.normalize():,f}" if isinstance(value, Decimal) else f"{value:,}"
    return " ".join(part for part in (qualifier, number, unit) if part)


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (None removes one).

    Built from the path and the query string, never through url_for: query
    keys are the user's, and url_for would read some as its own options.
    """
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    query = urlencode(args)
    return request.script_root + request.path + (f"?{query}" if query else "")


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link to this site, from PUBLIC_URL, never from the Host header
    (a client controls that header). create_app requires PUBLIC_URL outside tests."""
    return public_base(current_app.config) + url_for(endpoint, **values)


def public_base(config) -> str:
    """Where the public site lives (PUBLIC_URL), the start of every absolute link."""
    return config.get("PUBLIC_URL") or "http://localhost"


def site_url(endpoint: str, filename: str | None = None) -> str:
    """url_for for a link without arguments (the layout's menu, its static files), built once
    per mount point (MountLinks): the layout builds a dozen of them on every page."""
    return mount_links(current_app, request.script_root).site_url(endpoint, filename)


class MountLinks:
    """url_for and site_url for an app mounted at one script root, as Flask's give them in a
    request there (relative links: Werkzeug's MapAdapter.build with no host), with no request
    needed (the public page is drawn without one, web/public/page.py); the links that take
    no argument are built once."""

    def __init__(self, app: Flask, script_root: str):
        self._adapter = app.url_map.bind("localhost", script_name=script_root or "/")
        self._built: dict[tuple[str, str | None], str] = {}

    def url_for(self, endpoint: str, **values) -> str:
        if values:
            return self._adapter.build(endpoint, values)
        return self.site_url(endpoint)

    def site_url(self, endpoint: str, filename: str | None = None) -> str:
        key = (endpoint, filename)
        found = self._built.get(key)
        if found is None:
            found = self._adapter.build(endpoint, {"filename": filename} if filename is not None else {})
            if len(self._built) < 256:
                self._built[key] = found
        return found


_MAX_MOUNTS = 64  # script roots whose links an app keeps (one in practice: where the proxy mounts it)


def mount_links(app: Flask, script_root: str) -> MountLinks:
    mounts = app.extensions.setdefault("factcheck.mount_links", {})
    found = mounts.get(script_root)
    if found is None:
        if len(mounts) >= _MAX_MOUNTS:
            mounts.clear()
        found = mounts[script_root] = MountLinks(app, script_root)
    return found


def init_app(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["date_only"] = lambda v: v.date().isoformat() if v else ""
    app.jinja_env.globals["format_quantity"] = format_quantity
    app.jinja_env.globals["blank_field"] = blank_field
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["site_url"] = site_url
    app.jinja_env.globals["search_box_maxlength"] = SEARCH_BOX_MAXLENGTH
    app.jinja_env.globals["now_utc"] = lambda: datetime.now(timezone.utc)
    app.jinja_env.globals["event_label"] = event_label
    app.jinja_env.globals["verdict_of"] = verdict_of
    app.jinja_env.globals["priority_label"] = lambda p: PRIORITY_LABELS.get(p, str(p))
