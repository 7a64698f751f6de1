"""Reading article files and importing them all-or-nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from factcheck.models import Article
from factcheck.services import articles
from factcheck.services.errors import ArticleFormatError, DuplicateArticle

FRONT_MATTER = """---
title: Strike on the border
outlet: Example Wire
byline: A. Reporter
url: https://example.org/strike
date: 2018-10-01
---

Six missiles were fired, officials said.
"""


def test_front_matter_is_read():
    draft = articles.read_article_file(FRONT_MATTER.encode(), "a.md")
    assert draft.title == "Strike on the border"
    assert (draft.outlet, draft.byline, draft.url) == ("Example Wire", "A. Reporter", "https://example.org/strike")
    assert draft.published_on == date(2018, 10, 1)
    assert draft.body == "Six missiles were fired, officials said."


def test_plain_text_takes_its_first_line_as_title():
    draft = articles.read_article_file("# Headline\n\nBody line one.\r\nBody two.\n".encode(), "a.txt")
    assert draft.title == "Headline"
    assert draft.body == "Body line one.\nBody two."


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Titre\n\nCaf\u00e9".encode("latin-1"), "not UTF-8"),
        (b"Only a title\n", "no body"),
        (b"---\ntitle: x\n", "never closed"),
        (b"---\ntitle: x\ncolour: red\n---\nbody", "unknown front matter key"),
        (b"---\ntitle: x\ndate: yesterday\n---\nbody", "YYYY-MM-DD"),
        (b"---\ntitle: x\nurl: javascript:alert(1)\n---\nbody", "http"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, message):
    with pytest.raises(ArticleFormatError) as info:
        articles.read_article_file(data, "bad.txt")
    assert message in info.value.message
    assert info.value.message.startswith("bad.txt:")


def test_duplicate_in_batch_imports_nothing(session):
    one = articles.read_article_file(b"One\n\nFirst body.", "one.txt")
    dup = articles.read_article_file(b"Other title\n\nFirst body.", "dup.txt")
    with pytest.raises(DuplicateArticle):
        articles.import_articles(session, [one, dup], imported_by_id=None)
    assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 0


def test_reimporting_an_article_is_refused(session):
    one = articles.read_article_file(b"One\n\nFirst body.", "one.txt")
    articles.import_articles(session, [one], imported_by_id=None)
    two = articles.read_article_file(b"Two\n\nSecond body.", "two.txt")
    with pytest.raises(DuplicateArticle, match="already imported"):
        articles.import_articles(session, [two, one], imported_by_id=None)
    titles = session.execute(select(Article.title)).scalars().all()
    assert titles == ["One"]


def test_highlight_segments_cover_overlaps_and_paragraphs():
    body = "Alpha beta gamma.\n\nDelta epsilon."
    paragraphs = articles.highlight_segments(body, [(1, 0, 10), (2, 6, 16), (3, body.index("Delta"), body.index("Delta") + 5)])
    assert len(paragraphs) == 2
    flat = [(seg.text, seg.claim_ids) for seg in paragraphs[0]]
    assert flat == [("Alpha ", (1,)), ("beta", (1, 2)), (" gamma", (2,)), (".", ())]
    assert [(seg.text, seg.claim_ids) for seg in paragraphs[1]] == [("Delta", (3,)), (" epsilon.", ())]
    assert "".join(s.text for p in paragraphs for s in p) == body.replace("\n", "")


# --- all or nothing ------------------------------------------------------------

import dataclasses  # noqa: E402

from click.testing import CliRunner  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from factcheck.cli import main  # noqa: E402
from factcheck.db import sqlalchemy_url  # noqa: E402
from factcheck.extraction import extract_claims  # noqa: E402
from factcheck.services import candidates as candidate_service  # noqa: E402
from factcheck.services.unit import unit_of_work  # noqa: E402

STORY = "Strike on the port\n\nAt least 12 people were killed when six rockets struck the port on Tuesday, officials said.\n"


def _counts(url: str) -> tuple[int, int]:
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT count(*) FROM articles")).scalar_one(),
                conn.execute(text("SELECT count(*) FROM claim_candidates")).scalar_one(),
            )
    finally:
        engine.dispose()


def _last_suggestion_misquoted(monkeypatch, only_in: str | None = None):
    """The extractor's last suggestion for a body (containing ``only_in``) gets a quote that is not in the text."""

    def extract(body):
        found = extract_claims(body)
        if found and (only_in is None or only_in in body):
            last = found[-1]
            found[-1] = dataclasses.replace(last, quote="x" * (last.span_end - last.span_start))
        return found

    monkeypatch.setattr(candidate_service, "extract_claims", extract)


