"""Helpers for the browser tests: what a page did (console, errors, dialogs,
requests, responses), logging in through the form, screenshots.

Playwright is imported lazily so that collecting the suite works on a machine
without it (the fixtures in conftest.py then skip or fail, see there).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "correct horse battery"  # >= 12 characters, contains no username
# username -> (role, display name)
USERS = {
    "rita": ("reviewer", "Rita Reviewer"),
    "eddie": ("editor", "Eddie Editor"),
    "erin": ("editor", "Erin Editor"),
    "ada": ("admin", "Ada Admin"),
}


@dataclass
class Watch:
    """Everything the pages of one browser context did that a test may assert on."""

    console: list[tuple[str, str, str, str]] = field(default_factory=list)  # (type, text, page url, source url)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[tuple[str, str]] = field(default_factory=list)  # (type, message)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, url, resource type)
    responses: list[tuple[int, str, str]] = field(default_factory=list)  # (status, url, resource type)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, failure)
    # A test that clicks a destructive action (data-confirm, static/js/confirm.js)
    # sets this to answer its confirm() with OK (True) or Cancel (False); the
    # questions asked go to ``confirms``. Left None, any dialog is unexpected:
    # it is dismissed and recorded in ``dialogs``.
    confirm_answer: bool | None = None
    confirms: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: self.console.append((m.type, m.text, page.url, (m.location or {}).get("url", ""))))
        page.on("pageerror", lambda e: self.page_errors.append(f"{page.url}: {e}"))
        page.on("dialog", self._on_dialog)
        page.on("request", lambda r: self.requests.append((r.method, r.url, r.resource_type)))
        page.on("response", lambda r: self.responses.append((r.status, r.url, r.request.resource_type)))
        page.on("requestfailed", lambda r: self.failed.append((r.url, r.failure or "")))

    def _on_dialog(self, dialog) -> None:
        if dialog.type == "confirm" and self.confirm_answer is not None:
            self.confirms.append(dialog.message)
            dialog.accept() if self.confirm_answer else dialog.dismiss()
            return
        self.dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    # --- what the tests assert -------------------------------------------------

    def csp_violations(self) -> list[str]:
        """Chromium reports a blocked inline script as "Refused to execute ..." in older
        versions and as "... violates the following Content Security Policy directive"
        in newer ones (156 here): both count."""
        return [
            f"{url}: {text}"
            for _kind, text, url, _source in self.console
            if "Refused to" in text or "Content Security Policy" in text
        ]

    def favicon_errors(self) -> list[str]:
        """Console errors about /favicon.ico. Chromium asks for the icon once per browser
        (then caches the answer), so only test_network.py's own browser reliably sees it."""
        return [
            f"{url}: {text}" for kind, text, url, source in self.console if kind == "error" and _is_favicon(source)
        ]

    def console_errors(self, allow: tuple[str, ...] = ()) -> list[str]:
        return [
            f"{url}: {text} [{source}]"
            for kind, text, url, source in self.console
            if kind in ("error", "warning") and not any(re.search(p, text) for p in allow)
        ]

    def off_host(self, host: str, port: int) -> list[str]:
        """Requests that went anywhere but host:port (data: URLs never leave the browser)."""
        bad = []
        for _method, url, _kind in self.requests:
            parts = urlsplit(url)
            if parts.scheme == "data":
                continue
            if parts.scheme not in ("http", "https") or parts.hostname != host or parts.port != port:
                bad.append(url)
        return bad

    def error_responses(self, allow_paths: tuple[str, ...] = ()) -> list[str]:
        return [
            f"{status} {url} ({kind})"
            for status, url, kind in self.responses
            if status >= 400 and urlsplit(url).path not in allow_paths
        ]

    def assert_clean(self, *, allow_console: tuple[str, ...] = ()) -> None:
        """No dialog, no JS error, no CSP violation, no console error or warning."""
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.page_errors == [], f"JavaScript errors: {self.page_errors}"
        assert self.csp_violations() == [], f"CSP violations: {self.csp_violations()}"
        assert self.console_errors(allow_console) == [], f"console errors: {self.console_errors(allow_console)}"


def _is_favicon(url: str) -> bool:
    return urlsplit(url).path == "/favicon.ico"


def login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would: labels, then the button."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(re.compile(r"/claims(\?|$)"))
    display = USERS[username][1]
    flash = page.locator(".flash--success")
    assert flash.inner_text().strip() == f"Logged in as {display}.", flash.inner_text()
    assert display in page.locator(".user-menu").inner_text()


