"""The article page: selecting words fills the new-claim form (JavaScript), and
the same form works by hand with JavaScript off."""

from __future__ import annotations

import re

import pytest

from .support import article_id_by_title, claim_id_from, login, queue_row

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

ARTICLE = "Iran fires missiles at Islamist"

# Selects the Nth occurrence of WORDS in the article's text nodes with a DOM
# Range, as a mouse drag would, then releases the mouse button over it.
SELECT = """([words, n]) => {
  const body = document.getElementById("article-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  let at = -1;
  for (let i = 0; i < n; i++) { at = text.indexOf(words, at + 1); if (at < 0) { return null; } }
  const point = (offset, isEnd) => {
    for (const [node, start] of nodes) {
      const end = start + node.data.length;
      if (isEnd ? (offset > start && offset <= end) : (offset >= start && offset < end)) { return [node, offset - start]; }
    }
    return null;
  };
  const [startNode, startOffset] = point(at, false);
  const [endNode, endOffset] = point(at + words.length, true);
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const rect = range.getBoundingClientRect();
  endNode.parentElement.dispatchEvent(new MouseEvent("mouseup", {
    bubbles: true, cancelable: true, view: window, button: 0,
    clientX: rect.right, clientY: rect.bottom - 1,
  }));
  return selection.toString();
}"""

# Where the word WORD is on screen (its first occurrence in plain text, not in a
# highlighted claim, which is a link), to double-click it.
WORD_BOX = """(word) => {
  const body = document.getElementById("article-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (walker.currentNode.parentElement.tagName !== "SPAN") { continue; }
    const i = walker.currentNode.data.indexOf(word);
    if (i >= 0) {
      const range = document.createRange();
      range.setStart(walker.currentNode, i);
      range.setEnd(walker.currentNode, i + word.length);
      range.startContainer.parentElement.scrollIntoView({block: "center"});
      const r = range.getBoundingClientRect();
      return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }
  }
  return null;
}"""


def test_selecting_words_fills_the_new_claim_form(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    ctx, watch = new_context()
    page = ctx.new_page()
    login(page, base, "rita")
    article_id = article_id_by_title(page, base, ARTICLE)
    page.goto(f"{base}/articles/{article_id}")
    quote = page.get_by_label("Exact words in the article", exact=True)
    occurrence = page.get_by_label("Occurrence", exact=True)
    expect(quote).to_have_value("")

    # "Deir Ezzor" appears three times: each selection names its occurrence.
    for n in (2, 1, 3):
        assert page.evaluate(SELECT, ["Deir Ezzor", n]) == "Deir Ezzor"
        expect(quote).to_have_value("Deir Ezzor")
        expect(occurrence).to_have_value(str(n))

    # Words that occur once leave the occurrence empty, even across highlighted claims.
    across = "over Iraqi territory to hit their targets"  # the end of one claim, the start of another
    assert page.evaluate(SELECT, [across, 1]) == across
    expect(quote).to_have_value(across)
    expect(occurrence).to_have_value("")

    # A real double-click on a word selects it, and the form follows.
    # "Pentagon" occurs three times; the one in plain text is the first.
    box = page.evaluate(WORD_BOX, "Pentagon")
    assert box is not None
    page.mouse.dblclick(box["x"], box["y"])
    expect(quote).to_have_value("Pentagon")
    expect(occurrence).to_have_value("1")

    # A selection outside the article text changes nothing.
    page.get_by_role("heading", name="Add a claim from this article").click(click_count=3)
    assert page.evaluate("window.getSelection().toString()").strip() != ""
    expect(quote).to_have_value("Pentagon")

    # The third "Deir Ezzor", selected, becomes a claim at that very place.
    assert page.evaluate(SELECT, ["Deir Ezzor", 3]) == "Deir Ezzor"
    expect(occurrence).to_have_value("3")
    form = page.locator("#new-claim form")
    form.get_by_label("Statement", exact=True).fill("The Deir Ezzor oil and gas fields are under US control.")
    form.get_by_label("Category", exact=True).select_option("forces")
    form.get_by_role("button", name="Create claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+(#.*)?$"))
    expect(page.locator(".flash--success")).to_have_text(re.compile(r"Claim #\d+ created\."))
    expect(page.locator("mark.claim-mark--focus")).to_have_text("Deir Ezzor")
    expect(page.locator(".context")).to_contain_text("gas fields in eastern Deir Ezzor province, now under the control")

    watch.assert_clean()