def test_a_bad_last_suggestion_leaves_no_article(fresh_db_url, monkeypatch):
    """The database refuses the misquoted last suggestion; the article goes with it."""
    _last_suggestion_misquoted(monkeypatch)
    engine = create_engine(sqlalchemy_url(fresh_db_url), poolclass=NullPool)
    try:
        with Session(engine) as s, pytest.raises(DBAPIError, match="does not match"):
            articles.import_articles(s, [articles.read_article_file(STORY.encode(), "story.txt")], imported_by_id=None)
    finally:
        engine.dispose()
    assert _counts(fresh_db_url) == (0, 0)


def test_cli_import_of_several_files_is_all_or_nothing(fresh_db_url, tmp_path, monkeypatch):
    """factcheck import A B C: C's last suggestion fails to store, so A and B are not imported either."""
    paths = []
    for name, place in (("a", "port"), ("b", "airport"), ("c", "bridge")):
        path = tmp_path / f"{name}.txt"
        path.write_text(STORY.replace("port", place))
        paths.append(str(path))
    _last_suggestion_misquoted(monkeypatch, only_in="bridge")
    result = CliRunner().invoke(main, ["import", *paths], env={"DATABASE_URL": fresh_db_url})
    assert result.exit_code == 1
    assert "does not match" in result.stderr
    assert _counts(fresh_db_url) == (0, 0)
    monkeypatch.undo()
    result = CliRunner().invoke(main, ["import", *paths], env={"DATABASE_URL": fresh_db_url})
    assert result.exit_code == 0, result.stderr
    articles_count, suggestions = _counts(fresh_db_url)
    assert articles_count == 3 and suggestions >= 3


def test_import_joins_an_outer_unit_of_work(fresh_db_url):
    """Importing inside a larger use case that fails later saves nothing on its own."""
    engine = create_engine(sqlalchemy_url(fresh_db_url), poolclass=NullPool)
    try:
        with Session(engine) as s, pytest.raises(RuntimeError):
            with unit_of_work(s):
                articles.import_articles(s, [articles.read_article_file(STORY.encode(), "story.txt")], imported_by_id=None)
                raise RuntimeError("a later step fails")
    finally:
        engine.dispose()
    assert _counts(fresh_db_url) == (0, 0)


