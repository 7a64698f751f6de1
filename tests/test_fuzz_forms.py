"""Hypothesis fuzzing of every form the app accepts.

Every POST route of the route matrix, and the GET forms read from the query
string (the claim list's filters, the dashboard's filters and exports, the
search), gets random form data as a logged-in admin (so permissions are not
what stops the request): each of the form's fields (read from the form
classes) present, missing or repeated, holding unicode with control
characters, strings up to 20,000 characters, numbers as text (negative, huge,
not numbers at all), dates in odd formats, empty strings, plus random extra
keys. Any status below 500 is a fine answer (200, 302, 303, 400, 403, 404,
409, 422...); a 5xx, an exception out of the app, or a "Traceback" in the body
is a failure. After a redirect the page the browser lands on is fetched too,
so data stored by one request that breaks a later page is caught.

The world (``build_world``) is built once per test function. State changes
from one example to the next (a claim taken, evidence removed, a suggestion
dismissed) only change which answer is right; versioned forms use the claim's
*current* version from the database most of the time, so examples keep
reaching the services instead of stopping at the 409 page.

The crashes this fuzzing found (NUL characters, dates at the ends of the
calendar, huge page numbers, query keys reaching url_for, non-ASCII digits)
are fixed; the tests at the end of this file keep each one fixed.

The budget is FUZZ_EXAMPLES examples per route (default 15, under a minute
for the whole file on two cores); raise it for a deeper run, e.g.
``FUZZ_EXAMPLES=500 pytest tests/test_fuzz_forms.py``.
"""

from __future__ import annotations

import logging
import os
import re
import traceback
import warnings
from dataclasses import dataclass
from datetime import date
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import SAWarning
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from factcheck.models import PRIORITY_LABELS, QUALIFIERS, Category, Claim, ClaimStatus, LinkKind, Role, Stance, Verdict
from factcheck.services.claims import SORTS
from factcheck.services.search import KINDS
from factcheck.web.admin.forms import ActiveForm, NewUserForm, ResetPasswordForm, RoleForm, WebhookActionForm, WebhookForm
from factcheck.web.articles.forms import (
    ArticleForm, DismissForm, EditorAcceptCandidateForm, ImportLinkForm, ImportReviewForm, RestoreForm, TriageForm,
)
from factcheck.web.auth.forms import ChangePasswordForm, LoginForm, LogoutForm, NotificationsForm, RevokeTokenForm, TokenForm
from factcheck.web.claims.forms import (
    ApproveForm,
    AssignForm,
    CommentForm,
    DeleteForm,
    BulkQueueForm,
    EditorClaimEditForm,
    EditorNewClaimForm,
    EvidenceForm,
    ProposeForm,
    QueueFilterForm,
    ReleaseForm,
    ReopenForm,
    SendBackForm,
    TakeForm,
)
from factcheck.web.dashboard.forms import DashboardFilterForm
from factcheck.web.feeds.forms import BulkTriageForm, FeedActionForm, FeedForm
from factcheck.web.public.forms import PublishForm, UnpublishForm
from factcheck.web.search.forms import AliasGroupForm, ButtonForm, DeleteAliasGroupForm, LinkForm

from .conftest import PASSWORD
from .helpers import WebClient, csrf_from
from .test_route_matrix import BODY, EXPECTED, World, build_world

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))

# --- the forms of every route ---------------------------------------------------

