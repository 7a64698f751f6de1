"""The article page lists suggestions most check-worthy first, says each one's
score in words, and keeps the lower-scored ones behind "Show N more suggestions"
(a native <details>: no script, no request), where they can still be accepted,
dismissed and ticked."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from factcheck.models import CandidateStatus, Claim, ClaimCandidate
from factcheck.services import candidates as candidate_service
from factcheck.web.articles.suggestions import BANDS, SHOWN_FROM, band

BODY = (
    "At least 12 people were killed when six rockets struck the port of Hodeidah on Tuesday, the health ministry said.\n"
    "The rebels claimed the strike hit a weapons depot, but the claim could not be independently verified.\n"
    "Over 400 families fled the district, according to the UN agency.\n"
    "Two hospitals in the city were damaged, the governor said.\n"
    "The army deployed 300 soldiers to the district on Wednesday.\n"
    "The ministry said 40 trucks of aid reached the port on Thursday.\n"
)


def _article_with_scores(client, session, scores: list[float], title="Scored rockets") -> tuple[int, list[int]]:
    """Import BODY, then give its suggestions (in text order) these scores; their ids in text order.
    The scores are set here so that the test does not depend on the extractor's tuning."""
    response = client.post("/articles/new", {"title": title, "outlet": "Example Wire", "body": BODY})
    assert response.status_code == 303
    article_id = int(response.headers["Location"].rsplit("/", 1)[1])
    ids = [c.id for c in candidate_service.article_candidates(session, article_id)]
    assert len(ids) >= len(scores), ids
    for candidate_id, score in zip(ids, scores):
        session.execute(update(ClaimCandidate).where(ClaimCandidate.id == candidate_id).values(score=score))
    extra = ids[len(scores):]
    if extra:  # the rest: dismissed, out of the way
        session.execute(
            update(ClaimCandidate).where(ClaimCandidate.id.in_(extra)).values(status=CandidateStatus.DISMISSED)
        )
    session.commit()
    return article_id, ids[: len(scores)]


def _parts(page: str) -> tuple[str, str]:
    """The visible list of suggestions and the inside of "Show N more suggestions" ('' if none)."""
    aside = page.split('id="suggested-heading"')[1].split('<details class="dismissed"')[0]
    if '<details class="more-suggestions"' not in aside:
        return aside, ""
    shown, more = aside.split('<details class="more-suggestions"', 1)
    return shown, more.split("</details>")[0]


