"""Optimistic locking: two people on one claim, and what the loser sees."""

from __future__ import annotations

import re

import pytest

from factcheck.models import Article, Category, Claim, Stance
from factcheck.services import workflow
from factcheck.services.errors import StaleClaim
from factcheck.services.workflow import ClaimFields, EvidenceFields


@pytest.fixture
def claim(session, users):
    article = Article(title="Conflict", body="Over 2,000 US troops are presently deployed in Syria.")
    session.add(article)
    session.commit()
    return workflow.create_claim(
        session,
        users["rita"].id,
        article.id,
        "Over 2,000 US troops are presently deployed",
        ClaimFields("Over 2,000 US troops are in Syria.", Category.FORCES, quantity_value="2000", quantity_unit="troops", quantity_qualifier="over"),
    )


def edit_data(version, **changes):
    data = {
        "statement": "Over 2,000 US troops are in Syria.",
        "category": "forces",
        "claimant": "",
        "quantity_value": "2000",
        "quantity_unit": "troops",
        "quantity_qualifier": "over",
        "version": version,
    }
    data.update(changes)
    return data


def test_second_save_of_the_same_version_gets_the_conflict_page(login, session, claim):
    rita, ron = login("rita"), login("ron")
    # Both open the edit form at the same version.
    form_version = int(re.search(r'id="version" name="version" type="hidden" value="(\d+)"', rita.get(f"/claims/{claim.id}/edit").get_data(as_text=True)).group(1))
    assert f'value="{form_version}"' in ron.get(f"/claims/{claim.id}/edit").get_data(as_text=True)

    first = rita.post(f"/claims/{claim.id}/edit", edit_data(form_version, claimant="Pentagon"))
    assert first.status_code == 303

    second = ron.post(f"/claims/{claim.id}/edit", edit_data(form_version, claimant="Washington Post", quantity_value="2200"))
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "changed by someone else" in page
    # What changed since ron's copy: rita's edit, field by field.
    assert "Rita" in page and "claimant" in page and "Pentagon" in page
    # Ron's input is kept in the form...
    assert 'value="Washington Post"' in page and 'value="2200"' in page
    # ...and nothing of his was saved.
    session.expire_all()
    fresh = session.get(Claim, claim.id)
    assert (fresh.claimant, fresh.quantity_value) == ("Pentagon", 2000)

    # The kept form carries the current version: saving again is a deliberate overwrite.
    kept_version = int(re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1))
    assert kept_version == fresh.version
    third = ron.post(f"/claims/{claim.id}/edit", edit_data(kept_version, claimant="Washington Post", quantity_value="2200"))
    assert third.status_code == 303
    session.expire_all()
    assert session.get(Claim, claim.id).claimant == "Washington Post"


def test_stale_action_is_refused(login, session, users, claim):
    rita = users["rita"].id
    workflow.take_claim(session, rita, claim.id)
    workflow.add_evidence(session, rita, claim.id, EvidenceFields("https://e.example/x", "X", Stance.SUPPORTS))
    workflow.propose_verdict(session, rita, claim.id, "true", "Pentagon confirms.")
    seen = claim.version
    eddie, erin = login("eddie"), login("erin")
    assert eddie.post(f"/claims/{claim.id}/send-back", {"comment": "Needs a date.", "version": seen}).status_code == 303
    response = erin.post(f"/claims/{claim.id}/approve", {"version": seen})
    assert response.status_code == 409
    assert "sent the verdict back" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Claim, claim.id).status.value == "in_review"


def test_service_refuses_a_stale_version_and_writes_nothing(session, users, claim):
    old = claim.version
    workflow.edit_claim(session, users["rita"].id, claim.id, ClaimFields("First edit.", "forces"), old)
    with pytest.raises(StaleClaim) as info:
        workflow.edit_claim(session, users["ron"].id, claim.id, ClaimFields("Second edit.", "forces"), old)
    assert [e.action for e in info.value.changes["events"]] == ["edited"]
    session.expire_all()
    assert session.get(Claim, claim.id).statement == "First edit."


def test_a_stale_send_back_keeps_the_typed_comment(login, session, users, claim):
    """An editor types why a verdict goes back, but the claim moved on meanwhile:
    the conflict page shows the typed text so it is not lost."""
    rita = users["rita"].id
    workflow.take_claim(session, rita, claim.id)
    workflow.add_evidence(session, rita, claim.id, EvidenceFields("https://e.example/t", "Troop numbers", Stance.SUPPORTS))
    workflow.propose_verdict(session, rita, claim.id, "true", "DoD figures.")
    stale_version = claim.version
    # Meanwhile the claim moves on (the editor sent it back from another tab).
    workflow.send_back(session, users["eddie"].id, claim.id, "Check the date.", stale_version)

    reason = "The DoD figure is from 2017; find the current one <before> approving."
    response = login("eddie").post(f"/claims/{claim.id}/send-back", {"comment": reason, "version": stale_version})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your text, not saved" in page
    assert "The DoD figure is from 2017; find the current one &lt;before&gt; approving." in page
    session.expire_all()
    assert session.get(Claim, claim.id).version == stale_version + 1  # only the first send-back happened


def test_the_conflict_says_who_changed_what_and_when_not_versions(login, session, users, claim):
    seen = claim.version
    workflow.edit_claim(session, users["rita"].id, claim.id, ClaimFields("Troops.", "forces", claimant="Pentagon", quantity_value="2000", quantity_unit="troops", quantity_qualifier="over"), seen)
    workflow.take_claim(session, users["eddie"].id, claim.id)
    with pytest.raises(StaleClaim) as info:
        workflow.edit_claim(session, users["ron"].id, claim.id, ClaimFields("Mine.", "forces"), seen)
    message = info.value.message
    assert re.search(
        r"Rita changed the statement and claimant at \d\d:\d\d UTC \((just now|\d+ minutes? ago)\)\. "
        r"Eddie took the claim at \d\d:\d\d UTC \((just now|\d+ minutes? ago)\)\.",
        message,
    ), message
    assert "version" not in message
    response = login("ron").post(f"/claims/{claim.id}/edit", edit_data(seen, claimant="Reuters"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Rita changed the statement and claimant at" in page and "version" not in page.split("<h1>")[1].split("<form")[0]
    assert "<strong>Eddie</strong> took the claim" in page