# The form class each POST route reads, as an admin sees it (admins get the
# editor variants with a priority field).
POST_FORMS: dict[str, type] = {
    "auth.login": LoginForm,
    "auth.logout": LogoutForm,
    "auth.change_password": ChangePasswordForm,
    "auth.create_token": TokenForm,
    "auth.revoke_token": RevokeTokenForm,
    "auth.update_notifications": NotificationsForm,
    "claims.edit": EditorClaimEditForm,
    "claims.take": TakeForm,
    "claims.release": ReleaseForm,
    "claims.bulk": BulkQueueForm,
    "claims.restore_evidence": ButtonForm,
    "claims.assign": AssignForm,
    "claims.propose": ProposeForm,
    "claims.approve": ApproveForm,
    "claims.send_back": SendBackForm,
    "claims.reopen": ReopenForm,
    "claims.comment": CommentForm,
    "claims.add_evidence": EvidenceForm,
    "claims.edit_evidence": EvidenceForm,
    "claims.delete_evidence": DeleteForm,
    "articles.new": ArticleForm,
    "articles.from_link": ImportLinkForm,
    "articles.save_link_import": ImportReviewForm,
    "articles.create_claim": EditorNewClaimForm,
    "articles.accept_candidate": EditorAcceptCandidateForm,
    "articles.dismiss_candidate": DismissForm,
    "articles.dismiss_candidates": TriageForm,
    "articles.restore_candidate": RestoreForm,
    "search.create_alias_group": AliasGroupForm,
    "search.edit_alias_group": AliasGroupForm,
    "search.delete_alias_group": DeleteAliasGroupForm,
    "search.link": LinkForm,
    "search.unlink": ButtonForm,
    "search.reuse": ButtonForm,
    "publishing.publish": PublishForm,
    "publishing.unpublish": UnpublishForm,
    "admin.create_user": NewUserForm,
    "admin.change_role": RoleForm,
    "admin.set_active": ActiveForm,
    "admin.reset_password": ResetPasswordForm,
    "admin.create_webhook": WebhookForm,
    "admin.remove_webhook": WebhookActionForm,
    "admin.redeliver_webhook": WebhookActionForm,
    "feeds.subscribe": FeedForm,
    "feeds.remove": FeedActionForm,
    "feeds.triage_one": FeedActionForm,
    "feeds.triage_many": BulkTriageForm,
}

# GET routes whose query string is a form: the form class, plus the arguments
# the view reads directly from request.args.
GET_FORMS: dict[str, tuple[type, tuple[str, ...]]] = {
    "claims.index": (QueueFilterForm, ("page",)),
    "search.search": (QueueFilterForm, ("q", "kind", "page")),
    "dashboard.index": (DashboardFilterForm, ()),
    "dashboard.export_csv": (DashboardFilterForm, ("bom",)),
    "dashboard.export_claimreview": (DashboardFilterForm, ()),
}


def form_fields(form_class: type) -> list[str]:
    """The names of a form's input fields (the submit button and the CSRF token aside)."""
    names = []
    for name in dir(form_class):
        if name.startswith("_") or name == "submit":
            continue
        if isinstance(getattr(form_class, name, None), UnboundField):
            names.append(name)
    return sorted(names)


def test_every_form_route_is_fuzzed(app):
    posts = {endpoint for endpoint, method in EXPECTED if method == "POST"}
    assert posts == set(POST_FORMS), "a POST route was added or removed: update POST_FORMS"
    for endpoint in GET_FORMS:
        assert (endpoint, "GET") in EXPECTED
    # Reading the fields from the classes finds what the templates render.
    assert form_fields(EvidenceForm) == [
        "accessed_on", "archive_url", "note", "published_on", "publisher", "stance", "title", "url"
    ]
    assert "priority" in form_fields(EditorClaimEditForm) and "version" in form_fields(EditorClaimEditForm)


# --- value strategies --------------------------------------------------------------

ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # every code point a form can carry (no lone surrogates)
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\x7f", "\x85", "\u2028", "\u202e", "\ufeff", "\u200b"])
SHORT_TEXT = st.text(alphabet=ANY_CHAR, max_size=40)
CONTROL_TEXT = st.text(alphabet=ANY_CHAR | CONTROL, max_size=30)


def _long(chunk: str, size: int) -> str:
    return (chunk * (size // max(1, len(chunk)) + 1))[:size]


LONG_TEXT = st.builds(_long, st.text(alphabet=ANY_CHAR, min_size=1, max_size=8), st.integers(200, 20_000))

INTERESTING = [
    "", " ", "\t", "\r\n", "0", "-0", "1", "-1", "+5", " 7 ", "1_000", "1,000", "1,000.5", "0x1F", "1e3", "1e309",
    "-1e309", "NaN", "inf", "-Infinity", "3.14159265358979323846264338327950288", "2147483647", "2147483648",
    "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
    "99999999999999999999999999999999", "１２", "١٢", "½", "true", "false", "on", "off", "yes", "None", "null",
    "[]", "{}", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{7*7}}", "${7*7}",
    "' OR '1'='1", "'; DROP TABLE claims; --", "%", "%25", "%00", "\\", "../../etc/passwd", "\u202eevil",
    "\ufeffbom", "🚀", "e\u0301", "ﷺ", "𝟘𝟙", "javascript:alert(1)", "data:text/html,x", "//evil.example",
    "https://", "http://[::1", "https://example.org:99999/", "https://user:pw@example.org/",
    "https://example.org/" + "a" * 2100,
]

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%Y%m%d", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S",
                "%d %B %Y", "%b %d, %Y", "%Y-%j", " %Y-%m-%d ", "%Y-%m-%d %H:%M"]