def screenshot(page, name: str) -> Path:
    """A full-page PNG of what the user sees, in artifacts/screenshots/NAME.png."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def claim_id_from(url: str) -> int:
    match = re.search(r"/claims/(\d+)", url)
    assert match, f"not a claim page: {url}"
    return int(match.group(1))


def queue_row(page, base_url: str, quote: str, **filters):
    """The queue's row for the claim quoting exactly QUOTE, under FILTERS (query arguments)."""
    from urllib.parse import urlencode

    page.goto(f"{base_url}/claims?{urlencode(filters)}")
    rows = page.locator("table.table tbody tr").filter(
        has=page.locator("q", has_text=re.compile("^" + re.escape(quote) + "$"))
    )
    assert rows.count() == 1, f"{rows.count()} rows quote {quote!r} in /claims?{urlencode(filters)}"
    return rows


def claim_id_by_quote(page, base_url: str, quote: str, **filters) -> int:
    row = queue_row(page, base_url, quote, **filters)
    return claim_id_from(row.locator("a.claim-link").get_attribute("href"))


def article_id_by_title(page, base_url: str, title_start: str) -> int:
    """The article listed at /articles whose headline starts with TITLE_START."""
    page.goto(f"{base_url}/articles")
    link = page.locator("table.table tbody tr a").filter(has_text=re.compile("^" + re.escape(title_start)))
    assert link.count() == 1, f"{link.count()} articles titled {title_start!r}…"
    return int(link.get_attribute("href").rsplit("/", 1)[1])


# --- a world of one's own: an article and claims in every state ------------------


@dataclass
class ClaimWorld:
    """An article of the test's own (so no other test's seed claims change) with
    claims in each state, made through the services as the users would."""

    article_id: int
    unverified: int  # untouched
    in_review: int  # taken by rita, with rita's evidence
    pending: int  # proposed by rita, awaiting an editor
    verified: int  # proposed by rita, approved by erin
    sent_back: int  # proposed by rita, sent back by erin with a comment
    evidence_id: int  # rita's evidence on ``in_review``
    candidate_id: int  # a suggestion of the article still pending
    alias_group_id: int  # a group of the seed's aliases
    user_ids: dict[str, int]  # username -> id, for USERS


def build_claim_world(database_url: str, tag: str) -> ClaimWorld:
    """TAG makes the article's text unique (the same text is not imported twice)."""
    from sqlalchemy import func, select

    from factcheck.db import Database
    from factcheck.models import AliasGroup, CandidateStatus, ClaimCandidate, User, Verdict
    from factcheck.services import articles, related, workflow
    from factcheck.services.workflow import ClaimFields, EvidenceFields

    # Figures and wording of its own: the seed's quotes stay unique in the queue and in search.
    body = (
        f"Deir Ezzor ({tag}) — Officials said nine rockets flew 212 kilometres before striking the depot near Deir Ezzor. "
        "The attack killed 31 villagers and injured 58 bystanders, the ministry said.\n\n"
        "Over 1,800 soldiers remain deployed in the province, according to the Pentagon. "
        "The Revolutionary Guards said 14 drones were shot down, a claim Reuters could not independently verify.\n\n"
        "A second strike destroyed 4 warehouses on Tuesday."
    )
    database = Database.from_url(database_url)
    try:
        with database.session() as session:
            ids = {name: session.execute(select(User.id).where(User.username == name)).scalar_one() for name in USERS}
            rita, erin = ids["rita"], ids["erin"]
            (article,) = articles.import_articles(
                session,
                [articles.ArticleDraft(title=f"Strike on a depot near Deir Ezzor ({tag})", body=body, outlet="Wire", source=tag)],
                imported_by_id=rita,
            )

            def claim(quote: str, category: str) -> int:
                fields = ClaimFields(statement=f"{quote} ({tag}).", category=category, claimant="the ministry")
                return workflow.create_claim(session, rita, article.id, quote, fields).id

            made = {
                "unverified": claim("nine rockets flew 212 kilometres", "weapons"),
                "in_review": claim("killed 31 villagers", "casualties"),
                "pending": claim("injured 58 bystanders", "casualties"),
                "verified": claim("Over 1,800 soldiers remain deployed", "forces"),
                "sent_back": claim("14 drones were shot down", "weapons"),
            }
            link = EvidenceFields(
                url="https://example.org/depot-strike", title="Ministry statement on the depot strike",
                stance="supports", publisher="Example News", note="Gives the same toll.",
            )
            for name in ("in_review", "pending", "verified", "sent_back"):
                workflow.take_claim(session, rita, made[name])
                evidence = workflow.add_evidence(session, rita, made[name], link)
                if name == "in_review":
                    evidence_id = evidence.id
                    continue
                workflow.propose_verdict(session, rita, made[name], Verdict.MOSTLY_TRUE, "The ministry's figures match.")
            workflow.approve_verdict(session, erin, made["verified"])
            workflow.send_back(session, erin, made["sent_back"], "Find a second, independent source.")
            related.link_claims(session, rita, made["unverified"], made["verified"], "related")
            session.commit()
            candidate_id = session.execute(
                select(ClaimCandidate.id).where(
                    ClaimCandidate.article_id == article.id, ClaimCandidate.status == CandidateStatus.PENDING
                ).order_by(ClaimCandidate.id).limit(1)
            ).scalar_one()
            alias_group_id = session.execute(select(func.min(AliasGroup.id))).scalar_one()
            return ClaimWorld(
                article.id, evidence_id=evidence_id, candidate_id=candidate_id, alias_group_id=alias_group_id,
                user_ids=ids, **made,
            )
    finally:
        database.dispose()


