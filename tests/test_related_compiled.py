"""Related claims through compiled statements give the suggestions the per-request statements gave.

related_claims builds its statements once per shape (entities, spellings per
entity, own words or not) with the values as bound parameters, sends them as SQL
and reads a few columns instead of whole claims. Here the statements as they were
built before (ORM, whole Claim entities, values inline) are the reference: for
every claim, with 1, 2 and several entities, alias groups with several
spellings, with and without own words to score, through the "every match" path
and the "newest matches" probe, the suggestions must be the same ones in the
same order with the same scores, reasons, conflicts and link tags.
"""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from sqlalchemy import and_, bindparam, case, cast, func, or_, select
from sqlalchemy.dialects.postgresql import TSQUERY

from factcheck.models import Article, Claim, LinkKind
from factcheck.services import related, search, workflow
from factcheck.services.aliases import load_index
from factcheck.services.workflow import ClaimFields

# Each sentence is a claim's quote; the statement says it again (or, for the
# last one, says nothing a text search keeps: no own words to score).
DISPATCH = [
    ("Houthi forces fired 12 missiles at Marib, Reuters reported", "Houthi forces fired 12 missiles at Marib.",
     "weapons", "12", "missiles"),
    ("Saudi air defences over Marib intercepted 9 missiles", "Saudi air defences over Marib intercepted 9 missiles.",
     "weapons", "9", "missile"),
    ("the IRGC moved 400 troops to Deir al Zour", "The IRGC moved 400 troops to Deir al Zour.",
     "forces", "400", "troops"),
    ("Reuters said the Islamic Revolutionary Guard Corps kept 400 troops near Deir Ezzor and Albu Kamal",
     "Islamic Revolutionary Guard Corps troops stayed near Deir Ezzor and Albu Kamal, Reuters said.",
     "forces", "400", "troop"),
    ("Syria said Israel struck Damascus, Homs and Latakia with 30 missiles",
     "Israel struck Damascus, Homs and Latakia with 30 missiles, Syria said.", "weapons", "30", "missiles"),
    ("Israel struck Homs twice", "It was so.", "weapons", None, None),
]


def _reference(session, claim_id: int, aliases, limit: int = 8) -> list[tuple]:
    """The suggestions as related_claims worked them out before its statements were compiled."""

    def entity_query(entity):
        parts = [func.plainto_tsquery("english", term) for term in entity.terms]
        query = parts[0]
        for part in parts[1:]:
            query = query.op("||")(part)
        return query

    def or_all(queries):
        query = queries[0]
        for q in queries[1:]:
            query = query.op("||")(q)
        return query

    claim = session.get(Claim, claim_id)
    entities = related.entities_of(f"{claim.quote}. {claim.statement}", aliases)
    if not entities:
        return []
    entity_queries = [entity_query(e) for e in entities]
    any_entity = or_all(entity_queries)
    condition = and_(Claim.search_vector.op("@@")(any_entity), Claim.category == claim.category)
    if len(entity_queries) > 1:
        pairs = [a.op("&&")(b) for a, b in combinations(entity_queries, 2)]
        condition = or_(condition, Claim.search_vector.op("@@")(or_all(pairs)))
    scoring = any_entity
    # As written before the compiled statements (not related._lexemes, which they replaced).
    lexemes = session.execute(
        select(func.tsvector_to_array(func.to_tsvector("english", func.search_figures(claim.statement))))
    ).scalar_one() or []
    words = " | ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes if "\\" not in lexeme)
    if words:
        scoring = scoring.op("||")(cast(bindparam("own_words", words), TSQUERY))
    rank = func.ts_rank_cd(Claim.search_vector, scoring, 1) + case((Claim.category == claim.category, 0.3), else_=0.0)
    condition = and_(condition, Claim.article_id != claim.article_id)
    ids = search.newest_matches(
        session, Claim, condition, "claims", probe=related.PROBE_ROWS, window=related.PROBE_WINDOW
    )
    if len(ids) < related.PROBE_WINDOW:
        ids = list(session.execute(select(Claim.id).where(condition).limit(related.MAX_RANKED)).scalars())
    rows = session.execute(
        select(Claim, Article.title, rank.label("rank"))
        .join(Article, Article.id == Claim.article_id)
        .where(Claim.id.in_(ids or [0]))
        .order_by(rank.desc(), Claim.id)
        .limit(related.CANDIDATES)
    ).all()
    links = {other.id: link for link, other in related.claim_links(session, claim.id)}

    def mentions(text, entity):
        if entity.group is not None:
            return entity.group in aliases.groups_in(text)
        return re.search(r"(?<!\w)" + re.escape(entity.terms[0]) + r"(?!\w)", text, re.IGNORECASE) is not None

    out = []
    for other, title, score in rows:
        text = f"{other.quote} {other.statement}"
        shared = [e for e in entities if mentions(text, e)]
        reasons = [related._entity_reason(e, aliases.groups_in(text)) for e in shared]
        if other.category == claim.category:
            reasons.append(f"same category ({claim.category.label.lower()})")
        conflict = None
        if related.figures_conflict(claim, other):
            conflict = (
                f"{related.figure(claim.quantity_value, claim.quantity_unit, claim.quantity_qualifier)} here, "
                f"{related.figure(other.quantity_value, other.quantity_unit, other.quantity_qualifier)} there"
            )
        elif (
            claim.quantity_value is not None
            and other.quantity_value == claim.quantity_value
            and related.normalise_unit(other.quantity_unit) == related.normalise_unit(claim.quantity_unit)
        ):
            reasons.append(f"same figure ({related.figure(claim.quantity_value, claim.quantity_unit, None)})")
        link = links.get(other.id)
        out.append((other.id, other.article_id, title, float(score) + 0.2 * len(shared), reasons, conflict,
                    other.status, other.quote, link.id if link else None))
    out.sort(key=lambda s: (-s[3], s[0]))
    return out[:limit]