DATES = st.builds(
    lambda d, fmt: d.strftime(fmt),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(DATE_FORMATS),
) | st.sampled_from(["2020-02-30", "2019-02-29", "2020-13-01", "0000-01-01", "10000-01-01", "2020-1-1",
                     "-2020-01-01", "2020-01-01Z", "today", "yesterday"])
NUMBERS = (
    st.integers(-(10**6), 10**6).map(str)
    | st.integers(-(10**40), 10**40).map(str)
    | st.floats(allow_nan=True, allow_infinity=True).map(repr)
    | st.decimals(allow_nan=True).map(str)
)

HOSTILE = st.one_of(SHORT_TEXT, CONTROL_TEXT, st.sampled_from(INTERESTING), NUMBERS, DATES, LONG_TEXT)
RANDOM_KEYS = st.one_of(
    st.text(alphabet=ANY_CHAR, min_size=1, max_size=12),
    st.sampled_from(["id", "status", "role", "is_active", "approved_by_id", "assignee_id", "next", "csrf_token",
                     "submit", "version[]", "__proto__", "0", "", "page", "sort", "q"]),
)


@dataclass(frozen=True)
class Version:
    """Stands for a claim's version, resolved against the database when the request is sent."""

    offset: int


def _plausible(world: World) -> dict[str, st.SearchStrategy]:
    """Values each field accepts, so that many examples get past validation into the services."""
    user_ids = [str(u.id) for u in world.users.values()]
    claim_ids = [str(c.id) for c in (world.unverified, world.in_review, world.pending, world.verified)]
    spans = st.tuples(st.integers(0, len(BODY) - 1), st.integers(1, 60)).map(lambda t: BODY[t[0] : t[0] + t[1]])
    url = st.sampled_from(["https://example.org/report", "http://127.0.0.1:8080/x", "https://[2001:db8::1]/p",
                           "HTTPS://EXAMPLE.ORG/A?b=c#d", "https://example.org/" + "é" * 10]) | st.builds(
        lambda s: "https://example.org/" + s, st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30))
    iso = st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 31)).map(date.isoformat)
    yes_no = st.sampled_from(["y", "on", "1", "true", "", "0", "false", "no"])
    text = st.text(alphabet=ANY_CHAR, min_size=1, max_size=80)
    return {
        "username": st.sampled_from(["rita", "RITA", " rita ", "ghost", "ada", "newbie", "a.b-c_d", "x" * 64, "x" * 65]),
        "password": st.sampled_from([PASSWORD, "a long new passphrase", "short", "rita rita rita rita"]) | text,
        "current_password": st.sampled_from([PASSWORD, "wrong"]),
        "new_password": st.sampled_from(["a brand new passphrase", PASSWORD, "short", "aaaaaaaaaaaaaaa"]),
        "confirm": st.sampled_from(["a brand new passphrase", PASSWORD, "short"]),
        "display_name": text,
        "role": st.sampled_from([r.value for r in Role] + ["root", "ADMIN"]),
        "active": st.sampled_from(["0", "1", "", "yes"]),
        "version": st.sampled_from([Version(0), Version(0), Version(0), Version(-1), Version(1)]),
        "statement": text,
        "category": st.sampled_from([c.value for c in Category] + ["Weapons", "none"]),
        "claimant": text,
        "quantity_value": st.sampled_from(["6", "2.5", "1,500", "-3", "0", "1e3", "999999999999999.9999",
                                           "1e16", "0.00001", "12 ", "six"]),
        "quantity_unit": st.sampled_from(["missiles", "", "km", "people"]) | text,
        "quantity_qualifier": st.sampled_from([""] + list(QUALIFIERS) + ["roughly"]),
        "hedged": yes_no,
        "hedge_note": text,
        "priority": st.sampled_from([str(p) for p in PRIORITY_LABELS] + ["-1", "99", "high"]),
        "quote": spans | st.sampled_from(["six missiles", "Over 2,000 troops remain deployed", "the", "."]),
        "occurrence": st.sampled_from(["", "1", "2", "0", "-1", "10000", "10001"]),
        "assignee": st.sampled_from(user_ids + ["0", "-1", "999999"]),
        "verdict": st.sampled_from([v.value for v in Verdict] + ["TRUE", "maybe"]),
        "rationale": text,
        "comment": text,
        "url": url,
        "archive_url": url | st.just(""),
        "title": text,
        "publisher": text,
        "stance": st.sampled_from([s.value for s in Stance] + ["neutral"]),
        "accessed_on": iso | st.sampled_from(["", date.today().isoformat()]),
        "note": text,
        "outlet": text,
        "byline": text,
        "published_on": iso | st.just(""),
        "body": st.builds(lambda a, b: f"{a}. Officials said {b} missiles were fired.", text, st.integers(0, 10**6)),
        "name": text,
        "terms": st.lists(text, max_size=5).map("\n".join),
        "other": st.sampled_from(claim_ids + ["0", "-5", "2147483648"]),
        "kind": st.sampled_from([k.value for k in LinkKind] + list(KINDS) + ["both"]),
        # query-string forms
        "status": st.sampled_from(["", "open"] + [s.value for s in ClaimStatus]),
        "article": st.sampled_from(["", str(world.article.id), "0", "-1", "2147483648"]),
        "created_from": iso, "created_to": iso, "verified_from": iso, "verified_to": iso,
        "proposed_from": iso, "proposed_to": iso,
        "proposed_by": st.sampled_from(user_ids + ["", "0"]),
        "approved_by": st.sampled_from(user_ids + ["", "0"]),
        "sort": st.sampled_from(list(SORTS) + ["", "random"]),
        "page": st.integers(-5, 10**6).map(str),
        "q": st.sampled_from(["missiles", "Deir al Zour", "\"six missiles\" OR report", "-missiles", "OR", ""]) | text,
        "bom": yes_no,
        "event_types": st.sampled_from(["claim.taken", "claim.published", "article.imported", "claim.exploded", ""]),
        "description": text,
        "email": st.sampled_from(["rita@example.org", "", "not an address", "a@b", "x" * 250 + "@example.org"]) | text,
        "notify": yes_no,
    }