# --- accessibility: axe-core, vendored (tests/browser/vendor, MPL-2.0) -----------

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page, impacts: tuple[str, ...] = AXE_FAILING_IMPACTS) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now.

    The page must belong to a context made with ``bypass_csp=True``: the app's
    CSP forbids the injected script, and the context lifts it for the test only.
    Returns the violations of the given impacts as dicts (id, impact, help, targets)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
            .then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.map(String).join(" "), summary: n.failureSummary || ""})),
            })))""",
        AXE_TAGS,
    )
    return [v for v in result if v["impact"] in impacts]


def describe_violations(where: str, violations: list[dict]) -> list[str]:
    """One line per node: page, rule id, impact, target selector, and axe's reason."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            reason = " ".join(node["summary"].split())[:200]
            lines.append(f"{where}: {v['id']} ({v['impact']}) at {node['target']} — {v['help']}. {reason}")
    return lines


# --- how things look ------------------------------------------------------------

# The computed colours of the three kinds of button (static/css/app.css).
PRIMARY_BUTTON = {"background": "rgb(31, 79, 191)", "color": "rgb(255, 255, 255)"}
SECONDARY_BUTTON = {"background": "rgb(255, 255, 255)", "color": "rgb(31, 79, 191)"}
DANGER_BUTTON = {"background": "rgb(179, 38, 30)", "color": "rgb(255, 255, 255)"}


def button_look(locator) -> dict[str, str]:
    """The computed background, text and border colours of one element (not hovered)."""
    return locator.evaluate(
        """el => { const s = getComputedStyle(el);
                   return {background: s.backgroundColor, color: s.color, border: s.borderTopColor}; }"""
    )


def looks_like(locator, kind: dict[str, str]) -> bool:
    look = button_look(locator)
    return all(look[k] == v for k, v in kind.items())


def header_share(page) -> float:
    """The share of the viewport's height the site header takes at the top of the page."""
    return page.evaluate(
        "() => document.querySelector('.site-header').getBoundingClientRect().height / window.innerHeight"
    )


def page_scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def wider_than(page, width: int, limit: int = 5) -> list[str]:
    """The first few elements whose right edge passes WIDTH and that no ancestor
    clips or scrolls (what makes the page itself scroll sideways)."""
    return page.evaluate(
        """([width, limit]) => {
            const clipped = (el) => {
                for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                    if (getComputedStyle(p).overflowX !== "visible") { return true; }
                }
                return false;
            };
            const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                + (typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\\s+/).join(".") : "");
            return [...document.body.querySelectorAll("*")]
                .filter(e => e.getBoundingClientRect().right > width + 0.5 && !clipped(e))
                .slice(0, limit)
                .map(e => `${name(e)} (right edge ${Math.round(e.getBoundingClientRect().right)} px)`);
        }""",
        [width, limit],
    )


def set_account_active(database_url: str, username: str, active: bool) -> None:
    """Directly in the database: the clean-up of a test that deactivates a shared account."""
    from sqlalchemy import update

    from factcheck.db import Database
    from factcheck.models import User

    database = Database.from_url(database_url)
    try:
        with database.session() as session:
            session.execute(update(User).where(User.username == username).values(is_active=active))
            session.commit()
    finally:
        database.dispose()


def duplicate_ids(page) -> list[str]:
    """Ids used more than once on the page (a label then points at the wrong field).
    axe-core 4.x no longer checks this, so the tests do."""
    return page.evaluate(
        """() => { const seen = new Map();
                   for (const el of document.querySelectorAll("[id]")) { seen.set(el.id, (seen.get(el.id) || 0) + 1); }
                   return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} (${n} times)`); }"""
    )
