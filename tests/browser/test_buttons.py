"""Buttons keep their meaning, and destructive ones ask first.

* The colour says what a button does: primary (blue) for the step forward,
  secondary (white, blue text) for the other choice, danger (red) for what
  removes or deactivates. Checked by computed style on the real pages, since a
  selector like ``button.button`` once outranked every modifier and made
  "Remove" look like "Approve verdict".
* A button or form with ``data-confirm`` (static/js/confirm.js) asks its
  question first: Cancel changes nothing, OK does it; without JavaScript the
  action happens as before.
"""

from __future__ import annotations

import re
import uuid

import pytest

from .support import (
    DANGER_BUTTON,
    PRIMARY_BUTTON,
    SECONDARY_BUTTON,
    button_look,
    build_claim_world,
    login,
    looks_like,
    set_account_active,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def world(live_server):
    return build_claim_world(live_server.database_url, f"buttons {uuid.uuid4().hex[:8]}")


def _assert_look(locator, kind: dict, what: str) -> None:
    assert locator.count() >= 1, f"no {what} on the page"
    look = button_look(locator.first)
    assert looks_like(locator.first, kind), f"{what} looks like {look}, expected {kind}"


def test_buttons_look_like_what_they_do(new_context, live_server, world):
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "eddie")

    # The editor's choice on a proposed verdict: approve (primary) or send back (secondary).
    page.goto(f"{base}/claims/{world.pending}")
    approve = page.get_by_role("button", name="Approve verdict", exact=True)
    send_back = page.get_by_role("button", name="Send back", exact=True)
    _assert_look(approve, PRIMARY_BUTTON, "Approve verdict")
    _assert_look(send_back, SECONDARY_BUTTON, "Send back")
    assert button_look(approve)["background"] != button_look(send_back)["background"]

    # Evidence: Edit is secondary, Remove is danger.
    page.goto(f"{base}/claims/{world.in_review}")
    evidence = page.locator("#evidence")
    _assert_look(evidence.get_by_role("link", name="Edit", exact=True), SECONDARY_BUTTON, "evidence Edit")
    _assert_look(evidence.get_by_role("button", name="Remove", exact=True), DANGER_BUTTON, "evidence Remove")

    # Suggestions on the article page: Accept (primary) against Dismiss (secondary).
    page.goto(f"{base}/articles/{world.article_id}")
    suggestion = page.locator(f"#c{world.candidate_id}")
    _assert_look(suggestion.get_by_role("link", name=re.compile("^Accept")), PRIMARY_BUTTON, "suggestion Accept")
    _assert_look(suggestion.get_by_role("button", name="Dismiss", exact=True), SECONDARY_BUTTON, "suggestion Dismiss")

    # Aliases: Save (primary), Edit (secondary), Delete (danger).
    page.goto(f"{base}/aliases")
    _assert_look(page.get_by_role("button", name="Save group", exact=True), PRIMARY_BUTTON, "Save group")
    _assert_look(page.get_by_role("link", name="Edit", exact=True), SECONDARY_BUTTON, "alias Edit")
    _assert_look(page.get_by_role("button", name="Delete", exact=True), DANGER_BUTTON, "alias Delete")
    watch.assert_clean()

    # An account, as the admin: Change role (primary), Deactivate account (danger).
    admin_context, admin_watch = new_context()
    admin = admin_context.new_page()
    login(admin, base, "ada")
    admin.goto(f"{base}/admin/users/{world.user_ids['rita']}")
    _assert_look(admin.get_by_role("button", name="Change role", exact=True), PRIMARY_BUTTON, "Change role")
    _assert_look(admin.get_by_role("button", name="Deactivate account", exact=True), DANGER_BUTTON, "Deactivate account")
    admin_watch.assert_clean()


