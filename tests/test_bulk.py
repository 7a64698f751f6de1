"""Taking or assigning several claims at once from the queue: all of them, or none."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.models import Claim, ClaimEvent, ClaimStatus
from factcheck.services import bulk, workflow
from factcheck.services.errors import PermissionDenied, ValidationFailed


def _unassigned(session, n: int) -> list[Claim]:
    return session.execute(
        select(Claim).where(Claim.assignee_id.is_(None)).order_by(Claim.id).limit(n)
    ).scalars().all()


def _ticks(claims) -> list[str]:
    return [f"{c.id}:{c.version}" for c in claims]


def _state(session, claims) -> list[tuple]:
    session.expire_all()
    ids = [c.id for c in claims]
    rows = session.execute(select(Claim.id, Claim.status, Claim.assignee_id, Claim.version).where(Claim.id.in_(ids)))
    events = session.execute(select(func.count()).select_from(ClaimEvent).where(ClaimEvent.claim_id.in_(ids))).scalar()
    return sorted(rows.all()) + [events]


def _flash(page: str) -> str:
    return " ".join(re.findall(r'<p class="flash flash--\w+">([^<]*)</p>', page))


def test_a_reviewer_takes_the_ticked_claims(login, session, seeded, users):
    claims = _unassigned(session, 3)
    client = login("rita")
    page = client.get("/claims?assignee=unassigned&sort=oldest").get_data(as_text=True)
    for claim in claims:  # the queue offers each one with the version it shows
        assert f'name="claim" value="{claim.id}:{claim.version}"' in page
    response = client.post(
        "/claims/bulk", {"claim": _ticks(claims), "action": "take", "back": "assignee=unassigned&sort=oldest"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/claims?assignee=unassigned&sort=oldest"
    session.expire_all()
    for claim in claims:
        assert (claim.status, claim.assignee_id) == (ClaimStatus.IN_REVIEW, users["rita"].id)
    taken = session.execute(
        select(func.count()).select_from(ClaimEvent).where(ClaimEvent.action == "taken", ClaimEvent.claim_id.in_([c.id for c in claims]))
    ).scalar()
    assert taken == 3
    message = _flash(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "You took 3 claims: " + ", ".join(f"#{c.id}" for c in claims) in message


def test_an_editor_assigns_the_ticked_claims_to_one_person(login, session, seeded, users):
    claims = _unassigned(session, 2)
    client = login("eddie")
    page = client.get("/claims").get_data(as_text=True)
    assert '<select id="bulk-assignee" name="assignee">' in page
    response = client.post(
        "/claims/bulk", {"claim": _ticks(claims), "action": "assign", "assignee": str(users["ron"].id)}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/claims"
    session.expire_all()
    assert {c.assignee_id for c in claims} == {users["ron"].id}
    assert "Assigned 2 claims to Ron" in _flash(client.get("/claims").get_data(as_text=True))


def test_one_claim_changed_meanwhile_changes_nothing_and_names_it(login, session, seeded, users):
    claims = _unassigned(session, 3)
    ticks = _ticks(claims)
    stale = claims[1]
    # Someone edits the middle claim after the queue was loaded.
    workflow.edit_claim(
        session, users["eddie"].id, stale.id,
        workflow.ClaimFields(stale.statement + " (edited)", stale.category, claimant=stale.claimant), stale.version,
    )
    before = _state(session, claims)
    client = login("rita")
    response = client.post("/claims/bulk", {"claim": ticks, "action": "take"})
    assert response.status_code == 303
    assert _state(session, claims) == before  # not even the other two were taken
    message = _flash(client.get(response.headers["Location"]).get_data(as_text=True))
    assert f"Claim #{stale.id} was changed by someone else since you loaded the queue." in message
    assert "Nothing was done" in message


def test_claims_that_do_not_exist_change_nothing(login, session, seeded):
    claims = _unassigned(session, 2)
    before = _state(session, claims)
    client = login("rita")
    response = client.post("/claims/bulk", {"claim": _ticks(claims) + ["999999:1", "999998:4"], "action": "take"})
    assert response.status_code == 303
    assert _state(session, claims) == before
    message = _flash(client.get("/claims").get_data(as_text=True))
    assert "There are no claims #999998 and #999999." in message and "Nothing was done" in message


def test_a_claim_the_rules_refuse_refuses_the_whole(login, session, seeded, users):
    claims = _unassigned(session, 3)
    workflow.take_claim(session, users["ron"].id, claims[2].id)  # ron has it; rita sees it as it is now
    session.refresh(claims[2])
    before = _state(session, claims)
    client = login("rita")
    client.post("/claims/bulk", {"claim": _ticks(claims), "action": "take"})
    assert _state(session, claims) == before
    message = _flash(client.get("/claims").get_data(as_text=True))
    assert f"Claim #{claims[2].id}: Someone else is already reviewing this claim" in message


def test_a_reviewer_cannot_assign(login, session, seeded, users):
    claims = _unassigned(session, 2)
    before = _state(session, claims)
    response = login("rita").post(
        "/claims/bulk", {"claim": _ticks(claims), "action": "assign", "assignee": str(users["ron"].id)}
    )
    assert response.status_code == 403
    assert _state(session, claims) == before
    assert "bulk-assignee" not in login("rita").get("/claims").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"action": "take"}, "Tick at least one claim first."),
        ({"claim": ["12"], "action": "take"}, "were not understood"),
        ({"claim": ["1:x"], "action": "take"}, "were not understood"),
        ({"claim": ["0:1"], "action": "take"}, "were not understood"),
        ({"claim": ["99999999999999999999:1"], "action": "take"}, "were not understood"),
        ({"claim": ["1:99999999999"], "action": "take"}, "were not understood"),
        ({"claim": ["1:1"], "action": "assign"}, "Choose who takes the ticked claims."),
        ({"claim": ["1:1"], "action": "assign", "assignee": "abc"}, "Choose who takes the ticked claims."),
        ({"claim": ["1:1"], "action": "assign", "assignee": "99999999999999999999"}, "Choose who takes the ticked claims."),
        ({"claim": ["1:1"], "action": "assign", "assignee": "999999"}, "Choose an active user"),
        ({"claim": ["1:1"], "action": "delete"}, "Not a valid choice"),
        ({"claim": [f"{n}:1" for n in range(1, 102)], "action": "take"}, "Tick at most 100 claims at a time."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(login, session, seeded, data, expected):
    claims = session.execute(select(Claim).order_by(Claim.id)).scalars().all()
    before = _state(session, claims)
    client = login("eddie")
    response = client.post("/claims/bulk", data)
    assert response.status_code == 303
    assert _state(session, claims) == before
    assert expected in _flash(client.get(response.headers["Location"]).get_data(as_text=True))


@pytest.mark.parametrize("back", ["//evil.example/x", "https://evil.example/", "\r\nSet-Cookie: x=1", "status=verified&page=4"])
def test_going_back_only_ever_goes_to_the_queue(login, seeded, back):
    response = login("rita").post("/claims/bulk", {"action": "take", "back": back})
    location = response.headers["Location"]
    assert location.startswith("/claims") and "\n" not in location and "evil" not in location.split("?")[0]
    assert "page=" not in location


def test_the_service_is_all_or_none_and_checks_the_role(session, seeded, users):
    claims = _unassigned(session, 3)
    picked = [bulk.Picked(c.id, c.version) for c in claims]
    with pytest.raises(PermissionDenied):
        bulk.assign_claims(session, users["rita"].id, picked, users["ron"].id)
    with pytest.raises(ValidationFailed):
        bulk.take_claims(session, users["rita"].id, [])
    stale = [bulk.Picked(c.id, c.version + (1 if n == 0 else 0)) for n, c in enumerate(claims)]
    with pytest.raises(bulk.SelectionChanged) as refused:
        bulk.take_claims(session, users["rita"].id, stale)
    assert refused.value.changed == [claims[0].id] and refused.value.missing == []
    done = bulk.take_claims(session, users["rita"].id, picked + picked[:1])  # a claim ticked twice counts once
    assert done.claim_ids == sorted(c.id for c in claims)
