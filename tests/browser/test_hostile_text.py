"""Text that tries to run: script tags, attribute break-outs, template syntax.

Everything is typed through the UI (an article pasted at /articles/new, a claim
made from it, evidence, a comment, a verdict that gets approved), then every
page that shows it is read back in the browser: the text is shown as text,
nothing runs (no dialog, no injected element), and the console is clean.
"""

from __future__ import annotations

import re
from urllib.parse import quote as urlquote

import pytest

from .support import claim_id_from, login

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
TEMPLATE = "{{7*7}}"
HOSTILE = f"{SCRIPT} {IMG} {TEMPLATE}"

TITLE = f"Hostile headline {HOSTILE}"
BODY = "\n\n".join(
    [
        f"Officials said the convoy was hit near the border crossing {SCRIPT} late on Tuesday.",
        f"A spokesman claimed {IMG} that about 300 fighters had been deployed, a figure that "
        "could not be independently verified.",
        f"The ministry's statement ended with the marker {TEMPLATE} and nothing else.",
    ]
)


def assert_nothing_injected(page, where: str) -> None:
    """What would show that markup from the data became markup on the page."""
    assert page.locator("img[src=x]").count() == 0, f"{where}: an <img src=x> was injected"
    assert page.locator("[onerror]").count() == 0, f"{where}: an onerror attribute was injected"
    # The only scripts are the app's own files and inert JSON-LD data blocks.
    scripts = page.eval_on_selector_all(
        "script", "els => els.map(e => [e.getAttribute('src'), e.getAttribute('type'), e.textContent])"
    )
    for src, kind, text in scripts:
        assert (src or "").startswith("/static/") or kind == "application/ld+json", f"{where}: foreign script {src!r} {text[:80]!r}"
        assert "alert(" not in (text or "") or kind == "application/ld+json", f"{where}: script with alert: {text[:80]!r}"
    # Template syntax is shown as typed, never evaluated.
    assert page.get_by_text(TEMPLATE).count() >= 1, f"{where}: {TEMPLATE} is not shown"


def assert_literal(locator, expected: str) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(expected, use_inner_text=True)