def _new_alias_group(page, base: str) -> str:
    name = f"Test place {uuid.uuid4().hex[:8]}"
    page.goto(f"{base}/aliases")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Other names, one per line", exact=True).fill(f"{name} alt\n{name} other")
    page.get_by_role("button", name="Save group", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("table.table tbody tr", has_text=name).count() == 1
    return name


def test_deleting_an_alias_group_asks_first(new_context, live_server):
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "eddie")
    name = _new_alias_group(page, base)
    row = page.locator("table.table tbody tr", has_text=name)

    watch.confirm_answer = False  # Cancel
    row.get_by_role("button", name="Delete", exact=True).click()
    assert watch.confirms == [f"Delete the alias group “{name}”? Its names will no longer be searched together."]
    page.reload()
    assert page.locator("table.table tbody tr", has_text=name).count() == 1, "Cancel deleted the group"

    watch.confirm_answer = True  # OK
    with page.expect_navigation():
        page.locator("table.table tbody tr", has_text=name).get_by_role("button", name="Delete", exact=True).click()
    assert len(watch.confirms) == 2
    assert page.locator("table.table tbody tr", has_text=name).count() == 0, "OK did not delete the group"
    watch.assert_clean()


def test_without_javascript_delete_works_at_once(new_context, live_server):
    """confirm.js only adds the question: the form itself needs no script."""
    base = live_server.base_url
    context, watch = new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, base, "eddie")
    name = _new_alias_group(page, base)
    page.locator("table.table tbody tr", has_text=name).get_by_role("button", name="Delete", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("table.table tbody tr", has_text=name).count() == 0
    assert watch.dialogs == [] and watch.confirms == []


def test_deactivating_an_account_asks_first(new_context, live_server):
    """On Erin's account (an account made for the test would change the user list
    other tests count); reactivated at the end, through the page and, should the
    test fail half-way, directly."""
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "ada")
    page.goto(f"{base}/admin/users")
    page.get_by_role("link", name="erin", exact=True).click()
    page.wait_for_load_state()
    state = page.locator(".fields div", has=page.locator("dt", has_text="State")).locator("dd")
    assert state.inner_text() == "Active"
    try:
        watch.confirm_answer = False
        page.get_by_role("button", name="Deactivate account", exact=True).click()
        assert watch.confirms == ["Deactivate erin? Every session of the account ends now."]
        page.reload()
        assert state.inner_text() == "Active", "Cancel deactivated the account"

        watch.confirm_answer = True
        with page.expect_navigation():
            page.get_by_role("button", name="Deactivate account", exact=True).click()
        assert state.inner_text() == "Deactivated"
        with page.expect_navigation():  # reactivating asks nothing
            page.get_by_role("button", name="Reactivate account", exact=True).click()
        assert state.inner_text() == "Active"
        assert len(watch.confirms) == 2
        watch.assert_clean()
    finally:
        set_account_active(live_server.database_url, "erin", True)


def test_unlinking_claims_asks_first(new_context, live_server, world):
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "eddie")
    page.goto(f"{base}/claims/{world.unverified}")
    link = page.locator("#related .link-list li", has=page.locator(f"a[href$='/claims/{world.verified}']"))
    assert link.count() == 1

    watch.confirm_answer = False
    link.get_by_role("button", name="Unlink", exact=True).click()
    assert watch.confirms == [f"Unlink claim #{world.verified} from this claim?"]
    page.reload()
    assert link.count() == 1, "Cancel unlinked the claims"

    watch.confirm_answer = True
    with page.expect_navigation():
        link.get_by_role("button", name="Unlink", exact=True).click()
    assert link.count() == 0, "OK did not unlink the claims"
    watch.assert_clean()


def test_removing_evidence_asks_first(new_context, live_server, world):
    """The claim page's Remove (its data-confirm is the claim page's; the script is base.html's),
    on the sent-back claim (back in review, with Rita's evidence; the other tests leave it alone)."""
    base = live_server.base_url
    context, watch = new_context()
    page = context.new_page()
    login(page, base, "rita")
    page.goto(f"{base}/claims/{world.sent_back}")
    items = page.locator("#evidence .evidence-list > li")
    assert items.count() == 1

    watch.confirm_answer = False
    items.get_by_role("button", name="Remove", exact=True).click()
    assert len(watch.confirms) == 1 and watch.confirms[0].startswith("Remove “Ministry statement on the depot strike”")
    page.reload()
    assert items.count() == 1, "Cancel removed the evidence"

    watch.confirm_answer = True
    with page.expect_navigation():
        items.get_by_role("button", name="Remove", exact=True).click()
    assert items.count() == 0, "OK did not remove the evidence"
    watch.assert_clean()
