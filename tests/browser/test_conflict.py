"""Two people edit the same claim: the second save is stopped, shown what
changed, and keeps their input; saving again from there goes through."""

from __future__ import annotations

import re

import pytest

from .support import claim_id_by_quote, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

QUOTE = "wounded 70 others"
EDDIE_CLAIMANT = "Iranian state media (per Eddie)"
ERIN_STATEMENT = "The Ahvaz parade attack wounded 70 people (Erin's wording)."


def version_on(page) -> int:
    """The version the page's forms carry (the page itself says who changed what, not a number)."""
    return int(page.locator("input[name=version]").first.get_attribute("value"))


def test_stale_edit_shows_the_conflict_and_keeps_the_input(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    ctx_a, watch_a = new_context()
    ctx_b, watch_b = new_context()
    eddie, erin = ctx_a.new_page(), ctx_b.new_page()
    login(eddie, base, "eddie")
    login(erin, base, "erin")

    claim_id = claim_id_by_quote(eddie, base, QUOTE, category="casualties")
    eddie.goto(f"{base}/claims/{claim_id}")
    version_before = version_on(eddie)
    original_statement = eddie.locator("dl.fields div", has_text="Statement").locator("dd").inner_text()

    # Both open the edit form on the same version.
    edit_url = f"{base}/claims/{claim_id}/edit"
    eddie.goto(edit_url)
    erin.goto(edit_url)
    expect(eddie.get_by_role("heading", level=1)).to_have_text(f"Edit claim #{claim_id}")
    expect(erin.get_by_label("Statement", exact=True)).to_have_value(original_statement)

    # Eddie saves first.
    eddie.get_by_label("Claimant", exact=True).fill(EDDIE_CLAIMANT)
    eddie.get_by_role("button", name="Save claim").click()
    expect(eddie.locator(".flash--success")).to_have_text("Claim saved.")
    expect(eddie.locator("dl.fields div", has_text="Claimant").locator("dd")).to_have_text(EDDIE_CLAIMANT)
    assert version_on(eddie) == version_before + 1

    # Erin, still on the old version, saves her own change: 409 and the conflict page.
    erin.get_by_label("Statement", exact=True).fill(ERIN_STATEMENT)
    erin.get_by_label("Unit", exact=True).fill("people")
    with erin.expect_response(lambda r: r.url == edit_url and r.request.method == "POST") as info:
        erin.get_by_role("button", name="Save claim").click()
    assert info.value.status == 409
    erin.wait_for_load_state()
    expect(erin.get_by_role("heading", level=1)).to_have_text(f"Claim #{claim_id} changed while you were working")
    expect(erin.get_by_role("alert")).to_contain_text("changed by someone else")
    expect(erin.get_by_role("alert")).to_contain_text("Nothing of yours was saved")
    # Who changed what, and when: not version numbers.
    expect(erin.get_by_role("alert")).to_contain_text(re.compile(r"Eddie Editor changed the claimant at \d\d:\d\d UTC \((just now|\d+ minutes? ago)\)"))
    expect(erin.get_by_role("alert")).not_to_contain_text("version")
    # What Eddie changed is listed, with who did it.
    changes = erin.locator("ol.timeline > li")
    expect(changes).to_have_count(1)
    expect(changes.first).to_contain_text("Eddie Editor")
    expect(changes.first).to_contain_text("changed the claimant")
    claimant_change = changes.first.locator("ul.changes li", has_text="claimant")
    expect(claimant_change.locator("ins")).to_have_text(EDDIE_CLAIMANT)
    # The claim as it is now, beside Erin's input, kept in the form.
    expect(erin.locator("dl.fields div", has_text="Claimant").locator("dd")).to_have_text(EDDIE_CLAIMANT)
    expect(erin.get_by_role("heading", name="Your input, kept")).to_be_visible()
    expect(erin.get_by_label("Statement", exact=True)).to_have_value(ERIN_STATEMENT)
    expect(erin.get_by_label("Unit", exact=True)).to_have_value("people")
    expect(erin.locator("input[name=version]")).to_have_value(str(version_before + 1))
    screenshot(erin, "conflict")

    # Saving again from the conflict page is a deliberate overwrite, and works.
    erin.get_by_role("button", name="Save claim").click()
    erin.wait_for_url(re.compile(rf"/claims/{claim_id}$"))
    expect(erin.locator(".flash--success")).to_have_text("Claim saved.")
    expect(erin.locator("dl.fields div", has_text="Statement").locator("dd")).to_have_text(ERIN_STATEMENT)
    # Erin's form carried the claimant as she had loaded it: her save replaces Eddie's.
    expect(erin.locator("dl.fields div", has_text="Claimant").locator("dd")).to_have_text("the article itself")
    assert version_on(erin) == version_before + 2
    history = erin.locator("#history ol.timeline > li", has_text="changed the")
    expect(history).to_have_count(2)

    watch_a.assert_clean()
    # The 409 document itself is reported by Chromium as a failed load; nothing else may be.
    watch_b.assert_clean(allow_console=(r"status of 409 \(CONFLICT\)",))
    assert [s for s, _u, _k in watch_b.responses if s >= 400] == [409]
