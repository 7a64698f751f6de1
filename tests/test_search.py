"""Search: what it finds (aliases included), how it shows it, and that no input breaks it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.models import Claim
from factcheck.services import search, workflow
from factcheck.services.workflow import EvidenceFields


def _claim(session, quote) -> Claim:
    return session.execute(select(Claim).where(Claim.quote == quote)).scalar_one()


def _found(results, kind="claims") -> set[int]:
    return {hit.id for hit in results.sections[kind].hits}


def test_finds_seed_claims_by_their_words(session, seeded):
    results = search.search(session, "355 miles", per_page=20)
    assert _claim(session, "flew 355 miles over Iraqi territory").id in _found(results)
    results = search.search(session, '"could not independently verify"', per_page=20)
    assert _found(results) == {_claim(session, "Reuters could not independently verify the report").id}


def test_finds_by_alias_in_both_directions(session, seeded):
    article_one = _claim(session, "to hit their targets in Syria’s eastern Deir Ezzor province").id
    article_two = _claim(
        session,
        "Iranian Revolutionary Guard Corps units launched mid-range ground-to-ground missiles from western Iran "
        "into the Deir al Zour region of eastern Syria",
    ).id
    by_one_spelling = _found(search.search(session, "Deir al Zour", per_page=50))
    by_other_spelling = _found(search.search(session, "Deir Ezzor", per_page=50))
    assert {article_one, article_two} <= by_one_spelling
    assert {article_one, article_two} <= by_other_spelling
    # IRGC in one article is "Iranian Revolutionary Guard Corps" in the other.
    irgc = _found(search.search(session, "IRGC", per_page=50))
    assert article_two in irgc
    assert _claim(session, "Iran’s Islamic Revolutionary Guard Corps (IRGC) early Monday morning carried out missile strikes against targets inside Syria").id in irgc


def test_a_hyphenated_alias_finds_the_spaced_spelling(session, seeded):
    """"Al-Bukamal" and "Deir al-Zour" are terms of their groups: typed with the
    hyphen they must still find the text that spells them with a space."""
    bukamal = _claim(session, "US troops are based in the Al Bukamal district of Deir Ezzor").id
    assert bukamal in _found(search.search(session, "Al-Bukamal", per_page=50))
    assert _found(search.search(session, "Deir al-Zour", per_page=50)) == _found(
        search.search(session, "Deir al Zour", per_page=50)
    )


def test_excluding_an_alias_excludes_all_its_names(session, seeded):
    """"-ISIS" must also keep out claims that say ISIL, Daesh or Islamic State."""
    from factcheck.services.aliases import AliasIndex

    isis_claims = _found(search.search(session, "ISIS", per_page=100))
    assert isis_claims, "the seeds mention ISIS"
    everything = _found(search.search(session, "Iran", per_page=100))
    without = _found(search.search(session, "Iran -ISIS", per_page=100))
    assert without and without < everything
    assert not without & isis_claims
    # Any spelling of the group excludes the same claims.
    assert _found(search.search(session, "Iran -Daesh", per_page=100)) == without
    # The variants shown to the user say what was excluded.
    index = AliasIndex((("ISIS", ("ISIS", "ISIL", "Islamic State", "Daesh")),))
    assert index.expand("Iran -ISIS") == ['Iran -ISIS -ISIL -"Islamic State" -Daesh']


def test_the_page_says_which_spellings_were_searched(login, seeded):
    page = login("rita").get("/search", query_string={"q": "Iran -ISIS"}).get_data(as_text=True)
    assert "Also searched: “Iran -ISIS -ISIL -&#34;Islamic State&#34; -Daesh”" in page
    page = login("rita").get("/search", query_string={"q": "355 miles"}).get_data(as_text=True)
    assert "Also searched" not in page


def test_without_the_alias_table_the_other_spelling_is_not_found(session, seeded):
    from factcheck.services.aliases import AliasIndex

    plain = search.search(session, "Deir al Zour", aliases=AliasIndex(()), per_page=50)
    assert _claim(session, "to hit their targets in Syria’s eastern Deir Ezzor province").id not in _found(plain)


def test_results_are_grouped_ranked_and_highlighted(session, seeded, users):
    claim = _claim(session, "killed 29 people")
    workflow.add_evidence(
        session, users["rita"].id, claim.id,
        EvidenceFields("https://e.example/ahvaz", "Ahvaz parade attack toll", "supports", publisher="IRNA"),
    )
    results = search.search(session, "Ahvaz")
    assert set(results.sections) == {"claims", "evidence", "articles"}
    assert results.sections["evidence"].hits[0].title == "Ahvaz parade attack toll"
    assert results.sections["articles"].hits[0].title.startswith("Iran fires missiles")
    hits = results.sections["claims"].hits
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    assert any("<mark>Ahvaz</mark>" in str(h.snippet) for h in hits)


def test_snippets_escape_the_text_around_the_highlight(session, users):
    from factcheck.models import Article

    quote = 'the convoy <script>alert(1)</script> & <img src=x onerror=alert(2)> had 12 trucks'
    article = Article(title="Hostile", body=f"Officials said {quote}.")
    session.add(article)
    session.commit()
    workflow.create_claim(session, users["rita"].id, article.id, quote, workflow.ClaimFields("Twelve trucks.", "other"))
    snippet = str(search.search(session, "convoy trucks").sections["claims"].hits[0].snippet)
    assert "<mark>convoy</mark>" in snippet and "<mark>trucks</mark>" in snippet
    assert "<script" not in snippet and "<img" not in snippet
    assert "&lt;img src=x onerror=alert(2)&gt;" in snippet and "&amp;" in snippet  # shown as text


def test_filters_combine_with_search(login, session, seeded, users):
    claim = _claim(session, "flew 355 miles over Iraqi territory")
    workflow.take_claim(session, users["rita"].id, claim.id)
    client = login("rita")
    page = client.get("/search?q=miles&status=in_review&kind=claims").get_data(as_text=True)
    assert f'href="/claims/{claim.id}"' in page
    assert "three miles" not in page  # the other "miles" claim is still unverified
    page = client.get("/search?q=miles&status=verified").get_data(as_text=True)
    assert "No claims match." in page


def test_pagination_within_a_kind(login, session, users):
    from factcheck.models import Article

    sentences = [f"Convoy {n} carried {n * 10} tonnes of flour." for n in range(1, 26)]
    article = Article(title="Convoys", body=" ".join(sentences))
    session.add(article)
    session.commit()
    for sentence in sentences:
        workflow.create_claim(
            session, users["rita"].id, article.id, sentence[:-1], workflow.ClaimFields(sentence, "other")
        )
    client = login("rita")
    first = client.get("/search?q=convoy&kind=claims").get_data(as_text=True)
    assert "Page 1 of" in first and 'rel="next"' in first
    second = client.get("/search?q=convoy&kind=claims&page=2").get_data(as_text=True)
    ids_first = set(re.findall(r'href="/claims/(\d+)">#', first))
    ids_second = set(re.findall(r'href="/claims/(\d+)">#', second))
    assert len(ids_first) == 20 and len(ids_second) == 5 and not ids_first & ids_second


HOSTILE_QUERIES = [
    "",
    "   ",
    "'",
    '"',
    '"unbalanced',
    "missile:*",
    "a <-> b",
    "!!!",
    "& | ! ( )",
    "(((((",
    "\\",
    "-",
    "OR",
    "-missiles -Iran",
    "' OR 1=1 --",
    "'; DROP TABLE claims; --",
    "1' UNION SELECT password_hash FROM users --",
    "%00",
    "\x00null byte",
    "\ue000private\ue001",
    "دير الزور",
    "伊朗 导弹",
    "Дейр-эз-Зор",
    "🚀 missiles 🚀",
    "x" * 10_000,
    "missiles " * 2_000,
    "<script>alert(1)</script>",
    "{{7*7}}",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_any_input_is_safe(login, seeded, query):
    client = login("rita")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and "<script>alert(1)</script>" not in page
    if query == "{{7*7}}":
        assert 'value="{{7*7}}"' in page  # shown as typed, never evaluated


def test_long_queries_are_cut_and_said_so(login, seeded):
    page = login("rita").get("/search", query_string={"q": "missiles " * 600}).get_data(as_text=True)
    assert "Your search was shortened" in page
    assert 'value="missiles"' in page  # the box shows what was searched: the word once


def test_a_query_keeps_distinct_terms_once_and_at_most_max_terms():
    from factcheck.services.search import MAX_PHRASE_WORDS, MAX_QUERY_WORDS, MAX_TERMS, clean_query

    assert clean_query("iran " * 399) == ("iran", True)
    assert clean_query("Iran iran IRAN troops") == ("Iran troops", True)
    words = [f"w{i}" for i in range(40)]
    kept, cut = clean_query(" ".join(words))
    assert cut and kept.split() == words[:MAX_TERMS]
    assert clean_query("a OR b OR OR c OR") == ("a OR b OR c", False)
    phrase = '"' + " ".join(words) + '"'
    assert clean_query(phrase) == ('"' + " ".join(words[:MAX_PHRASE_WORDS]) + '"', True)
    assert clean_query('Iran -"Islamic State" troops') == ('Iran -"Islamic State" troops', False)
    # PostgreSQL reads "w0,w1,...,w599" as a 600-word phrase: words inside a unit count too.
    joined = ",".join(f"w{i}" for i in range(600))
    kept, cut = clean_query(joined)
    assert cut and kept == ",".join(f"w{i}" for i in range(MAX_PHRASE_WORDS))
    kept, cut = clean_query(" ".join(",".join(f"x{j}w{i}" for i in range(10)) for j in range(10)))
    assert cut and len(re.findall(r"\w+", kept)) <= MAX_QUERY_WORDS


def test_the_search_query_postgresql_runs_stays_small(session):
    from sqlalchemy import func, select

    from factcheck.services.search import _tsquery, clean_query

    hostile = ",".join(f"w{i}" for i in range(600)) + " " + " ".join(f'"{" ".join(["a" + str(i)] * 50)}"' for i in range(20))
    kept, _ = clean_query(hostile)
    nodes = session.execute(select(func.numnode(_tsquery([kept])))).scalar_one()
    assert nodes < 100


def test_an_article_match_deep_in_a_long_body_is_headlined_from_an_excerpt(login, session, users):
    from factcheck.models import Article

    body = "Filler words about nothing in particular. " * 20_000 + "The convoy carried 40 howitzers north. " + "More filler. " * 100
    session.add(Article(title="A very long dispatch", outlet="Wire", body=body))
    session.flush()
    page = login("rita").get("/search", query_string={"q": "howitzers", "kind": "articles"}).get_data(as_text=True)
    assert "A very long dispatch" in page
    assert "<mark>howitzers</mark>" in page


def test_search_box_on_every_page(login, seeded):
    client = login("rita")
    for url in ("/claims", "/articles", "/account/password"):
        assert 'action="/search" role="search"' in client.get(url).get_data(as_text=True)


def test_new_alias_takes_effect_at_once(login, session, seeded):
    client = login("eddie")
    before = client.get("/search?q=Pentagon+troops&kind=claims").get_data(as_text=True)
    response = client.post("/aliases", {"name": "Kermanshah", "terms": "Kermanshah province\nKirmanshah"})
    assert response.status_code == 302
    after = client.get("/search?q=Kirmanshah&kind=claims").get_data(as_text=True)
    claim = _claim(session, "The six missiles fired from the western Iranian province of Kermanshah")
    assert f'href="/claims/{claim.id}"' in after
    assert before  # the page rendered before the change too


def test_alias_terms_belong_to_one_group(login, seeded):
    client = login("eddie")
    response = client.post("/aliases", {"name": "Eastern Syria", "terms": "Deir al Zour"})
    assert response.status_code == 422
    assert "already belongs to another group" in response.get_data(as_text=True).replace("&#34;", '"')


def test_each_long_article_is_headlined_around_its_own_first_match(login, session, users):
    """Two long articles, the word deep in each at different places: each headline shows its own
    match (the excerpt is found per article), also for a word whose stem is not in the text."""
    from factcheck.models import Article

    filler = "Filler words about nothing in particular. "
    session.add(Article(title="Dispatch one", outlet="Wire", body=filler * 3_000 + "The economy shrank by a third. " + filler * 10))
    session.add(Article(title="Dispatch two", outlet="Wire", body=filler * 9_000 + "Its economy grew again. " + filler * 10))
    session.flush()
    page = login("rita").get("/search", query_string={"q": "economy", "kind": "articles"}).get_data(as_text=True)
    assert "Dispatch one" in page and "Dispatch two" in page
    assert page.count("<mark>economy</mark>") == 2
    assert "shrank" in page and "grew again" in page


# --- figures written another way ------------------------------------------------

PAYLOAD = "capable of carrying over 1,500 pounds of explosives"


def test_a_figure_is_found_with_or_without_its_thousands_separator(session, seeded):
    payload = _claim(session, PAYLOAD).id
    assert payload in _found(search.search(session, "1500", per_page=50))
    assert payload in _found(search.search(session, "1,500", per_page=50))
    assert payload in _found(search.search(session, "1500 pounds explosives", per_page=50))
    troops = _claim(session, "over 2,000 US troops are presently deployed").id
    assert troops in _found(search.search(session, "2000 troops", per_page=50))
    # Unrelated figures stay apart.
    assert payload not in _found(search.search(session, "500", per_page=50))
    assert payload not in _found(search.search(session, "1", per_page=50))
    assert _claim(session, "flew 355 miles over Iraqi territory").id in _found(search.search(session, "355", per_page=50))


def test_a_figure_in_a_phrase_or_a_negation(session, seeded):
    payload = _claim(session, PAYLOAD).id
    assert payload in _found(search.search(session, '"over 1500 pounds"', per_page=50))
    assert payload in _found(search.search(session, '"over 1,500 pounds"', per_page=50))
    assert payload not in _found(search.search(session, '"over 1500 explosives"', per_page=50))
    missiles = _found(search.search(session, "missiles", per_page=100))
    assert payload in missiles
    for excluded in ("missiles -1500", "missiles -1,500", 'missiles -"1,500 pounds"'):
        without = _found(search.search(session, excluded, per_page=100))
        assert payload not in without and without == missiles - {payload}, excluded


def test_the_highlight_marks_the_figure_as_written(session, seeded):
    payload = _claim(session, PAYLOAD).id
    for query in ("1500", "1,500"):
        hit = next(h for h in search.search(session, query, per_page=50).sections["claims"].hits if h.id == payload)
        assert "over <mark>1</mark>,<mark>500</mark> pounds" in str(hit.snippet), query
        article = search.search(session, query).sections["articles"].hits
        assert any("<mark>1</mark>,<mark>500</mark>" in str(a.snippet) for a in article), query


@pytest.fixture
def figures(session, users):
    from factcheck.models import Article

    sentences = {
        "plain": "The depot held 1500 shells.",
        "thin": "Officials counted 2\u2009500 rockets.",
        "nbsp": "A convoy of 3\u00a0500 trucks left.",
        "periods": "The fund paid 4.500.000 euros.",
        "decimal": "The blast left a crater 1.5 metres deep.",
        "fifteen": "It was 15 metres wide.",
        "range": "Between 1,000-1,200 fighters crossed.",
        "comma list": "Rooms 3,14 and 7 were hit.",
    }
    article = Article(title="Figures", body=" ".join(sentences.values()))
    session.add(article)
    session.commit()
    ids = {}
    for name, sentence in sentences.items():
        claim = workflow.create_claim(
            session, users["rita"].id, article.id, sentence[:-1], workflow.ClaimFields(sentence, "other")
        )
        ids[name] = claim.id
    return ids


@pytest.mark.parametrize(
    "query, name",
    [
        ("1,500 shells", "plain"),
        ("1500 shells", "plain"),
        ("2500 rockets", "thin"),
        ("2,500 rockets", "thin"),
        ("3500 trucks", "nbsp"),
        ("3,500 trucks", "nbsp"),
        ("4500000 euros", "periods"),
        ("4,500,000 euros", "periods"),
        ("1200 fighters", "range"),
        ("1,000 fighters", "range"),
        ('"1000-1200 fighters"', "range"),
    ],
)
def test_grouped_figures_in_any_style(session, figures, query, name):
    assert figures[name] in _found(search.search(session, query, per_page=50))


def test_decimals_and_short_groups_are_not_thousands(session, figures):
    assert _found(search.search(session, "1.5 metres", per_page=50)) == {figures["decimal"]}
    assert _found(search.search(session, "15 metres", per_page=50)) == {figures["fifteen"]}
    assert figures["decimal"] not in _found(search.search(session, "15", per_page=50))
    assert figures["comma list"] in _found(search.search(session, "3 14 rooms", per_page=50))
    assert figures["comma list"] not in _found(search.search(session, "314", per_page=50))


@pytest.mark.parametrize(
    "text",
    [
        "over 1,500 pounds", "12,345,678.5", "1.500.000 and 1.500 and 1.5", "1,5 and 3,14 and 1,5000",
        "1\u2009500 1\u00a0500 1\u202f500 1\u2007500 1 500", "1,000-1,500", "x -1500", "-1,500", "F-16 2026-03-04",
        "100,200,300", "US$1,500", "1.234.567,89", "1,500,00", "12345,678", "٣,٥٠٠", "no figures at all",
        "4.500.000.000 and 1.000.000.000.000", "it was 1.500.000.", "12345.678.901", "1-2-3", "1,,500",
    ],
)
def test_the_python_twin_normalises_figures_like_the_index(session, text):
    from sqlalchemy import func, literal

    assert search.normalise_figures(text) == session.execute(select(func.search_figures(literal(text)))).scalar_one()