def _value(name: str, plausible: dict) -> st.SearchStrategy:
    if name in plausible:
        return st.one_of(plausible[name], plausible[name], HOSTILE)
    return HOSTILE


@st.composite
def form_data(draw, fields: list[str], plausible: dict) -> list[tuple[str, object]]:
    """(key, value) pairs: each field present, missing or repeated, plus random keys, in any order."""
    pairs: list[tuple[str, object]] = []
    for name in fields:
        mode = draw(st.sampled_from(["once", "once", "once", "once", "missing", "repeated"]))
        if mode == "missing":
            continue
        for _ in range(1 if mode == "once" else draw(st.integers(2, 3))):
            pairs.append((name, draw(_value(name, plausible))))
    pairs += draw(st.lists(st.tuples(RANDOM_KEYS, HOSTILE), max_size=3))
    return draw(st.permutations(pairs)) if len(pairs) > 1 else pairs


@st.composite
def path_of(draw, url: str) -> str:
    """Usually the route's URL for the world; sometimes with other numbers in its path."""
    if draw(st.integers(0, 9)) > 0:
        return url
    return re.sub(r"/\d+", lambda m: "/" + str(draw(st.integers(0, 10**20))), url)


# --- running the examples --------------------------------------------------------------


def _fuzz_settings(examples: int = FUZZ_EXAMPLES):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,  # nothing written to .hypothesis/ by the suite
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class FuzzClient:
    """A logged-in session that keeps its CSRF token fresh, posts raw multi-valued data,
    and checks every answer (and the page a redirect leads to) for a crash."""

    def __init__(self, client: WebClient, caplog, relogin: Callable[[], WebClient] | None = None):
        self.client = client
        self.caplog = caplog
        self.relogin = relogin
        self.token = client.csrf_token()

    def _learn(self, response) -> None:
        if response.mimetype == "text/html":
            token = csrf_from(response.get_data(as_text=True))
            if token:
                self.token = token

    def check(self, response, what: str) -> None:
        try:
            body = response.get_data(as_text=True)  # runs a streamed export to its end
        except Exception:  # noqa: BLE001 - an error in the middle of a download
            pytest.fail(f"{what}: the response broke while streaming:\n{traceback.format_exc()}")
        logged = [r for r in self.caplog.records if r.levelno >= logging.ERROR and r.exc_info]
        detail = "".join(traceback.format_exception(*logged[-1].exc_info))[-1500:] if logged else ""
        assert response.status_code < 500, f"{what} -> {response.status_code}\n{detail}"
        assert "Traceback" not in body, what
        self._learn(response)

    def send(self, method: str, url: str, pairs: list[tuple[str, str]], csrf: str) -> int:
        self.caplog.clear()
        what = f"{method} {url} {pairs!r}"[:3000]
        if method == "GET":
            response = self.client.raw.get(url, query_string=MultiDict(pairs))
        else:
            if csrf == "valid":
                pairs = [("csrf_token", self.token)] + pairs
            elif csrf == "garbage":
                pairs = [("csrf_token", "garbage." + self.token[::-1])] + pairs
            response = self.client.raw.post(url, data=MultiDict(pairs))
        self.check(response, what)
        if response.status_code in (301, 302, 303, 307, 308):
            location = response.headers["Location"]
            self.caplog.clear()
            self.check(self.client.raw.get(location), f"{what}\n  then GET {location}")
            if "/login" in location and self.relogin is not None and method == "POST" and url != "/login":
                # Logged out (the logout route, or a password change elsewhere): log in again.
                self.client = self.relogin()
                self.token = self.client.csrf_token()
        return response.status_code