def _row_order(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="c(\d+)">', html)]


def _word_of(html: str, candidate_id: int) -> str:
    row = html.split(f'<li id="c{candidate_id}">')[1].split("</li>")[0]
    found = re.findall(r'<span class="tag tag--score tag--(\w+)"><span class="visually-hidden">Check-worthiness: </span>(\w+)</span>', row)
    assert len(found) == 1 and found[0][0] == found[0][1], row
    return found[0][1]


def test_the_bands_are_set_once_and_cover_every_score():
    assert [b.word for b in BANDS] == ["strong", "likely", "possible"]
    assert [b.floor for b in BANDS] == sorted((b.floor for b in BANDS), reverse=True)
    assert SHOWN_FROM == BANDS[1].floor
    assert band(1.0).word == band(0.7).word == "strong"
    assert band(0.69).word == band(0.6).word == "likely"
    assert band(0.59).word == band(0.4).word == band(0.0).word == "possible"


def test_suggestions_are_ordered_by_score_with_words_and_the_low_ones_behind_show_more(login, session):
    client = login("rita")
    # In text order: a, b, c, d, e.
    article_id, (a, b, c, d, e) = _article_with_scores(client, session, [0.45, 0.9, 0.6, 0.9, 0.55])
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    shown, more = _parts(page)
    # Highest first; equal scores (b, d) in the order of the text.
    assert _row_order(shown) == [b, d, c]
    assert _row_order(more) == [e, a]
    assert [_word_of(page, i) for i in (b, d, c, e, a)] == ["strong", "strong", "likely", "possible", "possible"]
    # The lower ones are in a closed native <details> whose summary counts them.
    assert re.match(r' id="more-suggestions">\s*<summary>Show 2 more suggestions ', more), more[:200]
    assert '<ol class="claim-list candidate-list" start="4">' in more
    # Every row, shown or not, keeps its checkbox, Accept link and Dismiss button.
    for i in (a, e):
        assert f'<input type="checkbox" class="pick" name="candidate" value="{i}" form="triage-form"' in more
        assert f'href="/articles/{article_id}/candidates/{i}/accept"' in more
        assert f'formaction="/articles/{article_id}/candidates/{i}/dismiss"' in more
    # The dashed marks in the text still lead to each of them.
    body = page.split('id="article-body"')[1].split("</div>")[0]
    assert all(f'href="#c{i}"' in body for i in (a, b, c, d, e))
    # The legend says what the words mean.
    assert "Most check-worthy first" in page and all(f"tag--{w.word}\">{w.word}</span> {w.meaning}" in page for w in BANDS)


def test_with_nothing_above_the_threshold_the_summary_does_not_say_more(login, session):
    client = login("rita")
    article_id, ids = _article_with_scores(client, session, [0.4, 0.5, 0.3])
    shown, more = _parts(client.get(f"/articles/{article_id}").get_data(as_text=True))
    assert _row_order(shown) == [] and _row_order(more) == [ids[1], ids[0], ids[2]]
    assert "<summary>Show 3 suggestions " in more


def test_with_nothing_below_it_there_is_no_show_more(login, session):
    client = login("rita")
    article_id, ids = _article_with_scores(client, session, [0.7, 0.8])
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    shown, more = _parts(page)
    assert _row_order(shown) == [ids[1], ids[0]] and more == ""
    assert "more-suggestions" not in page


def test_a_hidden_suggestion_can_be_accepted(login, session):
    client = login("rita")
    article_id, (low, high) = _article_with_scores(client, session, [0.4, 0.9])
    _, more = _parts(client.get(f"/articles/{article_id}").get_data(as_text=True))
    accept = f"/articles/{article_id}/candidates/{low}/accept"
    assert f'href="{accept}"' in more
    candidate = session.get(ClaimCandidate, low)
    assert client.get(accept).status_code == 200
    response = client.post(accept, {"statement": "Twelve people were killed.", "category": "casualties"})
    assert response.status_code == 303
    claim = session.get(Claim, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (claim.span_start, claim.span_end) == (candidate.span_start, candidate.span_end)
    session.expire_all()
    assert session.get(ClaimCandidate, low).status is CandidateStatus.ACCEPTED
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert f'<li id="c{low}">' not in page and "more-suggestions" not in page


def test_dismissing_a_hidden_one_comes_back_to_the_open_list(login, session):
    client = login("rita")
    article_id, (low1, high, low2) = _article_with_scores(client, session, [0.4, 0.9, 0.5])
    response = client.post(f"/articles/{article_id}/candidates/{low1}/dismiss", {})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/articles/{article_id}?more=1#more-suggestions")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<details class="more-suggestions" id="more-suggestions" open>' in page
    assert "<summary>Show 1 more suggestion " in page
    # Dismissing a listed one goes back to the top of the list, the rest closed.
    response = client.post(f"/articles/{article_id}/candidates/{high}/dismiss", {})
    assert response.headers["Location"].endswith(f"/articles/{article_id}#suggested-heading")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<details class="more-suggestions" id="more-suggestions">' in page
    # Any other ?more= value is no error and leaves it closed.
    for value in ("0", "yes", "1" * 5000, "%00"):
        response = client.get(f"/articles/{article_id}?more={value}")
        assert response.status_code == 200
        assert '<details class="more-suggestions" id="more-suggestions">' in response.get_data(as_text=True)
    assert [s for (s,) in session.execute(select(ClaimCandidate.status).where(ClaimCandidate.id == low2))] == [
        CandidateStatus.PENDING
    ]
    # Restoring the hidden one leads to its row, with the list it is in open.
    response = client.post(f"/articles/{article_id}/candidates/{low1}/restore", {})
    assert response.headers["Location"].endswith(f"/articles/{article_id}?more=1#c{low1}")
    _, more = _parts(client.get(response.headers["Location"]).get_data(as_text=True))
    assert more.startswith(' id="more-suggestions" open>') and f'<li id="c{low1}">' in more
    # Restoring a listed one leads to its row only.
    response = client.post(f"/articles/{article_id}/candidates/{high}/restore", {})
    assert response.headers["Location"].endswith(f"/articles/{article_id}#c{high}")


def test_ticking_hidden_and_shown_ones_dismisses_both(login, session):
    client = login("rita")
    article_id, (low, high, other) = _article_with_scores(client, session, [0.4, 0.9, 0.8])
    response = client.post(f"/articles/{article_id}/candidates/dismiss", {"candidate": [low, high]})
    assert response.status_code == 303
    assert "Dismissed 2 suggestions." in client.get(response.headers["Location"]).get_data(as_text=True)
    session.expire_all()
    assert [session.get(ClaimCandidate, i).status for i in (low, high, other)] == [
        CandidateStatus.DISMISSED, CandidateStatus.DISMISSED, CandidateStatus.PENDING
    ]

