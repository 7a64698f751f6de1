"""Drawing a public fact-check page: one function for the Flask view and the fast path (fast.py).

The page is a function of the publication's snapshot (services.publishing.PublicSnapshot),
the site's settings and where the app is mounted (its script root), so it is drawn
here with no request context: the fast path draws a page that no worker keeps yet
without handing the request to Flask, and the view draws it the same way. The
template's url_for and site_url are this mount point's (filters.MountLinks), passed in the
template's context where they take the place of Flask's globals; every absolute URL
comes from PUBLIC_URL, as filters.absolute_url makes them.
"""

from __future__ import annotations

import weakref

from ...models import Stance, Verdict
from ...services import publishing
from ...services.export import Publisher
from ..filters import mount_links, public_base

TEMPLATE = "public/fact_check.html"


def stance_label(value) -> str:
    try:
        return Stance(value).label if value else ""
    except ValueError:
        return ""


def ratings(app):
    """rating(verdict): the rating macro's markup for a verdict (public/_macros.html), which
    depends on nothing else, drawn once per verdict (each time while templates reload)."""
    drawn = app.extensions.get("factcheck.public_ratings")
    if drawn is None:
        macro = app.jinja_env.get_template("public/_macros.html").module.rating
        if app.jinja_env.auto_reload:
            return macro
        drawn = app.extensions["factcheck.public_ratings"] = {verdict: macro(verdict) for verdict in Verdict}
    return drawn.__getitem__


def draw(app, snapshot: publishing.PublicSnapshot, script_root: str) -> bytes:
    """The fact-check page of ``snapshot`` for an app mounted at ``script_root``, as UTF-8."""
    config = app.config
    site = mount_links(app, script_root)
    url = public_base(config) + site.url_for("public.fact_check", claim_id=snapshot.claim_id, slug=snapshot.slug)
    publisher = Publisher(config["ORG_NAME"], config["ORG_URL"])
    return render(
        app,
        TEMPLATE,
        p=snapshot,
        review=publishing.publication_review(snapshot, url, publisher),
        canonical=url,
        updates=publishing.update_notes(snapshot),
        org_name=config["ORG_NAME"],
        org_url=config["ORG_URL"],
        stance_label=stance_label,
        rating=ratings(app),
        url_for=site.url_for,
        site_url=site.site_url,
    ).encode("utf-8")


def render(app, name: str, **context) -> str:
    """Template.render(**context), without copying the environment's globals for each page.

    Jinja's render copies the template's globals (a ChainMap over the environment's,
    so that a global added later is seen) into each page's context, and compares
    their keys again for every template the page imports: a fifth of this page's
    drawing. The app adds its globals when it is made, so here they are copied
    into a plain dict once per template, and each page's context is that dict
    with the page's values over it, as Template.render would make it
    (tests/test_public_fast_path.py compares the two)."""
    env = app.jinja_env
    template = env.get_template(name)
    frozen = _GLOBALS.get(template)
    if frozen is None:
        frozen = _GLOBALS[template] = dict(template.globals)
    context = env.context_class(env, {**frozen, **context}, template.name, template.blocks)
    try:
        return env.concat(template.root_render_func(context))
    except Exception:  # as Template.render: the traceback points at the template's lines
        return env.handle_exception()


_GLOBALS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # template -> its globals, copied once