def _claim_of(endpoint: str, world: World) -> int | None:
    """The claim whose version a versioned route's form carries."""
    return {
        "claims.edit": world.unverified.id,
        "claims.take": world.unverified.id,
        "claims.assign": world.unverified.id,
        "claims.propose": world.in_review.id,
        "claims.approve": world.pending.id,
        "claims.send_back": world.pending.id,
        "claims.reopen": world.verified.id,
        "publishing.publish": world.verified.id,
        "publishing.unpublish": world.verified.id,
    }.get(endpoint)


def _resolve(pairs, session, claim_id: int | None) -> list[tuple[str, str]]:
    out = []
    for key, value in pairs:
        if isinstance(value, Version):
            current = session.execute(select(Claim.version).where(Claim.id == claim_id)).scalar_one() if claim_id else 1
            value = str(current + value.offset)
        out.append((key, value))
    return out


POST_KEYS = sorted(k for k in EXPECTED if k[1] == "POST")
# Routes where one example changes the session itself: fewer examples (each logs in again).
FEWER = {"auth.logout": 4, "auth.login": 8}


@pytest.mark.parametrize("key", POST_KEYS, ids=lambda k: k[0])
def test_fuzz_post_form(app, session, users, login, caplog, key):
    endpoint, _ = key
    world = build_world(session, users)
    url, _valid = EXPECTED[key][0](world)
    fields = form_fields(POST_FORMS[endpoint])
    plausible = _plausible(world)
    claim_id = _claim_of(endpoint, world)
    caplog.set_level(logging.ERROR)
    if endpoint == "auth.login":
        def fresh() -> WebClient:  # anonymous, every time: a successful log-in must not hide later examples
            client = WebClient(app.test_client())
            client.get("/login")
            return client
    else:
        def fresh() -> WebClient:
            return login("ada")
    fuzz = FuzzClient(fresh(), caplog, relogin=fresh)

    @_fuzz_settings(FEWER.get(endpoint, FUZZ_EXAMPLES))
    @given(
        pairs=form_data(fields, plausible),
        target=path_of(url),
        csrf=st.sampled_from(["valid"] * 8 + ["missing", "garbage"]),
    )
    def run(pairs, target, csrf):
        pairs = _resolve(pairs, session, claim_id)
        if endpoint in ("auth.login", "auth.logout"):
            fuzz.client = fresh()
            fuzz.token = fuzz.client.csrf_token()
        status = fuzz.send("POST", target, pairs, csrf)
        if endpoint in ("search.create_alias_group", "search.edit_alias_group") and status == 302:
            # Saved aliases feed the search and the related-claims panel: use them at once.
            terms = [line for k, v in pairs if k in ("name", "terms") for line in v.splitlines() if line.strip()]
            fuzz.send("GET", "/search", [("q", terms[0] if terms else "Deir")], "none")
            fuzz.send("GET", f"/claims/{world.unverified.id}", [], "none")

    run()