def test_without_javascript_taking_and_adding_a_claim_still_work(new_context, live_server):
    from playwright.sync_api import expect

    base = live_server.base_url
    ctx, watch = new_context(java_script_enabled=False)
    page = ctx.new_page()
    login(page, base, "rita")

    # The queue's filter form (a plain GET form).
    page.get_by_label("Status", exact=True).select_option("unverified")
    page.get_by_label("Category", exact=True).select_option("distance")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/claims\?.*status=unverified.*category=distance"))
    quote = "flew 355 miles over Iraqi territory"
    row = page.locator("table.table tbody tr").filter(has=page.locator("q", has_text=quote))
    expect(row).to_have_count(1)
    expect(page.locator("table.table tbody tr td:nth-child(3)")).to_have_text(["Distance"] * page.locator("table.table tbody tr").count())

    # Take it from the queue row.
    row.get_by_role("button", name="Take").click()
    page.wait_for_url(re.compile(r"/claims/\d+$"))
    claim_id = claim_id_from(page.url)
    expect(page.locator(".flash--success")).to_have_text("The claim is yours: it is now in review.")
    expect(page.locator("dl.fields div", has_text="Assignee").locator("dd")).to_have_text("Rita Reviewer")
    # It is in her queue, no longer takeable.
    page.get_by_role("link", name="My queue").click()
    mine = queue_row(page, base, quote, assignee="mine")
    expect(mine.get_by_role("button", name="Take")).to_have_count(0)
    expect(mine.locator(f'a[href="/claims/{claim_id}"]').first).to_be_visible()

    # A claim by hand: the exact words, which occur three times...
    article_id = article_id_by_title(page, base, ARTICLE)
    page.goto(f"{base}/articles/{article_id}")
    form = page.locator("#new-claim form")
    form.get_by_label("Exact words in the article", exact=True).fill("Deir Ezzor")
    form.get_by_label("Statement", exact=True).fill("US troops are based in Deir Ezzor's Al Bukamal district.")
    form.get_by_label("Category", exact=True).select_option("forces")
    form.get_by_label("Claimant", exact=True).fill("Pentagon")
    form.get_by_role("button", name="Create claim").click()
    # ... so the server asks which one, keeping what was typed.
    expect(page.locator("#new-claim")).to_contain_text("These words occur 3 times in the article; give the occurrence (1 to 3).")
    form = page.locator("#new-claim form")
    expect(form.get_by_label("Statement", exact=True)).to_have_value("US troops are based in Deir Ezzor's Al Bukamal district.")
    expect(form.get_by_label("Claimant", exact=True)).to_have_value("Pentagon")
    form.get_by_label("Occurrence", exact=True).fill("2")
    form.get_by_role("button", name="Create claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+(#.*)?$"))
    expect(page.locator(".flash--success")).to_have_text(re.compile(r"Claim #\d+ created\."))
    expect(page.locator("mark.claim-mark--focus")).to_have_text("Deir Ezzor")
    expect(page.locator(".context")).to_contain_text("the Al Bukamal district of Deir Ezzor.")
    expect(page.locator("dl.fields div", has_text="Claimant").locator("dd")).to_have_text("Pentagon")

    # The refused form answered 422, which Chromium reports as a failed load.
    watch.assert_clean(allow_console=(r"status of 422 \(UNPROCESSABLE ENTITY\)",))
