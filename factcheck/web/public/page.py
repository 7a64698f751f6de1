"""Drawing a public fact-check page: one function for the Flask view and the fast path (fast.py).

The page is a function of the publication's snapshot (services.publishing.PublicSnapshot),
the site's settings and where the app is mounted (its script root), so it is drawn
here with no request context: the fast path draws a page that no worker keeps yet
without handing the request to Flask, and the view draws it the same way. The
template's url_for and site_url are this mount point's (Links), passed in the
template's context where they take the place of Flask's globals; every absolute URL
comes from PUBLIC_URL, as filters.absolute_url makes them.
"""

from __future__ import annotations

from ...models import Stance
from ...services import publishing
from ...services.export import Publisher
from ..filters import public_base

TEMPLATE = "public/fact_check.html"
_MAX_MOUNTS = 64  # script roots whose links an app keeps (one in practice: where the proxy mounts it)


def stance_label(value) -> str:
    try:
        return Stance(value).label if value else ""
    except ValueError:
        return ""


class Links:
    """url_for and site_url for one script root, as Flask's give them in a request there
    (relative links: Werkzeug's MapAdapter.build with no host), with the links that take
    no argument built once."""

    def __init__(self, app, script_root: str):
        self._adapter = app.url_map.bind("localhost", script_name=script_root or "/")
        self._built: dict[tuple, str] = {}

    def url_for(self, endpoint: str, **values) -> str:
        if values:
            return self._adapter.build(endpoint, values)
        found = self._built.get((endpoint,))
        if found is None:
            found = self._built[(endpoint,)] = self._adapter.build(endpoint, {})
        return found

    def site_url(self, endpoint: str, filename: str | None = None) -> str:
        key = (endpoint, filename)
        found = self._built.get(key)
        if found is None:
            found = self._adapter.build(endpoint, {"filename": filename} if filename is not None else {})
            if len(self._built) < 256:
                self._built[key] = found
        return found


def links(app, script_root: str) -> Links:
    mounts = app.extensions.setdefault("factcheck.public_links", {})
    found = mounts.get(script_root)
    if found is None:
        if len(mounts) >= _MAX_MOUNTS:
            mounts.clear()
        found = mounts[script_root] = Links(app, script_root)
    return found


def draw(app, snapshot: publishing.PublicSnapshot, script_root: str) -> bytes:
    """The fact-check page of ``snapshot`` for an app mounted at ``script_root``, as UTF-8."""
    config = app.config
    site = links(app, script_root)
    url = public_base(config) + site.url_for("public.fact_check", claim_id=snapshot.claim_id, slug=snapshot.slug)
    publisher = Publisher(config["ORG_NAME"], config["ORG_URL"])
    return app.jinja_env.get_template(TEMPLATE).render(
        p=snapshot,
        review=publishing.publication_review(snapshot, url, publisher),
        canonical=url,
        updates=publishing.update_notes(snapshot),
        org_name=config["ORG_NAME"],
        org_url=config["ORG_URL"],
        stance_label=stance_label,
        url_for=site.url_for,
        site_url=site.site_url,
    ).encode("utf-8")