@pytest.mark.parametrize("endpoint", sorted(GET_FORMS))
def test_fuzz_query_string_form(app, session, users, login, caplog, endpoint):
    world = build_world(session, users)
    url = EXPECTED[(endpoint, "GET")][0](world)[0].split("?")[0]
    form_class, extra = GET_FORMS[endpoint]
    fields = form_fields(form_class) + list(extra)
    plausible = _plausible(world)
    caplog.set_level(logging.ERROR)
    fuzz = FuzzClient(login("ada"), caplog)

    @_fuzz_settings()
    @given(pairs=form_data(sorted(set(fields)), plausible))
    def run(pairs):
        fuzz.send("GET", url, pairs, "none")

    run()


# --- crashes the fuzzing found, fixed: each kept as a regression test ----------------------


def _status(client: WebClient, method: str, url: str, data: dict | None = None) -> int:
    """The status, or 500 when the app lets an exception out (e.g. in the middle of a download)."""
    try:
        response = client.get(url) if method == "GET" else client.post(url, data)
        response.get_data()
    except Exception:  # noqa: BLE001
        return 500
    return response.status_code


@pytest.mark.parametrize(
    "route",
    [
        "comment", "evidence title", "article title", "alias name", "user display name", "claim statement",
        "login username (anonymous)",
    ],
)
def test_nul_character_is_refused_beside_the_field(app, session, users, login, route):
    world = build_world(session, users)
    admin = login("ada")
    requests = {
        "comment": (f"/claims/{world.verified.id}/comments", {"comment": "a\x00b"}),
        "evidence title": (
            f"/claims/{world.in_review.id}/evidence",
            {"url": "https://example.org/x", "title": "t\x00", "stance": "context"},
        ),
        "article title": ("/articles/new", {"title": "Nul\x00title", "body": "Six rockets hit the port."}),
        "alias name": ("/aliases", {"name": "x\x00y", "terms": "a\nb"}),
        "user display name": (
            "/admin/users",
            {"username": "newbie", "display_name": "d\x00", "role": "reviewer", "password": "a long new passphrase"},
        ),
        "claim statement": (
            f"/claims/{world.unverified.id}/edit",
            {"statement": "Six\x00", "category": "weapons", "version": world.unverified.version},
        ),
    }
    if route == "login username (anonymous)":
        client = WebClient(app.test_client())
        client.get("/login")
        response = client.post("/login", {"username": "rita\x00", "password": "x"})
    else:
        url, data = requests[route]
        response = admin.post(url, data)
    assert response.status_code == 422
    assert "Remove the control characters" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/claims?created_to=9999-12-31",
        "/claims?verified_to=9999-12-31",
        "/claims?proposed_to=9999-12-31",
        "/search?q=missiles&created_to=9999-12-31",
        "/dashboard?created_to=9999-12-31",
        "/dashboard?created_from=0001-01-01&created_to=0001-03-01",
        "/export/verified.csv?created_to=9999-12-31",
        "/export/claimreview.json?created_to=9999-12-31",
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused(users, login, url):
    assert _status(login("ada"), "GET", url) < 500


@pytest.mark.parametrize(
    "url",
    [
        "/claims?page=99999999999999999999",
        "/articles?page=99999999999999999999",
        "/activity?page=99999999999999999999",
        "/search?q=missiles&kind=claims&page=99999999999999999999",
    ],
)
def test_huge_page_numbers_are_clamped(session, users, login, url):
    if "search" in url:
        build_world(session, users)  # the search needs a match to page through
    assert _status(login("ada"), "GET", url) < 500


@pytest.mark.parametrize(
    "url", ["/claims?endpoint=x", "/claims?_method=POST", "/search?q=missiles&kind=claims&endpoint=x",
            "/search?q=missiles&kind=claims&_method=PUT"]
)
def test_query_keys_never_reach_url_for(session, users, login, url):
    if "search" in url:
        build_world(session, users)  # the search builds its links only around results
    assert _status(login("ada"), "GET", url) < 500


@pytest.mark.parametrize("url", ["/claims?assignee=%C2%B2", "/search?q=missiles&assignee=%C2%B2"])
def test_unicode_digits_in_the_assignee_filter(users, login, url):
    assert _status(login("ada"), "GET", url) < 500


def test_assign_without_an_assignee_is_refused_by_the_form(session, users, login):
    world = build_world(session, users)
    client = login("ada")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = client.post(f"/claims/{world.unverified.id}/assign", {"version": world.unverified.version})
    assert response.status_code == 422
    assert not [w for w in caught if issubclass(w.category, SAWarning)], "the missing assignee reached the database layer"
