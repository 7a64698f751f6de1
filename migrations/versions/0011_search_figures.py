"""Search finds a figure however its digits are grouped

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

PostgreSQL's text parser reads "1,500" as two words, "1" and "500", so a
search for "1500" missed every claim that wrote "over 1,500 pounds" (and the
other way round). search_figures() writes a figure's digits together before
the text is indexed, and search.py passes every query through the same
function, so both sides always agree:

* a comma, a thin, narrow or figure space or a no-break space between a digit
  and exactly three digits is a thousands separator: "1,500" and "1 500" are
  "1500" (a comma before one, two or four digits is left alone: "1,5", "3,14");
* periods only where they cannot be a decimal point, in a number of two or
  three period groups after one to three digits: "1.500.000" is "1500000",
  while "1.5" and "1.500" stay as written;
* a hyphen between digits ("1,000-1,500") becomes an en dash, which the parser
  treats as a separator, so both ends of a range are words of their own
  instead of "1000" and "-1500".

No lookbehind: PostgreSQL's regex engine re-reads the text before each
position for a lookbehind, which made the first version of this function
quadratic (167 s on a 910 KB article body, caught by bench/hostile.py's 1 MB
import); each pattern here captures the digit before instead, and the four
passes are linear (about 150 ms on the same body, as long as to_tsvector).

The three search vectors are dropped and added again with the new expression
(PostgreSQL 15 cannot change a generated column's expression in place): each
table is rewritten once and its GIN index rebuilt, inside the migration's
transaction, so writes to the three tables wait meanwhile: 167 s on a copy
of the 1M-claim benchmark database (1,000,059 claims, 10,002 articles,
499,031 evidence items), measured with the 2-core machine under load (load
average about 7). search_figures adds about 30 % to computing a claim's vector;
most of the time is to_tsvector, the table rewrites and the GIN builds.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SEARCH_FIGURES = r"""
CREATE FUNCTION search_figures(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace(
                    value,
                    '([0-9])[,\u2007\u2009\u202f\u00a0](?=[0-9]{3}(?![0-9]))', '\1', 'g'),
                '(^|[^0-9.])([0-9]{1,3})\.([0-9]{3})\.([0-9]{3})\.([0-9]{3})(?![0-9]|\.[0-9])', '\1\2\3\4\5', 'g'),
            '(^|[^0-9.])([0-9]{1,3})\.([0-9]{3})\.([0-9]{3})(?![0-9]|\.[0-9])', '\1\2\3\4', 'g'),
        '([0-9])-(?=[0-9])', '\1–', 'g')
"""


def _vectors(wrap: bool) -> list[tuple[str, str]]:
    """Frozen copies of the models' *_SEARCH_SQL: with search_figures (this revision) or without (0004)."""

    def part(column: str, weight: str) -> str:
        text = f"coalesce({column}, '')"
        if wrap:
            text = f"search_figures({text})"
        return f"setweight(to_tsvector('english', {text}), '{weight}')"

    return [
        ("claims", " || ".join(part(c, w) for c, w in (("quote", "A"), ("statement", "A"), ("claimant", "B"), ("rationale", "C")))),
        ("evidence", " || ".join(part(c, w) for c, w in (("title", "A"), ("publisher", "B"), ("note", "C")))),
        ("articles", " || ".join(part(c, w) for c, w in (("title", "A"), ("body", "D")))),
    ]


def _replace_vectors(wrap: bool) -> None:
    # Bounded memory for the GIN builds whatever the server's default.
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for table, expression in _vectors(wrap):
        op.drop_index(f"ix_{table}_search_vector", table_name=table)
        op.drop_column(table, "search_vector")
        op.add_column(
            table,
            sa.Column("search_vector", postgresql.TSVECTOR(), sa.Computed(expression, persisted=True), nullable=True),
        )
        op.create_index(f"ix_{table}_search_vector", table, ["search_vector"], postgresql_using="gin")


def upgrade() -> None:
    op.execute(SEARCH_FIGURES)
    _replace_vectors(wrap=True)


def downgrade() -> None:
    _replace_vectors(wrap=False)
    op.execute("DROP FUNCTION search_figures(text)")