def test_hostile_text_is_shown_as_text_and_never_runs(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    ctx, watch = new_context()
    page = ctx.new_page()
    login(page, base, "eddie")

    # --- an article pasted through the form ----------------------------------
    page.goto(f"{base}/articles/new")
    page.get_by_label("Headline", exact=True).fill(TITLE)
    page.get_by_label("Outlet", exact=True).fill(f"Outlet {IMG}")
    page.get_by_label("Byline", exact=True).fill(f"By {TEMPLATE}")
    page.get_by_label("Text", exact=True).fill(BODY)
    page.get_by_role("button", name="Add article").click()
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    article_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator(".flash--success")).to_contain_text("Article added")
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_text(TITLE)
    assert "49" not in h1.inner_text()
    assert page.title().startswith(TITLE), page.title()

    # --- a claim made from its hostile words ------------------------------------
    form = page.locator("#new-claim form")
    form.get_by_label("Exact words in the article", exact=True).fill(SCRIPT)
    form.get_by_label("Statement", exact=True).fill(f"Statement {HOSTILE}")
    form.get_by_label("Category", exact=True).select_option("event")
    form.get_by_label("Claimant", exact=True).fill(f"Claimant {IMG} {TEMPLATE}")
    form.get_by_label("The source hedges it", exact=False).check()
    form.get_by_label("Hedging words", exact=True).fill(f"said {TEMPLATE}")
    form.get_by_role("button", name="Create claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+(#.*)?$"))
    claim_id = claim_id_from(page.url)
    expect(page.locator("mark.claim-mark--focus")).to_have_text(SCRIPT)

    # Take it, add evidence with hostile fields; a javascript: link is refused.
    page.get_by_role("button", name="Take", exact=True).click()
    expect(page.locator(".flash--success")).to_have_text("The claim is yours: it is now in review.")
    page.locator("summary", has_text="Add evidence").click()
    evidence = page.locator("form[action*='/evidence']")
    evidence.get_by_label("Link", exact=True).fill("javascript:alert(3)")
    evidence.get_by_label("Title", exact=True).fill(f"Evidence {HOSTILE}")
    evidence.get_by_role("button", name="Save evidence").click()
    expect(page.locator("#evidence-url-error")).to_be_visible()
    expect(page.locator("a[href^='javascript:']")).to_have_count(0)
    evidence = page.locator("form[action*='/evidence']")
    # The refused form comes back open, with the user's input kept.
    expect(evidence.get_by_label("Title", exact=True)).to_have_value(f"Evidence {HOSTILE}")
    evidence.get_by_label("Link", exact=True).fill(f"https://example.org/report?q={urlquote(SCRIPT)}")
    evidence.get_by_label("Publisher", exact=True).fill(f"Publisher {IMG}")
    evidence.get_by_label("Note", exact=True).fill(f"Note {HOSTILE}")
    evidence.get_by_role("button", name="Save evidence").click()
    expect(page.locator(".flash--success")).to_have_text("Evidence added.")

    page.get_by_label("Comment", exact=True).fill(f"Comment {HOSTILE}")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".flash--success")).to_have_text("Comment added.")

    # Eddie proposes, Erin approves: a verified claim's page embeds its ClaimReview as JSON-LD.
    page.locator("#propose").get_by_label("Verdict", exact=True).select_option("false")
    page.locator("#propose").get_by_label("Rationale", exact=True).fill(f"Rationale {HOSTILE}")
    page.locator("#propose").get_by_role("button", name="Propose verdict").click()
    expect(page.locator(".flash--success")).to_contain_text("Verdict proposed")
    ctx2, watch2 = new_context()
    erin = ctx2.new_page()
    login(erin, base, "erin")
    erin.goto(f"{base}/claims/{claim_id}")
    erin.get_by_role("button", name="Approve verdict").click()
    expect(erin.locator(".flash--success")).to_have_text("Verdict approved: the claim is verified.")

    # --- read it all back ----------------------------------------------------------
    # The article page: title, meta, text, the claim list.
    page.goto(f"{base}/articles/{article_id}")
    assert_nothing_injected(page, "article page")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_literal(page.locator(".meta"), f"Outlet {IMG}")
    assert_literal(page.locator(".meta"), f"By {TEMPLATE}")
    body = page.locator("#article-body")
    assert_literal(body, f"border crossing {SCRIPT} late")
    assert_literal(body, f"claimed {IMG} that")
    assert_literal(body, f"marker {TEMPLATE} and")
    assert "49" not in body.inner_text()
    assert_literal(page.locator(f"#claim-{claim_id}"), SCRIPT)

    # The claim page: quote in context, fields, evidence, history, verdict.
    page.goto(f"{base}/claims/{claim_id}")
    assert_nothing_injected(page, "claim page")
    assert_literal(page.locator(".breadcrumb"), TITLE)
    expect(page.locator("mark.claim-mark--focus")).to_have_text(SCRIPT)
    fields = page.locator("dl.fields")
    expect(fields.locator("div", has_text="Statement").locator("dd")).to_have_text(f"Statement {HOSTILE}")
    expect(fields.locator("div", has_text="Claimant").locator("dd")).to_have_text(f"Claimant {IMG} {TEMPLATE}")
    expect(fields.locator("div", has_text="Hedged").locator("dd")).to_have_text(f"Yes — “said {TEMPLATE}”")
    expect(fields.locator("div", has_text="Rationale").locator("dd")).to_have_text(f"Rationale {HOSTILE}")
    item = page.locator(".evidence-list li")
    expect(item.get_by_role("link", name=f"Evidence {HOSTILE}")).to_have_count(1)
    assert_literal(item, f"Publisher {IMG}")
    expect(item.locator(".evidence__note")).to_have_text(f"Note {HOSTILE}")
    expect(page.locator("#history .comment")).to_have_text([f"Comment {HOSTILE}", f"Rationale {HOSTILE}"])
    json_ld = page.locator("script[type='application/ld+json']")
    expect(json_ld).to_have_count(1)
    assert "</script" not in json_ld.evaluate("e => e.textContent").lower()
    claim_review = json_ld.evaluate("e => JSON.parse(e.textContent)")
    assert f"Statement {HOSTILE}" in str(claim_review), claim_review

    # The queue, filtered to the article.
    page.goto(f"{base}/claims?article={article_id}")
    assert_nothing_injected(page, "queue")
    row = page.locator("table.table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("q")).to_have_text(SCRIPT)
    assert_literal(row, f"— Claimant {IMG} {TEMPLATE}")

    # Search results, with the hostile words as the query as well (reflected in the page).
    page.goto(f"{base}/search?q=alert")
    assert_nothing_injected(page, "search results")
    for section in ("claims", "evidence", "articles"):
        hits = page.locator(f"section[aria-labelledby=results-{section}] .search-hits > li")
        assert hits.count() >= 1, f"no {section} found for 'alert'"
    assert_literal(page.locator("section[aria-labelledby=results-claims]"), f"Statement {HOSTILE}")
    assert_literal(page.locator("section[aria-labelledby=results-evidence]"), f"Evidence {HOSTILE}")
    assert_literal(page.locator("section[aria-labelledby=results-articles]"), TITLE)
    page.goto(f"{base}/search?q={urlquote(HOSTILE)}")
    assert_nothing_injected(page, "search for the hostile words")
    expect(page.locator("#q")).to_have_value(HOSTILE)
    expect(page.locator("#site-search")).to_have_value(HOSTILE)
    assert page.title().startswith(f"Search: {SCRIPT}"), page.title()

    # The dashboard lists the article (hedged claims) and the activity feed the comment.
    page.goto(f"{base}/dashboard")
    assert_nothing_injected(page, "dashboard")
    expect(page.locator("section[aria-labelledby=articles-heading]").get_by_role("link", name=TITLE)).to_have_count(1)
    page.goto(f"{base}/activity")
    assert_nothing_injected(page, "activity")
    assert_literal(page.locator("table.table"), f"Comment {HOSTILE}")

    assert watch.dialogs == [] and watch2.dialogs == [], (watch.dialogs, watch2.dialogs)
    # The refused evidence form answered 422; Chromium reports that document as a failed load.
    watch.assert_clean(allow_console=(r"status of 422 \(UNPROCESSABLE ENTITY\)",))
    watch2.assert_clean()


def test_the_csp_blocks_markup_that_would_get_through(new_context, live_server):
    """The second wall, and proof that the checks above can see a failure: the login
    page, as the app serves it (headers included), with markup spliced into its body
    on the way to the browser. Chromium must refuse to run any of it, and say so."""
    base = live_server.base_url
    ctx, watch = new_context()
    page = ctx.new_page()
    injected = f'{SCRIPT}<img src=x onerror=alert(2)><p id="styled" style="color: rgb(255, 0, 0)">{TEMPLATE}</p>'

    def splice(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace("</main>", injected + "</main>"))

    page.route(f"{base}/login", splice)
    response = page.goto(f"{base}/login")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy
    page.wait_for_load_state("load")
    page.wait_for_function("document.querySelector('img[src=x]').complete")  # its error has happened

    assert watch.dialogs == [], f"the CSP let a script run: {watch.dialogs}"
    violations = " | ".join(watch.csp_violations())
    # Chromium words these "Refused to execute inline script ..." or, since about
    # version 130, "Executing inline script violates the following Content Security Policy ...".
    assert re.search(r"(?i)(refused to execute|executing) inline script", violations), violations
    assert re.search(r"(?i)(refused to execute|executing) inline event handler", violations), violations
    assert re.search(r"(?i)(refused to apply|applying) inline style", violations), violations
    color = page.locator("#styled").evaluate("e => getComputedStyle(e).color")
    assert color != "rgb(255, 0, 0)", "the CSP let an inline style apply"
    # The checks the other tests rely on do see all this.
    with pytest.raises(AssertionError):
        assert_nothing_injected(page, "spliced login page")
    with pytest.raises(AssertionError):
        watch.assert_clean()
