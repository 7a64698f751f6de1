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
    assert flat == [("Alpha ", [1]), ("beta", [1, 2]), (" gamma", [2]), (".", [])]
    assert [(seg.text, seg.claim_ids) for seg in paragraphs[1]] == [("Delta", [3]), (" epsilon.", [])]
    assert "".join(s.text for p in paragraphs for s in p) == body.replace("\n", "")
