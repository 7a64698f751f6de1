"""The desk's main path in a real browser: a reviewer checks a claim, an editor
approves it, the dashboard and the CSV export show it."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .support import claim_id_from, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

QUOTE = "killed 29 people"
EVIDENCE_URL = "https://www.example.org/ahvaz-parade-attack-toll"
EVIDENCE_TITLE = "Ahvaz parade attack: official death toll"


def dashboard_numbers(page) -> tuple[int, int]:
    """(Verified in the by-status table, Mostly true in the by-verdict table)."""
    status_row = page.locator("section[aria-labelledby=by-status] tbody tr").filter(
        has=page.locator("td", has_text=re.compile(r"^Verified$"))
    )
    verdict_row = page.locator("section[aria-labelledby=by-verdict] tbody tr").filter(has_text="Mostly true")
    return (
        int(status_row.locator("td.num").inner_text().replace(",", "")),
        int(verdict_row.locator("td.num").inner_text().replace(",", "")),
    )


def test_reviewer_checks_a_claim_and_an_editor_approves_it(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url

    # The editor looks at the dashboard first, to know the numbers before.
    editor_ctx, editor_watch = new_context()
    editor = editor_ctx.new_page()
    login(editor, base, "eddie")
    editor.goto(f"{base}/dashboard")
    verified_before, mostly_true_before = dashboard_numbers(editor)

    # The reviewer logs in through the form and searches for the claim.
    reviewer_ctx, reviewer_watch = new_context()
    page = reviewer_ctx.new_page()
    login(page, base, "rita")
    page.get_by_label("Search claims, evidence and articles").fill(QUOTE)
    page.get_by_label("Search claims, evidence and articles").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=killed\+29\+people"))
    claims_section = page.locator("section[aria-labelledby=results-claims]")
    expect(claims_section.get_by_role("heading")).to_have_text(re.compile(r"Claims\s+\(1\)"))
    claims_section.get_by_role("link", name=re.compile("killed 29 people")).click()
    page.wait_for_url(re.compile(r"/claims/\d+$"))
    claim_id = claim_id_from(page.url)
    expect(page.locator("mark.claim-mark--focus")).to_have_text(QUOTE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Unverified")

    # Take it.
    page.get_by_role("button", name="Take", exact=True).click()
    expect(page.locator(".flash--success")).to_have_text("The claim is yours: it is now in review.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("In review")
    expect(page.locator("dl.fields div", has_text="Assignee")).to_contain_text("Rita Reviewer")

    # A verdict without evidence is refused, and the page says why.
    expect(page.locator("#propose")).to_contain_text("A verdict needs at least one evidence link")

    # Add evidence through the disclosure.
    page.locator("summary", has_text="Add evidence").click()
    form = page.locator("form[action*='/evidence']")
    form.get_by_label("Link", exact=True).fill(EVIDENCE_URL)
    form.get_by_label("Title", exact=True).fill(EVIDENCE_TITLE)
    form.get_by_label("Publisher", exact=True).fill("Example Wire")
    form.get_by_label("Stance", exact=True).select_option("supports")
    form.get_by_label("Accessed on", exact=True).fill("2018-10-02")
    form.get_by_label("Archived copy", exact=True).fill("https://web.archive.org/web/2018/https://www.example.org/x")
    form.get_by_label("Note", exact=True).fill("State media and Reuters both give 29 dead.")
    form.get_by_role("button", name="Save evidence").click()
    expect(page.locator(".flash--success")).to_have_text("Evidence added.")
    item = page.locator(".evidence-list li").filter(has_text=EVIDENCE_TITLE)
    expect(item).to_have_count(1)
    expect(item.get_by_role("link", name=EVIDENCE_TITLE)).to_have_attribute("href", EVIDENCE_URL)
    expect(item).to_contain_text("Supports")
    expect(item).to_contain_text("Accessed 2018-10-02")
    expect(page.locator("#evidence-heading")).to_have_text("Evidence (1)")

    # Propose a verdict with a rationale.
    panel = page.locator("#propose")
    panel.get_by_label("Verdict", exact=True).select_option("mostly_true")
    panel.get_by_label("Rationale", exact=True).fill("Two independent sources give the same toll of 29.")
    panel.get_by_role("button", name="Propose verdict").click()
    expect(page.locator(".flash--success")).to_have_text("Verdict proposed: it now waits for an editor's approval.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pending approval")
    # The reviewer cannot approve her own work.
    expect(page.get_by_role("button", name="Approve verdict")).to_have_count(0)
    screenshot(page, "claim-pending-approval")

    # The editor approves it.
    editor.goto(f"{base}/claims/{claim_id}")
    expect(editor.get_by_role("button", name="Send back")).to_be_visible()
    editor.get_by_role("button", name="Approve verdict").click()
    expect(editor.locator(".flash--success")).to_have_text("Verdict approved: the claim is verified.")
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Verified")
    expect(editor.locator("dl.fields div", has_text="Approved by")).to_contain_text("Eddie Editor")

    # The dashboard counts it: table and chart.
    editor.goto(f"{base}/dashboard")
    verified_after, mostly_true_after = dashboard_numbers(editor)
    assert verified_after == verified_before + 1
    assert mostly_true_after == mostly_true_before + 1
    # The charts are images whose title lists every bar (the tables beside them hold the links).
    expect(editor.locator("#by-status ~ svg title")).to_contain_text(re.compile(rf"Verified {verified_after}(,|$)"))
    expect(editor.locator("#by-verdict ~ svg title")).to_contain_text(re.compile(rf"Mostly true {mostly_true_after}(,|$)"))
    screenshot(editor, "dashboard-after-approval")

    # The CSV link downloads the verified claims, this one among them.
    with editor.expect_download() as info:
        editor.get_by_role("link", name="Verified claims (CSV)").click()
    download = info.value
    assert download.failure() is None
    assert re.fullmatch(r"verified-claims-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8", newline="") as handle:
        text = handle.read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == verified_after
    # The CSV for people: headers and labels in words, a link back to each claim.
    (row,) = [r for r in rows if r["Link to claim"].endswith(f"/claims/{claim_id}")]
    assert row["Quote"] == QUOTE
    assert row["Verdict"] == "Mostly true"
    assert EVIDENCE_URL in row["Evidence"]
    assert "Rita Reviewer" in row["Reviewed by"] and "Eddie Editor" in row["Approved by"]

    reviewer_watch.assert_clean()
    editor_watch.assert_clean()