def test_suggestions_are_stored_with_one_insert(session):
    """Thousands of suggestions go in with one statement (the quote check then reads the body once)."""
    from sqlalchemy import event

    paragraph = STORY.split("\n\n", 1)[1].strip()
    body = "\n\n".join(paragraph.replace("12", str(n)).replace("six", ["six", "two", "nine"][n % 3]) for n in range(10, 700))
    inserts = []

    def count(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO claim_candidates"):
            inserts.append(statement)

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        (article,) = articles.import_articles(session, [articles.ArticleDraft(title="Many", body=body)], imported_by_id=None)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert candidate_service.pending_count(session, article.id) > 500
    assert len(inserts) == 1


# --- highlighting ----------------------------------------------------------------

import random  # noqa: E402


def _reference_segments(body, spans):
    """The straightforward cut-everywhere, compare-everything version (quadratic), to check against."""
    spans = [s for s in spans if 0 <= s[1] < s[2] <= len(body)]
    cuts = {0, len(body)} | {p for _, s, e in spans for p in (s, e)}
    cuts |= {i for i, ch in enumerate(body) if ch == "\n"} | {i + 1 for i, ch in enumerate(body) if ch == "\n"}
    points = sorted(cuts)
    paragraphs = [[]]
    for start, end in zip(points, points[1:]):
        chunk = body[start:end]
        if chunk == "\n":
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append((chunk, start, tuple(k for k, s, e in spans if s <= start and end <= e)))
    return [p for p in paragraphs if p]


@pytest.mark.parametrize("seed", range(30))
def test_highlighting_matches_the_reference(seed):
    rng = random.Random(seed)
    body = "".join(rng.choice("ab \n\n€😀") for _ in range(rng.randint(1, 120)))
    spans = []
    for key in range(rng.randint(0, 12)):
        start = rng.randint(-2, len(body))
        spans.append((key, start, start + rng.randint(-1, 40)))
    spans.sort(key=lambda s: (s[1], s[2], s[0]))  # as the page passes claims
    got = [[(seg.text, seg.start, seg.claim_ids) for seg in p] for p in articles.highlight_segments(body, spans)]
    assert got == _reference_segments(body, spans)


def test_a_segment_under_many_claims_names_a_few_and_counts_the_rest():
    body = "The ministry said 40 soldiers died."
    spans = [(n, 0, len(body) - n) for n in range(20)]  # twenty claims, nested
    (paragraph,) = articles.highlight_segments(body, spans)
    first = paragraph[0]
    assert first.claim_count == 20 and first.claim_ids == tuple(range(12, 20))
    assert len(first.claim_ids) == articles.MAX_LISTED


def test_the_page_marks_claims_and_suggestions_and_keeps_every_offset(login, session, users):
    """The body rebuilt from the page's segments, as article.js does, is the article's text."""
    import html
    import re

    from factcheck.models import Category, Claim
    from factcheck.services import workflow

    body = 'Line <one> & "two".\n\n\nAt least 12 people were killed, officials said.\nx\nx\n9 troops died 😀 in Aden.'
    (article,) = articles.import_articles(session, [articles.ArticleDraft(title="Offsets", body=body)], imported_by_id=None)
    claim = workflow.create_claim(
        session, users["rita"].id, article.id, "12 people were killed", workflow.ClaimFields(statement="s", category=Category.CASUALTIES)
    )
    page = login("rita").get(f"/articles/{article.id}").get_data(as_text=True)
    inside = page.split('id="article-body"', 1)[1].split("</div>", 1)[0]
    pieces = [(int(s), html.unescape(t)) for s, t in re.findall(r'data-s="(\d+)">([^<]*)<', inside)]
    rebuilt = ""
    for start, piece in pieces:
        rebuilt += "\n" * (start - len(rebuilt)) + piece
    assert rebuilt == body
    assert re.search(rf'<a class="claim-mark claim-mark--unverified" href="#claim-{claim.id}" title="Claim #{claim.id}" '
                     r'data-s="\d+">12 people were killed</a>', inside)
    # The suggestion on the first line is escaped inside its mark (where it ends is the extractor's business).
    assert re.search(r'<a class="candidate-mark"[^>]*>Line &lt;one&gt; &amp; &#34;two', inside)
    assert session.get(Claim, claim.id).quote == "12 people were killed"


def _arabic_article(chars: int) -> str:
    words = ["قالت", "وزارة", "الصحة", "إن", "الهجوم", "أسفر", "عن", "مقتل", "شخصا", "وإصابة", "آخرين"]
    text, i, length = [], 0, 0
    while length < chars:
        word = words[i % len(words)] + (".\n\n" if (i + 1) % 40 == 0 else "")
        text.append(word)
        length += len(word) + 1
        i += 1
    return " ".join(text)[:chars]


def test_a_million_character_arabic_article_fits_the_form(login, users):
    """1,000,000 characters is the form's limit in any script: the form posts multipart, so
    Arabic (2 bytes a character, 6 when url-encoded) is not refused as too large."""
    client = login("rita")
    page = client.get("/articles/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    body = _arabic_article(1_000_000)
    assert len(body) == 1_000_000
    response = client.post(
        "/articles/new", {"title": "بيان وزارة الصحة", "body": body}, content_type="multipart/form-data"
    )
    assert response.status_code == 303, response.status_code


def test_two_imports_of_the_same_text_at_once_give_a_duplicate_not_a_500(fresh_db_url):
    import threading
    import time
    from dataclasses import replace

    from sqlalchemy.pool import NullPool

    from factcheck.db import Database
    from factcheck.services.articles import ArticleDraft, add_article, import_articles
    from factcheck.services.errors import DuplicateArticle

    database = Database.from_url(fresh_db_url, poolclass=NullPool)
    draft = ArticleDraft(title="Same story", body="The same body text: 12 troops crossed.", source="first")
    first = database.session()
    add_article(first, draft, None)  # flushed, not committed: it holds the body's unique key
    outcome = {}

    def second():
        with database.session() as session:
            try:
                import_articles(session, [replace(draft, source="second")], None)
            except Exception as exc:  # noqa: BLE001 - the test looks at which
                outcome["error"] = exc

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.5)  # the second import is now waiting on the unique index
    first.commit()
    first.close()
    thread.join(20)
    database.dispose()
    assert isinstance(outcome.get("error"), DuplicateArticle), outcome