def _seen(suggestions) -> list[tuple]:
    return [
        (s.claim.id, s.claim.article_id, s.article_title, s.score, s.reasons, s.conflict, s.claim.status,
         s.claim.quote, s.link.id if s.link else None)
        for s in suggestions
    ]


@pytest.fixture
def dispatches(session, seeded, users):
    """The seed articles and two dispatches that name the same places and bodies in other words."""
    made = []
    for n in range(2):
        body = f"Dispatch {n}. " + ". ".join(quote for quote, *_ in DISPATCH) + "."
        article = Article(title=f"Dispatch {n}", body=body)
        session.add(article)
        session.commit()
        for quote, statement, category, value, unit in DISPATCH:
            made.append(workflow.create_claim(
                session, users["rita"].id, article.id, quote,
                ClaimFields(statement, category, quantity_value=value, quantity_unit=unit),
            ))
    related.link_claims(session, users["rita"].id, made[0].id, made[len(DISPATCH) + 1].id, LinkKind.RELATED)
    return made


@pytest.mark.parametrize("probe_window", [related.PROBE_WINDOW, 2], ids=["every-match", "newest-matches"])
def test_compiled_suggestions_are_the_ones_the_built_statements_gave(session, dispatches, monkeypatch, probe_window):
    monkeypatch.setattr(related, "PROBE_WINDOW", probe_window)
    monkeypatch.setattr(related, "_STATEMENTS", {})  # compiled afresh with this window
    aliases = load_index(session)
    shapes, own_words, compared = set(), set(), 0
    for claim in session.execute(select(Claim).order_by(Claim.id)).scalars().all():
        expected = _reference(session, claim.id, aliases)
        assert _seen(related.related_claims(session, claim.id, aliases=aliases)) == expected, claim.quote
        # The page passes the claim it has loaded; the answer is the same.
        assert _seen(related.related_claims(session, claim.id, aliases=aliases, claim=claim)) == expected
        entities = related.entities_of(f"{claim.quote}. {claim.statement}", aliases)
        if expected:
            compared += 1
            shapes.add(tuple(len(e.terms) for e in entities))
            own_words.add(bool(related._lexemes(session, claim.statement)))
    # The comparison covered what varies between compiled statements.
    counts = {len(shape) for shape in shapes}
    assert {1, 2} <= counts and max(counts) >= 3, shapes
    assert any(terms > 1 for shape in shapes for terms in shape), shapes  # an alias group's spellings
    assert own_words == {True, False}
    assert compared >= 10


def test_compiled_suggestions_carry_figures_links_and_statuses(session, dispatches):
    aliases = load_index(session)
    seen = [s for claim in dispatches for s in related.related_claims(session, claim.id, aliases=aliases)]
    assert any(s.conflict for s in seen) and any("same figure" in " ".join(s.reasons) for s in seen)
    assert any(s.link is not None for s in seen)
    assert any("written" in " ".join(s.reasons) for s in seen)  # an alias spelt another way
    assert all(isinstance(s.score, float) and s.claim.status.label for s in seen)


def test_page_links_are_claim_links_as_the_page_reads_them(session, dispatches, users):
    a, b, c = dispatches[2], dispatches[3], dispatches[len(DISPATCH) + 2]
    related.link_claims(session, users["rita"].id, a.id, b.id, LinkKind.SAME, note="same strike")
    related.link_claims(session, users["rita"].id, c.id, a.id, LinkKind.RELATED)
    workflow.take_claim(session, users["rita"].id, b.id)
    for claim in (a, b, c, dispatches[0], dispatches[-1]):
        full = related.claim_links(session, claim.id)
        page = related.page_links(session, claim.id)
        assert [(link.id, link.kind, link.note) for link, _ in full] == [tuple(link) for link, _ in page]
        assert [other.id for _, other in full] == [other.id for _, other in page]
        for (_, other), (_, row) in zip(full, page):
            assert tuple(getattr(other, field) for field in related.LinkedClaim._fields) == tuple(row)
            assert related.figures_conflict(claim, other) == related.figures_conflict(claim, row)
    assert len(related.page_links(session, a.id)) == 2


def test_page_alias_index_is_load_index_and_is_kept_while_aliases_are_unchanged(session, seeded, users):
    from factcheck.models import Alias, AliasGroup

    first = related.page_alias_index(session)
    assert first.groups == load_index(session).groups and first.groups
    assert related.page_alias_index(session) is first
    group = AliasGroup(name="Qaryat Zed")  # a group with no terms yet, then two
    session.add(group)
    session.flush()
    assert related.page_alias_index(session).groups == load_index(session).groups
    session.add_all([Alias(group_id=group.id, term="Qaryat Zed"), Alias(group_id=group.id, term="Qaryat al Zed")])
    session.flush()
    session.expire_all()  # load_index would keep the group's already loaded (empty) terms
    changed = related.page_alias_index(session)
    assert changed is not first and changed.groups == load_index(session).groups
    assert changed.groups_in("troops near Qaryat al-Zed") == {changed.groups.index(("Qaryat Zed", ("Qaryat Zed", "Qaryat al Zed"))): "Qaryat al-Zed"}
