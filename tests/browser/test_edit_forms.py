"""Opening an edit form and saving it must change only what the user changed.

Both tests guard a bug these pages had: they built their form with
``obj=<the model>`` *and* ``data={...}``; WTForms gives ``obj`` precedence, so
the enum attributes (``Claim.category``, ``Evidence.stance``) reached the
<select> as ``str(enum)``, matched no option, and the browser showed - and
submitted - the first option instead.
"""

from __future__ import annotations

import re

import pytest

from .support import claim_id_by_quote, login

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]


def field_text(page, name: str) -> str:
    return page.locator("dl.fields div", has=page.locator("dt", has_text=re.compile(f"^{name}$"))).locator("dd").inner_text()


def test_editing_only_the_statement_keeps_the_category(new_context, live_server):
    base = live_server.base_url
    ctx, _watch = new_context()
    page = ctx.new_page()
    login(page, base, "rita")
    claim_id = claim_id_by_quote(page, base, "capable of carrying over 1,500 pounds of explosives", category="weapons")
    page.goto(f"{base}/claims/{claim_id}")
    assert field_text(page, "Category") == "Weapons"
    assert field_text(page, "Figure") == "over 1,500 pounds"

    page.get_by_role("link", name="Edit claim").click()
    assert page.get_by_label("Category", exact=True).input_value() == "weapons", "the form shows another category"
    page.get_by_label("Statement", exact=True).fill("The Qiam and Zolfaghar missiles carry over 1,500 pounds of explosives.")
    page.get_by_role("button", name="Save claim").click()
    page.wait_for_url(re.compile(rf"/claims/{claim_id}$"))
    assert page.locator(".flash--success").inner_text() == "Claim saved."
    # What the user relies on: only the statement changed.
    changes = page.locator("#history ol.timeline > li", has_text="changed the statement").last.locator("ul.changes li .change-field")
    assert changes.all_inner_texts() == ["statement"], changes.all_inner_texts()
    assert field_text(page, "Category") == "Weapons"
    assert field_text(page, "Figure") == "over 1,500 pounds"


def test_editing_only_the_evidence_title_keeps_its_stance(new_context, live_server):
    base = live_server.base_url
    ctx, _watch = new_context()
    page = ctx.new_page()
    login(page, base, "rita")
    claim_id = claim_id_by_quote(page, base, "were followed up with drone strikes", category="event")
    page.goto(f"{base}/claims/{claim_id}")
    page.locator("summary", has_text="Add evidence").click()
    form = page.locator("form[action*='/evidence']")
    form.get_by_label("Link", exact=True).fill("https://www.example.org/no-drones")
    form.get_by_label("Title", exact=True).fill("No drone strikes seen")
    form.get_by_label("Stance", exact=True).select_option("refutes")
    form.get_by_role("button", name="Save evidence").click()
    item = page.locator(".evidence-list li", has_text="No drone strikes seen")
    assert item.locator(".stance").text_content() == "Refutes"

    item.get_by_role("link", name="Edit").click()
    assert page.get_by_label("Stance", exact=True).input_value() == "refutes", "the form shows another stance"
    page.get_by_label("Title", exact=True).fill("No drone strikes seen by monitors")
    page.get_by_role("button", name="Save evidence").click()
    page.wait_for_url(re.compile(rf"/claims/{claim_id}(#evidence)?$"))
    assert page.locator(".flash--success").inner_text() == "Evidence saved."
    item = page.locator(".evidence-list li", has_text="No drone strikes seen by monitors")
    assert item.locator(".stance").text_content() == "Refutes"
